// Which links each vantage's measurements cross, in which direction. The
// forward (client->server) direction holds the forward trace's probes and
// the return trace's echo replies; the return direction holds the return
// trace's probes and the forward trace's echo replies. Faults and ground
// truth are placed and labelled from this.
#ifndef GRID_TESTS_SIM_PATH_USAGE_H_
#define GRID_TESTS_SIM_PATH_USAGE_H_

#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "tests/sim/network.h"
#include "tests/sim/routing.h"
#include "tests/sim/topology.h"

namespace grid::sim {

// A directed link as one integer: 2 * link + (0 if leaving end a, else 1).
int DirectedKey(const Network& network, LinkId link, NodeId from);
inline int DirectedKey(const Network& network, const DirectedLink& d) {
  return DirectedKey(network, d.link, d.from);
}

struct VantageUsage {
  std::vector<std::vector<DirectedLink>> forward_paths;
  std::vector<std::vector<DirectedLink>> return_paths;
  absl::flat_hash_set<int> forward_keys;
  absl::flat_hash_set<int> return_keys;
  // The return trace's probes alone (empty without a server-side probe).
  absl::flat_hash_set<int> return_trace_keys;
};

// One entry per topology.vantages, in order.
absl::StatusOr<std::vector<VantageUsage>> ComputeUsage(const Topology& topology,
                                                       const Routing& routing,
                                                       bool per_probe_flows);

}  // namespace grid::sim

#endif  // GRID_TESTS_SIM_PATH_USAGE_H_
