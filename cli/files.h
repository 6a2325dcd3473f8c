// File access for the CLI (the libraries below it do no I/O).
#ifndef GRID_CLI_FILES_H_
#define GRID_CLI_FILES_H_

#include <string>

#include "absl/status/statusor.h"

namespace grid::cli {

// The whole content of `path`; NotFound/PermissionDenied/... naming it.
absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace grid::cli

#endif  // GRID_CLI_FILES_H_
