#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "diagnosis/reports/reports.h"
#include "gtest/gtest.h"
#include "tests/diagnosis/reports/round_trip.h"
#include "tests/diagnosis/reports/testdata.h"

namespace grid::diagnosis {
namespace {

using testing::ReportFixture;

// Start_Time of the first row.
absl::Time CsvStart(const std::string& csv) {
  std::vector<std::string> lines = absl::StrSplit(csv, '\n');
  std::vector<std::string> cells = absl::StrSplit(lines.at(1), ',');
  int64_t seconds = 0;
  EXPECT_TRUE(absl::SimpleAtoi(cells.at(1), &seconds));
  return absl::FromUnixSeconds(seconds);
}

TEST(MtrCsvWriter, MatchesMtrByteForByte) {
  for (const char* file : {"mtr/report.csv", "mtr/report_unreachable.csv"}) {
    std::string original = ReportFixture(file);
    ASSERT_OK_AND_ASSIGN(Trace t, ReadReport(original, file));
    MtrWriteOptions options;
    options.start_time = CsvStart(original);
    EXPECT_EQ(WriteMtrCsv(t, options), original) << file;
  }
}

TEST(MtrCsvWriter, RoundTrips) {
  Trace trace = testing::AwkwardTrace();
  std::string csv = WriteMtrCsv(trace, MtrWriteOptions());
  ASSERT_OK_AND_ASSIGN(Trace back, ReadReport(csv, "w.csv"));
  EXPECT_EQ(back.destination, "203.0.113.80");
  testing::ExpectSameHops(trace, back, 0.005, /*other_hosts=*/false);
}

TEST(MtrCsvWriter, RoundTripsCountsExactly) {
  Trace trace = testing::AwkwardTrace();
  trace.hops[0].received = 19;
  trace.hops[0].loss_pct = 5;
  MtrWriteOptions options;
  options.fields = "LDRS NBAWV";
  ASSERT_OK_AND_ASSIGN(Trace back,
                       ReadReport(WriteMtrCsv(trace, options), "c"));
  EXPECT_EQ(back.hops[0].received, 19);
}

}  // namespace
}  // namespace grid::diagnosis
