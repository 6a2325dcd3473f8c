// grid-accuracy: the accuracy benchmark (bench/README.md). Simulates
// scenarios with known faults, runs the grid engine and the baselines on
// the same traces, and prints their figures side by side.
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "bench/accuracy/benchmark.h"
#include "bench/accuracy/report.h"

namespace {

bool ParseCycles(const std::string& text, std::vector<int>* out) {
  out->clear();
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    int n;
    if (!absl::SimpleAtoi(part, &n)) return false;
    out->push_back(n);
  }
  return !out->empty();
}

}  // namespace

int main(int argc, char** argv) {
  grid::accuracy::BenchmarkOptions options;
  grid::accuracy::ReportOptions report;
  std::string cycles = "10,30,100";
  int show = -1;
  std::vector<std::string> show_vantages;
  std::string outcomes;
  bool no_confusion = false;
  uint64_t seed = 20240601;

  CLI::App app{
      "Accuracy benchmark: the grid engine against naive mtr reading, 007 "
      "link voting and boolean tomography on simulated faults."};
  app.add_option("--scenarios", options.scenarios, "Scenarios to simulate")
      ->capture_default_str();
  app.add_option("--seed", seed,
                 "Run seed (scenario i uses a seed derived from it)")
      ->capture_default_str();
  app.add_option("--cycles", cycles,
                 "mtr cycles per trace, ascending, comma-separated")
      ->capture_default_str();
  app.add_option("--threads", options.threads, "Worker threads")
      ->capture_default_str();
  app.add_option("--min-vantages", options.scenario.min_vantages,
                 "Fewest vantages per scenario")
      ->capture_default_str();
  app.add_option("--max-vantages", options.scenario.max_vantages,
                 "Most vantages per scenario")
      ->capture_default_str();
  app.add_flag("--no-confusion", no_confusion, "Leave out confusion matrices");
  app.add_option("--examples", report.examples,
                 "Scenario indices listed per frequent engine mistake")
      ->capture_default_str();
  app.add_option("--mistakes-of", report.mistakes_of,
                 "Whose mistakes to list: 0 engine, 1 naive, 2 007, 3 "
                 "tomography")
      ->capture_default_str();
  app.add_option("--show", show,
                 "Print scenario INDEX of this run in detail (truth, traces, "
                 "every method's diagnosis) instead of benchmarking");
  app.add_option("--vantage", show_vantages,
                 "With --show: also print this vantage's traces (repeatable)");
  app.add_option("--outcomes", outcomes,
                 "Also write every scenario's verdicts, one line each, to "
                 "this file (tab-separated)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  options.seed = seed;
  report.confusion = !no_confusion;
  if (!ParseCycles(cycles, &options.cycles)) {
    std::cerr << "grid-accuracy: --cycles must be comma-separated integers, "
                 "got \""
              << cycles << "\"\n";
    return 2;
  }
  const std::vector<grid::accuracy::Method> methods =
      grid::accuracy::AllMethods();
  if (show >= 0) {
    absl::Status s = grid::accuracy::ShowScenario(options, show, show_vantages,
                                                  methods, std::cout);
    if (!s.ok()) {
      std::cerr << "grid-accuracy: " << s.message() << "\n";
      return 2;
    }
    return 0;
  }
  std::ofstream outcomes_file;
  if (!outcomes.empty()) {
    outcomes_file.open(outcomes);
    if (!outcomes_file.is_open()) {
      std::cerr << "grid-accuracy: cannot open --outcomes file " << outcomes
                << "\n";
      return 2;
    }
  }
  auto result = grid::accuracy::RunBenchmark(options, methods);
  if (!result.ok()) {
    std::cerr << "grid-accuracy: " << result.status().message() << "\n";
    return 2;
  }
  grid::accuracy::PrintReport(options, *result, report, std::cout);
  if (outcomes_file.is_open()) {
    grid::accuracy::WriteOutcomes(*result, outcomes_file);
    if (!outcomes_file.good()) {
      std::cerr << "grid-accuracy: cannot write --outcomes file " << outcomes
                << "\n";
      return 2;
    }
  }
  return 0;
}
