#include "storage/record_codec.h"

#include <climits>

#include "absl/strings/str_cat.h"
#include "storage/absl_view.h"
#include "storage/keys.h"

namespace grid::storage {

absl::StatusOr<std::string> EncodeValue(
    const google::protobuf::MessageLite& message) {
  std::string out;
  if (absl::Status s = EncodeValue(message, &out); !s.ok()) return s;
  return out;
}

absl::Status EncodeValue(const google::protobuf::MessageLite& message,
                         std::string* out) {
  if (!message.SerializeToString(out)) {
    return absl::InternalError(absl::StrCat("storage: cannot serialize ",
                                            message.GetTypeName(), " (",
                                            message.ByteSizeLong(), " bytes)"));
  }
  return absl::OkStatus();
}

absl::Status DecodeValue(ColumnFamily cf, std::string_view key,
                         std::string_view value,
                         google::protobuf::MessageLite* message) {
  if (value.size() > static_cast<size_t>(INT_MAX) ||
      !message->ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError(absl::StrCat(
        "storage: corrupt value in column family '", Av(ColumnFamilyName(cf)),
        "' at key ", HexKey(key), ": ", value.size(), " bytes are not a valid ",
        message->GetTypeName()));
  }
  return absl::OkStatus();
}

absl::Status MismatchedValue(ColumnFamily cf, std::string_view key,
                             std::string_view why) {
  return absl::DataLossError(absl::StrCat(
      "storage: corrupt value in column family '", Av(ColumnFamilyName(cf)),
      "' at key ", HexKey(key), ": ", Av(why)));
}

}  // namespace grid::storage
