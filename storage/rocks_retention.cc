// RocksStorage: retention (deletes everything older than the retention
// period in one atomic write).
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/absl_view.h"
#include "storage/keys.h"
#include "storage/record_codec.h"
#include "storage/rocks_status.h"
#include "storage/rocks_storage.h"

namespace grid::storage {

absl::StatusOr<RetentionStats> RocksStorage::ApplyRetention() {
  RetentionStats stats;
  if (options_.retention == absl::InfiniteDuration()) return stats;
  stats.cutoff = Now() - options_.retention;
  const int64_t cutoff_ms = absl::ToUnixMillis(stats.cutoff);
  stats.id_floor = IdFloorForTimeMs(cutoff_ms);

  absl::MutexLock lock(&diagnoses_mu_);
  rocksdb::WriteBatch batch;

  // Jobs and hop results: keys start with the time-ordered job id, so all
  // that expired is one range per column family.
  if (stats.id_floor > 0) {
    const std::string begin = IdKey(0);
    const std::string end = IdKey(stats.id_floor);
    batch.DeleteRange(Handle(ColumnFamily::kJobs), begin, end);
    batch.DeleteRange(Handle(ColumnFamily::kHopResults), begin, end);
  }

  // Diagnoses: per target, the index range before the cutoff; each entry
  // names a diagnosis to delete. One Seek per target skips the live rest.
  {
    rocksdb::ReadOptions read_options;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(
        read_options, Handle(ColumnFamily::kDiagnosesByTarget)));
    it->SeekToFirst();
    while (it->Valid()) {
      GRID_ASSIGN_OR_RETURN(TargetIndexKey first,
                            DecodeTargetIndexKey(it->key().ToStringView()));
      const std::string begin = TargetPrefix(first.target);
      const std::string end = TargetIndexTimeBound(first.target, cutoff_ms);
      int64_t expired = 0;
      for (; it->Valid() && it->key().ToStringView() < end; it->Next()) {
        GRID_ASSIGN_OR_RETURN(TargetIndexKey entry,
                              DecodeTargetIndexKey(it->key().ToStringView()));
        batch.Delete(Handle(ColumnFamily::kDiagnoses), IdKey(entry.id));
        ++expired;
      }
      if (expired > 0) {
        batch.DeleteRange(Handle(ColumnFamily::kDiagnosesByTarget), begin, end);
        stats.diagnoses_deleted += expired;
      }
      const std::string next_target = PrefixSuccessor(begin);
      if (next_target.empty()) break;
      it->Seek(next_target);
    }
    GRID_RETURN_IF_ERROR(FromRocks(it->status(), "scan diagnoses_by_target"));
  }

  // Probes not seen since the cutoff.
  GRID_RETURN_IF_ERROR(
      Scan(ColumnFamily::kProbes, "", "", /*reverse=*/false, nullptr,
           [&](std::string_view key,
               std::string_view value) -> absl::StatusOr<bool> {
             v1::ProbeRecord probe;
             GRID_RETURN_IF_ERROR(
                 DecodeValue(ColumnFamily::kProbes, key, value, &probe));
             if (probe.last_seen_unix_ms() < cutoff_ms) {
               batch.Delete(Handle(ColumnFamily::kProbes), key);
               ++stats.probes_deleted;
             }
             return true;
           }));

  GRID_RETURN_IF_ERROR(Write(&batch, "apply retention"));
  return stats;
}

}  // namespace grid::storage
