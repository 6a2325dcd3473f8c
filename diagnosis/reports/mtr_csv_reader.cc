// mtr --csv: a header "Mtr_Version,Start_Time,Status,Host,Hop,Ip,<titles>"
// (mtr 0.95 ends it with a comma; a blank title " " or "" is the drop count),
// then one comma-separated row per hop. Host is the target.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "diagnosis/reports/mtr_columns.h"
#include "diagnosis/reports/readers.h"
#include "diagnosis/reports/text_lines.h"

namespace grid::diagnosis::reports_internal {
namespace {

// What a CSV column holds.
struct CsvColumn {
  enum Kind { kIgnored, kTarget, kHop, kIp, kStat } kind = kIgnored;
  Column stat = Column::kBlank;
};

}  // namespace

absl::StatusOr<Trace> ReadMtrCsv(absl::string_view text,
                                 absl::string_view source) {
  std::vector<Line> lines = SplitLines(text);
  size_t i = 0;
  while (i < lines.size() && Trim(lines[i].text).empty()) ++i;
  if (i == lines.size() ||
      !StartsWithNoCase(Trim(lines[i].text), "Mtr_Version,")) {
    return LineError(source, i < lines.size() ? lines[i].number : 1,
                     "expected mtr's 'Mtr_Version,Start_Time,...' CSV header");
  }
  const int header_line = lines[i].number;
  std::vector<absl::string_view> titles =
      absl::StrSplit(Trim(lines[i].text), ',');
  if (titles.size() > 1 && titles.back().empty()) titles.pop_back();
  std::vector<CsvColumn> columns(titles.size());
  std::vector<Column> stats;
  bool has_hop = false, has_ip = false;
  for (size_t c = 0; c < titles.size(); ++c) {
    absl::string_view t = Trim(titles[c]);
    if (t == "Host") {
      columns[c].kind = CsvColumn::kTarget;
    } else if (t == "Hop") {
      columns[c].kind = CsvColumn::kHop;
      has_hop = true;
    } else if (t == "Ip") {
      columns[c].kind = CsvColumn::kIp;
      has_ip = true;
    } else if (t.empty()) {
      columns[c] = {CsvColumn::kStat, Column::kBlank};
      stats.push_back(Column::kBlank);
    } else if (const MtrField* f = FieldByTitle(t)) {
      columns[c] = {CsvColumn::kStat, f->column};
      stats.push_back(f->column);
    }
  }
  if (!has_hop || !has_ip || !HasRequiredColumns(stats)) {
    return LineError(source, header_line,
                     "the CSV header needs Hop, Ip, Snt and one of Loss%, Rcv, "
                     "Drop");
  }

  Trace trace;
  for (++i; i < lines.size(); ++i) {
    const Line& line = lines[i];
    absl::string_view row_text = Trim(line.text);
    if (row_text.empty()) continue;
    std::vector<absl::string_view> cells = absl::StrSplit(row_text, ',');
    if (cells.size() == columns.size() + 1 && cells.back().empty()) {
      cells.pop_back();
    }
    if (cells.size() != columns.size()) {
      return LineError(
          source, line.number,
          absl::StrCat("expected ", columns.size(),
                       " comma-separated fields, found ", cells.size()));
    }
    HopValues values;
    int ttl = 0;
    std::string host;
    for (size_t c = 0; c < cells.size(); ++c) {
      absl::string_view cell = Trim(cells[c]);
      switch (columns[c].kind) {
        case CsvColumn::kIgnored:
          break;
        case CsvColumn::kTarget:
          if (trace.destination.empty()) trace.destination = std::string(cell);
          break;
        case CsvColumn::kHop:
          if (!absl::SimpleAtoi(cell, &ttl) || ttl < 1 || ttl > 255) {
            return LineError(source, line.number,
                             absl::StrCat("Hop '", cell, "' is not in 1..255"));
          }
          break;
        case CsvColumn::kIp:
          host = std::string(cell);
          break;
        case CsvColumn::kStat: {
          std::optional<double> v = ParseDecimal(cell);
          if (!v) {
            return LineError(source, line.number,
                             absl::StrCat("'", cell, "' in column '", titles[c],
                                          "' is not a number"));
          }
          At(values, columns[c].stat) = v;
          break;
        }
      }
    }
    if (!trace.hops.empty() && ttl <= trace.hops.back().ttl) {
      return LineError(source, line.number,
                       absl::StrCat("hop ", ttl, " does not follow hop ",
                                    trace.hops.back().ttl));
    }
    absl::StatusOr<Hop> hop = MakeHop(ttl, std::move(host), values);
    if (!hop.ok())
      return LineError(source, line.number, hop.status().message());
    trace.hops.push_back(*std::move(hop));
  }
  if (trace.hops.empty()) {
    return LineError(source, header_line, "header but no hop rows");
  }
  return trace;
}

}  // namespace grid::diagnosis::reports_internal
