#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "diagnosis/reports/readers.h"
#include "diagnosis/reports/reports.h"
#include "diagnosis/reports/text_lines.h"

namespace grid::diagnosis {
namespace {

// Reports are a few kilobytes; anything this large is not one.
constexpr size_t kMaxReportBytes = 16 << 20;

}  // namespace

absl::StatusOr<Trace> ReadReportAs(ReportFormat format,
                                   std::string_view text_in,
                                   std::string_view source_in) {
  absl::string_view text = reports_internal::ToAbsl(text_in);
  absl::string_view source_name = reports_internal::ToAbsl(source_in);
  if (text.size() > kMaxReportBytes) {
    return reports_internal::LineError(
        source_name, 1,
        absl::StrCat("file of ", text.size(),
                     " bytes is too large for a report"));
  }
  switch (format) {
    case ReportFormat::kMtrReport:
    case ReportFormat::kMtrReportWide:
      return reports_internal::ReadMtrReport(text, source_name);
    case ReportFormat::kMtrJson:
      return reports_internal::ReadMtrJson(text, source_name);
    case ReportFormat::kMtrCsv:
      return reports_internal::ReadMtrCsv(text, source_name);
    case ReportFormat::kWinMtrText:
      return reports_internal::ReadWinMtrText(text, source_name);
    case ReportFormat::kWinMtrHtml:
      return reports_internal::ReadWinMtrHtml(text, source_name);
    case ReportFormat::kArticle:
      return reports_internal::ReadArticle(text, source_name);
  }
  return absl::InvalidArgumentError("unknown report format");
}

absl::StatusOr<Trace> ReadReport(std::string_view text,
                                 std::string_view source_name) {
  absl::StatusOr<ReportFormat> format = DetectReportFormat(text);
  if (!format.ok()) {
    return reports_internal::LineError(reports_internal::ToAbsl(source_name), 1,
                                       format.status().message());
  }
  return ReadReportAs(*format, text, source_name);
}

}  // namespace grid::diagnosis
