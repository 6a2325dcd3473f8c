// `grid probes`: the coordinator's probe registry (connected and known
// probes, labels, served ranges, last seen).
#ifndef GRID_CLI_PROBES_COMMAND_H_
#define GRID_CLI_PROBES_COMMAND_H_

#include "CLI/CLI.hpp"

namespace grid::cli {

// Registers `probes` on `app`; *exit_code gets 0, or 2 on errors (including
// a registry without probes).
void AddProbesCommand(CLI::App& app, int* exit_code);

}  // namespace grid::cli

#endif  // GRID_CLI_PROBES_COMMAND_H_
