// Runs methods over simulated scenarios and tallies their figures. The same
// scenarios, at the same cycle counts, go to every method.
#ifndef GRID_BENCH_ACCURACY_BENCHMARK_H_
#define GRID_BENCH_ACCURACY_BENCHMARK_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "bench/accuracy/scoring.h"
#include "diagnosis/diagnosis.h"
#include "tests/sim/scenario.h"

namespace grid::accuracy {

// A diagnosis method. REQUIRES: safe to call from several threads.
struct Method {
  std::string name;
  std::function<diagnosis::Diagnosis(
      absl::Span<const diagnosis::VantageTraces>)>
      run;
};

// The grid engine, then the baselines (naive mtr, 007, tomography).
std::vector<Method> AllMethods();

struct BenchmarkOptions {
  int scenarios = 10000;
  uint64_t seed = 1;
  std::vector<int> cycles = {10, 30, 100};  // Ascending.
  int threads = 1;
  sim::ScenarioOptions scenario;
};

// What happened in one scenario.
struct ScenarioRecord {
  int index = 0;
  uint64_t seed = 0;  // sim::GenerateScenario seed.
  sim::GroundTruth truth;
  int vantages = 0;
  bool has_return = false;
  double interval_s = 0;
  std::vector<std::vector<Outcome>> outcomes;  // [cycles][method]
};

struct BenchmarkResult {
  std::vector<std::string> methods;
  std::vector<int> cycles;
  std::vector<std::vector<Tally>> tallies;  // [cycles][method]
  std::vector<ScenarioRecord> records;      // By scenario index.
  std::vector<double> method_seconds;       // Summed over threads.
  double simulate_seconds = 0;
};

// The seed of scenario `index` of a run with seed `seed`.
uint64_t ScenarioSeed(uint64_t seed, int index);

// Fails on bad options or if a scenario cannot be generated or simulated
// (a simulator bug).
absl::StatusOr<BenchmarkResult> RunBenchmark(
    const BenchmarkOptions& options, const std::vector<Method>& methods);

}  // namespace grid::accuracy

#endif  // GRID_BENCH_ACCURACY_BENCHMARK_H_
