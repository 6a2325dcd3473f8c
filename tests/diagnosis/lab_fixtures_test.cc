// The engine on reports that real mtr produced in grid's namespace lab
// under known faults (tests/testdata/lab, see its README): each scenario's
// EXPECTED file states the verdict, kind, vantages, hops and artifacts.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "diagnosis/diagnosis.h"
#include "diagnosis/reports/reports.h"

namespace grid::diagnosis {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// EXPECTED: "key: value" lines; repeated keys (artifact) are joined by '\n'.
std::map<std::string, std::string> ReadExpected(const fs::path& path) {
  std::map<std::string, std::string> out;
  std::istringstream in(ReadAll(path));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    std::string value(absl::StripAsciiWhitespace(line.substr(colon + 1)));
    out[key] = out.count(key) ? out[key] + "\n" + value : value;
  }
  return out;
}

std::vector<std::string> Words(const std::string& text) {
  return absl::StrSplit(text, ' ', absl::SkipEmpty());
}

// Vantages from fwd_NAME.* and ret_NAME.* files, sorted by name.
std::vector<VantageTraces> LoadScenario(const fs::path& dir) {
  std::map<std::string, VantageTraces> by_name;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry);
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    const std::string stem = file.stem().string();
    const bool fwd = stem.rfind("fwd_", 0) == 0;
    if (!fwd && stem.rfind("ret_", 0) != 0) continue;
    absl::StatusOr<Trace> trace = ReadReport(ReadAll(file), file.string());
    EXPECT_TRUE(trace.ok()) << trace.status();
    if (!trace.ok()) continue;
    VantageTraces& v = by_name[stem.substr(4)];
    v.name = stem.substr(4);
    (fwd ? v.forward : v.ret.emplace()) = std::move(*trace);
  }
  std::vector<VantageTraces> out;
  for (auto& [name, v] : by_name) out.push_back(std::move(v));
  return out;
}

class LabFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(LabFixture, GetsTheExpectedDiagnosis) {
  const fs::path dir = fs::path(GRID_TESTDATA_DIR) / "lab" / GetParam();
  auto expected = ReadExpected(dir / "EXPECTED");
  std::vector<VantageTraces> vantages = LoadScenario(dir);
  ASSERT_EQ(vantages.size(), 2u);
  const Diagnosis d = Diagnose(vantages);
  EXPECT_EQ(VerdictName(d.verdict), expected["verdict"]) << d.summary;
  if (expected["verdict"] == "healthy") {
    EXPECT_TRUE(d.findings.empty()) << d.summary;
  } else {
    ASSERT_FALSE(d.findings.empty());
    const Finding& f = d.findings.front();
    EXPECT_EQ(FindingKindName(f.kind), expected["kind"]);
    EXPECT_EQ(LocationName(f.location), expected["location"]);
    EXPECT_EQ(f.vantages, Words(expected["vantages"]));
    // The located segment includes the faulty link's far end, and nothing
    // that a clean vantage also crosses to reach the server.
    const std::vector<std::string> hops = Words(expected["hops"]);
    EXPECT_NE(std::find(f.hops.begin(), f.hops.end(), hops.back()),
              f.hops.end())
        << f.evidence;
    EXPECT_GE(f.confidence, 0.95);
  }
  // Every artifact the scenario expects is reported, and nothing else.
  std::vector<std::string> artifacts;
  if (expected.count("artifact")) {
    artifacts = absl::StrSplit(expected["artifact"], '\n');
  }
  ASSERT_EQ(d.artifacts.size(), artifacts.size()) << d.summary;
  for (size_t i = 0; i < artifacts.size(); ++i) {
    const std::vector<std::string> w = Words(artifacts[i]);
    EXPECT_EQ(d.artifacts[i].vantage, w[0]);
    EXPECT_EQ(DirectionName(d.artifacts[i].direction), w[1]);
    EXPECT_EQ(d.artifacts[i].hop, w[2]);
  }
}

INSTANTIATE_TEST_SUITE_P(Mtr, LabFixture,
                         ::testing::Values("healthy", "client_loss_y",
                                           "server_loss", "isp_b_loss",
                                           "rate_limited_a2", "isp_b_latency"));

}  // namespace
}  // namespace grid::diagnosis
