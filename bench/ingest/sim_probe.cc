#include "bench/ingest/sim_probe.h"

#include <utility>

namespace grid::bench {

SimProbe::SimProbe(const std::string& address, std::string name,
                   OnAssign on_assign)
    : name_(std::move(name)), on_assign_(std::move(on_assign)) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetMaxReceiveMessageSize(64 << 20);
  channel_ = grpc::CreateCustomChannel(
      address, grpc::InsecureChannelCredentials(), args);
  stub_ = v1::ProbeService::NewStub(channel_);
}

SimProbe::~SimProbe() {
  context_.TryCancel();
  if (reader_.joinable()) reader_.join();
}

void SimProbe::Close() {
  {
    absl::MutexLock lock(&write_mu_);
    if (stream_) stream_->WritesDone();
  }
  if (reader_.joinable()) reader_.join();
}

bool SimProbe::Connect(absl::Duration timeout) {
  stream_ = stub_->Connect(&context_);
  v1::ProbeMessage hello;
  v1::Hello* h = hello.mutable_hello();
  h->set_name(name_);
  h->set_instance_id(std::hash<std::string>()(name_) | 1);
  h->set_protocol_version(v1::PROTOCOL_VERSION_1);
  h->set_version("bench");
  h->mutable_capabilities()->add_methods(v1::PROBE_METHOD_ICMP);
  h->mutable_capabilities()->set_ipv4(true);
  (*h->mutable_labels())["role"] = "bench";
  if (!Send(hello)) return false;
  reader_ = std::thread([this] { ReadLoop(); });
  absl::MutexLock lock(&mu_);
  auto done = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return welcomed_ || ended_;
  };
  mu_.AwaitWithTimeout(absl::Condition(&done), timeout);
  return welcomed_;
}

bool SimProbe::Send(const v1::ProbeMessage& m) {
  absl::MutexLock lock(&write_mu_);
  return stream_->Write(m);
}

void SimProbe::ReadLoop() {
  v1::CoordinatorMessage m;
  while (stream_->Read(&m)) {
    if (m.has_welcome()) {
      absl::MutexLock lock(&mu_);
      welcomed_ = true;
    } else if (m.has_ack()) {
      absl::MutexLock lock(&mu_);
      uint32_t& a = acked_[m.ack().job_id()];
      a = std::max(a, m.ack().cycles_durable());
    } else if (m.has_assign() && on_assign_) {
      on_assign_(*this, m.assign().spec());
    }
  }
  stream_->Finish();
  absl::MutexLock lock(&mu_);
  ended_ = true;
}

uint32_t SimProbe::acked(uint64_t job) const {
  absl::MutexLock lock(&mu_);
  auto it = acked_.find(job);
  return it == acked_.end() ? 0 : it->second;
}

bool SimProbe::WaitAcked(uint64_t job, uint32_t cycles,
                         absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto done = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    auto it = acked_.find(job);
    return ended_ || (it != acked_.end() && it->second >= cycles);
  };
  mu_.AwaitWithTimeout(absl::Condition(&done), timeout);
  auto it = acked_.find(job);
  return it != acked_.end() && it->second >= cycles;
}

v1::CycleResult SimCycle(uint64_t job_id, const std::string& probe,
                         uint32_t cycle) {
  constexpr int kHops = 12;
  v1::CycleResult r;
  r.set_job_id(job_id);
  r.set_probe_name(probe);
  r.set_direction(v1::DIRECTION_FORWARD);
  r.set_cycle(cycle);
  r.set_source_address("198.18.10.2");
  r.set_target("198.18.200.1");
  r.set_flow_id(4242);
  r.set_started_unix_ms(1717000000000 + cycle);
  for (int ttl = 1; ttl <= kHops; ++ttl) {
    v1::TtlResult* t = r.add_ttls();
    t->set_ttl(ttl);
    t->set_probes_sent(1);
    if (ttl == 5) continue;
    v1::Reply* reply = t->add_replies();
    reply->set_from("198.18." + std::to_string(ttl) + ".1");
    reply->set_rtt_ms(0.8 * ttl + (cycle % 7) * 0.013);
    reply->set_reply_ttl(255 - ttl);
    reply->set_size(56);
    reply->set_quoted_ttl(1);
    reply->set_kind(ttl == kHops ? v1::REPLY_KIND_ECHO_REPLY
                                 : v1::REPLY_KIND_TIME_EXCEEDED);
    reply->set_icmp_type(ttl == kHops ? 0 : 11);
    if (ttl == 7) {
      v1::MplsLabel* label = reply->add_mpls_labels();
      label->set_label(24001);
      label->set_bottom_of_stack(true);
      label->set_ttl(1);
    }
  }
  r.set_reached_target(true);
  return r;
}

}  // namespace grid::bench
