#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "diagnosis/reports/reports.h"
#include "gtest/gtest.h"
#include "tests/diagnosis/reports/round_trip.h"
#include "tests/diagnosis/reports/testdata.h"

namespace grid::diagnosis {
namespace {

using testing::ReportFixture;

TEST(MtrJsonWriter, MatchesMtrByteForByte) {
  for (const char* file : {"mtr/report.json", "mtr/report_unreachable.json"}) {
    std::string original = ReportFixture(file);
    ASSERT_OK_AND_ASSIGN(Trace t, ReadReport(original, file));
    EXPECT_EQ(WriteMtrJson(t, MtrWriteOptions()), original) << file;
  }
}

TEST(MtrJsonWriter, MatchesMtrExtraColumnsWithoutJttrJint) {
  std::string original = ReportFixture("mtr/report_jitter.json");
  ASSERT_OK_AND_ASSIGN(Trace t, ReadReport(original, "j"));
  MtrWriteOptions options;
  options.fields = "LDRS NBAWV MX";
  std::string want;
  for (absl::string_view line : absl::StrSplit(original, '\n')) {
    if (absl::StrContains(line, "\"Jttr\"") ||
        absl::StrContains(line, "\"Jint\"")) {
      continue;
    }
    want += std::string(line) + "\n";
  }
  want.pop_back();
  // mtr ends each hub with Jint; without it Jmax is last and loses its comma.
  absl::StrReplaceAll({{",\n            }", "\n            }"}}, &want);
  EXPECT_EQ(WriteMtrJson(t, options), want);
}

TEST(MtrJsonWriter, RealsAsJanssonPrintsThem) {
  Trace trace = testing::AwkwardTrace();
  trace.hops[0].avg_ms = 123456.7;
  trace.hops[0].best_ms = 0.00001234;
  trace.hops[0].loss_pct = 100.0 / 3;
  std::string json = WriteMtrJson(trace, MtrWriteOptions());
  EXPECT_TRUE(absl::StrContains(json, "\"Avg\": 1.2346e5,")) << json;
  EXPECT_TRUE(absl::StrContains(json, "\"Best\": 1.234e-5,")) << json;
  EXPECT_TRUE(absl::StrContains(json, "\"Loss%\": 33.333,")) << json;
  EXPECT_TRUE(absl::StrContains(json, "\"Snt\": 20,")) << json;
  EXPECT_TRUE(absl::StrContains(json, "\"tests\": 20,")) << json;
}

TEST(MtrJsonWriter, RoundTrips) {
  Trace trace = testing::AwkwardTrace();
  trace.source = "host \"with\" quotes\\";
  std::string json = WriteMtrJson(trace, MtrWriteOptions());
  ASSERT_OK_AND_ASSIGN(Trace back, ReadReport(json, "w.json"));
  EXPECT_EQ(back.source, trace.source);
  EXPECT_EQ(back.destination, "203.0.113.80");
  testing::ExpectSameHops(trace, back, 1e-9, /*other_hosts=*/false);
}

TEST(MtrJsonWriter, EmptyTraceStillValidJson) {
  Trace empty;
  std::string json = WriteMtrJson(empty, MtrWriteOptions());
  EXPECT_TRUE(absl::StrContains(json, "\"hubs\": []")) << json;
  // Valid JSON, but no hops: reading it back is an error, not an empty trace.
  absl::StatusOr<Trace> back = ReadReport(json, "e.json");
  ASSERT_FALSE(back.ok());
  EXPECT_TRUE(absl::StrContains(back.status().message(), "no hubs"));
}

}  // namespace
}  // namespace grid::diagnosis
