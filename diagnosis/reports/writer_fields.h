// What the mtr writers share: the -o fields they can fill from a Hop.
#ifndef GRID_DIAGNOSIS_REPORTS_WRITER_FIELDS_H_
#define GRID_DIAGNOSIS_REPORTS_WRITER_FIELDS_H_

#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "diagnosis/reports/mtr_columns.h"
#include "diagnosis/trace.h"

namespace grid::diagnosis::reports_internal {

// The fields of an -o string that grid has data for, in order.
std::vector<const MtrField*> WritableFields(absl::string_view letters);

// The value of `column` for `hop` (drop and blank: sent - received; absent
// jitter: 0). REQUIRES: the column is writable (see WritableFields).
double HopValue(const Hop& hop, Column column);

// The "HOST:"/"src" and "dst" texts: the option, else the trace's own.
absl::string_view LocalHostName(const Trace& trace, absl::string_view option);
absl::string_view Destination(const Trace& trace, absl::string_view option);

}  // namespace grid::diagnosis::reports_internal

#endif  // GRID_DIAGNOSIS_REPORTS_WRITER_FIELDS_H_
