#include "probe-node/agent/agent.h"

#include <atomic>
#include <iostream>
#include <thread>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "coordinator/host_port.h"
#include "coordinator/ip_prefix.h"
#include "coordinator/label_selector.h"
#include "coordinator/rpc_status.h"
#include "grid/v1/probe.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "probe-node/agent/outbox.h"

#ifndef GRID_VERSION
#define GRID_VERSION "dev"
#endif

namespace grid::probe::agent {
namespace {

using Stream =
    grpc::ClientReaderWriter<v1::ProbeMessage, v1::CoordinatorMessage>;

// Results per CycleResults message when re-sending.
constexpr int kResendBatch = 64;

class AgentImpl final : public Agent {
 public:
  AgentImpl(AgentOptions options, common::TargetPolicy policy)
      : options_(std::move(options)), policy_(std::move(policy)) {
    absl::BitGen gen;
    instance_id_ = options_.instance_id != 0
                       ? options_.instance_id
                       : absl::Uniform<uint64_t>(gen, 1, UINT64_MAX);
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(64 << 20);
    // Find a restarted coordinator quickly rather than after grpc's
    // default reconnect backoff (up to 2 minutes).
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    std::shared_ptr<grpc::ChannelCredentials> credentials =
        tls::ChannelCredentials(options_.tls, &args);
    channel_ =
        grpc::CreateCustomChannel(options_.coordinator, credentials, args);
    stub_ = v1::ProbeService::NewStub(channel_);
  }
  ~AgentImpl() override {
    Stop();
    runner_.reset();  // Its threads call back into this object.
  }

  void SetRunner(std::unique_ptr<JobRunner> runner) {
    runner_ = std::move(runner);
  }

  absl::Status Run() override;
  void Stop() override;
  uint64_t instance_id() const override { return instance_id_; }
  bool connected() const override { return connected_; }
  size_t unacked_cycles() const override { return outbox_.cycles(); }

  // Runner callbacks.
  void OnCycle(const v1::CycleResult& result) {
    outbox_.AddCycle(result);
    v1::ProbeMessage m;
    *m.mutable_results()->add_results() = result;
    Write(m);
  }
  void OnDone(const v1::JobDone& done) {
    outbox_.AddDone(done);
    Log(absl::StrCat("job ", done.job_id(), " ",
                     v1::JobStatus_Name(done.status()),
                     done.error().empty() ? "" : ": ", done.error()));
    v1::ProbeMessage m;
    *m.mutable_job_done() = done;
    Write(m);
  }

 private:
  struct SessionEnd {
    absl::Status status;
    bool welcomed = false;
  };
  SessionEnd RunSession();
  v1::Hello MakeHello() const;
  // Re-sends everything unacknowledged on the live stream.
  void Resend() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  void Handle(const v1::CoordinatorMessage& m);
  // Writes on the live stream, if any; false if there is none or it broke.
  bool Write(const v1::ProbeMessage& m);
  void Log(const std::string& line) const {
    if (options_.verbose) std::cerr << "grid-probe: " << line << "\n";
  }

  const AgentOptions options_;
  const common::TargetPolicy policy_;
  uint64_t instance_id_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ProbeService::Stub> stub_;
  std::unique_ptr<JobRunner> runner_;
  Outbox outbox_;
  std::atomic<bool> connected_{false};

  absl::Mutex mu_;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mu_) = nullptr;

  absl::Mutex write_mu_;  // One writer on the stream at a time.
  Stream* live_ ABSL_GUARDED_BY(write_mu_) = nullptr;
};

v1::Hello AgentImpl::MakeHello() const {
  v1::Hello h;
  h.set_name(options_.name);
  h.set_instance_id(instance_id_);
  for (const auto& [k, v] : options_.labels) (*h.mutable_labels())[k] = v;
  for (const std::string& s : options_.serves) h.add_serves(s);
  h.set_version(GRID_VERSION);
  *h.mutable_capabilities() = runner_->Capabilities();
  h.set_protocol_version(v1::PROTOCOL_VERSION_1);
  for (v1::PendingJob& p : outbox_.Pending(runner_->Running())) {
    *h.add_pending_jobs() = std::move(p);
  }
  return h;
}

bool AgentImpl::Write(const v1::ProbeMessage& m) {
  absl::MutexLock lock(&write_mu_);
  return live_ != nullptr && live_->Write(m);
}

void AgentImpl::Resend() {
  for (const Outbox::Unacked& u : outbox_.All()) {
    for (size_t i = 0; i < u.cycles.size(); i += kResendBatch) {
      v1::ProbeMessage m;
      for (size_t k = i; k < std::min(u.cycles.size(), i + kResendBatch); ++k) {
        *m.mutable_results()->add_results() = u.cycles[k];
      }
      live_->Write(m);
    }
    if (u.done) {
      v1::ProbeMessage m;
      *m.mutable_job_done() = *u.done;
      live_->Write(m);
    }
  }
}

void AgentImpl::Handle(const v1::CoordinatorMessage& m) {
  switch (m.msg_case()) {
    case v1::CoordinatorMessage::kAssign: {
      const v1::JobSpec& spec = m.assign().spec();
      Log(absl::StrCat(
          "job ", spec.job_id(), ": ",
          spec.direction() == v1::DIRECTION_RETURN ? "return " : "",
          "trace to ", spec.target(), ", ", spec.cycles(), " cycles"));
      // Defence in depth: this probe's own policy, before anything is
      // sent or even looked up.
      if (absl::StatusOr<std::string> allowed =
              policy_.CheckTarget(spec.target());
          !allowed.ok()) {
        v1::JobDone done;
        done.set_job_id(spec.job_id());
        done.set_status(v1::JOB_STATUS_REJECTED);
        done.set_error(std::string(allowed.status().message()));
        OnDone(done);
        break;
      }
      if (absl::StatusOr<std::string> src = runner_->SourceAddress(spec);
          src.ok()) {
        v1::ProbeMessage started;
        started.mutable_job_started()->set_job_id(spec.job_id());
        started.mutable_job_started()->set_source_address(*src);
        Write(started);
      }
      runner_->Start(spec);
      break;
    }
    case v1::CoordinatorMessage::kCancel:
      runner_->Cancel(m.cancel().job_id());
      break;
    case v1::CoordinatorMessage::kAck:
      outbox_.Ack(m.ack());
      break;
    default:
      break;
  }
}

AgentImpl::SessionEnd AgentImpl::RunSession() {
  SessionEnd end;
  grpc::ClientContext context;
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return end;
    context_ = &context;
  }
  std::unique_ptr<Stream> stream = stub_->Connect(&context);
  v1::ProbeMessage hello;
  *hello.mutable_hello() = MakeHello();
  v1::CoordinatorMessage first;
  if (stream->Write(hello) && stream->Read(&first) && first.has_welcome()) {
    end.welcomed = true;
    const v1::Welcome& w = first.welcome();
    for (uint64_t id : w.forget_job_ids()) outbox_.Forget(id);
    const absl::Duration heartbeat =
        absl::Milliseconds(std::max<uint32_t>(w.heartbeat_interval_ms(), 50));
    {
      absl::MutexLock lock(&write_mu_);
      live_ = stream.get();
      Resend();
    }
    connected_ = true;
    Log(absl::StrCat("connected to ", options_.coordinator, " as ",
                     options_.name));
    absl::Notification session_over;
    std::thread heartbeats([&] {
      while (!session_over.WaitForNotificationWithTimeout(heartbeat)) {
        v1::ProbeMessage hb;
        hb.mutable_heartbeat()->set_sent_unix_ms(
            absl::ToUnixMillis(absl::Now()));
        hb.mutable_heartbeat()->set_running_jobs(
            static_cast<uint32_t>(runner_->Running().size()));
        Write(hb);
      }
    });
    v1::CoordinatorMessage m;
    while (stream->Read(&m)) Handle(m);
    connected_ = false;
    {
      absl::MutexLock lock(&write_mu_);
      live_ = nullptr;
    }
    session_over.Notify();
    heartbeats.join();
  }
  end.status = coordinator::FromGrpcStatus(stream->Finish());
  {
    absl::MutexLock lock(&mu_);
    context_ = nullptr;
  }
  return end;
}

absl::Status AgentImpl::Run() {
  absl::BitGen gen;
  absl::Duration backoff = options_.min_backoff;
  while (true) {
    SessionEnd end = RunSession();
    {
      absl::MutexLock lock(&mu_);
      if (stopped_) return absl::OkStatus();
    }
    if (!end.welcomed && (absl::IsInvalidArgument(end.status) ||
                          absl::IsPermissionDenied(end.status))) {
      // Our Hello is wrong, or our certificate does not allow it; retrying
      // cannot help.
      return end.status;
    }
    if (end.welcomed) backoff = options_.min_backoff;
    const absl::Duration wait = backoff * absl::Uniform<double>(gen, 0.8, 1.2);
    Log(absl::StrCat(
        end.welcomed ? "disconnected" : "cannot connect", ": ",
        end.status.ok() ? "stream closed" : std::string(end.status.message()),
        "; retrying in ",
        absl::FormatDuration(absl::Trunc(wait, absl::Milliseconds(1)))));
    absl::MutexLock lock(&mu_);
    auto stopped = [this]()
                       ABSL_SHARED_LOCKS_REQUIRED(mu_) { return stopped_; };
    if (mu_.AwaitWithTimeout(absl::Condition(&stopped), wait)) {
      return absl::OkStatus();
    }
    backoff = std::min(2 * backoff, options_.max_backoff);
  }
}

void AgentImpl::Stop() {
  absl::MutexLock lock(&mu_);
  stopped_ = true;
  if (context_ != nullptr) context_->TryCancel();
}

absl::StatusOr<common::TargetPolicy> CheckOptions(const AgentOptions& o) {
  absl::StatusOr<std::string> hp =
      coordinator::CheckHostPort(o.coordinator, "--coordinator");
  if (!hp.ok()) return hp.status();
  if (o.name.empty()) return absl::InvalidArgumentError("--name is required");
  for (const auto& [k, v] : o.labels) {
    absl::StatusOr<std::pair<std::string, std::string>> l =
        coordinator::ParseLabel(absl::StrCat(k, "=", v));
    if (!l.ok()) return l.status();
  }
  for (const std::string& s : o.serves) {
    absl::StatusOr<coordinator::IpPrefix> p = coordinator::IpPrefix::Parse(s);
    if (!p.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--serves: ", p.status().message()));
    }
  }
  if (o.min_backoff <= absl::ZeroDuration() || o.max_backoff < o.min_backoff) {
    return absl::InvalidArgumentError("bad reconnect backoff");
  }
  return common::TargetPolicy::Create(o.target_policy);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Agent>> Agent::Create(
    const AgentOptions& options,
    const std::function<std::unique_ptr<JobRunner>(JobCallbacks)>&
        make_runner) {
  absl::StatusOr<common::TargetPolicy> policy = CheckOptions(options);
  if (!policy.ok()) return policy.status();
  auto agent = std::make_unique<AgentImpl>(options, *std::move(policy));
  AgentImpl* raw = agent.get();
  JobCallbacks callbacks;
  callbacks.cycle = [raw](const v1::CycleResult& r) { raw->OnCycle(r); };
  callbacks.done = [raw](const v1::JobDone& d) { raw->OnDone(d); };
  agent->SetRunner(make_runner(std::move(callbacks)));
  return std::unique_ptr<Agent>(std::move(agent));
}

}  // namespace grid::probe::agent
