// Malformed and truncated reports: InvalidArgument naming source and line,
// never a crash and never an empty trace.
#include "diagnosis/reports/reports.h"
#include "gtest/gtest.h"
#include "tests/diagnosis/reports/testdata.h"

namespace grid::diagnosis {
namespace {

using testing::ReportFixture;

std::string ErrorOf(std::string_view text, std::string_view source) {
  absl::StatusOr<Trace> t = ReadReport(text, source);
  EXPECT_FALSE(t.ok()) << testing::DebugString(*t);
  if (t.ok()) return "";
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(t.status().message());
}

// The first `n` lines of `text`.
std::string Head(const std::string& text, int n) {
  size_t at = 0;
  for (int i = 0; i < n && at != std::string::npos; ++i) {
    at = text.find('\n', at);
    if (at != std::string::npos) ++at;
  }
  return text.substr(0, at);
}

TEST(ReportErrors, TruncatedArticleRow) {
  std::string text = ReportFixture("article/example1_fwd.txt");
  // Cut line 7 after its Avg column.
  std::string cut =
      Head(text, 6) +
      "6. be5678.ccr21.isp.net             0.0%   20   60.1   59.9\n";
  EXPECT_EQ(ErrorOf(cut, "x.txt"),
            "x.txt:7: expected 7 numeric columns after the host, found 4");
}

TEST(ReportErrors, TruncatedMtrReportRow) {
  std::string text = ReportFixture("mtr/report.txt");
  std::string cut = text.substr(0, text.rfind("0.1   0.1   0.2"));
  EXPECT_EQ(ErrorOf(cut, "r.txt"),
            "r.txt:6: expected 7 numeric columns after the host, found 3");
}

TEST(ReportErrors, HeaderWithoutRows) {
  std::string text = ReportFixture("mtr/report.txt");
  EXPECT_EQ(ErrorOf(Head(text, 2), "h.txt"), "h.txt:2: header but no hop rows");
  std::string article = ReportFixture("article/example2_fwd.txt");
  EXPECT_EQ(ErrorOf(Head(article, 1), "a.txt"),
            "a.txt:1: header but no hop rows");
  EXPECT_EQ(ErrorOf(Head(ReportFixture("mtr/report.csv"), 1), "c.csv"),
            "c.csv:1: header but no hop rows");
  EXPECT_EQ(ErrorOf("{\"report\": {\"mtr\": {}, \"hubs\": []}}", "j.json"),
            "j.json:1: report has no hubs (no hop rows)");
  EXPECT_EQ(ErrorOf(Head(ReportFixture("winmtr/winmtr_export.txt"), 4) +
                        "|________________________________________________|"
                        "______|______|______|______|______|______|\r\n",
                    "w.txt"),
            "w.txt:3: header but no hop rows");
}

TEST(ReportErrors, GarbledValues) {
  std::string text = ReportFixture("mtr/report.txt");
  std::string bad = text;
  bad.replace(bad.find("15.0%"), 5, "15.x%");
  EXPECT_EQ(ErrorOf(bad, "g.txt"),
            "g.txt:6: expected 7 numeric columns after the host, found 6");
  bad = text;
  bad.replace(bad.find("15.0%"), 5, "150.%");
  EXPECT_EQ(ErrorOf(bad, "g.txt"), "g.txt:6: Loss% 150 is over 100");
  bad = text;
  bad.replace(bad.find("  3.|--"), 7, "  2.|--");
  EXPECT_EQ(ErrorOf(bad, "g.txt"), "g.txt:5: hop 2 does not follow hop 2");
  bad = text + "garbage at the end\n";
  EXPECT_EQ(ErrorOf(bad, "g.txt"),
            "g.txt:7: expected a hop row like '  1.|-- <host>' and 7 numeric "
            "columns");
}

TEST(ReportErrors, BrokenJsonNamesTheLine) {
  std::string text = ReportFixture("mtr/report.json");
  std::string cut = Head(text, 20);  // Ends inside the first hub.
  EXPECT_EQ(ErrorOf(cut, "t.json"),
            "t.json:20: invalid JSON: unexpected end of input; expected string "
            "literal");
  EXPECT_EQ(ErrorOf("{\"report\": 1}", "s.json"),
            "s.json:1: expected mtr's {\"report\": {...}} object");
  std::string deep = std::string(100000, '[');
  EXPECT_NE(ErrorOf("{" + deep, "d.json").find("nested too deeply"),
            std::string::npos);
}

TEST(ReportErrors, CsvBadHop) {
  std::string text = ReportFixture("mtr/report.csv");
  text.replace(text.find(",3,198.18.4.2"), 3, ",x,");
  EXPECT_EQ(ErrorOf(text, "b.csv"), "b.csv:4: Hop 'x' is not in 1..255");
}

TEST(ReportErrors, WinMtrRecvAboveSent) {
  std::string text = ReportFixture("winmtr/winmtr_export.txt");
  text.replace(text.find("|   60 |   54 |"), 15, "|   60 |   64 |");
  EXPECT_EQ(ErrorOf(text, "w.txt"),
            "w.txt:6: received count 64 does not fit Snt 60");
}

TEST(ReportErrors, BinaryJunk) {
  std::string junk("\x00\x01\xff\xfe{\x7f", 6);
  EXPECT_FALSE(ReadReport(junk, "bin").ok());
  EXPECT_FALSE(ReadReport("{", "j").ok());
  EXPECT_FALSE(ReadReport("<table><tr><td>Host", "h").ok());
  EXPECT_FALSE(ReadReport("HOST: x Loss% Snt\n  1.|-- a 0.0%\n", "m").ok());
}

}  // namespace
}  // namespace grid::diagnosis
