// Just enough HTML to read the first <table> of a WinMTR "Export HTML" file:
// its rows and the text of their cells.
#ifndef GRID_DIAGNOSIS_REPORTS_HTML_TABLE_H_
#define GRID_DIAGNOSIS_REPORTS_HTML_TABLE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace grid::diagnosis::reports_internal {

struct HtmlRow {
  int line = 0;                    // Line of the row's <tr>.
  std::vector<std::string> cells;  // <td>/<th> text: tags removed,
                                   // entities decoded, white space trimmed.
};

// The rows of the first <table> in `html`. Tags are matched
// case-insensitively. Errors (with source:line) for no table, or a row, cell
// or table that is never closed (a truncated file).
absl::StatusOr<std::vector<HtmlRow>> ReadHtmlTable(absl::string_view html,
                                                   absl::string_view source);

// Decodes &amp; &lt; &gt; &quot; &apos; &nbsp; and numeric references (ASCII
// only; others become '?').
std::string DecodeHtmlEntities(absl::string_view text);

}  // namespace grid::diagnosis::reports_internal

#endif  // GRID_DIAGNOSIS_REPORTS_HTML_TABLE_H_
