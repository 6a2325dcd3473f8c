// Maps RocksDB statuses to absl::Status, with context for the message.
#ifndef GRID_STORAGE_ROCKS_STATUS_H_
#define GRID_STORAGE_ROCKS_STATUS_H_

#include <string_view>

#include "absl/status/status.h"
#include "rocksdb/status.h"

namespace grid::storage {

// OK stays OK. Otherwise the code follows the cause (Corruption -> DataLoss,
// NotFound -> NotFound, IOError/Busy/TimedOut/TryAgain -> Unavailable,
// InvalidArgument -> InvalidArgument, NotSupported -> Unimplemented, else
// Internal) and the message reads "storage: <context>: <rocksdb message>".
absl::Status FromRocks(const rocksdb::Status& status, std::string_view context);

}  // namespace grid::storage

#endif  // GRID_STORAGE_ROCKS_STATUS_H_
