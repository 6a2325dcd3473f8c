// The delay helper's packet loop: holds every packet of one NFQUEUE for a
// scheduled time (delay_schedule.h) before accepting it, in arrival order.
#ifndef GRID_TESTS_LAB_NFQ_DELAY_H_
#define GRID_TESTS_LAB_NFQ_DELAY_H_

#include <cstdint>

#include "absl/status/status.h"

namespace grid::lab {

struct DelayConfig {
  int queue = 0;      // NFQUEUE number, 0-65535
  int delay_ms = 0;   // added to each packet
  int jitter_ms = 0;  // uniform +-jitter, 0 <= jitter <= delay
  uint64_t seed = 1;  // jitter seed
};

// Binds the queue in the calling process's network namespace, writes
// "ready\n" to stdout, then delays packets until SIGTERM or SIGINT, when it
// accepts every held packet and returns OK. Needs CAP_NET_ADMIN.
absl::Status RunDelayQueue(const DelayConfig& config);

}  // namespace grid::lab

#endif  // GRID_TESTS_LAB_NFQ_DELAY_H_
