// Format detection from the first non-blank lines of a report.
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "diagnosis/reports/column_table.h"
#include "diagnosis/reports/mtr_columns.h"
#include "diagnosis/reports/reports.h"
#include "diagnosis/reports/text_lines.h"

namespace grid::diagnosis {
namespace {

using reports_internal::Line;
using reports_internal::TableDialect;

// Where mtr -r starts its header titles: "HOST: <name>" is cut or padded to
// this many characters, as is "%3d.|-- <host cut to 25>".
constexpr int kNarrowHostColumn = 33;
constexpr size_t kNarrowHostWidth = 25;

// Tells mtr -r from --report-wide. -r cuts "HOST: name" to 33 characters, so
// its first header field always starts at column 33 and rows are as long as
// the header; --report-wide pads the header to 6 + W and rows to 8 + W, W
// being the longest host.
ReportFormat MtrReportVariant(const std::vector<Line>& lines, size_t header,
                              const reports_internal::TableHeader& parsed) {
  absl::string_view line = lines[header].text;
  absl::string_view first = parsed.titles.front();
  const reports_internal::MtrField* field =
      reports_internal::FieldByTitle(first);
  int start = static_cast<int>(first.data() - line.data()) -
              (field->width - static_cast<int>(first.size()));
  if (start != kNarrowHostColumn) return ReportFormat::kMtrReportWide;
  for (size_t i = header + 1; i < lines.size(); ++i) {
    absl::string_view row = lines[i].text;
    size_t bar = row.find("|-- ");
    if (bar == absl::string_view::npos) continue;
    std::vector<absl::string_view> tokens =
        reports_internal::SplitWhitespace(row.substr(bar + 4));
    if (!tokens.empty() && tokens[0].size() > kNarrowHostWidth) {
      return ReportFormat::kMtrReportWide;
    }
    if (row.size() == line.size() + 2) return ReportFormat::kMtrReportWide;
    break;  // Only the first row is needed.
  }
  return ReportFormat::kMtrReport;
}

}  // namespace

absl::StatusOr<ReportFormat> DetectReportFormat(std::string_view text_in) {
  absl::string_view text = reports_internal::ToAbsl(text_in);
  std::vector<Line> lines = reports_internal::SplitLines(text);
  size_t i = 0;
  while (i < lines.size() && reports_internal::Trim(lines[i].text).empty()) ++i;
  auto unknown = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat(why, "; formats understood: ",
                     reports_internal::ToAbsl(UnderstoodReportFormats())));
  };
  if (i == lines.size()) return unknown("empty report");
  absl::string_view first = reports_internal::Trim(lines[i].text);

  if (absl::StartsWith(first, "{")) return ReportFormat::kMtrJson;
  if (absl::StartsWithIgnoreCase(first, "Mtr_Version,")) {
    return ReportFormat::kMtrCsv;
  }
  if (first.front() == '<') {
    std::string lower = absl::AsciiStrToLower(text.substr(0, 1 << 16));
    if (absl::StrContains(lower, "<table")) return ReportFormat::kWinMtrHtml;
    return unknown("HTML without a <table>");
  }
  if (first.front() == '|') {
    // WinMTR TEXT: rules and a title before the "Host - %" header.
    for (size_t j = i; j < lines.size() && j < i + 6; ++j) {
      absl::string_view t = lines[j].text;
      if (absl::StrContains(t, "| Sent |") || absl::StrContains(t, "WinMTR")) {
        return ReportFormat::kWinMtrText;
      }
    }
    return unknown("a '|' table that is not WinMTR's");
  }
  if (absl::StartsWith(first, "Start:")) {
    ++i;
    while (i < lines.size() && reports_internal::Trim(lines[i].text).empty()) {
      ++i;
    }
    if (i == lines.size()) return unknown("'Start:' without a 'HOST:' line");
  }
  if (auto h = reports_internal::ParseTableHeader(lines[i].text,
                                                  TableDialect::kMtr)) {
    return MtrReportVariant(lines, i, *h);
  }
  if (reports_internal::ParseTableHeader(lines[i].text,
                                         TableDialect::kArticle)) {
    return ReportFormat::kArticle;
  }
  return unknown(absl::StrCat("unrecognised first line '",
                              absl::CHexEscape(lines[i].text.substr(0, 60)),
                              "'"));
}

}  // namespace grid::diagnosis
