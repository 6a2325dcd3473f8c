#include "probe-node/hop_stats.h"

#include <algorithm>
#include <cmath>

namespace grid::probe {

void HopStats::OnSent() {
  ++xmit_;
  transit_ = true;
}

void HopStats::OnReply(int rtt_usec, const IpAddress& responder) {
  if (std::find(responders_.begin(), responders_.end(), responder) ==
      responders_.end()) {
    responders_.push_back(responder);
  }
  latest_ = responder;

  // The order of these updates, and every truncation to int, follow mtr.
  jitter_ = std::abs(rtt_usec - last_);
  last_ = rtt_usec;
  if (returned_ < 1) {
    best_ = worst_ = gmean_ = rtt_usec;
    avg_ = 0;
    ssd_ = 0;
    jitter_ = jworst_ = jinta_ = 0;
  }
  best_ = std::min(best_, rtt_usec);
  worst_ = std::max(worst_, rtt_usec);
  jworst_ = std::max(jworst_, jitter_);

  ++returned_;
  const int old_avg = avg_;
  avg_ = static_cast<int>(avg_ + (rtt_usec - old_avg + .0) / returned_);
  ssd_ = static_cast<long long>(ssd_ +
                                (rtt_usec - old_avg + .0) * (rtt_usec - avg_));
  const int old_javg = javg_;
  javg_ += (jitter_ - old_javg) / returned_;
  jinta_ += jitter_ - ((jinta_ + 8) >> 4);
  if (returned_ > 1) {
    gmean_ = static_cast<int>(
        std::pow(static_cast<double>(gmean_), (returned_ - 1.0) / returned_) *
        std::pow(static_cast<double>(rtt_usec), 1.0 / returned_));
  }
  transit_ = false;
}

int HopStats::loss_milli_pct() const {
  const int settled = xmit_ - (transit_ ? 1 : 0);
  if (settled == 0) return 0;
  return static_cast<int>(1000 * (100 - (100.0 * returned_ / settled)));
}

int HopStats::stdev_usec() const {
  if (returned_ <= 1) return 0;
  return static_cast<int>(std::sqrt(ssd_ / (returned_ - 1.0)));
}

}  // namespace grid::probe
