#include <set>

#include "diagnosis/reports/reports.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/diagnosis/reports/testdata.h"

namespace grid::diagnosis {
namespace {

using testing::ReportFixture;

struct Case {
  const char* file;
  ReportFormat format;
};

TEST(FormatDetect, DetectsEveryFixture) {
  const Case cases[] = {
      {"mtr/report.txt", ReportFormat::kMtrReport},
      {"mtr/report_names.txt", ReportFormat::kMtrReport},
      {"mtr/report_ecmp.txt", ReportFormat::kMtrReport},
      {"mtr/report_jitter.txt", ReportFormat::kMtrReport},
      {"mtr/report_asn.txt", ReportFormat::kMtrReport},
      {"mtr/report_both.txt", ReportFormat::kMtrReport},
      {"mtr/report_longhost.txt", ReportFormat::kMtrReport},
      {"mtr/report_unreachable.txt", ReportFormat::kMtrReport},
      {"mtr/report_wide.txt", ReportFormat::kMtrReportWide},
      {"mtr/report_names_wide.txt", ReportFormat::kMtrReportWide},
      {"mtr/report_wide_ecmp.txt", ReportFormat::kMtrReportWide},
      {"mtr/report_longhost_wide.txt", ReportFormat::kMtrReportWide},
      {"mtr/report.json", ReportFormat::kMtrJson},
      {"mtr/report_jitter.json", ReportFormat::kMtrJson},
      {"mtr/report.csv", ReportFormat::kMtrCsv},
      {"mtr/report_jitter.csv", ReportFormat::kMtrCsv},
      {"winmtr/winmtr_export.txt", ReportFormat::kWinMtrText},
      {"winmtr/winmtr_export.html", ReportFormat::kWinMtrHtml},
      {"article/example1_fwd.txt", ReportFormat::kArticle},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ReportFormat> f = DetectReportFormat(ReportFixture(c.file));
    ASSERT_TRUE(f.ok()) << c.file << ": " << f.status();
    EXPECT_EQ(ReportFormatName(*f), ReportFormatName(c.format)) << c.file;
  }
}

TEST(FormatDetect, UnknownFormatListsWhatIsUnderstood) {
  absl::StatusOr<Trace> t = ReadReport(
      "traceroute to 198.18.10.2, 30 hops max\n 1  198.18.1.1\n", "tr.txt");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(t.status().message()),
              ::testing::AllOf(::testing::StartsWith("tr.txt:1: "),
                               ::testing::HasSubstr("mtr --json"),
                               ::testing::HasSubstr("WinMTR 'Export HTML'")));
}

TEST(FormatDetect, EmptyInputIsAnError) {
  EXPECT_FALSE(DetectReportFormat("").ok());
  EXPECT_FALSE(DetectReportFormat("\n  \r\n").ok());
  EXPECT_FALSE(ReadReport("", "empty.txt").ok());
}

TEST(FormatDetect, NamesAreDistinct) {
  const ReportFormat all[] = {
      ReportFormat::kMtrReport,  ReportFormat::kMtrReportWide,
      ReportFormat::kMtrJson,    ReportFormat::kMtrCsv,
      ReportFormat::kWinMtrText, ReportFormat::kWinMtrHtml,
      ReportFormat::kArticle};
  std::set<std::string_view> names;
  for (ReportFormat f : all) names.insert(ReportFormatName(f));
  EXPECT_EQ(names.size(), 7u);
}

}  // namespace
}  // namespace grid::diagnosis
