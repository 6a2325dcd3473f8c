// `grid history TARGET`: past diagnoses of a target, newest first.
#ifndef GRID_CLI_HISTORY_COMMAND_H_
#define GRID_CLI_HISTORY_COMMAND_H_

#include "CLI/CLI.hpp"

namespace grid::cli {

// Registers `history` on `app`; *exit_code gets 0, or 2 on errors.
void AddHistoryCommand(CLI::App& app, int* exit_code);

}  // namespace grid::cli

#endif  // GRID_CLI_HISTORY_COMMAND_H_
