// One reader per report format; ReadReport dispatches to them. Each takes the
// whole text and a source name for "<source>:<line>: ..." errors.
#ifndef GRID_DIAGNOSIS_REPORTS_READERS_H_
#define GRID_DIAGNOSIS_REPORTS_READERS_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "diagnosis/trace.h"

namespace grid::diagnosis::reports_internal {

// mtr --report and --report-wide (the same grammar).
absl::StatusOr<Trace> ReadMtrReport(absl::string_view text,
                                    absl::string_view source);
absl::StatusOr<Trace> ReadMtrJson(absl::string_view text,
                                  absl::string_view source);
absl::StatusOr<Trace> ReadMtrCsv(absl::string_view text,
                                 absl::string_view source);
absl::StatusOr<Trace> ReadWinMtrText(absl::string_view text,
                                     absl::string_view source);
absl::StatusOr<Trace> ReadWinMtrHtml(absl::string_view text,
                                     absl::string_view source);
absl::StatusOr<Trace> ReadArticle(absl::string_view text,
                                  absl::string_view source);

}  // namespace grid::diagnosis::reports_internal

#endif  // GRID_DIAGNOSIS_REPORTS_READERS_H_
