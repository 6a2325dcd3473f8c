// HOST:PORT arguments (--listen, --coordinator, $GRID_COORDINATOR).
#ifndef GRID_COORDINATOR_HOST_PORT_H_
#define GRID_COORDINATOR_HOST_PORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace grid::coordinator {

// Checks "HOST:PORT", "[IPV6]:PORT" (port 1..65535, or 0 when
// `allow_port_zero`, for listening on a free port). Returns the text as
// given; InvalidArgument naming `what` (e.g. "--coordinator") otherwise.
absl::StatusOr<std::string> CheckHostPort(absl::string_view text,
                                          absl::string_view what,
                                          bool allow_port_zero = false);

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_HOST_PORT_H_
