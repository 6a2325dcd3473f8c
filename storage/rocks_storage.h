// RocksStorage: the RocksDB implementation of Storage (storage/storage.h).
// Its methods are spread over rocks_storage.cc (open, ids, probes, jobs),
// rocks_results.cc (hop results), rocks_diagnoses.cc (diagnoses, history)
// and rocks_retention.cc. Thread-safe like the interface.
#ifndef GRID_STORAGE_ROCKS_STORAGE_H_
#define GRID_STORAGE_ROCKS_STORAGE_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/storage.h"

namespace grid::storage {

class RocksStorage final : public Storage {
 public:
  // Schema version written into and required from the meta column family.
  static constexpr int kSchemaVersion = 1;

  static absl::StatusOr<std::unique_ptr<RocksStorage>> Open(
      const StorageOptions& options);
  ~RocksStorage() override;

  RocksStorage(const RocksStorage&) = delete;
  RocksStorage& operator=(const RocksStorage&) = delete;

  absl::StatusOr<uint64_t> AllocateId() override;

  absl::Status PutProbe(const v1::ProbeRecord& probe) override;
  absl::StatusOr<v1::ProbeRecord> GetProbe(std::string_view name) override;
  absl::StatusOr<std::vector<v1::ProbeRecord>> ListProbes() override;

  absl::Status PutJob(const v1::JobRecord& job) override;
  absl::StatusOr<v1::JobRecord> GetJob(uint64_t job_id) override;

  using Storage::PutCycleResults;
  absl::Status PutCycleResults(absl::Span<const v1::CycleResult* const> results,
                               absl::Span<const v1::JobRecord> jobs) override;
  absl::StatusOr<std::vector<v1::CycleResult>> GetCycleResults(
      uint64_t job_id) override;
  absl::StatusOr<std::vector<v1::CycleResult>> GetCycleResults(
      uint64_t job_id, std::string_view probe_name, v1::Direction direction,
      uint32_t from_cycle) override;

  absl::Status PutDiagnosis(const v1::DiagnosisRecord& diagnosis,
                            absl::Span<const v1::JobRecord> jobs) override;
  absl::StatusOr<v1::DiagnosisRecord> GetDiagnosis(uint64_t id) override;
  absl::StatusOr<std::vector<v1::DiagnosisRecord>> History(
      std::string_view target, const HistoryQuery& query) override;

  absl::StatusOr<RetentionStats> ApplyRetention() override;

 private:
  // Called with a key and value for each entry of a scan. Returns whether
  // to go on; a non-OK status stops the scan and is returned from it.
  using ScanFn = std::function<absl::StatusOr<bool>(std::string_view key,
                                                    std::string_view value)>;

  RocksStorage(const StorageOptions& options, rocksdb::DB* db,
               std::vector<rocksdb::ColumnFamilyHandle*> handles);

  rocksdb::ColumnFamilyHandle* Handle(ColumnFamily cf) const {
    return handles_[static_cast<size_t>(cf)];
  }
  absl::Time Now() const;
  // Reads/initialises the schema version and the id allocator's state.
  absl::Status LoadMeta();
  // Commits `batch` with the configured durability.
  absl::Status Write(rocksdb::WriteBatch* batch, std::string_view what);
  // Adds validated, encoded `jobs` to `batch`.
  absl::Status AddJobs(absl::Span<const v1::JobRecord> jobs,
                       rocksdb::WriteBatch* batch);
  // Reads the raw value under `key`; NotFound if absent.
  absl::StatusOr<std::string> GetRaw(ColumnFamily cf, std::string_view key,
                                     const rocksdb::Snapshot* snapshot);
  // Visits the entries of `cf` with lower <= key < upper in key order
  // (reverse order if `reverse`). An empty `upper` means no upper bound.
  absl::Status Scan(ColumnFamily cf, std::string_view lower,
                    std::string_view upper, bool reverse,
                    const rocksdb::Snapshot* snapshot, const ScanFn& fn);
  // Decodes a hop_results entry and checks it belongs under its key.
  absl::StatusOr<v1::CycleResult> DecodeCycleResult(std::string_view key,
                                                    std::string_view value);
  // Reads and checks the diagnosis an index entry points to.
  absl::StatusOr<v1::DiagnosisRecord> ReadIndexedDiagnosis(
      std::string_view index_key, const rocksdb::Snapshot* snapshot);
  // The largest id key in `cf` (jobs or diagnoses), 0 if empty.
  absl::StatusOr<uint64_t> LastIdKey(ColumnFamily cf);

  const StorageOptions options_;
  rocksdb::WriteOptions write_options_;
  // Owned. Handles, indexed by ColumnFamily, are destroyed before db_.
  rocksdb::DB* db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;

  absl::Mutex id_mu_;
  uint64_t last_id_ ABSL_GUARDED_BY(id_mu_) = 0;

  // Serialises read-modify-write of diagnoses (PutDiagnosis replaces the
  // old index entry) against retention.
  absl::Mutex diagnoses_mu_;
};

}  // namespace grid::storage

#endif  // GRID_STORAGE_ROCKS_STORAGE_H_
