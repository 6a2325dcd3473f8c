// Reading and writing the small files of grid's TLS material.
#ifndef GRID_COMMON_TLS_FILES_H_
#define GRID_COMMON_TLS_FILES_H_

#include <string>

#include "absl/status/statusor.h"

namespace grid::tls {

// The whole file; NotFound/PermissionDenied naming `what` (e.g.
// "--tls-cert /etc/grid/tls.crt") and the reason.
absl::StatusOr<std::string> ReadTextFile(const std::string& path,
                                         const std::string& what);

// Writes `data` to `path` with permission `mode` (also when the file
// existed). If !overwrite an existing file is AlreadyExists.
absl::Status WriteFileWithMode(const std::string& path, const std::string& data,
                               int mode, bool overwrite);

}  // namespace grid::tls

#endif  // GRID_COMMON_TLS_FILES_H_
