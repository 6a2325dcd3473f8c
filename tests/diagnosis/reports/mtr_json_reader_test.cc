// mtr --json from the real mtr 0.95, and the string-typed layout of <= 0.93.
#include "diagnosis/reports/reports.h"
#include "gtest/gtest.h"
#include "tests/diagnosis/reports/testdata.h"

namespace grid::diagnosis {
namespace {

using testing::ReportFixture;

TEST(MtrJson, ReadsHubs) {
  ASSERT_OK_AND_ASSIGN(Trace t,
                       ReadReport(ReportFixture("mtr/report.json"), "r.json"));
  EXPECT_EQ(t.source, "vm");
  EXPECT_EQ(t.destination, "198.18.10.2");
  ASSERT_EQ(t.hops.size(), 4u);
  const Hop& h = t.hops[3];
  EXPECT_EQ(h.ttl, 4);
  EXPECT_EQ(h.host, "198.18.10.2");
  EXPECT_DOUBLE_EQ(h.loss_pct, 17.5);
  EXPECT_EQ(h.sent, 40);
  EXPECT_EQ(h.received, 33);  // round(40 * 0.825) = 33.
  EXPECT_DOUBLE_EQ(h.last_ms, 0.096);
  EXPECT_DOUBLE_EQ(h.avg_ms, 0.082);
  EXPECT_DOUBLE_EQ(h.best_ms, 0.067);
  EXPECT_DOUBLE_EQ(h.worst_ms, 0.136);
  EXPECT_DOUBLE_EQ(h.stdev_ms, 0.014);
}

TEST(MtrJson, ReadsExtraColumnsAndAsn) {
  ASSERT_OK_AND_ASSIGN(
      Trace t, ReadReport(ReportFixture("mtr/report_jitter.json"), "j"));
  const Hop& h = t.hops[3];
  EXPECT_EQ(h.received, 35);  // "Rcv".
  EXPECT_DOUBLE_EQ(h.loss_pct, 12.5);
  ASSERT_TRUE(h.jitter_avg_ms.has_value());
  EXPECT_DOUBLE_EQ(*h.jitter_avg_ms, 0.023);
  ASSERT_OK_AND_ASSIGN(Trace asn,
                       ReadReport(ReportFixture("mtr/report_asn.json"), "a"));
  EXPECT_EQ(asn.hops[0].host, "198.18.1.1");
}

TEST(MtrJson, ReadsSilentHop) {
  ASSERT_OK_AND_ASSIGN(
      Trace t, ReadReport(ReportFixture("mtr/report_unreachable.json"), "u"));
  ASSERT_EQ(t.hops.size(), 3u);
  EXPECT_EQ(t.hops[2].host, kNoResponseHost);
  EXPECT_EQ(t.hops[2].received, 0);
  EXPECT_EQ(t.destination, "198.18.20.1");
}

TEST(MtrJson, ReadsStringTypedOldLayout) {
  // mtr <= 0.93 wrote tos, tests and count (and sometimes values) as strings.
  const char* old = R"({
  "report": {
    "mtr": {"src": "old-box", "dst": "198.18.10.2", "tos": "0x0",
            "psize": "64", "bitpattern": "0x00", "tests": "10"},
    "hubs": [{"count": "1", "host": "198.18.1.1", "Loss%": 0.00, "Snt": 10,
              "Last": 0.13, "Avg": 0.12, "Best": 0.09, "Wrst": 0.15,
              "StDev": 0.02},
             {"count": "2", "host": "198.18.10.2", "Loss%": "20.0",
              "Snt": "10", "Last": "0.2", "Avg": "0.3", "Best": "0.1",
              "Wrst": "0.9", "StDev": "0.25"}]
  }
})";
  ASSERT_OK_AND_ASSIGN(Trace t, ReadReport(old, "old.json"));
  EXPECT_EQ(t.source, "old-box");
  ASSERT_EQ(t.hops.size(), 2u);
  EXPECT_EQ(t.hops[1].ttl, 2);
  EXPECT_EQ(t.hops[1].received, 8);
  EXPECT_DOUBLE_EQ(t.hops[1].worst_ms, 0.9);
}

TEST(MtrJson, HubErrorsNameTheHubLine) {
  std::string text = ReportFixture("mtr/report.json");
  // Hub 3 opens on line 34 of the fixture; break its Snt.
  size_t at = text.find("\"Snt\": 40", text.find("\"count\": 3"));
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 9, "\"Snt\": 4.5");
  absl::StatusOr<Trace> t = ReadReport(text, "x.json");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(t.status().message()),
            "x.json:34: Snt 4.5 is not a probe count");
}

}  // namespace
}  // namespace grid::diagnosis
