#include "cli/render.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace grid::cli {
namespace {

using diagnosis::Diagnosis;
using diagnosis::Direction;
using diagnosis::Finding;
using diagnosis::Hop;
using diagnosis::Trace;
using diagnosis::VantageTraces;

enum class Mark { kNone, kFault, kDismissed };

constexpr char kRed[] = "\033[31m";
constexpr char kYellow[] = "\033[33m";
constexpr char kBold[] = "\033[1m";
constexpr char kReset[] = "\033[0m";

bool Covers(Direction finding, Direction trace) {
  return finding == Direction::kBoth || finding == trace;
}

Mark MarkOf(const Diagnosis& d, const std::string& vantage, Direction dir,
            const Hop& hop) {
  for (const Finding& f : d.findings) {
    if (!Covers(f.direction, dir) ||
        std::find(f.vantages.begin(), f.vantages.end(), vantage) ==
            f.vantages.end()) {
      continue;
    }
    if (std::find(f.hops.begin(), f.hops.end(), hop.host) != f.hops.end()) {
      return Mark::kFault;
    }
  }
  for (const diagnosis::Artifact& a : d.artifacts) {
    if (a.vantage == vantage && a.direction == dir && a.hop == hop.host) {
      return Mark::kDismissed;
    }
  }
  return Mark::kNone;
}

std::string Paint(const std::string& text, const char* code, bool color) {
  return color ? absl::StrCat(code, text, kReset) : text;
}

void RenderTable(const Diagnosis& d, const std::string& vantage, Direction dir,
                 const Trace& trace, bool color, std::string& out) {
  size_t width = 24;
  for (const Hop& hop : trace.hops) width = std::max(width, hop.host.size());
  absl::StrAppend(
      &out, absl::StrFormat("       %-*s %6s %5s %6s %6s %6s %6s %6s\n",
                            static_cast<int>(width), "Host", "Loss%", "Snt",
                            "Last", "Avg", "Best", "Wrst", "StDev"));
  for (const Hop& hop : trace.hops) {
    const Mark mark = MarkOf(d, vantage, dir, hop);
    std::string line = absl::StrFormat(
        "%s %3d. %-*s %5.1f%% %5d %6.1f %6.1f %6.1f %6.1f %6.1f",
        mark == Mark::kFault       ? "!"
        : mark == Mark::kDismissed ? "~"
                                   : " ",
        hop.ttl, static_cast<int>(width), hop.host, hop.loss_pct, hop.sent,
        hop.last_ms, hop.avg_ms, hop.best_ms, hop.worst_ms, hop.stdev_ms);
    if (mark == Mark::kFault) line = Paint(line, kRed, color);
    if (mark == Mark::kDismissed) line = Paint(line, kYellow, color);
    absl::StrAppend(&out, line, "\n");
    for (const std::string& other : hop.other_hosts) {
      absl::StrAppend(&out, "       ", other, "\n");
    }
  }
}

}  // namespace

bool StdoutWantsColor() {
  return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
}

std::string RenderDiagnosis(const Diagnosis& d,
                            absl::Span<const VantageTraces> vantages,
                            const RenderOptions& options) {
  const bool color = options.color;
  std::string out;
  for (const VantageTraces& v : vantages) {
    absl::StrAppend(
        &out, Paint(absl::StrCat(v.name, " -> server"), kBold, color), "\n");
    RenderTable(d, v.name, Direction::kForward, v.forward, color, out);
    if (v.ret) {
      absl::StrAppend(
          &out, Paint(absl::StrCat("server -> ", v.name), kBold, color), "\n");
      RenderTable(d, v.name, Direction::kReturn, *v.ret, color, out);
    }
    absl::StrAppend(&out, "\n");
  }
  const bool healthy = d.verdict == diagnosis::Verdict::kHealthy;
  absl::StrAppend(
      &out,
      Paint(absl::StrCat("Verdict: ",
                         std::string(diagnosis::VerdictName(d.verdict))),
            healthy ? kBold : kRed, color),
      "\n", d.summary, "\n");
  if (!d.findings.empty())
    absl::StrAppend(&out, "\nFindings (! in the tables):\n");
  int n = 0;
  for (const Finding& f : d.findings) {
    absl::StrAppend(
        &out,
        absl::StrFormat("  %d. %s at %s (%s), vantages %s, hops %s; "
                        "confidence %.2f\n     %s\n",
                        ++n, diagnosis::FindingKindName(f.kind),
                        diagnosis::LocationName(f.location),
                        diagnosis::DirectionName(f.direction),
                        absl::StrJoin(f.vantages, ", "),
                        absl::StrJoin(f.hops, ", "), f.confidence, f.evidence));
  }
  if (!d.artifacts.empty()) {
    absl::StrAppend(&out, "\nDismissed (~ in the tables):\n");
  }
  for (const diagnosis::Artifact& a : d.artifacts) {
    absl::StrAppend(
        &out, "  - ", a.vantage,
        a.direction == Direction::kForward ? " -> server, " : " <- server, ",
        a.hop, ": ", a.note, "\n");
  }
  return out;
}

}  // namespace grid::cli
