// The local address the kernel picks for traffic toward a target (its
// route's preferred source), which is where a return trace must aim. Found
// by connecting a UDP socket (nothing is sent) and reading its name, so it
// follows the routing table, not the interface the coordinator is reached
// through.
#ifndef GRID_PROBE_NODE_AGENT_SOURCE_ADDRESS_H_
#define GRID_PROBE_NODE_AGENT_SOURCE_ADDRESS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace grid::probe::agent {

// Canonical text of the source address toward `target` (an IP literal).
// Unavailable if there is no route.
absl::StatusOr<std::string> SourceAddressToward(absl::string_view target);

}  // namespace grid::probe::agent

#endif  // GRID_PROBE_NODE_AGENT_SOURCE_ADDRESS_H_
