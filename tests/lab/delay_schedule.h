// When the delay helper releases each queued packet: arrival + delay +
// uniform jitter in [-jitter, +jitter], but never before the previous
// packet's release, so packet order is preserved. Deterministic for a given
// seed. Pure; not thread-safe.
#ifndef GRID_TESTS_LAB_DELAY_SCHEDULE_H_
#define GRID_TESTS_LAB_DELAY_SCHEDULE_H_

#include <cstdint>
#include <random>

namespace grid::lab {

class DelaySchedule {
 public:
  // REQUIRES: 0 <= jitter_ns <= delay_ns.
  DelaySchedule(int64_t delay_ns, int64_t jitter_ns, uint64_t seed);

  // Release time for a packet that arrived at `arrival_ns` (monotonic).
  // Arrivals must be passed in order.
  int64_t Release(int64_t arrival_ns);

 private:
  int64_t delay_ns_;
  int64_t jitter_ns_;
  std::mt19937_64 rng_;
  int64_t last_release_ = INT64_MIN;
};

}  // namespace grid::lab

#endif  // GRID_TESTS_LAB_DELAY_SCHEDULE_H_
