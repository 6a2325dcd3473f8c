#include "coordinator/cycle_summary.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "probe-node/hop_stats.h"
#include "probe-node/ip_address.h"

namespace grid::coordinator {
namespace {

bool FromDestination(const v1::Reply& reply, absl::string_view target) {
  switch (reply.kind()) {
    case v1::REPLY_KIND_ECHO_REPLY:
    case v1::REPLY_KIND_TCP_SYN_ACK:
    case v1::REPLY_KIND_TCP_RST:
      return true;
    default:
      return reply.from() == target;
  }
}

int RttUsec(double rtt_ms) {
  if (!(rtt_ms >= 0)) return 0;  // Also NaN.
  return static_cast<int>(
      std::min(std::llround(rtt_ms * 1000.0), static_cast<long long>(1) << 30));
}

}  // namespace

void CycleSummarizer::Add(const v1::CycleResult& c,
                          absl::string_view destination) {
  const std::string target =
      c.target().empty() ? std::string(destination) : c.target();
  for (const v1::TtlResult& t : c.ttls()) {
    const int ttl = static_cast<int>(t.ttl());
    if (ttl < 1 || ttl > 255) continue;
    probe::HopStats& s = stats_[ttl];
    for (uint32_t i = 0; i < t.probes_sent(); ++i) s.OnSent();
    std::set<uint32_t> answered;
    for (const v1::Reply& r : t.replies()) {
      if (r.late() || r.duplicate()) continue;
      if (r.probe_index() >= t.probes_sent()) continue;
      if (!answered.insert(r.probe_index()).second) continue;
      absl::StatusOr<probe::IpAddress> from = probe::IpAddress::Parse(r.from());
      if (!from.ok()) continue;
      s.OnReply(RttUsec(r.rtt_ms()), *from);
      if (FromDestination(r, target)) {
        if (!destination_ttl_ || ttl < *destination_ttl_) destination_ttl_ = ttl;
      } else if (r.kind() == v1::REPLY_KIND_UNREACHABLE) {
        if (!unreachable_ttl_ || ttl < *unreachable_ttl_) unreachable_ttl_ = ttl;
      }
    }
  }
}

v1::TraceSummary CycleSummarizer::Summary(absl::string_view source,
                                          absl::string_view destination) const {
  // mtr's net_max: the last TTL worth showing.
  int last = 0;
  const int max_ttl = stats_.empty() ? 0 : stats_.rbegin()->first;
  for (const auto& [ttl, s] : stats_) {
    if ((destination_ttl_ && ttl == *destination_ttl_) ||
        (unreachable_ttl_ && ttl == *unreachable_ttl_)) {
      last = ttl;
      break;
    }
    if (s.has_responder()) last = ttl + 1;
  }
  last = std::min(last, max_ttl);

  v1::TraceSummary out;
  out.set_source(std::string(source));
  out.set_destination(std::string(destination));
  const int first = stats_.empty() ? 1 : stats_.begin()->first;
  for (int ttl = first; ttl <= last; ++ttl) {
    v1::HopSummary* h = out.add_hops();
    h->set_ttl(static_cast<uint32_t>(ttl));
    auto it = stats_.find(ttl);
    if (it == stats_.end()) {
      h->set_host("???");
      continue;
    }
    probe::HopStats s = it->second;  // A copy: ending transit changes it.
    s.EndTransit();
    if (s.has_responder()) {
      h->set_host(s.latest_responder().ToString());
      for (const probe::IpAddress& a : s.responders()) {
        if (a != s.latest_responder()) h->add_other_hosts(a.ToString());
      }
    } else {
      h->set_host("???");
    }
    h->set_sent(static_cast<uint32_t>(s.sent()));
    h->set_received(static_cast<uint32_t>(s.received()));
    h->set_loss_pct(s.loss_pct());
    h->set_last_ms(s.last_usec() / 1000.0);
    h->set_avg_ms(s.avg_usec() / 1000.0);
    h->set_best_ms(s.best_usec() / 1000.0);
    h->set_worst_ms(s.worst_usec() / 1000.0);
    h->set_stdev_ms(s.stdev_usec() / 1000.0);
    if (s.received() > 0) {
      h->set_jitter_avg_ms(s.javg_usec() / 1000.0);
      h->set_jitter_max_ms(s.jmax_usec() / 1000.0);
    }
  }
  return out;
}

v1::TraceSummary SummarizeCycles(absl::Span<const v1::CycleResult> cycles,
                                 absl::string_view source,
                                 absl::string_view destination) {
  std::vector<const v1::CycleResult*> ordered;
  for (const v1::CycleResult& c : cycles) ordered.push_back(&c);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const v1::CycleResult* a, const v1::CycleResult* b) {
                     return a->cycle() < b->cycle();
                   });
  CycleSummarizer summarizer;
  for (const v1::CycleResult* c : ordered) summarizer.Add(*c, destination);
  return summarizer.Summary(source, destination);
}

}  // namespace grid::coordinator
