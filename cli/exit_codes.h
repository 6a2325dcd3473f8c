// Exit statuses shared by grid's subcommands (design.md § 2).
#ifndef GRID_CLI_EXIT_CODES_H_
#define GRID_CLI_EXIT_CODES_H_

#include "diagnosis/diagnosis.h"

namespace grid::cli {

inline constexpr int kExitHealthy = 0;
inline constexpr int kExitFault = 1;  // Also: inconclusive (not healthy).
inline constexpr int kExitError = 2;  // Usage or runtime error.

inline int ExitCodeFor(diagnosis::Verdict verdict) {
  return verdict == diagnosis::Verdict::kHealthy ? kExitHealthy : kExitFault;
}

}  // namespace grid::cli

#endif  // GRID_CLI_EXIT_CODES_H_
