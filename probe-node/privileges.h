// Least privilege for the prober: once its sockets are open it gives up
// every capability, so nothing that handles network input can open new raw
// sockets or do anything else privileged.
#ifndef GRID_PROBE_NODE_PRIVILEGES_H_
#define GRID_PROBE_NODE_PRIVILEGES_H_

#include "absl/status/status.h"

namespace grid::probe {

// Clears the effective, permitted, inheritable and ambient capability sets,
// empties the bounding set when allowed (CAP_SETPCAP), gives up a set-uid
// or set-gid identity, and sets no_new_privs. Verifies the result; an error
// says which step failed. Affects the whole process.
absl::Status DropAllPrivileges();

// True if the process holds CAP_NET_RAW in its effective set.
bool HasNetRawCapability();

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_PRIVILEGES_H_
