#include "coordinator/coordinator.h"

#include <atomic>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "coordinator/errors.h"
#include "coordinator/host_port.h"
#include "coordinator/job_tracker.h"
#include "coordinator/operator_auth.h"
#include "coordinator/operator_service.h"
#include "coordinator/probe_registry.h"
#include "coordinator/probe_session.h"
#include "grid/v1/probe.grpc.pb.h"
#include "grpcpp/grpcpp.h"

#ifndef GRID_VERSION
#define GRID_VERSION "dev"
#endif

namespace grid::coordinator {
namespace {

class ProbeServiceImpl final : public v1::ProbeService::CallbackService {
 public:
  explicit ProbeServiceImpl(SessionOptions options)
      : options_(std::move(options)) {}

  grpc::ServerBidiReactor<v1::ProbeMessage, v1::CoordinatorMessage>* Connect(
      grpc::CallbackServerContext* context) override {
    return ProbeSession::Start(options_, context);
  }

 private:
  const SessionOptions options_;
};

class CoordinatorImpl final : public Coordinator {
 public:
  explicit CoordinatorImpl(const CoordinatorOptions& options)
      : options_(options) {}
  ~CoordinatorImpl() override { Shutdown(absl::Seconds(2)); }

  absl::Status Init();
  int port() const override { return port_; }
  void Wait() override { server_->Wait(); }
  void Shutdown(absl::Duration deadline) override;

 private:
  void Housekeeping();

  const CoordinatorOptions options_;
  std::unique_ptr<storage::Storage> storage_;
  std::unique_ptr<ProbeRegistry> registry_;
  std::unique_ptr<JobTracker> tracker_;
  std::atomic<bool> stopping_{false};
  std::unique_ptr<ProbeServiceImpl> probe_service_;
  std::unique_ptr<OperatorServiceImpl> operator_service_;
  std::unique_ptr<OperatorAuthService> operator_auth_;  // With TLS.
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  absl::Notification stop_;
  std::thread housekeeping_;
  std::atomic<bool> shut_down_{false};
};

absl::Status CoordinatorImpl::Init() {
  if (absl::StatusOr<std::string> l =
          CheckHostPort(options_.listen, "--listen", /*allow_port_zero=*/true);
      !l.ok()) {
    return l.status();
  }
  if (options_.data_dir.empty()) {
    return absl::InvalidArgumentError("--data DIR is required");
  }
  if (options_.heartbeat_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("the heartbeat interval must be > 0");
  }
  storage::StorageOptions so;
  so.path = options_.data_dir;
  so.retention = options_.retention;
  so.durability = options_.durability;
  absl::StatusOr<std::unique_ptr<storage::Storage>> storage =
      storage::Storage::Open(so);
  if (!storage.ok()) return storage.status();
  storage_ = *std::move(storage);
  registry_ = std::make_unique<ProbeRegistry>(storage_.get());
  tracker_ = std::make_unique<JobTracker>(storage_.get());

  SessionOptions session;
  session.registry = registry_.get();
  session.tracker = tracker_.get();
  session.heartbeat_interval = options_.heartbeat_interval;
  session.coordinator_version = GRID_VERSION;
  session.authenticate = options_.tls.has_value();
  probe_service_ = std::make_unique<ProbeServiceImpl>(session);
  Services services{storage_.get(), registry_.get(), tracker_.get(),
                    options_.scheduler, &stopping_};
  operator_service_ =
      std::make_unique<OperatorServiceImpl>(services, &stopping_);

  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.listen,
                           tls::ServerCredentials(options_.tls), &port_);
  builder.RegisterService(probe_service_.get());
  if (options_.tls) {
    operator_auth_ =
        std::make_unique<OperatorAuthService>(operator_service_.get());
    builder.RegisterService(operator_auth_.get());
  } else {
    builder.RegisterService(operator_service_.get());
  }
  // Results batches and diagnoses of many vantages are larger than the
  // 4 MiB default allows.
  builder.SetMaxReceiveMessageSize(64 << 20);
  builder.SetMaxSendMessageSize(64 << 20);
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.listen,
                     " (address in use, or not HOST:PORT)"));
  }
  housekeeping_ = std::thread([this] { Housekeeping(); });
  return absl::OkStatus();
}

void CoordinatorImpl::Housekeeping() {
  const absl::Duration tick =
      std::min(absl::Seconds(1), options_.heartbeat_interval / 2);
  absl::Time next_retention = absl::Now();
  while (!stop_.WaitForNotificationWithTimeout(tick)) {
    registry_->DropSilent(3 * options_.heartbeat_interval);
    if (absl::Now() >= next_retention) {
      storage_->ApplyRetention().IgnoreError();
      next_retention = absl::Now() + options_.retention_interval;
    }
  }
}

void CoordinatorImpl::Shutdown(absl::Duration deadline) {
  if (shut_down_.exchange(true)) return;
  stopping_ = true;
  if (registry_) registry_->DisconnectAll(ShuttingDown());
  if (server_) server_->Shutdown(absl::ToChronoTime(absl::Now() + deadline));
  stop_.Notify();
  if (housekeeping_.joinable()) housekeeping_.join();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Coordinator>> Coordinator::Start(
    const CoordinatorOptions& options) {
  auto c = std::make_unique<CoordinatorImpl>(options);
  if (absl::Status s = c->Init(); !s.ok()) return s;
  return std::unique_ptr<Coordinator>(std::move(c));
}

}  // namespace grid::coordinator
