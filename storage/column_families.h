// The RocksDB column families of grid's store, in the fixed order in which
// they are opened. Names are on-disk: DO NOT CHANGE names or values; add
// new families at the end.
#ifndef GRID_STORAGE_COLUMN_FAMILIES_H_
#define GRID_STORAGE_COLUMN_FAMILIES_H_

#include <array>
#include <string_view>

namespace grid::storage {

enum class ColumnFamily {
  kMeta = 0,               // RocksDB's "default": schema version, id state.
  kProbes = 1,             // name -> grid.v1.ProbeRecord
  kJobs = 2,               // job_id(8) -> grid.v1.JobRecord
  kHopResults = 3,         // job|probe|dir|cycle -> grid.v1.CycleResult
  kDiagnoses = 4,          // id(8) -> grid.v1.DiagnosisRecord
  kDiagnosesByTarget = 5,  // target|time|id -> "" (history index)
};

inline constexpr std::array<ColumnFamily, 6> kAllColumnFamilies = {
    ColumnFamily::kMeta,      ColumnFamily::kProbes,
    ColumnFamily::kJobs,      ColumnFamily::kHopResults,
    ColumnFamily::kDiagnoses, ColumnFamily::kDiagnosesByTarget,
};

// The RocksDB name of `cf` ("default", "probes", "jobs", "hop_results",
// "diagnoses", "diagnoses_by_target").
std::string_view ColumnFamilyName(ColumnFamily cf);

}  // namespace grid::storage

#endif  // GRID_STORAGE_COLUMN_FAMILIES_H_
