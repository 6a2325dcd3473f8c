#include "storage/storage.h"

#include "storage/rocks_storage.h"

namespace grid::storage {

absl::StatusOr<std::unique_ptr<Storage>> Storage::Open(
    const StorageOptions& options) {
  absl::StatusOr<std::unique_ptr<RocksStorage>> storage =
      RocksStorage::Open(options);
  if (!storage.ok()) return storage.status();
  return std::unique_ptr<Storage>(std::move(*storage));
}

}  // namespace grid::storage
