// Simulates concurrent mtr runs over a Network probe by probe.
//
// Each probe of TTL h crosses the first h links of its flow's path (each
// lossy link may drop it, each adds its delay, queueing jitter and any fault
// latency), reaches the router at that TTL (or the target), which may answer
// subject to its ICMP behaviour and rate limiters; the answer then travels
// the responder's own route back to the prober. RTT = forward delays + reply
// generation delay + reply delays. Rate limiters run on simulated time with
// the probes of all runs interleaved, so a global limiter shared by many
// vantages and a per-destination limiter hit by one prober's many traces
// both bite as they would in reality.
#ifndef GRID_TESTS_SIM_MTR_RUN_H_
#define GRID_TESTS_SIM_MTR_RUN_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "diagnosis/trace.h"
#include "tests/sim/network.h"
#include "tests/sim/routing.h"

namespace grid::sim {

// One mtr run: `prober` traces toward host `target`.
struct TraceRequest {
  NodeId prober = 0;
  NodeId target = 0;
};

struct MtrRunOptions {
  double interval_s = 1.0;  // mtr -i: time between cycles.
  // False: one flow per run (mtr's ICMP mode; ECMP keeps one path). True:
  // every probe its own flow (mtr -u), so ECMP spreads probes over diamonds
  // and one TTL can show several responders.
  bool per_probe_flows = false;
  bool jitter_fields = true;  // Fill Hop::jitter_*_ms.
  // Snapshot the traces after these many cycles; ascending, all >= 1. The
  // run lasts the last one; a snapshot is exactly what a run of that many
  // cycles would have produced.
  std::vector<int> checkpoints = {10};
  uint64_t seed = 1;
};

// The paths the probes of `request` take, one per flow the run uses (one in
// ICMP mode; in per-probe mode the distinct flows as long as the first).
absl::StatusOr<std::vector<std::vector<DirectedLink>>> ProbePaths(
    const Routing& routing, const TraceRequest& request, bool per_probe_flows);

// The flow of the replies `from` sends to `prober` (ECMP hashes their
// addresses, so it is fixed per pair).
inline uint64_t ReplyFlow(NodeId from, NodeId prober) {
  return MixHash(static_cast<uint64_t>(from), static_cast<uint64_t>(prober));
}

// Runs all requests at once. Result: [checkpoint][request] -> trace, hops
// TTL 1 up to the target. Fails on bad options or unroutable requests.
absl::StatusOr<std::vector<std::vector<diagnosis::Trace>>> SimulateMtr(
    const Network& network, const Routing& routing,
    absl::Span<const TraceRequest> requests, const MtrRunOptions& options);

}  // namespace grid::sim

#endif  // GRID_TESTS_SIM_MTR_RUN_H_
