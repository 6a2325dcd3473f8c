// One TTL's statistics as mtr keeps them (ui/net.c semantics): Loss% over the
// probes sent, running mean, best/worst, sample standard deviation (n-1),
// jitter as |RTT - previous RTT|.
#ifndef GRID_TESTS_SIM_HOP_STATS_H_
#define GRID_TESTS_SIM_HOP_STATS_H_

#include <string>
#include <vector>

#include "diagnosis/trace.h"

namespace grid::sim {

// Not thread-safe; one per (trace, TTL).
class HopAccumulator {
 public:
  // A probe was sent and nothing came back.
  void AddLost() { ++sent_; }
  // A probe was sent and `host` answered after `rtt_ms`.
  void AddReply(const std::string& host, double rtt_ms);

  // The hop as mtr would report it now. `with_jitter` fills the jitter
  // fields (mtr's Javg/Jmax), which mtr's default report leaves out.
  diagnosis::Hop ToHop(int ttl, bool with_jitter) const;

 private:
  int sent_ = 0;
  int received_ = 0;
  double mean_ = 0;
  double m2_ = 0;  // Welford sum of squared deviations.
  double best_ = 0;
  double worst_ = 0;
  double last_ = 0;
  double jitter_sum_ = 0;
  double jitter_max_ = 0;
  std::vector<std::string> hosts_;  // Distinct responders, first seen first.
};

}  // namespace grid::sim

#endif  // GRID_TESTS_SIM_HOP_STATS_H_
