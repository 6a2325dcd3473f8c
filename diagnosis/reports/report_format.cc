#include "diagnosis/reports/reports.h"

namespace grid::diagnosis {

std::string_view ReportFormatName(ReportFormat format) {
  switch (format) {
    case ReportFormat::kMtrReport:
      return "mtr-report";
    case ReportFormat::kMtrReportWide:
      return "mtr-report-wide";
    case ReportFormat::kMtrJson:
      return "mtr-json";
    case ReportFormat::kMtrCsv:
      return "mtr-csv";
    case ReportFormat::kWinMtrText:
      return "winmtr-text";
    case ReportFormat::kWinMtrHtml:
      return "winmtr-html";
    case ReportFormat::kArticle:
      return "article";
  }
  return "unknown";
}

std::string_view UnderstoodReportFormats() {
  return "mtr --report / --report-wide text ('HOST: ...' header), mtr --json, "
         "mtr --csv, WinMTR 'Export TEXT', WinMTR 'Export HTML', and the "
         "simplified layout 'Host  Loss%  Snt  Last  Avg  Best  Wrst  StDev' "
         "with rows '1. <host> ...'";
}

}  // namespace grid::diagnosis
