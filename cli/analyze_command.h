// `grid analyze`: the diagnosis engine over reports customers send.
#ifndef GRID_CLI_ANALYZE_COMMAND_H_
#define GRID_CLI_ANALYZE_COMMAND_H_

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "diagnosis/trace.h"

namespace grid::cli {

// Registers `analyze` on `app`; when it runs, *exit_code receives its exit
// status (0 healthy, 1 fault or inconclusive, 2 error).
void AddAnalyzeCommand(CLI::App& app, int* exit_code);

// Reads the NAME=FILE reports of --fwd and --ret into vantages, in the order
// of `fwd`. Errors name the offending argument or file and line.
absl::StatusOr<std::vector<diagnosis::VantageTraces>> LoadVantages(
    const std::vector<std::string>& fwd, const std::vector<std::string>& ret);

}  // namespace grid::cli

#endif  // GRID_CLI_ANALYZE_COMMAND_H_
