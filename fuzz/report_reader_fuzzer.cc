// libFuzzer target for grid_reports: every reader sees every input (not only
// the detected format), and whatever parses must keep the Trace invariants
// and survive the writers and a JSON round trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "diagnosis/reports/reports.h"

namespace {

using grid::diagnosis::Hop;
using grid::diagnosis::ReportFormat;
using grid::diagnosis::Trace;

void Check(bool ok) {
  if (!ok) std::abort();
}

// Hosts that survive any writer/reader unchanged (the text formats cannot
// carry control characters, and JSON needs valid UTF-8).
bool PlainAscii(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

void CheckTrace(const Trace& trace) {
  Check(!trace.hops.empty());
  int previous_ttl = 0;
  bool plain = PlainAscii(trace.source) && PlainAscii(trace.destination);
  for (const Hop& hop : trace.hops) {
    Check(hop.ttl > previous_ttl);
    previous_ttl = hop.ttl;
    Check(!hop.host.empty());
    Check(hop.sent >= 0 && hop.received >= 0 && hop.received <= hop.sent);
    Check(hop.loss_pct >= 0 && hop.loss_pct <= 100);
    Check(hop.best_ms >= 0 && hop.worst_ms >= 0 && hop.avg_ms >= 0 &&
          hop.stdev_ms >= 0 && hop.last_ms >= 0);
    plain = plain && PlainAscii(hop.host);
  }
  grid::diagnosis::MtrWriteOptions options;
  options.fields = "LDRS NBAWV MX";
  std::string report = grid::diagnosis::WriteMtrReport(trace, options);
  options.wide = true;
  report = grid::diagnosis::WriteMtrReport(trace, options);
  std::string csv = grid::diagnosis::WriteMtrCsv(trace, options);
  std::string json = grid::diagnosis::WriteMtrJson(trace, options);
  if (plain) {
    absl::StatusOr<Trace> back = grid::diagnosis::ReadReport(json, "rt.json");
    Check(back.ok());
    Check(back->hops.size() == trace.hops.size());
    for (size_t i = 0; i < trace.hops.size(); ++i) {
      Check(back->hops[i].host == trace.hops[i].host);
      Check(back->hops[i].sent == trace.hops[i].sent);
      Check(back->hops[i].received == trace.hops[i].received);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<Trace> trace = grid::diagnosis::ReadReport(text, "fuzz");
  if (trace.ok()) {
    CheckTrace(*trace);
  } else {
    Check(trace.status().code() == absl::StatusCode::kInvalidArgument);
    Check(trace.status().message().substr(0, 5) == "fuzz:");
  }
  for (ReportFormat format :
       {ReportFormat::kMtrReport, ReportFormat::kMtrJson, ReportFormat::kMtrCsv,
        ReportFormat::kWinMtrText, ReportFormat::kWinMtrHtml,
        ReportFormat::kArticle}) {
    absl::StatusOr<Trace> t =
        grid::diagnosis::ReadReportAs(format, text, "fuzz");
    if (t.ok()) CheckTrace(*t);
  }
  return 0;
}
