#include "tests/diagnosis/reports/testdata.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace grid::diagnosis::testing {

std::string ReportFixture(std::string_view relative) {
  std::string path =
      absl::StrCat(GRID_TESTDATA_DIR, "/reports/", std::string(relative));
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

absl::Time ReportStartTime(std::string_view report) {
  std::string line(report.substr(0, report.find('\n')));
  EXPECT_EQ(line.rfind("Start: ", 0), 0u) << line;
  absl::Time t;
  std::string err;
  EXPECT_TRUE(absl::ParseTime("%Y-%m-%dT%H:%M:%S%z", line.substr(7), &t, &err))
      << err;
  return t;
}

std::string DebugString(const Trace& trace) {
  std::string out =
      absl::StrCat("src=", trace.source, " dst=", trace.destination, "\n");
  for (const Hop& h : trace.hops) {
    absl::StrAppendFormat(
        &out, "%d %s snt=%d rcv=%d loss=%g %g/%g/%g/%g sd=%g\n", h.ttl, h.host,
        h.sent, h.received, h.loss_pct, h.last_ms, h.avg_ms, h.best_ms,
        h.worst_ms, h.stdev_ms);
  }
  return out;
}

}  // namespace grid::diagnosis::testing
