// Values in grid's column families are protobuf bytes. These helpers
// encode them and decode them with an error that says where a bad value is.
#ifndef GRID_STORAGE_RECORD_CODEC_H_
#define GRID_STORAGE_RECORD_CODEC_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message_lite.h"
#include "storage/column_families.h"

namespace grid::storage {

// The serialized bytes of `message`. Internal error if it cannot be
// serialized (larger than 2 GiB).
absl::StatusOr<std::string> EncodeValue(
    const google::protobuf::MessageLite& message);
// The same into `out` (replacing its contents, reusing its capacity).
absl::Status EncodeValue(const google::protobuf::MessageLite& message,
                         std::string* out);

// Parses `value`, stored under `key` in `cf`, into `message`. DataLoss
// naming the column family, key and message type if it does not parse.
absl::Status DecodeValue(ColumnFamily cf, std::string_view key,
                         std::string_view value,
                         google::protobuf::MessageLite* message);

// DataLoss for a value that parsed but does not belong under its key.
absl::Status MismatchedValue(ColumnFamily cf, std::string_view key,
                             std::string_view why);

}  // namespace grid::storage

#endif  // GRID_STORAGE_RECORD_CODEC_H_
