// Pieces of the probe benchmark: running a program with its wall and CPU
// time measured, the in-process grid sweep that the benchmark runs as a
// child, and reading scamper's JSON output.
#ifndef GRID_BENCH_PROBE_BENCH_RUN_H_
#define GRID_BENCH_PROBE_BENCH_RUN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace grid::bench {

struct Measured {
  int exit_code = 0;
  absl::Duration wall;
  absl::Duration cpu;  // User + system time of the child.
  absl::Duration user;
  absl::Duration sys;
  std::string out;  // Its stdout.
  std::string err;
};

// Runs argv to completion (argv[0] a path or found in PATH), measuring wall
// time and the child's CPU time with wait4.
absl::StatusOr<Measured> RunMeasured(const std::vector<std::string>& argv);

// What a sweep found.
struct SweepSummary {
  int64_t traces = 0;
  int64_t reached = 0;
  int64_t probes = 0;
  int64_t hops = 0;  // TTLs up to the destination that answered.
};

// Runs grid's prober over every address in `targets_file` (one per line)
// and returns the summary. `method` is icmp, udp or tcp; `interval` is
// mtr's -i.
absl::StatusOr<SweepSummary> RunGridSweep(const std::string& targets_file,
                                          int cycles, double pps,
                                          const std::string& method,
                                          absl::Duration interval);

// "traces=.. reached=.. probes=.. hops=.." and back.
std::string FormatSummary(const SweepSummary& s);
absl::StatusOr<SweepSummary> ParseSummary(const std::string& text);

// Reads scamper's JSON output (one object per line): trace objects'
// probe_count, stop_reason, and the TTLs that answered (up to the first
// reply from the destination).
absl::StatusOr<SweepSummary> ReadScamperJson(const std::string& path);

}  // namespace grid::bench

#endif  // GRID_BENCH_PROBE_BENCH_RUN_H_
