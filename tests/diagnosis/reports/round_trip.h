// A trace with awkward content for writer -> reader round trips.
#ifndef GRID_TESTS_DIAGNOSIS_REPORTS_ROUND_TRIP_H_
#define GRID_TESTS_DIAGNOSIS_REPORTS_ROUND_TRIP_H_

#include "diagnosis/reports/reports.h"
#include "gtest/gtest.h"
#include "tests/diagnosis/reports/testdata.h"

namespace grid::diagnosis::testing {

// The article's example 5 (client Y) with a silent hop and an ECMP hop added.
inline Trace AwkwardTrace() {
  absl::StatusOr<Trace> t =
      ReadReport(ReportFixture("article/example5_fwd_y.txt"), "e5y");
  EXPECT_TRUE(t.ok()) << t.status();
  Trace trace = *t;
  trace.source = "client-y";
  trace.destination = "203.0.113.80";
  trace.hops[2].other_hosts = {"172.16.0.2", "172.16.0.3"};
  Hop silent;
  silent.ttl = 9;
  silent.host = kNoResponseHost;
  silent.sent = 20;
  silent.received = 0;
  silent.loss_pct = 100;
  trace.hops.push_back(silent);
  return trace;
}

// Compares what the text formats keep: times within `ms_tol`.
inline void ExpectSameHops(const Trace& want, const Trace& got, double ms_tol,
                           bool other_hosts) {
  ASSERT_EQ(want.hops.size(), got.hops.size()) << DebugString(got);
  for (size_t i = 0; i < want.hops.size(); ++i) {
    const Hop& a = want.hops[i];
    const Hop& b = got.hops[i];
    EXPECT_EQ(a.ttl, b.ttl);
    EXPECT_EQ(a.host, b.host);
    EXPECT_EQ(a.sent, b.sent);
    EXPECT_EQ(a.received, b.received) << a.host;
    EXPECT_NEAR(a.loss_pct, b.loss_pct, 0.05);
    EXPECT_NEAR(a.last_ms, b.last_ms, ms_tol);
    EXPECT_NEAR(a.avg_ms, b.avg_ms, ms_tol);
    EXPECT_NEAR(a.best_ms, b.best_ms, ms_tol);
    EXPECT_NEAR(a.worst_ms, b.worst_ms, ms_tol);
    EXPECT_NEAR(a.stdev_ms, b.stdev_ms, ms_tol);
    if (other_hosts) {
      EXPECT_EQ(a.other_hosts, b.other_hosts);
    }
  }
}

}  // namespace grid::diagnosis::testing

#endif  // GRID_TESTS_DIAGNOSIS_REPORTS_ROUND_TRIP_H_
