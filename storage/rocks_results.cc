// RocksStorage: per-cycle hop results (column family hop_results).
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/absl_view.h"
#include "storage/keys.h"
#include "storage/record_codec.h"
#include "storage/rocks_storage.h"

namespace grid::storage {
namespace {

bool IsTraceDirection(v1::Direction direction) {
  return direction == v1::DIRECTION_FORWARD ||
         direction == v1::DIRECTION_RETURN;
}

HopResultKey KeyOf(const v1::CycleResult& result) {
  HopResultKey key;
  key.job_id = result.job_id();
  key.probe_id = ProbeId(result.probe_name());
  key.direction = static_cast<uint8_t>(result.direction());
  key.cycle = result.cycle();
  return key;
}

absl::Status ValidateResult(const v1::CycleResult& result, size_t index) {
  auto invalid = [&](std::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("storage: cycle result ", index, " (job ", result.job_id(),
                     ", probe \"", absl::CHexEscape(result.probe_name()),
                     "\", cycle ", result.cycle(), "): ", Av(why)));
  };
  if (result.job_id() == 0) return invalid("job id is 0");
  if (result.probe_name().empty()) return invalid("probe name is empty");
  if (!IsTraceDirection(result.direction())) {
    return invalid(absl::StrCat("direction must be FORWARD or RETURN, got ",
                                static_cast<int>(result.direction())));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RocksStorage::PutCycleResults(
    absl::Span<const v1::CycleResult* const> results,
    absl::Span<const v1::JobRecord> jobs) {
  rocksdb::WriteBatch batch;
  std::string value;  // Reused: one allocation for the whole batch.
  for (size_t i = 0; i < results.size(); ++i) {
    GRID_RETURN_IF_ERROR(ValidateResult(*results[i], i));
    GRID_RETURN_IF_ERROR(EncodeValue(*results[i], &value));
    batch.Put(Handle(ColumnFamily::kHopResults),
              EncodeHopResultKey(KeyOf(*results[i])), value);
  }
  GRID_RETURN_IF_ERROR(AddJobs(jobs, &batch));
  return Write(&batch, "put cycle results");
}

absl::StatusOr<v1::CycleResult> RocksStorage::DecodeCycleResult(
    std::string_view key, std::string_view value) {
  GRID_RETURN_IF_ERROR(DecodeHopResultKey(key).status());
  v1::CycleResult result;
  GRID_RETURN_IF_ERROR(
      DecodeValue(ColumnFamily::kHopResults, key, value, &result));
  if (EncodeHopResultKey(KeyOf(result)) != key) {
    return MismatchedValue(
        ColumnFamily::kHopResults, key,
        absl::StrCat("holds the result of job ", result.job_id(), ", probe \"",
                     absl::CHexEscape(result.probe_name()), "\", direction ",
                     static_cast<int>(result.direction()), ", cycle ",
                     result.cycle()));
  }
  return result;
}

absl::StatusOr<std::vector<v1::CycleResult>> RocksStorage::GetCycleResults(
    uint64_t job_id) {
  const std::string lower = HopResultJobPrefix(job_id);
  const std::string upper = PrefixSuccessor(lower);
  std::vector<v1::CycleResult> results;
  GRID_RETURN_IF_ERROR(
      Scan(ColumnFamily::kHopResults, lower, upper, /*reverse=*/false, nullptr,
           [&](std::string_view key,
               std::string_view value) -> absl::StatusOr<bool> {
             GRID_ASSIGN_OR_RETURN(v1::CycleResult result,
                                   DecodeCycleResult(key, value));
             results.push_back(std::move(result));
             return true;
           }));
  return results;
}

absl::StatusOr<std::vector<v1::CycleResult>> RocksStorage::GetCycleResults(
    uint64_t job_id, std::string_view probe_name, v1::Direction direction,
    uint32_t from_cycle) {
  if (!IsTraceDirection(direction)) {
    return absl::InvalidArgumentError(
        absl::StrCat("storage: direction must be FORWARD or RETURN, got ",
                     static_cast<int>(direction)));
  }
  const std::string prefix = HopResultStreamPrefix(
      job_id, ProbeId(probe_name), static_cast<uint8_t>(direction));
  const std::string lower = EncodeHopResultKey(
      {job_id, ProbeId(probe_name), static_cast<uint8_t>(direction),
       from_cycle});
  const std::string upper = PrefixSuccessor(prefix);
  std::vector<v1::CycleResult> results;
  GRID_RETURN_IF_ERROR(
      Scan(ColumnFamily::kHopResults, lower, upper, /*reverse=*/false, nullptr,
           [&](std::string_view key,
               std::string_view value) -> absl::StatusOr<bool> {
             GRID_ASSIGN_OR_RETURN(v1::CycleResult result,
                                   DecodeCycleResult(key, value));
             // Another name with the same 64-bit hash: not ours.
             if (result.probe_name() == probe_name) {
               results.push_back(std::move(result));
             }
             return true;
           }));
  return results;
}

}  // namespace grid::storage
