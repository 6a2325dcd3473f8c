// The support article's seven examples (blocks copied verbatim from
// /work/shared/seed into tests/testdata/reports/article/).
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "diagnosis/reports/reports.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/diagnosis/reports/testdata.h"

namespace grid::diagnosis {
namespace {

using testing::ReportFixture;

constexpr const char* kBlocks[] = {
    "example1_fwd",   "example1_ret",   "example2_fwd",   "example2_ret",
    "example3_fwd",   "example3_ret",   "example4_fwd",   "example4_ret",
    "example5_fwd_x", "example5_fwd_y", "example5_ret_x", "example5_ret_y",
    "example6_fwd",   "example6_ret",   "example7_fwd",   "example7_ret"};

std::string Block(std::string_view name) {
  return ReportFixture(absl::StrCat("article/", std::string(name), ".txt"));
}

TEST(Article, EveryBlockIsDetectedAndHasEightHops) {
  for (const char* name : kBlocks) {
    std::string text = Block(name);
    ASSERT_OK_AND_ASSIGN(ReportFormat f, DetectReportFormat(text));
    EXPECT_EQ(f, ReportFormat::kArticle) << name;
    ASSERT_OK_AND_ASSIGN(Trace t, ReadReport(text, name));
    ASSERT_EQ(t.hops.size(), 8u) << name;
    for (int i = 0; i < 8; ++i) {
      EXPECT_EQ(t.hops[i].ttl, i + 1) << name;
      EXPECT_EQ(t.hops[i].sent, 20) << name;
    }
    // Outbound blocks end at the server, return blocks start there.
    bool ret = absl::StrContains(name, "_ret");
    EXPECT_EQ(t.hops[ret ? 0 : 7].host, "Doel-IP (Server)") << name;
    EXPECT_EQ(t.hops[ret ? 7 : 0].host, "192.168.1.1") << name;
  }
}

TEST(Article, Example1LossAtTheClient) {
  ASSERT_OK_AND_ASSIGN(Trace fwd, ReadReport(Block("example1_fwd"), "e1"));
  EXPECT_DOUBLE_EQ(fwd.hops[0].loss_pct, 15.0);
  EXPECT_EQ(fwd.hops[0].received, 17);
  EXPECT_DOUBLE_EQ(fwd.hops[1].loss_pct, 10.0);
  EXPECT_EQ(fwd.hops[1].received, 18);
  EXPECT_DOUBLE_EQ(fwd.hops[0].last_ms, 1.1);
  EXPECT_DOUBLE_EQ(fwd.hops[0].avg_ms, 3.4);
  EXPECT_DOUBLE_EQ(fwd.hops[0].best_ms, 1.0);
  EXPECT_DOUBLE_EQ(fwd.hops[0].worst_ms, 10.2);
  EXPECT_DOUBLE_EQ(fwd.hops[0].stdev_ms, 2.8);
  EXPECT_DOUBLE_EQ(fwd.hops[7].loss_pct, 0.0);
  EXPECT_EQ(fwd.hops[4].host, "be1234.ccr42.isp.net");
}

TEST(Article, Example5ClientYLossAtIspHops) {
  ASSERT_OK_AND_ASSIGN(Trace y, ReadReport(Block("example5_fwd_y"), "e5y"));
  EXPECT_DOUBLE_EQ(y.hops[3].loss_pct, 30.0);
  EXPECT_DOUBLE_EQ(y.hops[4].loss_pct, 25.0);
  EXPECT_DOUBLE_EQ(y.hops[4].worst_ms, 250.0);
  EXPECT_DOUBLE_EQ(y.hops[4].stdev_ms, 55.0);
  EXPECT_DOUBLE_EQ(y.hops[5].loss_pct, 10.0);
}

TEST(Article, Example7ReturnWithRaggedColumns) {
  // Rows 2 and 5-8 of this block are one column left of the others.
  ASSERT_OK_AND_ASSIGN(Trace r, ReadReport(Block("example7_ret"), "e7r"));
  EXPECT_DOUBLE_EQ(r.hops[3].loss_pct, 15.0);
  EXPECT_DOUBLE_EQ(r.hops[5].loss_pct, 10.0);
  EXPECT_DOUBLE_EQ(r.hops[5].stdev_ms, 2.5);
  EXPECT_EQ(r.hops[6].host, "10.0.0.1");
  EXPECT_DOUBLE_EQ(r.hops[0].avg_ms, 84.5);
}

}  // namespace
}  // namespace grid::diagnosis
