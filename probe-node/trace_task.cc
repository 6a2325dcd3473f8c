#include "probe-node/trace_task.h"

#include <algorithm>

namespace grid::probe {

TraceTask::TraceTask(const TraceRequest& request, const IpAddress& source,
                     absl::Time wall_start, absl::Time now, uint16_t flow_base)
    : request_(request),
      source_(source),
      wall_start_(wall_start),
      flow_base_(flow_base),
      ttl_(request.options.first_ttl),
      next_send_(now),
      stats_(static_cast<size_t>(request.options.max_ttl)),
      last_reply_was_error_(static_cast<size_t>(request.options.max_ttl)),
      unreachable_code_(static_cast<size_t>(request.options.max_ttl)),
      mpls_(static_cast<size_t>(request.options.max_ttl)) {}

uint16_t TraceTask::WantedFlow() const {
  if (!opts().vary_flow_per_cycle) return flow_base_;
  // Stay in the upper half of the 16-bit space, skipping nothing else.
  return static_cast<uint16_t>(0x8000 | ((flow_base_ + cycle_) & 0x7fff));
}

uint16_t TraceTask::NextSequence() {
  const uint16_t s = next_sequence_;
  next_sequence_ = next_sequence_ >= 0xfffe ? 1 : next_sequence_ + 1;
  return s;
}

std::optional<IpAddress> TraceTask::ExpectedErrorSource() const {
  const size_t i = static_cast<size_t>(ttl_ - 1);
  if (!stats_[i].has_responder() || !last_reply_was_error_[i]) {
    return std::nullopt;
  }
  return stats_[i].latest_responder();
}

void TraceTask::EndCycle(int last_ttl) {
  numhosts_ = std::max(1, last_ttl - opts().first_ttl + 1);
  ++cycle_;
  ttl_ = opts().first_ttl;
  cycle_ended_ = true;
}

void TraceTask::SkipPastEnd() {
  while (cycle_ < opts().cycles) {
    const bool past_destination = destination_ttl_ && ttl_ > *destination_ttl_;
    const bool past_unreachable = unreachable_ttl_ && ttl_ > *unreachable_ttl_;
    if (!past_destination && !past_unreachable) return;
    EndCycle(ttl_ - 1);
  }
}

bool TraceTask::WantsToSend() {
  SkipPastEnd();
  return cycle_ < opts().cycles;
}

int TraceTask::UnknownBelow(int ttl) const {
  int unknown = 0;
  for (int t = opts().first_ttl; t < ttl; ++t) {
    if (!stats_[static_cast<size_t>(t - 1)].has_responder()) ++unknown;
  }
  return unknown;
}

int TraceTask::Advance(int index, absl::Time now) {
  const int sent_ttl = ttl_;
  const bool at_end = sent_ttl >= opts().max_ttl ||
                      (destination_ttl_ && sent_ttl >= *destination_ttl_) ||
                      (unreachable_ttl_ && sent_ttl >= *unreachable_ttl_);
  const bool gap = UnknownBelow(sent_ttl) > opts().max_unknown;
  if (at_end || gap) {
    gap_stop_ = gap && !at_end;
    EndCycle(sent_ttl);
  } else {
    ++ttl_;
  }
  next_send_ = now + opts().interval / numhosts_;
  return index;
}

int TraceTask::OnSent(uint16_t flow, uint16_t sequence, absl::Time wall,
                      absl::Time now) {
  ProbeRecord r;
  r.ttl = ttl_;
  r.cycle = cycle_;
  r.flow_id = flow;
  r.sequence = sequence;
  r.sent = wall;
  records_.push_back(r);
  Stats(ttl_).OnSent();
  ++outstanding_;
  return Advance(static_cast<int>(records_.size()) - 1, now);
}

int TraceTask::OnSendFailed(uint16_t flow, uint16_t sequence, absl::Time wall,
                            absl::Time now) {
  const int index = OnSent(flow, sequence, wall, now);
  OnTimeout(index);
  return index;
}

void TraceTask::OnReply(int index, const Reply& reply, int rtt_usec) {
  ProbeRecord& r = records_[static_cast<size_t>(index)];
  if (r.answered) return;
  r.answered = true;
  r.responder = reply.responder;
  r.rtt_usec = rtt_usec;
  r.kind = reply.kind;
  r.icmp_type = reply.icmp_type;
  r.icmp_code = reply.icmp_code;
  r.reply_ttl = reply.reply_ttl;
  r.quoted_ttl = reply.quoted_ttl;
  r.mpls = reply.extensions.mpls;
  --outstanding_;

  const size_t i = static_cast<size_t>(r.ttl - 1);
  stats_[i].OnReply(rtt_usec, reply.responder);
  last_reply_was_error_[i] = reply.kind != ReplyKind::kEchoReply &&
                             reply.kind != ReplyKind::kTcpSynAck &&
                             reply.kind != ReplyKind::kTcpReset;
  if (!reply.extensions.mpls.empty()) mpls_[i] = reply.extensions.mpls;
  if (reply.FromDestination()) {
    if (!destination_ttl_ || r.ttl < *destination_ttl_) {
      destination_ttl_ = r.ttl;
    }
  } else if (reply.kind == ReplyKind::kDestinationUnreachable) {
    unreachable_code_[i] = reply.icmp_code;
    if (!unreachable_ttl_ || r.ttl < *unreachable_ttl_) {
      unreachable_ttl_ = r.ttl;
    }
  }
}

void TraceTask::OnTimeout(int index) {
  ProbeRecord& r = records_[static_cast<size_t>(index)];
  if (r.answered) return;
  --outstanding_;
}

bool TraceTask::TakeCycleEnded() {
  const bool ended = cycle_ended_;
  cycle_ended_ = false;
  return ended;
}

TraceResult TraceTask::Snapshot(bool final) {
  if (final) {
    for (HopStats& s : stats_) s.EndTransit();
  }
  TraceResult out;
  out.request = request_;
  out.source = source_;
  out.start = wall_start_;
  out.cycles_done = std::min(cycle_, opts().cycles);
  out.first_flow_id = flow_base_;
  out.probes = records_;

  // The last TTL to show, by mtr's net_max rule: the destination's TTL, a
  // hop that answered with an error, or one past the last responding hop.
  int last = 0;
  for (int t = opts().first_ttl; t <= opts().max_ttl; ++t) {
    const size_t i = static_cast<size_t>(t - 1);
    if ((destination_ttl_ && t == *destination_ttl_) ||
        (unreachable_ttl_ && t == *unreachable_ttl_)) {
      last = t;
      break;
    }
    if (stats_[i].has_responder()) last = t + 1;
  }
  last = std::min(last, opts().max_ttl);
  for (int t = opts().first_ttl; t <= last; ++t) {
    const HopStats& s = stats_[static_cast<size_t>(t - 1)];
    HopResult h;
    h.ttl = t;
    if (s.has_responder()) {
      h.responders.push_back(s.latest_responder());
      for (const IpAddress& a : s.responders()) {
        if (a != s.latest_responder()) h.responders.push_back(a);
      }
    }
    h.sent = s.sent();
    h.received = s.received();
    h.loss_pct = s.loss_pct();
    h.last_usec = s.last_usec();
    h.avg_usec = s.avg_usec();
    h.best_usec = s.best_usec();
    h.worst_usec = s.worst_usec();
    h.stdev_usec = s.stdev_usec();
    h.gmean_usec = s.gmean_usec();
    h.jitter_usec = s.jitter_usec();
    h.javg_usec = s.javg_usec();
    h.jmax_usec = s.jmax_usec();
    h.jinta = s.jinta();
    h.unreachable_code = unreachable_code_[static_cast<size_t>(t - 1)];
    h.mpls = mpls_[static_cast<size_t>(t - 1)];
    out.hops.push_back(std::move(h));
  }

  if (destination_ttl_) {
    out.stop_reason = StopReason::kReached;
  } else if (unreachable_ttl_) {
    out.stop_reason = StopReason::kUnreachable;
  } else if (gap_stop_) {
    out.stop_reason = StopReason::kGapLimit;
  } else {
    out.stop_reason = StopReason::kMaxTtl;
  }
  return out;
}

}  // namespace grid::probe
