// WriteMtrReport against mtr's own output: the same values must give the
// same bytes, and what it writes must read back.
#include "absl/strings/str_split.h"
#include "diagnosis/reports/reports.h"
#include "gtest/gtest.h"
#include "tests/diagnosis/reports/round_trip.h"
#include "tests/diagnosis/reports/testdata.h"

namespace grid::diagnosis {
namespace {

using testing::ReportFixture;

void ExpectRewritesIdentically(const char* file, bool wide) {
  std::string original = ReportFixture(file);
  ASSERT_OK_AND_ASSIGN(Trace t, ReadReport(original, file));
  MtrWriteOptions options;
  options.start_time = testing::ReportStartTime(original);
  options.wide = wide;
  EXPECT_EQ(WriteMtrReport(t, options), original) << file;
}

TEST(MtrReportWriter, MatchesMtrByteForByte) {
  for (const char* file : {"mtr/report.txt", "mtr/report_names.txt",
                           "mtr/report_unreachable.txt", "mtr/report_ecmp.txt",
                           "mtr/report_longhost.txt", "mtr/report_both.txt"}) {
    ExpectRewritesIdentically(file, /*wide=*/false);
  }
}

TEST(MtrReportWriter, MatchesMtrWideByteForByte) {
  for (const char* file :
       {"mtr/report_wide.txt", "mtr/report_names_wide.txt",
        "mtr/report_wide_ecmp.txt", "mtr/report_longhost_wide.txt"}) {
    ExpectRewritesIdentically(file, /*wide=*/true);
  }
}

TEST(MtrReportWriter, MatchesMtrExtraColumnsLayout) {
  // mtr -o "LDRS NBAWV JMXI": grid has no Jttr/Jint, so compare the header
  // and rows of -o "LDRS NBAWV" cut from mtr's own lines.
  std::string original = ReportFixture("mtr/report_jitter.txt");
  ASSERT_OK_AND_ASSIGN(Trace t, ReadReport(original, "j"));
  MtrWriteOptions options;
  options.start_time = testing::ReportStartTime(original);
  options.fields = "LDRS NBAWV";
  std::string want;
  for (absl::string_view line : absl::StrSplit(original, '\n')) {
    if (line.empty()) continue;
    // Field widths up to StDev: 33 + 6+5+6+6+1+6*5 = 87 characters.
    want += std::string(
        line.substr(0, line.rfind("Start:", 0) == 0 ? line.size() : 87));
    want += "\n";
  }
  EXPECT_EQ(WriteMtrReport(t, options), want);
}

TEST(MtrReportWriter, RoundTripsNarrowAndWide) {
  Trace trace = testing::AwkwardTrace();
  for (bool wide : {false, true}) {
    MtrWriteOptions options;
    options.wide = wide;
    std::string text = WriteMtrReport(trace, options);
    ASSERT_OK_AND_ASSIGN(ReportFormat f, DetectReportFormat(text));
    EXPECT_EQ(f, wide ? ReportFormat::kMtrReportWide : ReportFormat::kMtrReport)
        << text;
    ASSERT_OK_AND_ASSIGN(Trace back, ReadReport(text, "w"));
    EXPECT_EQ(back.source, "client-y");
    testing::ExpectSameHops(trace, back, 0.05, /*other_hosts=*/true);
  }
}

TEST(MtrReportWriter, RoundTripsExtraColumns) {
  Trace trace = testing::AwkwardTrace();
  trace.hops[0].received = 19;  // Rcv/Drop carry counts exactly.
  trace.hops[0].loss_pct = 5;
  trace.hops[1].jitter_avg_ms = 1.5;
  trace.hops[1].jitter_max_ms = 12.25;
  MtrWriteOptions options;
  options.fields = "LDRS NBAWV MX";
  ASSERT_OK_AND_ASSIGN(Trace back,
                       ReadReport(WriteMtrReport(trace, options), "x"));
  testing::ExpectSameHops(trace, back, 0.05, true);
  EXPECT_DOUBLE_EQ(*back.hops[1].jitter_avg_ms, 1.5);
  EXPECT_NEAR(*back.hops[1].jitter_max_ms, 12.2, 0.051);
}

}  // namespace
}  // namespace grid::diagnosis
