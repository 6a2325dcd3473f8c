// mtr --report / --report-wide: see column_table.h for the grammar.
#include "diagnosis/reports/column_table.h"
#include "diagnosis/reports/readers.h"

namespace grid::diagnosis::reports_internal {

absl::StatusOr<Trace> ReadMtrReport(absl::string_view text,
                                    absl::string_view source) {
  return ReadColumnTable(text, source, TableDialect::kMtr);
}

}  // namespace grid::diagnosis::reports_internal
