// Renders benchmark results as plain-text tables, one column group per
// method side by side, and a scenario in detail for debugging.
#ifndef GRID_BENCH_ACCURACY_REPORT_H_
#define GRID_BENCH_ACCURACY_REPORT_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "bench/accuracy/benchmark.h"

namespace grid::accuracy {

struct ReportOptions {
  bool confusion = true;  // Print confusion matrices.
  int examples = 5;       // Scenario indices listed per frequent mistake.
  int mistakes_of = 0;    // Whose mistakes to list (index into methods).
};

void PrintReport(const BenchmarkOptions& options, const BenchmarkResult& r,
                 const ReportOptions& report, std::ostream& out);

// One tab-separated line per scenario at the largest cycle count: index,
// class, minor, the faults' sizes, the truth's primary verdict, then each
// method's verdict, whether it was right (1/0) and whether it named the
// faulty segment (1/0, "-" where not scored). For comparing two engine
// versions run by run.
void WriteOutcomes(const BenchmarkResult& r, std::ostream& out);

// Regenerates scenario `index` of a run with `options`, simulates it at
// options.cycles.back() cycles and prints the truth, the traces (the
// vantages named in `vantages` first, then affected and blamed ones, then
// others, up to a few) and every method's diagnosis. Fails on an unknown
// vantage name.
absl::Status ShowScenario(const BenchmarkOptions& options, int index,
                          const std::vector<std::string>& vantages,
                          const std::vector<Method>& methods,
                          std::ostream& out);

// Short verdict names for table cells ("cli_loss", ...).
const char* ShortVerdict(diagnosis::Verdict v);

}  // namespace grid::accuracy

#endif  // GRID_BENCH_ACCURACY_REPORT_H_
