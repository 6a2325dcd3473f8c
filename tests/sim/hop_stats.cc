#include "tests/sim/hop_stats.h"

#include <algorithm>
#include <cmath>

namespace grid::sim {

void HopAccumulator::AddReply(const std::string& host, double rtt_ms) {
  ++sent_;
  if (received_ > 0) {
    double jitter = std::abs(rtt_ms - last_);
    jitter_sum_ += jitter;
    jitter_max_ = std::max(jitter_max_, jitter);
  }
  ++received_;
  double delta = rtt_ms - mean_;
  mean_ += delta / received_;
  m2_ += delta * (rtt_ms - mean_);
  best_ = received_ == 1 ? rtt_ms : std::min(best_, rtt_ms);
  worst_ = received_ == 1 ? rtt_ms : std::max(worst_, rtt_ms);
  last_ = rtt_ms;
  if (std::find(hosts_.begin(), hosts_.end(), host) == hosts_.end()) {
    hosts_.push_back(host);
  }
}

diagnosis::Hop HopAccumulator::ToHop(int ttl, bool with_jitter) const {
  diagnosis::Hop hop;
  hop.ttl = ttl;
  hop.host = hosts_.empty() ? diagnosis::kNoResponseHost : hosts_.front();
  if (hosts_.size() > 1) {
    hop.other_hosts.assign(hosts_.begin() + 1, hosts_.end());
  }
  hop.sent = sent_;
  hop.received = received_;
  hop.loss_pct = sent_ == 0 ? 0 : 100.0 * (sent_ - received_) / sent_;
  if (received_ > 0) {
    hop.last_ms = last_;
    hop.avg_ms = mean_;
    hop.best_ms = best_;
    hop.worst_ms = worst_;
    hop.stdev_ms = received_ > 1 ? std::sqrt(m2_ / (received_ - 1)) : 0;
  }
  if (with_jitter && received_ > 0) {
    hop.jitter_avg_ms = received_ > 1 ? jitter_sum_ / (received_ - 1) : 0;
    hop.jitter_max_ms = jitter_max_;
  }
  return hop;
}

}  // namespace grid::sim
