// WinMTR "Export HTML": a <table> whose first row holds the titles Host, %,
// Sent, Recv, Best, Avrg, Wrst, Last and whose further rows are the hops in
// TTL order (cells may wrap their text in <font> tags).
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "diagnosis/reports/html_table.h"
#include "diagnosis/reports/readers.h"
#include "diagnosis/reports/text_lines.h"
#include "diagnosis/reports/winmtr_hop.h"

namespace grid::diagnosis::reports_internal {

absl::StatusOr<Trace> ReadWinMtrHtml(absl::string_view text,
                                     absl::string_view source) {
  GRID_ASSIGN_OR_RETURN(std::vector<HtmlRow> rows, ReadHtmlTable(text, source));
  std::optional<WinMtrColumns> columns;
  int header_line = 0;
  Trace trace;
  for (const HtmlRow& row : rows) {
    if (!columns) {
      if (row.cells.size() > 1 && row.cells[0] == "Host") {
        std::vector<absl::string_view> titles(row.cells.begin() + 1,
                                              row.cells.end());
        columns = MapWinMtrTitles(titles);
      }
      if (!columns) {
        return LineError(source, row.line,
                         "expected the WinMTR title row Host, %, Sent, Recv, "
                         "Best, Avrg, Wrst, Last");
      }
      header_line = row.line;
      continue;
    }
    if (row.cells.empty()) {
      return LineError(source, row.line, "table row without cells");
    }
    std::vector<absl::string_view> values(row.cells.begin() + 1,
                                          row.cells.end());
    absl::StatusOr<Hop> hop =
        MakeWinMtrHop(static_cast<int>(trace.hops.size()) + 1, row.cells[0],
                      values, *columns);
    if (!hop.ok()) return LineError(source, row.line, hop.status().message());
    trace.hops.push_back(*std::move(hop));
  }
  if (!columns) {
    return LineError(source, 1, "the <table> has no rows");
  }
  if (trace.hops.empty()) {
    return LineError(source, header_line, "header but no hop rows");
  }
  return trace;
}

}  // namespace grid::diagnosis::reports_internal
