// Labels injected faults with the verdict a correct diagnosis reaches (rules
// in scenario.h, FaultTruth).
#ifndef GRID_TESTS_SIM_GROUND_TRUTH_H_
#define GRID_TESTS_SIM_GROUND_TRUTH_H_

#include <vector>

#include "tests/sim/path_usage.h"
#include "tests/sim/scenario.h"
#include "tests/sim/topology.h"

namespace grid::sim {

// The truth about `fault` given what each vantage's measurements cross.
// `usage` is indexed like topology.vantages.
FaultTruth LabelFault(const Topology& topology,
                      const std::vector<VantageUsage>& usage,
                      const Fault& fault);

// The scenario's truth from its labelled faults (any number, any order).
GroundTruth CombineTruth(ScenarioClass scenario_class,
                         std::vector<FaultTruth> faults);

}  // namespace grid::sim

#endif  // GRID_TESTS_SIM_GROUND_TRUTH_H_
