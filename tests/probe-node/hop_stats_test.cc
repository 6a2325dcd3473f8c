// HopStats against figures worked out by hand from mtr's update rules
// (ui/net.c): integer microseconds, truncating running mean, n-1 StDev,
// loss over settled probes, jitter zeroed by the first reply.
#include "probe-node/hop_stats.h"

#include "gtest/gtest.h"

namespace grid::probe {
namespace {

const IpAddress kA = *IpAddress::Parse("198.18.1.1");
const IpAddress kB = *IpAddress::Parse("198.18.2.1");

void Feed(HopStats& s, std::initializer_list<int> rtts) {
  for (int r : rtts) {
    s.OnSent();
    s.OnReply(r, kA);
  }
}

TEST(HopStats, ThreeReplies) {
  HopStats s;
  Feed(s, {1000, 3000, 2000});
  EXPECT_EQ(s.sent(), 3);
  EXPECT_EQ(s.received(), 3);
  EXPECT_EQ(s.loss_milli_pct(), 0);
  EXPECT_EQ(s.last_usec(), 2000);
  EXPECT_EQ(s.best_usec(), 1000);
  EXPECT_EQ(s.worst_usec(), 3000);
  EXPECT_EQ(s.avg_usec(), 2000);
  // ssd = 0 + 2000*(3000-2000) + 0*0 = 2e6; sqrt(2e6 / 2) = 1000.
  EXPECT_EQ(s.stdev_usec(), 1000);
  // Jitter: 0 (first), |3000-1000| = 2000, |2000-3000| = 1000.
  EXPECT_EQ(s.jitter_usec(), 1000);
  EXPECT_EQ(s.jmax_usec(), 2000);
  // Javg: 0, 0 + (2000-0)/2 = 1000, 1000 + (1000-1000)/3 = 1000.
  EXPECT_EQ(s.javg_usec(), 1000);
  // Jint: 0, 0 + 2000 - ((0+8)>>4) = 2000, 2000 + 1000 - (2008>>4=125).
  EXPECT_EQ(s.jinta(), 2875);
  // Geometric mean: 1000, then 1000^(1/2)*3000^(1/2) = 1732,
  // then 1732^(2/3)*2000^(1/3) = 1817 (each step truncated).
  EXPECT_EQ(s.gmean_usec(), 1817);
}

// mtr keeps the mean as an int, so it truncates: the mean of 1001 and 1002
// is 1001, and the StDev is computed from that truncated mean (1, where the
// exact sample StDev would be 0.707).
TEST(HopStats, TruncatesLikeMtr) {
  HopStats s;
  Feed(s, {1001, 1002});
  EXPECT_EQ(s.avg_usec(), 1001);
  EXPECT_EQ(s.stdev_usec(), 1);
  // Javg: (1 - 0) / 2 in integer arithmetic is 0.
  EXPECT_EQ(s.javg_usec(), 0);
  EXPECT_EQ(s.jmax_usec(), 1);
}

TEST(HopStats, LossCountsOnlySettledProbes) {
  HopStats s;
  s.OnSent();
  s.OnReply(500, kA);
  s.OnSent();  // Lost: never answered.
  s.OnSent();  // Still in flight.
  // Settled: 3 sent - 1 in transit = 2; 1 returned: 50%.
  EXPECT_EQ(s.loss_milli_pct(), 50000);
  EXPECT_EQ(s.dropped(), 1);
  s.EndTransit();  // End of run: the in-flight probe is lost too.
  EXPECT_EQ(s.loss_milli_pct(), 66666);  // 1000*(100-33.33..) truncated.
  EXPECT_DOUBLE_EQ(s.loss_pct(), 66.666);
  EXPECT_EQ(s.dropped(), 2);
}

TEST(HopStats, NothingSettledIsZeroLoss) {
  HopStats s;
  s.OnSent();
  EXPECT_EQ(s.loss_milli_pct(), 0);
  s.EndTransit();
  EXPECT_EQ(s.loss_milli_pct(), 100000);
  EXPECT_EQ(s.stdev_usec(), 0);
  EXPECT_FALSE(s.has_responder());
}

TEST(HopStats, RecordsEveryResponderLatestFirstSeenOrder) {
  HopStats s;
  s.OnSent();
  s.OnReply(100, kA);
  s.OnSent();
  s.OnReply(100, kB);
  s.OnSent();
  s.OnReply(100, kA);
  ASSERT_EQ(s.responders().size(), 2u);
  EXPECT_EQ(s.responders()[0], kA);
  EXPECT_EQ(s.responders()[1], kB);
  EXPECT_EQ(s.latest_responder(), kA);
}

// A lost probe between two replies does not reset jitter: mtr compares with
// the previous reply, whenever it came.
TEST(HopStats, JitterSpansLostProbes) {
  HopStats s;
  s.OnSent();
  s.OnReply(4000, kA);
  s.OnSent();  // Lost.
  s.OnSent();
  s.OnReply(1000, kA);
  EXPECT_EQ(s.jitter_usec(), 3000);
  EXPECT_EQ(s.javg_usec(), 1500);  // 0 + (3000 - 0) / 2.
  EXPECT_EQ(s.avg_usec(), 2500);
  EXPECT_EQ(s.sent(), 3);
  EXPECT_EQ(s.received(), 2);
  EXPECT_EQ(s.loss_milli_pct(), 33333);
}

}  // namespace
}  // namespace grid::probe
