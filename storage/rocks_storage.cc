#include "storage/rocks_storage.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "rocksdb/options.h"
#include "storage/absl_view.h"
#include "storage/keys.h"
#include "storage/record_codec.h"
#include "storage/rocks_status.h"

namespace grid::storage {
namespace {

// Keys in the meta ("default") column family.
constexpr char kSchemaVersionKey[] = "schema_version";
constexpr char kLastIdKey[] = "last_id";

rocksdb::DBOptions MakeDbOptions(const StorageOptions& options) {
  rocksdb::DBOptions db;
  db.create_if_missing = options.create_if_missing;
  db.create_missing_column_families = true;
  // The WAL is what makes an acknowledged write durable: never disabled,
  // written through to the OS on every write (not buffered in-process).
  db.manual_wal_flush = false;
  db.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  db.keep_log_file_num = 4;
  db.max_background_jobs = 2;
  return db;
}

// Checks options and prepares options.path.
absl::Status PrepareDirectory(const StorageOptions& options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("storage: StorageOptions.path is empty");
  }
  if (options.retention <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("storage: retention must be positive, got ",
                     absl::FormatDuration(options.retention)));
  }
  std::error_code ec;
  const std::filesystem::path path(options.path);
  if (std::filesystem::exists(path, ec)) {
    if (!std::filesystem::is_directory(path, ec)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "storage: ", options.path, " exists and is not a directory"));
    }
  } else if (!options.create_if_missing) {
    return absl::NotFoundError(
        absl::StrCat("storage: no database at ", options.path));
  } else if (!std::filesystem::create_directories(path, ec) && ec) {
    return absl::UnavailableError(absl::StrCat(
        "storage: cannot create ", options.path, ": ", ec.message()));
  }
  if (!options.create_if_missing &&
      !std::filesystem::exists(path / "CURRENT", ec)) {
    return absl::NotFoundError(
        absl::StrCat("storage: no database at ", options.path));
  }
  return absl::OkStatus();
}

// Refuses databases holding column families this build does not know
// (written by a newer grid): opening them would lose data silently.
absl::Status CheckColumnFamilies(const rocksdb::DBOptions& db_options,
                                 const std::string& path) {
  std::vector<std::string> existing;
  rocksdb::Status s =
      rocksdb::DB::ListColumnFamilies(db_options, path, &existing);
  if (!s.ok()) return absl::OkStatus();  // New database: nothing to check.
  std::vector<std::string> unknown;
  for (const std::string& name : existing) {
    bool known = false;
    for (ColumnFamily cf : kAllColumnFamilies) {
      known = known || ColumnFamilyName(cf) == name;
    }
    if (!known) unknown.push_back(name);
  }
  if (!unknown.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "storage: database at ", path,
        " has column families unknown to "
        "this build (",
        absl::StrJoin(unknown, ", "), "); written by a newer grid?"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<RocksStorage>> RocksStorage::Open(
    const StorageOptions& options) {
  GRID_RETURN_IF_ERROR(PrepareDirectory(options));
  const rocksdb::DBOptions db_options = MakeDbOptions(options);
  GRID_RETURN_IF_ERROR(CheckColumnFamilies(db_options, options.path));

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (ColumnFamily cf : kAllColumnFamilies) {
    rocksdb::ColumnFamilyOptions cf_options;
    if (cf == ColumnFamily::kHopResults) {
      // Write-heavy: larger memtables mean fewer, larger flushes.
      cf_options.write_buffer_size = 64 << 20;
    }
    descriptors.emplace_back(std::string(ColumnFamilyName(cf)), cf_options);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(db_options, options.path, descriptors, &handles, &db);
  GRID_RETURN_IF_ERROR(FromRocks(s, absl::StrCat("open ", options.path)));

  std::unique_ptr<RocksStorage> storage(
      new RocksStorage(options, db, std::move(handles)));
  GRID_RETURN_IF_ERROR(storage->LoadMeta());
  return storage;
}

RocksStorage::RocksStorage(const StorageOptions& options, rocksdb::DB* db,
                           std::vector<rocksdb::ColumnFamilyHandle*> handles)
    : options_(options), db_(db), handles_(std::move(handles)) {
  write_options_.disableWAL = false;
  write_options_.sync = options.durability == Durability::kPowerLoss;
}

RocksStorage::~RocksStorage() {
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    db_->DestroyColumnFamilyHandle(handle);
  }
  db_->Close().PermitUncheckedError();
  delete db_;
}

absl::Time RocksStorage::Now() const {
  return options_.clock ? options_.clock() : absl::Now();
}

absl::Status RocksStorage::LoadMeta() {
  absl::StatusOr<std::string> version =
      GetRaw(ColumnFamily::kMeta, kSchemaVersionKey, nullptr);
  if (absl::IsNotFound(version.status())) {
    rocksdb::WriteBatch batch;
    batch.Put(Handle(ColumnFamily::kMeta), kSchemaVersionKey,
              std::to_string(kSchemaVersion));
    GRID_RETURN_IF_ERROR(Write(&batch, "write schema version"));
  } else if (!version.ok()) {
    return version.status();
  } else if (*version != std::to_string(kSchemaVersion)) {
    return absl::FailedPreconditionError(
        absl::StrCat("storage: database at ", options_.path,
                     " has schema version \"", absl::CHexEscape(*version),
                     "\"; this build reads version ", kSchemaVersion));
  }

  uint64_t last_id = 0;
  absl::StatusOr<std::string> stored =
      GetRaw(ColumnFamily::kMeta, kLastIdKey, nullptr);
  if (stored.ok()) {
    if (stored->size() != 8) {
      return MismatchedValue(
          ColumnFamily::kMeta, kLastIdKey,
          absl::StrCat(stored->size(), " bytes, expected an 8-byte id"));
    }
    last_id = LoadUint64BE(stored->data());
  } else if (!absl::IsNotFound(stored.status())) {
    return stored.status();
  }
  // Ids in use must never be handed out again, whatever the meta says.
  for (ColumnFamily cf : {ColumnFamily::kJobs, ColumnFamily::kDiagnoses}) {
    GRID_ASSIGN_OR_RETURN(uint64_t last_key, LastIdKey(cf));
    last_id = std::max(last_id, last_key);
  }
  absl::MutexLock lock(&id_mu_);
  last_id_ = last_id;
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> RocksStorage::LastIdKey(ColumnFamily cf) {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), Handle(cf)));
  it->SeekToLast();
  if (!it->Valid()) {
    GRID_RETURN_IF_ERROR(FromRocks(
        it->status(), absl::StrCat("scan ", Av(ColumnFamilyName(cf)))));
    return 0;
  }
  return DecodeIdKey(it->key().ToStringView());
}

absl::StatusOr<uint64_t> RocksStorage::AllocateId() {
  absl::MutexLock lock(&id_mu_);
  const uint64_t id =
      std::max(IdFloorForTimeMs(absl::ToUnixMillis(Now())), last_id_ + 1);
  std::string value;
  AppendUint64BE(&value, id);
  rocksdb::WriteBatch batch;
  batch.Put(Handle(ColumnFamily::kMeta), kLastIdKey, value);
  GRID_RETURN_IF_ERROR(Write(&batch, "allocate id"));
  last_id_ = id;
  return id;
}

absl::Status RocksStorage::Write(rocksdb::WriteBatch* batch,
                                 std::string_view what) {
  return FromRocks(db_->Write(write_options_, batch), what);
}

absl::StatusOr<std::string> RocksStorage::GetRaw(
    ColumnFamily cf, std::string_view key, const rocksdb::Snapshot* snapshot) {
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot;
  std::string value;
  rocksdb::Status s = db_->Get(read_options, Handle(cf), key, &value);
  if (s.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat("storage: no key ", HexKey(key),
                                            " in ", Av(ColumnFamilyName(cf))));
  }
  GRID_RETURN_IF_ERROR(FromRocks(
      s,
      absl::StrCat("read ", Av(ColumnFamilyName(cf)), " key ", HexKey(key))));
  return value;
}

absl::Status RocksStorage::Scan(ColumnFamily cf, std::string_view lower,
                                std::string_view upper, bool reverse,
                                const rocksdb::Snapshot* snapshot,
                                const ScanFn& fn) {
  // The bounds must outlive the iterator.
  const rocksdb::Slice lower_slice(lower.data(), lower.size());
  const rocksdb::Slice upper_slice(upper.data(), upper.size());
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot;
  if (!lower.empty()) read_options.iterate_lower_bound = &lower_slice;
  if (!upper.empty()) read_options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(read_options, Handle(cf)));
  if (reverse) {
    it->SeekToLast();
  } else {
    it->SeekToFirst();
  }
  for (; it->Valid(); reverse ? it->Prev() : it->Next()) {
    GRID_ASSIGN_OR_RETURN(
        bool more, fn(it->key().ToStringView(), it->value().ToStringView()));
    if (!more) return absl::OkStatus();
  }
  return FromRocks(it->status(),
                   absl::StrCat("scan ", Av(ColumnFamilyName(cf))));
}

absl::Status RocksStorage::AddJobs(absl::Span<const v1::JobRecord> jobs,
                                   rocksdb::WriteBatch* batch) {
  for (const v1::JobRecord& job : jobs) {
    if (job.spec().job_id() == 0) {
      return absl::InvalidArgumentError("storage: job record has job id 0");
    }
    GRID_ASSIGN_OR_RETURN(std::string value, EncodeValue(job));
    batch->Put(Handle(ColumnFamily::kJobs), IdKey(job.spec().job_id()), value);
  }
  return absl::OkStatus();
}

absl::Status RocksStorage::PutJob(const v1::JobRecord& job) {
  rocksdb::WriteBatch batch;
  GRID_RETURN_IF_ERROR(AddJobs(absl::MakeConstSpan(&job, 1), &batch));
  return Write(&batch, "put job");
}

absl::StatusOr<v1::JobRecord> RocksStorage::GetJob(uint64_t job_id) {
  const std::string key = IdKey(job_id);
  absl::StatusOr<std::string> value = GetRaw(ColumnFamily::kJobs, key, nullptr);
  if (absl::IsNotFound(value.status())) {
    return absl::NotFoundError(absl::StrCat("storage: no job ", job_id));
  }
  GRID_RETURN_IF_ERROR(value.status());
  v1::JobRecord job;
  GRID_RETURN_IF_ERROR(DecodeValue(ColumnFamily::kJobs, key, *value, &job));
  if (job.spec().job_id() != job_id) {
    return MismatchedValue(ColumnFamily::kJobs, key,
                           absl::StrCat("holds job ", job.spec().job_id()));
  }
  return job;
}

absl::Status RocksStorage::PutProbe(const v1::ProbeRecord& probe) {
  if (probe.name().empty()) {
    return absl::InvalidArgumentError("storage: probe record has no name");
  }
  GRID_ASSIGN_OR_RETURN(std::string value, EncodeValue(probe));
  rocksdb::WriteBatch batch;
  batch.Put(Handle(ColumnFamily::kProbes), probe.name(), value);
  return Write(&batch, "put probe");
}

absl::StatusOr<v1::ProbeRecord> RocksStorage::GetProbe(std::string_view name) {
  absl::StatusOr<std::string> value =
      GetRaw(ColumnFamily::kProbes, name, nullptr);
  if (absl::IsNotFound(value.status())) {
    return absl::NotFoundError(
        absl::StrCat("storage: no probe \"", absl::CHexEscape(Av(name)), "\""));
  }
  GRID_RETURN_IF_ERROR(value.status());
  v1::ProbeRecord probe;
  GRID_RETURN_IF_ERROR(
      DecodeValue(ColumnFamily::kProbes, name, *value, &probe));
  if (probe.name() != name) {
    return MismatchedValue(
        ColumnFamily::kProbes, name,
        absl::StrCat("holds probe \"", absl::CHexEscape(probe.name()), "\""));
  }
  return probe;
}

absl::StatusOr<std::vector<v1::ProbeRecord>> RocksStorage::ListProbes() {
  std::vector<v1::ProbeRecord> probes;
  GRID_RETURN_IF_ERROR(
      Scan(ColumnFamily::kProbes, "", "", /*reverse=*/false, nullptr,
           [&](std::string_view key,
               std::string_view value) -> absl::StatusOr<bool> {
             v1::ProbeRecord probe;
             GRID_RETURN_IF_ERROR(
                 DecodeValue(ColumnFamily::kProbes, key, value, &probe));
             if (probe.name() != key) {
               return MismatchedValue(ColumnFamily::kProbes, key,
                                      "holds another probe's record");
             }
             probes.push_back(std::move(probe));
             return true;
           }));
  return probes;
}

}  // namespace grid::storage
