// The `grid` command: parses the command line and runs one subcommand.
#include "CLI/CLI.hpp"
#include "cli/analyze_command.h"
#include "cli/certs_command.h"
#include "cli/diagnose_command.h"
#include "cli/exit_codes.h"
#include "cli/history_command.h"
#include "cli/probes_command.h"
#include "cli/trace_command.h"

int main(int argc, char** argv) {
  CLI::App app{"grid: multi-vantage network diagnosis"};
  app.require_subcommand(1);
  int exit_code = grid::cli::kExitHealthy;
  grid::cli::AddAnalyzeCommand(app, &exit_code);
  grid::cli::AddTraceCommand(app, &exit_code);
  grid::cli::AddDiagnoseCommand(app, &exit_code);
  grid::cli::AddProbesCommand(app, &exit_code);
  grid::cli::AddHistoryCommand(app, &exit_code);
  grid::cli::AddCertsCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : grid::cli::kExitError;
  }
  return exit_code;
}
