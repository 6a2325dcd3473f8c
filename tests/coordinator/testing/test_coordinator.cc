#include "tests/coordinator/testing/test_coordinator.h"

#include <stdlib.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "tests/coordinator/testing/test_certs.h"

namespace grid::testing {

TempDir::TempDir() {
  const char* base = getenv("TEST_TMPDIR");
  std::string tmpl =
      absl::StrCat(base && *base ? base : "/tmp", "/grid-coord-XXXXXX");
  if (mkdtemp(tmpl.data()) == nullptr) abort();
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

common::TargetPolicyOptions LabTargets() {
  common::TargetPolicyOptions o;
  o.allow_targets = {"198.18.0.0/15", "2001:2::/48"};
  return o;
}

coordinator::CoordinatorOptions TestCoordinator::FastOptions() {
  coordinator::CoordinatorOptions o;
  o.heartbeat_interval = absl::Milliseconds(200);
  o.scheduler.reconnect_grace = absl::Seconds(1);
  o.scheduler.progress_interval = absl::Milliseconds(20);
  o.scheduler.default_interval = absl::Milliseconds(10);
  o.scheduler.deadline_margin = absl::Seconds(5);
  o.tls = TestCerts::Shared().Coordinator();
  // Tests aim at the lab's ranges, many times a minute.
  o.scheduler.target_policy = *common::TargetPolicy::Create(LabTargets());
  o.scheduler.rate_limits = {.target_per_minute = 0, .operator_per_minute = 0};
  return o;
}

absl::StatusOr<std::unique_ptr<TestCoordinator>> TestCoordinator::Start(
    coordinator::CoordinatorOptions options) {
  std::unique_ptr<TestCoordinator> t(new TestCoordinator());
  t->options_ = std::move(options);
  t->options_.listen = "127.0.0.1:0";
  t->options_.data_dir = t->dir_.path() + "/db";
  if (absl::Status s = t->Restart(); !s.ok()) return s;
  return t;
}

absl::Status TestCoordinator::Restart() {
  Stop();
  absl::StatusOr<std::unique_ptr<coordinator::Coordinator>> c =
      coordinator::Coordinator::Start(options_);
  if (!c.ok()) return c.status();
  coordinator_ = *std::move(c);
  address_ = absl::StrCat("127.0.0.1:", coordinator_->port());
  options_.listen = address_;  // A restart keeps the port.
  op_ =
      OperatorStub(address_, options_.tls ? std::optional<tls::TlsMaterial>(
                                                TestCerts::Shared().Operator())
                                          : std::nullopt);
  return absl::OkStatus();
}

void TestCoordinator::Stop() {
  op_.reset();
  if (coordinator_) coordinator_->Shutdown(absl::Seconds(1));
  coordinator_.reset();
}

absl::StatusOr<std::unique_ptr<storage::Storage>>
TestCoordinator::StopAndOpenStore() {
  Stop();
  storage::StorageOptions o;
  o.path = data_dir() + "/db";
  o.create_if_missing = false;
  return storage::Storage::Open(o);
}

TestCoordinator::~TestCoordinator() { Stop(); }

std::unique_ptr<v1::OperatorService::Stub> OperatorStub(
    const std::string& address, const std::optional<tls::TlsMaterial>& tls) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      tls::ChannelCredentials(tls, &args);
  return v1::OperatorService::NewStub(
      grpc::CreateCustomChannel(address, credentials, args));
}

}  // namespace grid::testing
