#include "tests/lab/delay_schedule.h"

#include <algorithm>

namespace grid::lab {

DelaySchedule::DelaySchedule(int64_t delay_ns, int64_t jitter_ns, uint64_t seed)
    : delay_ns_(delay_ns), jitter_ns_(jitter_ns), rng_(seed) {}

int64_t DelaySchedule::Release(int64_t arrival_ns) {
  int64_t offset = delay_ns_;
  if (jitter_ns_ > 0) {
    // Uniform in [-jitter, +jitter] from raw engine output, so the sequence
    // is the same with every standard library.
    const uint64_t span = 2 * static_cast<uint64_t>(jitter_ns_) + 1;
    offset += static_cast<int64_t>(rng_() % span) - jitter_ns_;
  }
  const int64_t release = std::max(arrival_ns + offset, last_release_);
  last_release_ = release;
  return release;
}

}  // namespace grid::lab
