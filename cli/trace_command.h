// `grid trace`: an mtr-style trace from this machine, printed in mtr's
// report, JSON or CSV layout (or a live table on a terminal).
#ifndef GRID_CLI_TRACE_COMMAND_H_
#define GRID_CLI_TRACE_COMMAND_H_

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "probe-node/ip_address.h"

namespace grid::cli {

// Registers `trace` on `app`; when it runs, *exit_code receives its exit
// status (0 the trace ran, 2 usage or runtime error).
void AddTraceCommand(CLI::App& app, int* exit_code);

// Resolves TARGET (an address or a host name) to an address of the wanted
// family (4, 6, or 0 for either, IPv4 preferred). The error is one line
// naming the target and what was wrong. Whether the address may be probed
// is the target policy's question (common/target_policy.h).
absl::StatusOr<probe::IpAddress> ResolveTarget(const std::string& target,
                                               int family);

}  // namespace grid::cli

#endif  // GRID_CLI_TRACE_COMMAND_H_
