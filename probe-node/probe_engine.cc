#include "probe-node/probe_engine.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "probe-node/probe_packet.h"
#include "probe-node/reply_parser.h"

namespace grid::probe {
namespace {

constexpr uint16_t kDefaultUdpPort = 33434;
constexpr uint16_t kDefaultTcpPort = 80;

uint16_t PortFor(const TraceOptions& o) {
  if (o.method == ProbeMethod::kIcmpEcho) return 0;
  if (o.port != 0) return o.port;
  return o.method == ProbeMethod::kUdp ? kDefaultUdpPort : kDefaultTcpPort;
}

// Wake-up granularity for sends (see RunDue).
constexpr absl::Duration kSendTick = absl::Milliseconds(5);

absl::Time CeilToTick(absl::Time t) {
  return absl::UnixEpoch() + absl::Ceil(t - absl::UnixEpoch(), kSendTick);
}

uint16_t FlowRange(uint32_t x) {
  return static_cast<uint16_t>(0x8000 | (x & 0x7fff));
}

}  // namespace

ProbeEngine::ProbeEngine(const ProberOptions& options, PacketIo* io,
                         Clock* clock, uint16_t flow_base)
    : options_(options),
      io_(io),
      clock_(clock),
      next_flow_(FlowRange(flow_base)),
      global_(options.packets_per_second,
              std::max(1.0, options.packets_per_second / 100), clock->Now()),
      routers_(options.router_pps, options.router_burst) {}

ProbeEngine::~ProbeEngine() = default;

void ProbeEngine::Add(const std::vector<TraceRequest>& requests) {
  requests_.insert(requests_.end(), requests.begin(), requests.end());
  results_.resize(requests_.size());
}

std::vector<TraceResult> ProbeEngine::TakeResults() {
  return std::move(results_);
}

void ProbeEngine::StartQueued(absl::Time now) {
  const size_t window =
      static_cast<size_t>(std::max(1, options_.max_concurrent_traces));
  while (active_.size() < window && next_request_ < requests_.size()) {
    const size_t index = next_request_++;
    const TraceRequest& req = requests_[index];
    TraceResult& failed = results_[index];
    failed.request = req;
    failed.start = absl::Now();
    failed.stop_reason = StopReason::kError;
    failed.status = ValidateTraceOptions(req.options);
    if (failed.status.ok() && !req.destination.IsUnicast()) {
      failed.status = absl::InvalidArgumentError(absl::StrCat(
          req.destination.ToString(), " is not a unicast address"));
    }
    if (failed.status.ok() &&
        !io_->Supports(req.options.method, req.destination.family())) {
      failed.status = absl::FailedPreconditionError(
          absl::StrCat(ProbeMethodName(req.options.method), " probes over IPv",
                       static_cast<int>(req.destination.family()),
                       " need raw sockets: ", io_->Limitations()));
    }
    absl::StatusOr<IpAddress> source =
        failed.status.ok() ? io_->SourceFor(req.destination)
                           : absl::StatusOr<IpAddress>(failed.status);
    if (!source.ok()) {
      failed.status = source.status();
      if (progress_) progress_(failed);
      continue;
    }
    const uint16_t flow = next_flow_;
    const int flows = req.options.vary_flow_per_cycle ? req.options.cycles : 1;
    next_flow_ = FlowRange(next_flow_ + static_cast<uint32_t>(flows));
    Active a;
    a.request_index = index;
    a.task = std::make_unique<TraceTask>(req, *source, failed.start, now, flow);
    active_.emplace(index, std::move(a));
    due_.push(Due{now, index});
  }
}

void ProbeEngine::ExpireTimeouts(absl::Time now) {
  while (!expiries_.empty() && expiries_.top().when <= now) {
    const Expiry e = expiries_.top();
    expiries_.pop();
    auto it = outstanding_.find(e.key);
    if (it == outstanding_.end() || it->second.deadline != e.when) continue;
    const Outstanding o = it->second;
    outstanding_.erase(it);
    if (o.tx_id != 0) tx_ids_.erase(o.tx_id);
    ++stats_.timeouts;
    auto a = active_.find(o.request_index);
    if (a == active_.end()) continue;
    a->second.task->OnTimeout(o.record);
    MaybeFinish(o.request_index);
  }
}

void ProbeEngine::SendOne(Active& a, absl::Time now, bool router_paced) {
  TraceTask& t = *a.task;
  // A cycle that ended early (destination found) is reported before the
  // next cycle's first probe goes out.
  if (t.TakeCycleEnded()) ReportProgress(a);
  const TraceRequest& req = t.request();
  const uint16_t wanted = t.WantedFlow();
  uint16_t flow = wanted;
  absl::Status error;
  auto opened = a.opened_flows.find(wanted);
  if (opened != a.opened_flows.end()) {
    flow = opened->second;
  } else {
    auto f = io_->OpenFlow(req.options.method, req.destination, wanted);
    if (f.ok()) {
      flow = *f;
      a.opened_flows.emplace(wanted, flow);
    } else {
      error = f.status();
    }
  }
  const uint16_t seq = t.NextSequence();
  ProbeSpec spec;
  spec.key.method = req.options.method;
  spec.key.destination = req.destination;
  spec.key.flow_id = flow;
  spec.key.dst_port = PortFor(req.options);
  spec.key.sequence = seq;
  spec.source = t.source();
  spec.ttl = t.next_ttl();
  spec.packet_size = req.options.packet_size;
  spec.tos = req.options.tos;
  absl::StatusOr<SendReceipt> receipt = absl::InternalError("not sent");
  if (error.ok()) {
    auto bytes = BuildProbe(spec);
    receipt = bytes.ok() ? io_->Send(req.destination, *bytes)
                         : absl::StatusOr<SendReceipt>(bytes.status());
  } else {
    receipt = error;
  }
  if (!receipt.ok()) {
    ++stats_.send_errors;
    if (a.send_error.ok()) a.send_error = receipt.status();
    t.OnSendFailed(flow, seq, absl::Now(), now);
  } else {
    ++stats_.probes_sent;
    a.any_sent = true;
    const int record = t.OnSent(flow, seq, receipt->time, now);
    const absl::Time deadline = now + req.options.timeout;
    outstanding_[spec.key] =
        Outstanding{a.request_index, record,         receipt->time,
                    deadline,        receipt->tx_id, router_paced};
    expiries_.push(Expiry{deadline, spec.key});
    if (receipt->tx_id != 0) tx_ids_[receipt->tx_id] = spec.key;
  }
  if (t.TakeCycleEnded()) ReportProgress(a);
}

absl::Time ProbeEngine::RunDue() {
  const absl::Time now = clock_->Now();
  StartQueued(now);
  ExpireTimeouts(now);
  bool global_empty = false;
  while (!due_.empty() && due_.top().when <= now) {
    const Due d = due_.top();
    auto it = active_.find(d.request_index);
    if (it == active_.end()) {
      due_.pop();
      continue;
    }
    Active& a = it->second;
    TraceTask& t = *a.task;
    if (!t.WantsToSend()) {
      due_.pop();
      MaybeFinish(d.request_index);
      continue;
    }
    if (t.next_send() > now) {  // Rescheduled since this entry was made.
      due_.pop();
      due_.push(Due{t.next_send(), d.request_index});
      continue;
    }
    TokenBucket* router = nullptr;
    if (routers_.enabled()) {
      if (auto r = t.ExpectedErrorSource()) {
        router = &routers_.For(*r, now);
        const absl::Time free = router->NextAvailable(now);
        if (free > now) {
          ++stats_.router_deferrals;
          t.Defer(free);
          due_.pop();
          due_.push(Due{free, d.request_index});
          continue;
        }
      }
    }
    if (!global_.TryTake(now)) {
      global_empty = true;
      break;
    }
    if (router != nullptr) router->TryTake(now);
    due_.pop();
    SendOne(a, now, router != nullptr);
    if (t.WantsToSend()) {
      due_.push(Due{t.next_send(), d.request_index});
    } else {
      MaybeFinish(d.request_index);
    }
  }
  StartQueued(now);  // Traces that finished just now freed their slots.

  absl::Time next = absl::InfiniteFuture();
  if (!due_.empty()) {
    // Sends are batched on a grid of kSendTick: every probe due within one
    // tick goes out at its end, at most kSendTick late. This bounds the
    // wake-ups to one per tick however many traces run.
    next = CeilToTick(
        global_empty ? std::max(due_.top().when, global_.NextAvailable(now))
                     : due_.top().when);
  }
  if (!expiries_.empty()) next = std::min(next, expiries_.top().when);
  if (next == absl::InfiniteFuture()) next = now + absl::Milliseconds(100);
  return next;
}

void ProbeEngine::Handle(const IoEvent& event) {
  if (event.type == IoEvent::Type::kTxTimestamp) {
    auto it = tx_ids_.find(event.tx_id);
    if (it == tx_ids_.end()) return;
    auto o = outstanding_.find(it->second);
    // Trust the kernel's time only near the user-space one (a lost
    // timestamp must not shift the ids of later ones onto wrong probes).
    if (o != outstanding_.end() &&
        event.time >= o->second.sent_io - absl::Milliseconds(1) &&
        event.time <= o->second.sent_io + absl::Seconds(1)) {
      o->second.sent_io = event.time;
    }
    tx_ids_.erase(it);
    return;
  }
  auto reply = ParseReply(event.packet);
  if (!reply.ok()) {
    ++stats_.packets_ignored;
    return;
  }
  auto it = outstanding_.find(reply->probe);
  if (it == outstanding_.end()) {
    ++stats_.packets_ignored;
    return;
  }
  const Outstanding o = it->second;
  auto a = active_.find(o.request_index);
  if (a == active_.end() || reply->probe_source != a->second.task->source()) {
    ++stats_.packets_ignored;
    return;
  }
  outstanding_.erase(it);
  if (o.tx_id != 0) tx_ids_.erase(o.tx_id);
  ++stats_.replies_matched;
  if (routers_.enabled() && !o.router_paced && !reply->FromDestination() &&
      reply->kind != ReplyKind::kEchoReply) {
    // The router spent a token of its ICMP rate limit on us unpaced.
    routers_.For(reply->responder, clock_->Now()).Charge(clock_->Now());
  }
  const int64_t rtt =
      std::max<int64_t>(0, absl::ToInt64Microseconds(event.time - o.sent_io));
  a->second.task->OnReply(o.record, *reply,
                          static_cast<int>(std::min<int64_t>(rtt, 1 << 30)));
  MaybeFinish(o.request_index);
}

void ProbeEngine::ReportProgress(Active& a) {
  if (progress_) progress_(a.task->Snapshot(/*final=*/false));
}

void ProbeEngine::MaybeFinish(size_t request_index) {
  auto it = active_.find(request_index);
  if (it == active_.end() || !it->second.task->Done()) return;
  Active& a = it->second;
  TraceResult result = a.task->Snapshot(/*final=*/true);
  if (!a.any_sent) {
    result.stop_reason = StopReason::kError;
    result.status = a.send_error.ok() ? absl::InternalError("no probe was sent")
                                      : a.send_error;
  }
  for (const auto& [wanted, flow] : a.opened_flows) {
    io_->CloseFlow(result.request.options.method, result.request.destination,
                   flow);
  }
  if (progress_) progress_(result);
  results_[request_index] = std::move(result);
  active_.erase(it);
}

absl::Status RunEngine(ProbeEngine& engine, PacketIo& io) {
  std::vector<IoEvent> events;
  while (true) {
    const absl::Time next = engine.RunDue();
    if (engine.Done()) return absl::OkStatus();
    events.clear();
    GRID_RETURN_IF_ERROR(io.Wait(next, &events));
    for (const IoEvent& e : events) engine.Handle(e);
  }
}

}  // namespace grid::probe
