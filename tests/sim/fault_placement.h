// Places a fault of a given scenario class in a topology: which link, which
// direction(s), loss or latency, and how much (loss 0.5-50%, latency
// +5-200 ms, both log-uniform).
#ifndef GRID_TESTS_SIM_FAULT_PLACEMENT_H_
#define GRID_TESTS_SIM_FAULT_PLACEMENT_H_

#include <optional>
#include <vector>

#include "tests/sim/path_usage.h"
#include "tests/sim/random_util.h"
#include "tests/sim/scenario.h"
#include "tests/sim/topology.h"

namespace grid::sim {

// A fault for `cls` (one of kClient, kServer, kIsp, kForwardOnly,
// kReturnOnly, kUnusedLink), or nullopt when the topology has no place for
// it (e.g. fully symmetric routing has no forward-only link).
std::optional<Fault> PlaceFault(ScenarioClass cls, const Topology& topology,
                                const std::vector<VantageUsage>& usage,
                                Rng& rng);

// Writes the fault's loss and extra delay into the network's links.
void ApplyFault(const Fault& fault, Network* network);

}  // namespace grid::sim

#endif  // GRID_TESTS_SIM_FAULT_PLACEMENT_H_
