#include "storage/column_families.h"

namespace grid::storage {

std::string_view ColumnFamilyName(ColumnFamily cf) {
  switch (cf) {
    case ColumnFamily::kMeta:
      return "default";
    case ColumnFamily::kProbes:
      return "probes";
    case ColumnFamily::kJobs:
      return "jobs";
    case ColumnFamily::kHopResults:
      return "hop_results";
    case ColumnFamily::kDiagnoses:
      return "diagnoses";
    case ColumnFamily::kDiagnosesByTarget:
      return "diagnoses_by_target";
  }
  return "unknown";
}

}  // namespace grid::storage
