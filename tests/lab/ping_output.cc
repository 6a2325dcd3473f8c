#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "tests/lab/lab.h"

namespace grid::lab {

absl::StatusOr<PingResult> ParsePingOutput(const std::string& out) {
  PingResult r;
  bool have_counts = false;
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    const std::string l(line);
    if (absl::StrContains(l, "packets transmitted")) {
      have_counts =
          std::sscanf(l.c_str(), "%d packets transmitted, %d received",
                      &r.transmitted, &r.received) == 2;
      if (const size_t plus = l.find(", +"); plus != std::string::npos) {
        std::sscanf(l.c_str() + plus, ", +%d errors", &r.errors);
      }
    } else if (absl::StartsWith(l, "rtt ") ||
               absl::StartsWith(l, "round-trip")) {
      const size_t eq = l.find('=');
      if (eq == std::string::npos ||
          std::sscanf(l.c_str() + eq + 1, " %lf/%lf/%lf", &r.min_ms, &r.avg_ms,
                      &r.max_ms) != 3) {
        return absl::InvalidArgumentError("unreadable ping rtt line: " + l);
      }
    }
  }
  if (!have_counts) {
    return absl::InvalidArgumentError("no ping summary in: " + out);
  }
  return r;
}

}  // namespace grid::lab
