// grid_sim: a seeded, deterministic simulator of multi-vantage networks with
// ground-truth faults, producing the traces that mtr runs of N cycles would
// produce from each vantage toward a server and, where a probe sits beside
// the server, back. It feeds the accuracy benchmark (bench/accuracy/) and
// its regression test.
//
//   absl::StatusOr<Scenario> s = GenerateScenario(seed, ScenarioOptions{});
//   auto traces = SimulateScenario(*s, {10, 30, 100});
//   // (*traces)[i]: the VantageTraces after checkpoint i; s->truth: the
//   // verdict a correct diagnosis reaches.
//
// Everything is a pure function of the seed: no global state, no clock.
// Functions are safe to call from several threads on different scenarios.
#ifndef GRID_TESTS_SIM_SIMULATOR_H_
#define GRID_TESTS_SIM_SIMULATOR_H_

#include "tests/sim/mtr_run.h"   // IWYU pragma: export
#include "tests/sim/network.h"   // IWYU pragma: export
#include "tests/sim/routing.h"   // IWYU pragma: export
#include "tests/sim/scenario.h"  // IWYU pragma: export
#include "tests/sim/topology.h"  // IWYU pragma: export

#endif  // GRID_TESTS_SIM_SIMULATOR_H_
