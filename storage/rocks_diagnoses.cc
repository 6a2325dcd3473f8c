// RocksStorage: diagnoses and their history index (column families
// diagnoses and diagnoses_by_target).
#include <limits>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/absl_view.h"
#include "storage/keys.h"
#include "storage/record_codec.h"
#include "storage/rocks_storage.h"

namespace grid::storage {
namespace {

// The index key of a stored (or to be stored) diagnosis.
absl::StatusOr<std::string> IndexKeyOf(const v1::DiagnosisRecord& diagnosis) {
  GRID_ASSIGN_OR_RETURN(TargetBytes target,
                        NormalizeTarget(diagnosis.target()));
  return EncodeTargetIndexKey(
      {target, diagnosis.started_unix_ms(), diagnosis.id()});
}

// Releases a RocksDB snapshot when it goes out of scope.
class ScopedSnapshot {
 public:
  explicit ScopedSnapshot(rocksdb::DB* db)
      : db_(db), snapshot_(db->GetSnapshot()) {}
  ~ScopedSnapshot() { db_->ReleaseSnapshot(snapshot_); }
  ScopedSnapshot(const ScopedSnapshot&) = delete;
  ScopedSnapshot& operator=(const ScopedSnapshot&) = delete;
  const rocksdb::Snapshot* get() const { return snapshot_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
};

}  // namespace

absl::Status RocksStorage::PutDiagnosis(const v1::DiagnosisRecord& diagnosis,
                                        absl::Span<const v1::JobRecord> jobs) {
  if (diagnosis.id() == 0) {
    return absl::InvalidArgumentError("storage: diagnosis record has id 0");
  }
  GRID_ASSIGN_OR_RETURN(std::string index_key, IndexKeyOf(diagnosis));
  GRID_ASSIGN_OR_RETURN(std::string value, EncodeValue(diagnosis));

  absl::MutexLock lock(&diagnoses_mu_);
  rocksdb::WriteBatch batch;
  // Replacing a record: drop its old index entry if target or time moved.
  absl::StatusOr<v1::DiagnosisRecord> old = GetDiagnosis(diagnosis.id());
  if (old.ok()) {
    GRID_ASSIGN_OR_RETURN(std::string old_index_key, IndexKeyOf(*old));
    if (old_index_key != index_key) {
      batch.Delete(Handle(ColumnFamily::kDiagnosesByTarget), old_index_key);
    }
  } else if (!absl::IsNotFound(old.status())) {
    return old.status();
  }
  batch.Put(Handle(ColumnFamily::kDiagnoses), IdKey(diagnosis.id()), value);
  batch.Put(Handle(ColumnFamily::kDiagnosesByTarget), index_key, "");
  GRID_RETURN_IF_ERROR(AddJobs(jobs, &batch));
  return Write(&batch, "put diagnosis");
}

absl::StatusOr<v1::DiagnosisRecord> RocksStorage::GetDiagnosis(uint64_t id) {
  const std::string key = IdKey(id);
  absl::StatusOr<std::string> value =
      GetRaw(ColumnFamily::kDiagnoses, key, nullptr);
  if (absl::IsNotFound(value.status())) {
    return absl::NotFoundError(absl::StrCat("storage: no diagnosis ", id));
  }
  GRID_RETURN_IF_ERROR(value.status());
  v1::DiagnosisRecord diagnosis;
  GRID_RETURN_IF_ERROR(
      DecodeValue(ColumnFamily::kDiagnoses, key, *value, &diagnosis));
  if (diagnosis.id() != id) {
    return MismatchedValue(ColumnFamily::kDiagnoses, key,
                           absl::StrCat("holds diagnosis ", diagnosis.id()));
  }
  return diagnosis;
}

absl::StatusOr<v1::DiagnosisRecord> RocksStorage::ReadIndexedDiagnosis(
    std::string_view index_key, const rocksdb::Snapshot* snapshot) {
  GRID_ASSIGN_OR_RETURN(TargetIndexKey entry, DecodeTargetIndexKey(index_key));
  const std::string key = IdKey(entry.id);
  absl::StatusOr<std::string> value =
      GetRaw(ColumnFamily::kDiagnoses, key, snapshot);
  if (absl::IsNotFound(value.status())) {
    return MismatchedValue(
        ColumnFamily::kDiagnosesByTarget, index_key,
        absl::StrCat("points to missing diagnosis ", entry.id));
  }
  GRID_RETURN_IF_ERROR(value.status());
  v1::DiagnosisRecord diagnosis;
  GRID_RETURN_IF_ERROR(
      DecodeValue(ColumnFamily::kDiagnoses, key, *value, &diagnosis));
  absl::StatusOr<std::string> expected = IndexKeyOf(diagnosis);
  if (!expected.ok() || *expected != index_key) {
    return MismatchedValue(
        ColumnFamily::kDiagnoses, key,
        absl::StrCat("diagnosis ", diagnosis.id(), " (target \"",
                     absl::CHexEscape(diagnosis.target()), "\", started ",
                     diagnosis.started_unix_ms(),
                     ") does not match its index entry ", HexKey(index_key)));
  }
  return diagnosis;
}

absl::StatusOr<std::vector<v1::DiagnosisRecord>> RocksStorage::History(
    std::string_view target, const HistoryQuery& query) {
  GRID_ASSIGN_OR_RETURN(TargetBytes bytes, NormalizeTarget(target));
  // ToUnixMillis saturates infinite times at the int64 limits.
  const std::string lower =
      TargetIndexTimeBound(bytes, absl::ToUnixMillis(query.since));
  const std::string upper =
      query.until == absl::InfiniteFuture()
          ? PrefixSuccessor(TargetPrefix(bytes))
          : TargetIndexTimeBound(bytes, absl::ToUnixMillis(query.until));
  std::vector<v1::DiagnosisRecord> out;
  if (lower >= upper && !upper.empty()) return out;

  ScopedSnapshot snapshot(db_);
  GRID_RETURN_IF_ERROR(
      Scan(ColumnFamily::kDiagnosesByTarget, lower, upper, query.newest_first,
           snapshot.get(),
           [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
             GRID_ASSIGN_OR_RETURN(v1::DiagnosisRecord diagnosis,
                                   ReadIndexedDiagnosis(key, snapshot.get()));
             out.push_back(std::move(diagnosis));
             return query.limit == 0 || out.size() < query.limit;
           }));
  return out;
}

}  // namespace grid::storage
