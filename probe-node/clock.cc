#include "probe-node/clock.h"

#include <time.h>

namespace grid::probe {

absl::Time MonotonicClock::Now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return absl::TimeFromTimespec(ts);
}

}  // namespace grid::probe
