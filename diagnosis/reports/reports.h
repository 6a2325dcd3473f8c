// Readers and writers for the MTR-style reports customers send (mtr, WinMTR,
// the support article's layout), converting them to and from grid's Trace.
// The library does no file I/O: it takes and returns text. All functions are
// pure and thread-compatible. Formats are specified in design.md section 2
// and in diagnosis/reports/FORMATS.md.
#ifndef GRID_DIAGNOSIS_REPORTS_REPORTS_H_
#define GRID_DIAGNOSIS_REPORTS_REPORTS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "diagnosis/trace.h"

namespace grid::diagnosis {

// The report layouts grid understands.
enum class ReportFormat {
  kMtrReport,      // mtr -r / --report (host names cut to 25 characters).
  kMtrReportWide,  // mtr --report-wide.
  kMtrJson,        // mtr --json (0.95, and <= 0.93 with string numbers).
  kMtrCsv,         // mtr --csv (both header variants).
  kWinMtrText,     // WinMTR "Export TEXT".
  kWinMtrHtml,     // WinMTR "Export HTML".
  kArticle,        // The support article's simplified mtr layout.
};

// A short stable name such as "mtr-report" or "winmtr-html".
std::string_view ReportFormatName(ReportFormat format);

// Human-readable list of every format understood, for error messages.
std::string_view UnderstoodReportFormats();

// Guesses the format of `text` from its first lines. InvalidArgument, listing
// the formats understood, when it matches none.
absl::StatusOr<ReportFormat> DetectReportFormat(std::string_view text);

// Parses a report of any supported format (detected automatically).
// `source_name` (usually the file name) only prefixes error messages, which
// read "<source_name>:<line>: <what was wrong>" (InvalidArgument). A report
// without hop rows is an error, never an empty Trace.
absl::StatusOr<Trace> ReadReport(std::string_view text,
                                 std::string_view source_name);

// As ReadReport, for a format already known.
absl::StatusOr<Trace> ReadReportAs(ReportFormat format, std::string_view text,
                                   std::string_view source_name);

// What mtr prints besides the hop statistics. Every field has a default that
// mtr 0.95 would print for a plain `mtr -r`.
struct MtrWriteOptions {
  // "HOST:" (report) and "src" (JSON); Trace::source when empty.
  std::string local_host_name;
  // JSON "dst" and CSV "Host"; Trace::destination when empty.
  std::string destination;
  // "Start:" (report) and "Start_Time" (CSV, Unix seconds).
  absl::Time start_time = absl::UnixEpoch();
  // Zone of the "Start:" line (mtr uses local time).
  absl::TimeZone time_zone = absl::UTCTimeZone();
  // JSON "tests" (mtr -c); 0 means the largest Snt of any hop.
  int tests = 0;
  int tos = 0;                       // JSON "tos".
  int packet_size = 64;              // JSON "psize".
  std::string bit_pattern = "0x00";  // JSON "bitpattern".
  std::string mtr_version = "0.95";  // CSV "Mtr_Version" (prefixed "MTR.").
  // --report-wide: hosts are not cut and the host column fits the longest.
  bool wide = false;
  // mtr -o field order. Letters: L loss, D drop, R received, S sent,
  // ' ' blank, N last, B best, A avg, W worst, V stdev, M jitter avg,
  // X jitter max. Letters grid has no data for (J, I, G) and unknown letters
  // are skipped.
  std::string fields = "LS NABWV";
};

// mtr --report / --report-wide text (per options.wide).
std::string WriteMtrReport(const Trace& trace, const MtrWriteOptions& options);
// mtr --json text.
std::string WriteMtrJson(const Trace& trace, const MtrWriteOptions& options);
// mtr --csv text (mtr 0.95 header with the trailing comma).
std::string WriteMtrCsv(const Trace& trace, const MtrWriteOptions& options);

}  // namespace grid::diagnosis

#endif  // GRID_DIAGNOSIS_REPORTS_REPORTS_H_
