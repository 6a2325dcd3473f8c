// The target policy's command-line flags, the same on grid-coordinator,
// grid-probe and `grid trace`: --allow-target CIDR (repeatable) and
// --allow-private. Header-only: every main already links CLI11.
#ifndef GRID_COMMON_TARGET_POLICY_FLAGS_H_
#define GRID_COMMON_TARGET_POLICY_FLAGS_H_

#include "CLI/CLI.hpp"
#include "common/target_policy.h"

namespace grid::common {

// Registers the flags on `app`; they fill `*options` (which must outlive
// the parse).
inline void AddTargetPolicyFlags(CLI::App& app, TargetPolicyOptions* options) {
  app.add_option("--allow-target", options->allow_targets,
                 "Also probe targets in CIDR, whatever else the target "
                 "policy says (repeatable; labs, internal networks)")
      ->type_name("CIDR")
      ->allow_extra_args(false);  // One CIDR per flag: never the TARGET.
  app.add_flag("--allow-private", options->allow_private,
               "Also probe private and special-purpose unicast addresses "
               "(RFC 1918, 100.64/10, 198.18/15, fc00::/7, ...)");
}

}  // namespace grid::common

#endif  // GRID_COMMON_TARGET_POLICY_FLAGS_H_
