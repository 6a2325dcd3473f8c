// The whitespace-aligned table shared by mtr --report, --report-wide and the
// support article's layout:
//
//   HOST: name            Loss%   Snt   Last   Avg  Best  Wrst StDev   (mtr)
//   Host                  Loss%   Snt   Last   Avg  Best  Wrst StDev (article)
//     1.|-- 198.18.1.1     0.0%    60    0.1   0.1   0.1   0.2   0.0   (mtr)
//   1. Doel-IP (Server)    0.0%    20   80.2  80.0  79.5  81.2   0.6 (article)
//           198.18.3.2                      (further ECMP responder, mtr)
//
// Values are read from the right, one per header title, so host names may
// contain spaces. mtr's "AS..." column (-z) before the host is skipped.
#ifndef GRID_DIAGNOSIS_REPORTS_COLUMN_TABLE_H_
#define GRID_DIAGNOSIS_REPORTS_COLUMN_TABLE_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "diagnosis/reports/text_lines.h"
#include "diagnosis/trace.h"

namespace grid::diagnosis::reports_internal {

enum class TableDialect {
  kMtr,      // "Start:" line allowed, "HOST: <name>" header, "N.|--" rows.
  kArticle,  // "Host" header, "N." rows.
};

// Parses the header "HOST: name <titles>" (kMtr) or "Host <titles>"
// (kArticle) into the local host name and the column titles. nullopt if
// `line` is no such header.
struct TableHeader {
  absl::string_view local_host;
  std::vector<absl::string_view> titles;
};
std::optional<TableHeader> ParseTableHeader(absl::string_view line,
                                            TableDialect dialect);

// Reads a whole table report. Trace::source is the HOST: name.
absl::StatusOr<Trace> ReadColumnTable(absl::string_view text,
                                      absl::string_view source,
                                      TableDialect dialect);

}  // namespace grid::diagnosis::reports_internal

#endif  // GRID_DIAGNOSIS_REPORTS_COLUMN_TABLE_H_
