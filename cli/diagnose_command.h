// `grid diagnose TARGET`: asks the coordinator to trace TARGET from every
// suitable probe (and back from the probe serving its range), shows live
// per-vantage progress on a terminal, then each vantage's tables and the
// verdict (or the diagnosis JSON with --json).
#ifndef GRID_CLI_DIAGNOSE_COMMAND_H_
#define GRID_CLI_DIAGNOSE_COMMAND_H_

#include <string>

#include "CLI/CLI.hpp"

namespace grid::v1 {
class DiagnosisRecord;
}  // namespace grid::v1

namespace grid::cli {

// Registers `diagnose` on `app`; *exit_code gets 0 healthy, 1 a fault (or
// inconclusive), 2 usage or runtime error.
void AddDiagnoseCommand(CLI::App& app, int* exit_code);

// The diagnosis JSON of design.md § 2 for a stored diagnosis, with the
// record's id, target, times and missing probes added.
std::string DiagnosisRecordJson(const v1::DiagnosisRecord& record);

}  // namespace grid::cli

#endif  // GRID_CLI_DIAGNOSE_COMMAND_H_
