// mtr --csv from the real mtr 0.95, and the newer "Snt,,Last" header.
#include "diagnosis/reports/reports.h"
#include "gtest/gtest.h"
#include "tests/diagnosis/reports/testdata.h"

namespace grid::diagnosis {
namespace {

using testing::ReportFixture;

TEST(MtrCsv, ReadsRows) {
  ASSERT_OK_AND_ASSIGN(Trace t,
                       ReadReport(ReportFixture("mtr/report.csv"), "r.csv"));
  EXPECT_EQ(t.destination, "198.18.10.2");
  ASSERT_EQ(t.hops.size(), 4u);
  const Hop& h = t.hops[3];
  EXPECT_EQ(h.ttl, 4);
  EXPECT_EQ(h.host, "198.18.10.2");
  EXPECT_DOUBLE_EQ(h.loss_pct, 5.0);
  EXPECT_EQ(h.sent, 40);
  EXPECT_EQ(h.received, 38);  // The blank column holds the drop count (2).
  EXPECT_DOUBLE_EQ(h.last_ms, 0.08);
  EXPECT_DOUBLE_EQ(h.worst_ms, 0.11);
  EXPECT_DOUBLE_EQ(t.hops[1].worst_ms, 0.14);
}

TEST(MtrCsv, ReadsExtraColumns) {
  ASSERT_OK_AND_ASSIGN(Trace t,
                       ReadReport(ReportFixture("mtr/report_jitter.csv"), "j"));
  const Hop& h = t.hops[3];
  EXPECT_EQ(h.received, 35);
  EXPECT_DOUBLE_EQ(h.best_ms, 0.07);  // Best comes before Avg in this order.
  EXPECT_DOUBLE_EQ(h.avg_ms, 0.09);
  ASSERT_TRUE(h.jitter_max_ms.has_value());
  EXPECT_DOUBLE_EQ(*h.jitter_max_ms, 0.08);
}

TEST(MtrCsv, ReadsSilentHop) {
  ASSERT_OK_AND_ASSIGN(
      Trace t, ReadReport(ReportFixture("mtr/report_unreachable.csv"), "u"));
  EXPECT_EQ(t.hops[2].host, kNoResponseHost);
  EXPECT_EQ(t.hops[2].received, 0);
  EXPECT_DOUBLE_EQ(t.hops[2].loss_pct, 100.0);
}

TEST(MtrCsv, ReadsNewerHeaderWithoutTrailingComma) {
  const char* text =
      "Mtr_Version,Start_Time,Status,Host,Hop,Ip,Loss%,Snt,,Last,Avg,Best,"
      "Wrst,StDev\n"
      "MTR.0.96,1700000000,OK,198.18.10.2,1,198.18.1.1,0.00,10,0,0.08,0.07,"
      "0.06,0.10,0.01\n"
      "MTR.0.96,1700000000,OK,198.18.10.2,2,198.18.10.2,30.00,10,3,1.50,1.25,"
      "1.00,2.00,0.30\n";
  ASSERT_OK_AND_ASSIGN(Trace t, ReadReport(text, "new.csv"));
  ASSERT_EQ(t.hops.size(), 2u);
  EXPECT_EQ(t.hops[1].received, 7);
  EXPECT_DOUBLE_EQ(t.hops[1].avg_ms, 1.25);
  EXPECT_DOUBLE_EQ(t.hops[1].stdev_ms, 0.30);
}

TEST(MtrCsv, RejectsShortRowWithLine) {
  std::string text = ReportFixture("mtr/report.csv");
  text = text.substr(0, text.rfind(",0.08,"));  // Truncated inside row 4.
  absl::StatusOr<Trace> t = ReadReport(text, "cut.csv");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(std::string(t.status().message()),
            "cut.csv:5: expected 14 comma-separated fields, found 10");
}

}  // namespace
}  // namespace grid::diagnosis
