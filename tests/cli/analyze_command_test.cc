// `grid analyze` end to end: the real binary on real report files, its
// exit statuses and error messages.
#include "cli/analyze_command.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "nlohmann/json.hpp"
#include "tests/cli/run_grid.h"

namespace grid::cli {
namespace {

const std::string kData = GRID_TESTDATA_DIR;

std::string Article(const std::string& name) {
  return kData + "/article/" + name;
}

TEST(Analyze, JsonVerdictAndFaultExitCode) {
  Result r = Grid("analyze --json --fwd X=" + Article("example5_fwd_X.txt") +
                  " --fwd Y=" + Article("example5_fwd_Y.txt") +
                  " --ret X=" + Article("example5_ret_X.txt") +
                  " --ret Y=" + Article("example5_ret_Y.txt"));
  EXPECT_EQ(r.exit_code, 1);
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "isp_routing");
  EXPECT_EQ(j["findings"][0]["vantages"], nlohmann::json({"Y"}));
  EXPECT_EQ(j["vantages"].size(), 2u);
  EXPECT_EQ(j["vantages"][1]["forward"][3]["loss_pct"], 30.0);
  EXPECT_EQ(j["vantages"][1]["return"].size(), 8u);
}

TEST(Analyze, PathFindingsSayWhetherTheDirectionIsOpen) {
  // The article's example 6: loss outbound only, the return route clean.
  Result r = Grid("analyze --json --fwd X=" + Article("example6_fwd.txt") +
                  " --ret X=" + Article("example6_ret.txt"));
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "forward_path_loss");
  EXPECT_EQ(j["findings"][0]["direction_open"], false);
}

TEST(Analyze, HealthyExitsZeroAndPrintsTables) {
  Result r = Grid("analyze --fwd X=" + Article("example5_fwd_X.txt") +
                  " --ret X=" + Article("example5_ret_X.txt"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Verdict: healthy"), std::string::npos);
  EXPECT_NE(r.out.find("Loss%   Snt   Last    Avg   Best   Wrst  StDev"),
            std::string::npos);
}

TEST(Analyze, MalformedReportNamesFileAndLine) {
  const std::string path = ::testing::TempDir() + "/truncated.txt";
  std::ofstream(path) << "Host  Loss%  Snt  Last  Avg  Best  Wrst StDev\n"
                         "1. 192.168.1.1  0.0%  20  1.1\n";
  Result r = Grid("analyze --fwd X=" + path);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find(path + ":2:"), std::string::npos) << r.out;
}

TEST(Analyze, UsageErrorsExitTwo) {
  EXPECT_EQ(Grid("analyze").exit_code, 2);
  EXPECT_EQ(Grid("analyze --fwd X").exit_code, 2);
  EXPECT_EQ(Grid("analyze --fwd X=/nonexistent/report").exit_code, 2);
  Result r = Grid("analyze --fwd X=" + Article("example1_fwd.txt") +
                  " --ret Z=" + Article("example1_ret.txt"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("no --fwd report for vantage Z"), std::string::npos);
}

TEST(LoadVantages, PairsReturnWithForward) {
  auto v = LoadVantages({"A=" + Article("example1_fwd.txt")},
                        {"A=" + Article("example1_ret.txt")});
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_EQ(v->size(), 1u);
  EXPECT_TRUE((*v)[0].ret.has_value());
  EXPECT_EQ((*v)[0].forward.hops.size(), 8u);
  auto dup = LoadVantages(
      {"A=" + Article("example1_fwd.txt"), "A=" + Article("example2_fwd.txt")},
      {});
  EXPECT_FALSE(dup.ok());
}

}  // namespace
}  // namespace grid::cli
