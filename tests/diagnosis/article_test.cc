// The support article's seven worked examples (design.md § 1): the report
// blocks copied verbatim from the article, read by the report reader, must
// get the article's verdicts.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "diagnosis/diagnosis.h"
#include "diagnosis/reports/reports.h"

namespace grid::diagnosis {
namespace {

Trace Load(const std::string& name) {
  const std::string path = std::string(GRID_TESTDATA_DIR) + "/article/" + name;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<Trace> trace = ReadReport(text.str(), path);
  EXPECT_TRUE(trace.ok()) << trace.status();
  return trace.ok() ? *trace : Trace{};
}

Diagnosis Example(int n) {
  const std::string p = "example" + std::to_string(n);
  std::vector<VantageTraces> v = {
      {"client", Load(p + "_fwd.txt"), Load(p + "_ret.txt")}};
  return Diagnose(v);
}

std::vector<std::string> Hops(std::initializer_list<const char*> hops) {
  return std::vector<std::string>(hops.begin(), hops.end());
}

TEST(Article, Example1ClientLoss) {
  Diagnosis d = Example(1);
  EXPECT_EQ(d.verdict, Verdict::kClientLoss) << d.summary;
  EXPECT_EQ(d.findings[0].direction, Direction::kBoth);
  EXPECT_EQ(d.findings[0].hops, Hops({"192.168.1.1", "10.0.0.1"}));
}

TEST(Article, Example2ServerLoss) {
  Diagnosis d = Example(2);
  EXPECT_EQ(d.verdict, Verdict::kServerLoss) << d.summary;
  EXPECT_EQ(d.findings[0].hops, Hops({"198.51.100.10", "Doel-IP (Server)"}));
}

TEST(Article, Example3ClientLatency) {
  Diagnosis d = Example(3);
  EXPECT_EQ(d.verdict, Verdict::kClientLatency) << d.summary;
  EXPECT_EQ(d.findings[0].hops, Hops({"192.168.1.1", "10.0.0.1"}));
}

TEST(Article, Example4ServerLatency) {
  Diagnosis d = Example(4);
  EXPECT_EQ(d.verdict, Verdict::kServerLatency) << d.summary;
  EXPECT_EQ(d.findings[0].hops, Hops({"198.51.100.10", "Doel-IP (Server)"}));
}

TEST(Article, Example5IspRoutingForClientY) {
  std::vector<VantageTraces> v = {
      {"X", Load("example5_fwd_X.txt"), Load("example5_ret_X.txt")},
      {"Y", Load("example5_fwd_Y.txt"), Load("example5_ret_Y.txt")}};
  Diagnosis d = Diagnose(v);
  EXPECT_EQ(d.verdict, Verdict::kIspRouting) << d.summary;
  EXPECT_EQ(d.findings[0].vantages, std::vector<std::string>{"Y"});
  EXPECT_EQ(d.findings[0].hops, Hops({"203.0.113.5", "be1234.ccr42.isp.net",
                                      "be5678.ccr21.isp.net"}));
}

TEST(Article, Example6ForwardPathLoss) {
  Diagnosis d = Example(6);
  EXPECT_EQ(d.verdict, Verdict::kForwardPathLoss) << d.summary;
  EXPECT_EQ(d.findings[0].hops, Hops({"203.0.113.5", "be1234.ccr42.isp.net",
                                      "be5678.ccr21.isp.net"}));
}

TEST(Article, Example7ReturnPathLoss) {
  Diagnosis d = Example(7);
  EXPECT_EQ(d.verdict, Verdict::kReturnPathLoss) << d.summary;
  EXPECT_EQ(d.findings[0].direction, Direction::kReturn);
}

TEST(Article, ForwardReportsAloneStillPointTheRightWay) {
  // Without the return reports the customer's own report is all there is.
  // (Example 3's slow first hops need the return report to confirm them.)
  for (auto [n, verdict] : {std::pair{1, Verdict::kClientLoss},
                            {2, Verdict::kServerLoss},
                            {3, Verdict::kHealthy},
                            {4, Verdict::kServerLatency},
                            {6, Verdict::kForwardPathLoss}}) {
    std::vector<VantageTraces> v = {
        {"client", Load("example" + std::to_string(n) + "_fwd.txt"),
         std::nullopt}};
    EXPECT_EQ(Diagnose(v).verdict, verdict) << "example " << n;
  }
}

}  // namespace
}  // namespace grid::diagnosis
