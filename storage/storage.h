// grid's persistent store: probes, jobs, per-cycle hop results and
// diagnoses, in RocksDB. The coordinator is its single writer. Layout
// (column families, keys, values): ARCHITECTURE.md § Protocol and storage.
//
// A Storage is safe for concurrent use from multiple threads without
// external synchronization. Every method that writes does so in one atomic
// RocksDB WriteBatch; when it returns OK the write is durable as chosen by
// StorageOptions::durability. Values read back that fail to decode, or that
// do not match their key, give DataLoss errors naming the column family and
// key, never a crash.
#ifndef GRID_STORAGE_STORAGE_H_
#define GRID_STORAGE_STORAGE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "grid/v1/model.pb.h"
#include "storage/column_families.h"

namespace grid::storage {

// What an acknowledged write (a method returning OK) survives.
enum class Durability {
  // The write is in RocksDB's write-ahead log in the operating system's page
  // cache before the call returns (WAL on, WriteOptions::sync = false), so
  // it survives the process being killed (SIGKILL, crash, OOM kill) but not
  // a kernel crash or power loss. Costs no fsync per write.
  kProcessCrash = 0,
  // The WAL is fsync'ed before the call returns (WriteOptions::sync =
  // true): survives power loss too, at the cost of one fsync per write
  // (concurrent writers share one through RocksDB's group commit).
  kPowerLoss = 1,
};

struct StorageOptions {
  // Directory holding the database. REQUIRED. Created if missing (and
  // create_if_missing).
  std::string path;
  // Default: true. False: Open fails with NotFound if there is no database.
  bool create_if_missing = true;
  // How long jobs, hop results, diagnoses and probe records not seen for
  // that long are kept. ApplyRetention() deletes older ones.
  // absl::InfiniteDuration() keeps everything. Default: 30 days.
  absl::Duration retention = absl::Hours(24 * 30);
  // Default: kProcessCrash (see Durability).
  Durability durability = Durability::kProcessCrash;
  // Source of "now" for ids and retention. Default (empty): absl::Now.
  std::function<absl::Time()> clock;
};

// Selects diagnoses of one target by their started time.
struct HistoryQuery {
  absl::Time since = absl::InfinitePast();    // Inclusive.
  absl::Time until = absl::InfiniteFuture();  // Exclusive.
  size_t limit = 0;                           // 0: no limit.
  bool newest_first = true;
};

// What ApplyRetention() did.
struct RetentionStats {
  absl::Time cutoff = absl::InfinitePast();  // Older than this was deleted.
  uint64_t id_floor = 0;  // Jobs and their hop results with ids below.
  int64_t diagnoses_deleted = 0;
  int64_t probes_deleted = 0;
};

class Storage {
 public:
  // Opens (creating if allowed) the database at options.path. Errors:
  // InvalidArgument for bad options, NotFound for a missing database with
  // create_if_missing = false, FailedPrecondition for a database of another
  // schema version, DataLoss for on-disk corruption, Unavailable when the
  // directory is locked by another process or I/O fails.
  static absl::StatusOr<std::unique_ptr<Storage>> Open(
      const StorageOptions& options);

  virtual ~Storage() = default;

  // A new id for a job or diagnosis: unique for this database (also across
  // restarts and if the clock steps back) and time-ordered (see
  // storage/keys.h). Retention relies on jobs using these ids.
  virtual absl::StatusOr<uint64_t> AllocateId() = 0;

  // --- Probes (column family probes, key = name) ---
  // Inserts or replaces. REQUIRES: probe.name() non-empty.
  virtual absl::Status PutProbe(const v1::ProbeRecord& probe) = 0;
  // NotFound if there is no such probe.
  virtual absl::StatusOr<v1::ProbeRecord> GetProbe(std::string_view name) = 0;
  // All probes, sorted by name (bytewise).
  virtual absl::StatusOr<std::vector<v1::ProbeRecord>> ListProbes() = 0;

  // --- Jobs (column family jobs, key = job id) ---
  // Inserts or replaces. REQUIRES: job.spec().job_id() != 0.
  virtual absl::Status PutJob(const v1::JobRecord& job) = 0;
  // NotFound if there is no such job.
  virtual absl::StatusOr<v1::JobRecord> GetJob(uint64_t job_id) = 0;

  // --- Hop results (column family hop_results) ---
  // Stores `results` and, in the same atomic write, `jobs` (e.g. updated
  // progress). Idempotent: a result is keyed by (job_id, probe_name,
  // direction, cycle); storing one again replaces the stored copy and
  // never adds a second. REQUIRES for each result: job_id != 0, probe_name
  // non-empty, direction FORWARD or RETURN (else InvalidArgument, nothing
  // written).
  // The results are passed by pointer so that an ingest path can store
  // what it received without copying it.
  virtual absl::Status PutCycleResults(
      absl::Span<const v1::CycleResult* const> results,
      absl::Span<const v1::JobRecord> jobs = {}) = 0;
  absl::Status PutCycleResults(absl::Span<const v1::CycleResult> results,
                               absl::Span<const v1::JobRecord> jobs = {});
  absl::Status PutCycleResult(const v1::CycleResult& result) {
    return PutCycleResults(absl::MakeConstSpan(&result, 1));
  }
  // Every result of a job, in key order (probe id, direction, cycle).
  virtual absl::StatusOr<std::vector<v1::CycleResult>> GetCycleResults(
      uint64_t job_id) = 0;
  // One probe's results of a job in one direction with cycle >= from_cycle,
  // in cycle order.
  virtual absl::StatusOr<std::vector<v1::CycleResult>> GetCycleResults(
      uint64_t job_id, std::string_view probe_name, v1::Direction direction,
      uint32_t from_cycle) = 0;

  // --- Diagnoses (diagnoses, indexed in diagnoses_by_target) ---
  // Inserts or replaces the record and its history index entry (target,
  // started time), together with `jobs`, in one atomic write. A replaced
  // record's old index entry is removed. REQUIRES: id != 0, target an IP
  // address literal (else InvalidArgument).
  virtual absl::Status PutDiagnosis(
      const v1::DiagnosisRecord& diagnosis,
      absl::Span<const v1::JobRecord> jobs = {}) = 0;
  // NotFound if there is no such diagnosis.
  virtual absl::StatusOr<v1::DiagnosisRecord> GetDiagnosis(uint64_t id) = 0;
  // Diagnoses of `target` (IPv4 and ::ffff:IPv4 are the same target) whose
  // started time is in [query.since, query.until), ordered by started time
  // (then id), newest first unless !query.newest_first. Reads one
  // consistent snapshot.
  virtual absl::StatusOr<std::vector<v1::DiagnosisRecord>> History(
      std::string_view target, const HistoryQuery& query) = 0;

  // --- Retention ---
  // Deletes, in one atomic write, everything older than now - retention:
  // jobs and their hop results whose ids were minted before the cutoff
  // (DeleteRange over the id-ordered keys), diagnoses started before it
  // (and their index entries), and probes last seen before it. With an
  // infinite retention it deletes nothing. Safe to call at any time.
  virtual absl::StatusOr<RetentionStats> ApplyRetention() = 0;
};

}  // namespace grid::storage

#endif  // GRID_STORAGE_STORAGE_H_
