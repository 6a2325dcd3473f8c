#include "tests/coordinator/testing/fake_probe.h"

#include <utility>

#include "tests/coordinator/testing/test_certs.h"

namespace grid::testing {

FakeProbe::FakeProbe(std::string address, v1::Hello hello)
    : FakeProbe(address, hello,
                TestCerts::Shared().Probe(
                    hello.name().empty() ? "*" : hello.name())) {}

FakeProbe::FakeProbe(std::string address, v1::Hello hello,
                     const std::optional<tls::TlsMaterial>& tls)
    : address_(std::move(address)), hello_(std::move(hello)) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  // Each fake probe gets its own connection, as separate processes would.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      tls::ChannelCredentials(tls, &args);
  channel_ = grpc::CreateCustomChannel(address_, credentials, args);
  stub_ = v1::ProbeService::NewStub(channel_);
}

FakeProbe::~FakeProbe() { Cut(); }

absl::StatusOr<v1::Welcome> FakeProbe::Connect(absl::Duration timeout) {
  Cut();
  grpc::ClientReaderWriter<v1::ProbeMessage, v1::CoordinatorMessage>* raw;
  {
    absl::MutexLock lock(&mu_);
    context_ = std::make_unique<grpc::ClientContext>();
    stream_ = stub_->Connect(context_.get());
    raw = stream_.get();
    inbox_.clear();
    end_.reset();
    reading_ = true;
  }
  v1::ProbeMessage hello;
  *hello.mutable_hello() = hello_;
  {
    absl::MutexLock lock(&write_mu_);
    raw->Write(hello);
  }
  reader_ = std::thread([this, raw] { ReadLoop(raw); });
  std::optional<v1::CoordinatorMessage> welcome = Next(
      [](const v1::CoordinatorMessage& m) { return m.has_welcome(); }, timeout);
  if (welcome) return welcome->welcome();
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(
                           +[](bool* reading) { return !*reading; }, &reading_),
                       absl::Seconds(5));
  if (end_ && !end_->ok()) {
    return absl::Status(static_cast<absl::StatusCode>(end_->error_code()),
                        end_->error_message());
  }
  return absl::DeadlineExceededError("no Welcome from the coordinator");
}

void FakeProbe::ReadLoop(
    grpc::ClientReaderWriter<v1::ProbeMessage, v1::CoordinatorMessage>*
        stream) {
  v1::CoordinatorMessage msg;
  while (stream->Read(&msg)) {
    absl::MutexLock lock(&mu_);
    if (msg.has_ack()) {
      v1::Ack& best = acks_[msg.ack().job_id()];
      best.set_job_id(msg.ack().job_id());
      best.set_cycles_durable(
          std::max(best.cycles_durable(), msg.ack().cycles_durable()));
      best.set_done_durable(best.done_durable() || msg.ack().done_durable());
    }
    inbox_.push_back(msg);
  }
  grpc::Status status = stream->Finish();
  absl::MutexLock lock(&mu_);
  end_ = status;
  reading_ = false;
}

bool FakeProbe::Send(const v1::ProbeMessage& message) {
  grpc::ClientReaderWriter<v1::ProbeMessage, v1::CoordinatorMessage>* raw;
  {
    absl::MutexLock lock(&mu_);
    if (!stream_ || !reading_) return false;
    raw = stream_.get();
  }
  absl::MutexLock lock(&write_mu_);
  return raw->Write(message);
}

bool FakeProbe::connected() const {
  absl::MutexLock lock(&mu_);
  return stream_ && reading_;
}

void FakeProbe::Close() {
  grpc::ClientReaderWriter<v1::ProbeMessage, v1::CoordinatorMessage>* raw =
      nullptr;
  {
    absl::MutexLock lock(&mu_);
    if (stream_ && reading_) raw = stream_.get();
  }
  if (raw) {
    absl::MutexLock lock(&write_mu_);
    raw->WritesDone();
  }
  if (reader_.joinable()) reader_.join();
}

void FakeProbe::Cut() {
  {
    absl::MutexLock lock(&mu_);
    if (context_) context_->TryCancel();
  }
  if (reader_.joinable()) reader_.join();
  absl::MutexLock lock(&mu_);
  stream_.reset();
  context_.reset();
}

std::optional<v1::CoordinatorMessage> FakeProbe::Next(
    const std::function<bool(const v1::CoordinatorMessage&)>& pred,
    absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::MutexLock lock(&mu_);
  while (true) {
    for (auto it = inbox_.begin(); it != inbox_.end(); ++it) {
      if (pred(*it)) {
        v1::CoordinatorMessage m = std::move(*it);
        inbox_.erase(it);
        return m;
      }
    }
    const size_t seen = inbox_.size();
    auto changed = [this, seen]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return inbox_.size() != seen || !reading_;
    };
    if (!reading_) return std::nullopt;
    if (!mu_.AwaitWithDeadline(absl::Condition(&changed), deadline)) {
      return std::nullopt;
    }
  }
}

std::optional<v1::JobSpec> FakeProbe::NextJob(absl::Duration timeout) {
  std::optional<v1::CoordinatorMessage> m = Next(
      [](const v1::CoordinatorMessage& m) { return m.has_assign(); }, timeout);
  if (!m) return std::nullopt;
  return m->assign().spec();
}

std::map<uint64_t, v1::Ack> FakeProbe::acks() const {
  absl::MutexLock lock(&mu_);
  return acks_;
}

bool FakeProbe::WaitAck(uint64_t job_id, uint32_t cycles, bool done,
                        absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto covered = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    auto it = acks_.find(job_id);
    return it != acks_.end() && it->second.cycles_durable() >= cycles &&
           (!done || it->second.done_durable());
  };
  return mu_.AwaitWithTimeout(absl::Condition(&covered), timeout);
}

std::optional<grpc::Status> FakeProbe::end_status() const {
  absl::MutexLock lock(&mu_);
  return end_;
}

bool FakeProbe::SendHeartbeat(uint32_t running_jobs) {
  v1::ProbeMessage m;
  m.mutable_heartbeat()->set_sent_unix_ms(absl::ToUnixMillis(absl::Now()));
  m.mutable_heartbeat()->set_running_jobs(running_jobs);
  return Send(m);
}

bool FakeProbe::SendStarted(uint64_t job_id, const std::string& source) {
  v1::ProbeMessage m;
  m.mutable_job_started()->set_job_id(job_id);
  m.mutable_job_started()->set_source_address(source);
  return Send(m);
}

bool FakeProbe::SendCycles(const std::vector<v1::CycleResult>& cycles) {
  v1::ProbeMessage m;
  for (const v1::CycleResult& c : cycles)
    *m.mutable_results()->add_results() = c;
  return Send(m);
}

bool FakeProbe::SendDone(uint64_t job_id, v1::JobStatus status, uint32_t cycles,
                         const std::string& source) {
  v1::ProbeMessage m;
  v1::JobDone* d = m.mutable_job_done();
  d->set_job_id(job_id);
  d->set_status(status);
  d->set_cycles_completed(cycles);
  d->set_source_address(source);
  return Send(m);
}

v1::Hello MakeHello(const std::string& name, uint64_t instance_id,
                    std::map<std::string, std::string> labels,
                    std::vector<std::string> serves) {
  v1::Hello h;
  h.set_name(name);
  h.set_instance_id(instance_id);
  for (const auto& [k, v] : labels) (*h.mutable_labels())[k] = v;
  for (const std::string& s : serves) h.add_serves(s);
  h.set_version("test");
  h.set_protocol_version(v1::PROTOCOL_VERSION_1);
  h.mutable_capabilities()->add_methods(v1::PROBE_METHOD_ICMP);
  h.mutable_capabilities()->set_ipv4(true);
  return h;
}

v1::CycleResult MakeCycle(uint64_t job_id, const std::string& probe,
                          v1::Direction direction, uint32_t cycle,
                          const std::string& source, const std::string& target,
                          const std::vector<std::string>& hops,
                          const std::vector<double>& rtt_ms) {
  v1::CycleResult c;
  c.set_job_id(job_id);
  c.set_probe_name(probe);
  c.set_direction(direction);
  c.set_cycle(cycle);
  c.set_source_address(source);
  c.set_target(target);
  c.set_started_unix_ms(absl::ToUnixMillis(absl::Now()));
  for (size_t i = 0; i < hops.size(); ++i) {
    v1::TtlResult* t = c.add_ttls();
    t->set_ttl(static_cast<uint32_t>(i + 1));
    t->set_probes_sent(1);
    if (hops[i].empty()) continue;
    v1::Reply* r = t->add_replies();
    r->set_from(hops[i]);
    r->set_rtt_ms(i < rtt_ms.size() ? rtt_ms[i] : 1.0);
    const bool last = i + 1 == hops.size();
    r->set_kind(last ? v1::REPLY_KIND_ECHO_REPLY
                     : v1::REPLY_KIND_TIME_EXCEEDED);
    if (last) c.set_reached_target(true);
  }
  return c;
}

}  // namespace grid::testing
