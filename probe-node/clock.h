// The prober's sense of time for scheduling, injectable so the scheduler runs
// under fake time in unit tests.
#ifndef GRID_PROBE_NODE_CLOCK_H_
#define GRID_PROBE_NODE_CLOCK_H_

#include "absl/time/time.h"

namespace grid::probe {

// A monotonic clock. Implementations are used from one thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() = 0;
};

// CLOCK_MONOTONIC as an absl::Time (the epoch is meaningless; differences
// are exact).
class MonotonicClock : public Clock {
 public:
  absl::Time Now() override;
};

// A clock that moves only when told to.
class FakeClock : public Clock {
 public:
  explicit FakeClock(absl::Time start = absl::UnixEpoch() + absl::Hours(1))
      : now_(start) {}
  absl::Time Now() override { return now_; }
  void Advance(absl::Duration d) { now_ += d; }
  void Set(absl::Time t) { now_ = t; }

 private:
  absl::Time now_;
};

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_CLOCK_H_
