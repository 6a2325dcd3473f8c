// WinMTR "Export TEXT" (CRLF line ends):
//
//   |------------------------------------------------------------------------------------------|
//   |                                      WinMTR statistics | | Host -   %  |
//   Sent | Recv | Best | Avrg | Wrst | Last |
//   |------------------------------------------------|------|------|------|------|------|------|
//   |                              198.18.1.1 -    0 |   60 |   60 |    0 | 0 |
//   1 |    0 | |                   No response from host -  100 |   12 |    0 |
//   0 |    0 |    0 |    0 |
//   |________________________________________________|______|______|______|______|______|______|
//      WinMTR v0.92 GPL V2 by Appnor MSP - Fully Managed Hosting & Cloud
//      Provider
//
// Hops are numbered 1..n in row order; the footer after the closing line is
// ignored.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "diagnosis/reports/readers.h"
#include "diagnosis/reports/text_lines.h"
#include "diagnosis/reports/winmtr_hop.h"

namespace grid::diagnosis::reports_internal {
namespace {

// "|----|---|" or "|____|___|": only pipes and one kind of rule character.
bool IsRule(absl::string_view line, char rule) {
  bool saw_rule = false;
  for (char c : line) {
    if (c == rule) {
      saw_rule = true;
    } else if (c != '|') {
      return false;
    }
  }
  return saw_rule;
}

// The cells between the outer pipes, or nullopt if `line` is not "|...|".
std::optional<std::vector<absl::string_view>> Cells(absl::string_view line) {
  if (line.size() < 2 || line.front() != '|' || line.back() != '|') {
    return std::nullopt;
  }
  return std::vector<absl::string_view>(
      absl::StrSplit(line.substr(1, line.size() - 2), '|'));
}

// Splits "<host> - <pct>" at its last " - ".
bool SplitHostCell(absl::string_view cell, absl::string_view& host,
                   absl::string_view& pct) {
  size_t dash = cell.rfind(" - ");
  if (dash == absl::string_view::npos) return false;
  host = Trim(cell.substr(0, dash));
  pct = Trim(cell.substr(dash + 3));
  return true;
}

}  // namespace

absl::StatusOr<Trace> ReadWinMtrText(absl::string_view text,
                                     absl::string_view source) {
  std::vector<Line> lines = SplitLines(text);
  std::optional<WinMtrColumns> columns;
  int header_line = 0;
  bool closed = false;
  Trace trace;
  for (const Line& line : lines) {
    absl::string_view t = Trim(line.text);
    if (t.empty()) continue;
    if (IsRule(t, '-')) continue;
    if (IsRule(t, '_')) {
      if (!columns) {
        return LineError(source, line.number,
                         "table closed before the WinMTR header line");
      }
      closed = true;
      break;  // The version footer follows.
    }
    std::optional<std::vector<absl::string_view>> cells = Cells(t);
    if (!cells) {
      return LineError(source, line.number,
                       "expected a WinMTR table line between '|' characters");
    }
    if (!columns) {
      if (cells->size() == 1) continue;  // "|   WinMTR statistics   |".
      absl::string_view host, pct;
      if (!SplitHostCell((*cells)[0], host, pct) || host != "Host") {
        return LineError(source, line.number,
                         "expected WinMTR's '| Host - % | Sent | Recv | Best "
                         "| Avrg | Wrst | Last |' header");
      }
      std::vector<absl::string_view> titles = {pct};
      titles.insert(titles.end(), cells->begin() + 1, cells->end());
      columns = MapWinMtrTitles(titles);
      if (!columns) {
        return LineError(source, line.number,
                         "WinMTR header needs the columns %, Sent, Recv, "
                         "Best, Avrg, Wrst, Last");
      }
      header_line = line.number;
      continue;
    }
    absl::string_view host, pct;
    if (!SplitHostCell((*cells)[0], host, pct)) {
      return LineError(source, line.number,
                       "expected '<host> - <loss%>' in the first cell");
    }
    std::vector<absl::string_view> values = {pct};
    values.insert(values.end(), cells->begin() + 1, cells->end());
    absl::StatusOr<Hop> hop = MakeWinMtrHop(
        static_cast<int>(trace.hops.size()) + 1, host, values, *columns);
    if (!hop.ok())
      return LineError(source, line.number, hop.status().message());
    trace.hops.push_back(*std::move(hop));
  }
  int last_line = lines.empty() ? 1 : lines.back().number;
  if (!columns) {
    return LineError(source, last_line, "no WinMTR header line found");
  }
  if (trace.hops.empty()) {
    return LineError(source, header_line, "header but no hop rows");
  }
  if (!closed) {
    return LineError(source, last_line,
                     "missing the closing '|____|' line (truncated report?)");
  }
  return trace;
}

}  // namespace grid::diagnosis::reports_internal
