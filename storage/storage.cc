#include "storage/storage.h"

#include <vector>

#include "storage/rocks_storage.h"

namespace grid::storage {

absl::StatusOr<std::unique_ptr<Storage>> Storage::Open(
    const StorageOptions& options) {
  absl::StatusOr<std::unique_ptr<RocksStorage>> storage =
      RocksStorage::Open(options);
  if (!storage.ok()) return storage.status();
  return std::unique_ptr<Storage>(std::move(*storage));
}

absl::Status Storage::PutCycleResults(absl::Span<const v1::CycleResult> results,
                                      absl::Span<const v1::JobRecord> jobs) {
  std::vector<const v1::CycleResult*> refs;
  refs.reserve(results.size());
  for (const v1::CycleResult& r : results) refs.push_back(&r);
  return PutCycleResults(refs, jobs);
}

}  // namespace grid::storage
