// mtr --report / --report-wide text captured from the real mtr 0.95 in the
// namespace lab (tests/testdata/reports/make_fixtures.sh).
#include "diagnosis/reports/reports.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/diagnosis/reports/testdata.h"

namespace grid::diagnosis {
namespace {

using ::testing::ElementsAre;
using testing::ReportFixture;

std::vector<std::string> Hosts(const Trace& t) {
  std::vector<std::string> hosts;
  for (const Hop& h : t.hops) hosts.push_back(h.host);
  return hosts;
}

TEST(MtrReport, ReadsHops) {
  ASSERT_OK_AND_ASSIGN(
      Trace t, ReadReport(ReportFixture("mtr/report.txt"), "report.txt"));
  EXPECT_EQ(t.source, "vm");
  EXPECT_THAT(Hosts(t), ElementsAre("198.18.1.1", "198.18.2.2", "198.18.4.2",
                                    "198.18.10.2"));
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(t.hops[i].ttl, i + 1);
    EXPECT_EQ(t.hops[i].sent, 40);
    EXPECT_FALSE(t.hops[i].stdev_estimated);
  }
  EXPECT_DOUBLE_EQ(t.hops[0].worst_ms, 0.4);
  EXPECT_DOUBLE_EQ(t.hops[0].stdev_ms, 0.1);
  EXPECT_EQ(t.hops[0].received, 40);
  // 15.0% of 40 lost: received = round(40 * 0.85) = 34.
  EXPECT_DOUBLE_EQ(t.hops[3].loss_pct, 15.0);
  EXPECT_EQ(t.hops[3].received, 34);
}

TEST(MtrReport, ReadsWide) {
  ASSERT_OK_AND_ASSIGN(Trace t, ReadReport(ReportFixture("mtr/report_wide.txt"),
                                           "report_wide.txt"));
  ASSERT_EQ(t.hops.size(), 4u);
  EXPECT_EQ(t.hops[3].host, "198.18.10.2");
  EXPECT_DOUBLE_EQ(t.hops[3].loss_pct, 10.0);
  EXPECT_EQ(t.hops[3].received, 36);
}

TEST(MtrReport, NarrowCutsNamesWideKeepsThem) {
  ASSERT_OK_AND_ASSIGN(Trace narrow,
                       ReadReport(ReportFixture("mtr/report_names.txt"), "n"));
  ASSERT_OK_AND_ASSIGN(
      Trace wide, ReadReport(ReportFixture("mtr/report_names_wide.txt"), "w"));
  EXPECT_EQ(narrow.hops[2].host, "xe-0-0-1.core-router-3.am");
  EXPECT_EQ(wide.hops[2].host, "xe-0-0-1.core-router-3.amsterdam.lab.example");
  EXPECT_EQ(narrow.hops[0].host, "gw.lab.example");
}

TEST(MtrReport, EcmpRespondersGoToOtherHosts) {
  for (const char* file : {"mtr/report_ecmp.txt", "mtr/report_wide_ecmp.txt",
                           "mtr/report_ecmp_jitter.txt"}) {
    ASSERT_OK_AND_ASSIGN(Trace t, ReadReport(ReportFixture(file), file));
    ASSERT_EQ(t.hops.size(), 4u) << file;
    const Hop& h = t.hops[1];
    EXPECT_EQ(h.ttl, 2);
    // r1 balances over r2a (198.18.2.2) and r2b (198.18.3.2).
    std::vector<std::string> all = {h.host};
    all.insert(all.end(), h.other_hosts.begin(), h.other_hosts.end());
    EXPECT_THAT(all,
                ::testing::UnorderedElementsAre("198.18.2.2", "198.18.3.2"))
        << file;
    EXPECT_TRUE(t.hops[0].other_hosts.empty());
    EXPECT_TRUE(t.hops[2].other_hosts.empty());
  }
}

TEST(MtrReport, ReadsExtraColumns) {
  ASSERT_OK_AND_ASSIGN(
      Trace t,
      ReadReport(ReportFixture("mtr/report_jitter.txt"), "report_jitter.txt"));
  ASSERT_EQ(t.hops.size(), 4u);
  const Hop& last = t.hops[3];
  EXPECT_EQ(last.sent, 40);
  EXPECT_EQ(last.received, 33);  // From the Rcv column.
  EXPECT_DOUBLE_EQ(last.loss_pct, 17.5);
  ASSERT_TRUE(last.jitter_avg_ms.has_value());
  EXPECT_DOUBLE_EQ(*last.jitter_avg_ms, 0.0);
  ASSERT_TRUE(last.jitter_max_ms.has_value());
  EXPECT_DOUBLE_EQ(*last.jitter_max_ms, 0.1);
  EXPECT_DOUBLE_EQ(last.worst_ms, 0.2);  // Wrst, not shifted by the order.
}

TEST(MtrReport, ReadsSilentHops) {
  ASSERT_OK_AND_ASSIGN(
      Trace t,
      ReadReport(ReportFixture("mtr/report_unreachable.txt"), "u.txt"));
  ASSERT_EQ(t.hops.size(), 3u);
  EXPECT_EQ(t.hops[2].host, kNoResponseHost);
  EXPECT_DOUBLE_EQ(t.hops[2].loss_pct, 100.0);  // Printed "100.0", no '%'.
  EXPECT_EQ(t.hops[2].received, 0);
  EXPECT_FALSE(t.hops[2].Responded());
  EXPECT_EQ(t.hops[2].sent, 5);
}

TEST(MtrReport, ReadsAsnAndBothNames) {
  ASSERT_OK_AND_ASSIGN(Trace asn,
                       ReadReport(ReportFixture("mtr/report_asn.txt"), "a"));
  EXPECT_THAT(Hosts(asn), ElementsAre("198.18.1.1", "198.18.2.2", "198.18.4.2",
                                      "198.18.10.2"));
  ASSERT_OK_AND_ASSIGN(Trace both,
                       ReadReport(ReportFixture("mtr/report_both.txt"), "b"));
  EXPECT_EQ(both.hops[0].host, "gw.lab.example (198.18.1.");
  EXPECT_DOUBLE_EQ(both.hops[3].loss_pct, 7.5);
}

TEST(MtrReport, LongLocalHostName) {
  ASSERT_OK_AND_ASSIGN(
      Trace narrow, ReadReport(ReportFixture("mtr/report_longhost.txt"), "n"));
  EXPECT_EQ(narrow.source, "workstation-of-a-customer.e");  // Cut by mtr.
  ASSERT_OK_AND_ASSIGN(
      Trace wide,
      ReadReport(ReportFixture("mtr/report_longhost_wide.txt"), "w"));
  EXPECT_EQ(wide.source, "workstation-of-a-customer.example.net");
  EXPECT_EQ(wide.hops.size(), 4u);
}

}  // namespace
}  // namespace grid::diagnosis
