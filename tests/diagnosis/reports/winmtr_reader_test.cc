// WinMTR "Export TEXT" and "Export HTML" (fixtures written from the
// documented layout: tests/testdata/reports/winmtr/).
#include <cmath>

#include "diagnosis/reports/reports.h"
#include "gtest/gtest.h"
#include "tests/diagnosis/reports/testdata.h"

namespace grid::diagnosis {
namespace {

using testing::ReportFixture;

void ExpectWinMtrHops(const Trace& t) {
  ASSERT_EQ(t.hops.size(), 7u);
  for (size_t i = 0; i < t.hops.size(); ++i) {
    EXPECT_EQ(t.hops[i].ttl, static_cast<int>(i) + 1);  // Assigned 1..n.
    EXPECT_TRUE(t.hops[i].stdev_estimated);
  }
  const Hop& first = t.hops[0];
  EXPECT_EQ(first.host, "192.168.1.1");
  EXPECT_EQ(first.sent, 60);
  EXPECT_EQ(first.received, 51);  // Recv, not derived from the percent.
  EXPECT_DOUBLE_EQ(first.loss_pct, 15.0);
  EXPECT_DOUBLE_EQ(first.best_ms, 1);
  EXPECT_DOUBLE_EQ(first.avg_ms, 3);
  EXPECT_DOUBLE_EQ(first.worst_ms, 10);
  EXPECT_DOUBLE_EQ(first.last_ms, 1);
  // Range 9 ms over 51 samples: 9 / d2(51), d2(51) ~ 4.51.
  EXPECT_NEAR(first.stdev_ms, 9 / 4.51, 0.01);
  // 6 of 60 lost is exactly 10%.
  EXPECT_DOUBLE_EQ(t.hops[1].loss_pct, 10.0);
  const Hop& silent = t.hops[2];
  EXPECT_EQ(silent.host, kNoResponseHost);
  EXPECT_EQ(silent.sent, 12);
  EXPECT_EQ(silent.received, 0);
  EXPECT_DOUBLE_EQ(silent.loss_pct, 100);
  EXPECT_DOUBLE_EQ(silent.stdev_ms, 0);
  EXPECT_EQ(t.hops[6].host, "server.example.net");
  EXPECT_DOUBLE_EQ(t.hops[6].avg_ms, 80);
}

TEST(WinMtrText, ReadsExport) {
  std::string text = ReportFixture("winmtr/winmtr_export.txt");
  ASSERT_NE(text.find("\r\n"), std::string::npos);  // CRLF as WinMTR writes.
  ASSERT_OK_AND_ASSIGN(Trace t, ReadReport(text, "w.txt"));
  ExpectWinMtrHops(t);
}

TEST(WinMtrHtml, ReadsExport) {
  ASSERT_OK_AND_ASSIGN(
      Trace t,
      ReadReport(ReportFixture("winmtr/winmtr_export.html"), "w.html"));
  ExpectWinMtrHops(t);
}

TEST(WinMtrHtml, TextAndHtmlAgree) {
  ASSERT_OK_AND_ASSIGN(
      Trace a, ReadReport(ReportFixture("winmtr/winmtr_export.txt"), "a"));
  ASSERT_OK_AND_ASSIGN(
      Trace b, ReadReport(ReportFixture("winmtr/winmtr_export.html"), "b"));
  ASSERT_EQ(a.hops.size(), b.hops.size());
  for (size_t i = 0; i < a.hops.size(); ++i) {
    EXPECT_EQ(a.hops[i].host, b.hops[i].host);
    EXPECT_EQ(a.hops[i].received, b.hops[i].received);
    EXPECT_DOUBLE_EQ(a.hops[i].stdev_ms, b.hops[i].stdev_ms);
  }
}

TEST(WinMtrHtml, DecodesEntitiesAndUppercaseTags) {
  const char* html =
      "<HTML><BODY><TABLE border=1>\n"
      "<TR><TH>Host</TH><TH>%</TH><TH>Sent</TH><TH>Recv</TH><TH>Best</TH>"
      "<TH>Avrg</TH><TH>Wrst</TH><TH>Last</TH></TR>\n"
      "<TR><TD>gw&amp;co.example</TD><TD>0</TD><TD>10</TD><TD>10</TD>"
      "<TD>1</TD><TD>2</TD><TD>3</TD><TD>2</TD></TR>\n"
      "</TABLE></BODY></HTML>\n";
  ASSERT_OK_AND_ASSIGN(Trace t, ReadReport(html, "u.html"));
  ASSERT_EQ(t.hops.size(), 1u);
  EXPECT_EQ(t.hops[0].host, "gw&co.example");
  EXPECT_EQ(t.hops[0].received, 10);
}

TEST(WinMtrText, TruncatedExportNamesTheLine) {
  absl::StatusOr<Trace> t =
      ReadReport(ReportFixture("winmtr/winmtr_truncated.txt"), "cut.txt");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(std::string(t.status().message()),
            "cut.txt:9: expected a WinMTR table line between '|' characters");
}

TEST(WinMtrHtml, TruncatedExportIsAnError) {
  absl::StatusOr<Trace> t =
      ReadReport(ReportFixture("winmtr/winmtr_truncated.html"), "cut.html");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(t.status().message()),
            "cut.html:10: the <table> is never closed (truncated file?)");
}

}  // namespace
}  // namespace grid::diagnosis
