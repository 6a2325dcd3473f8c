#include "tests/sim/hop_stats.h"

#include <cmath>

#include "gtest/gtest.h"

namespace grid::sim {
namespace {

TEST(HopAccumulator, ComputesMtrStatistics) {
  HopAccumulator acc;
  acc.AddReply("198.18.0.1", 10);
  acc.AddLost();
  acc.AddReply("198.18.0.1", 14);
  acc.AddReply("198.18.0.1", 12);
  diagnosis::Hop hop = acc.ToHop(3, /*with_jitter=*/true);
  EXPECT_EQ(hop.ttl, 3);
  EXPECT_EQ(hop.host, "198.18.0.1");
  EXPECT_TRUE(hop.other_hosts.empty());
  EXPECT_EQ(hop.sent, 4);
  EXPECT_EQ(hop.received, 3);
  EXPECT_DOUBLE_EQ(hop.loss_pct, 25.0);
  EXPECT_DOUBLE_EQ(hop.last_ms, 12);
  EXPECT_DOUBLE_EQ(hop.avg_ms, 12);
  EXPECT_DOUBLE_EQ(hop.best_ms, 10);
  EXPECT_DOUBLE_EQ(hop.worst_ms, 14);
  EXPECT_NEAR(hop.stdev_ms, 2.0, 1e-12);  // Sample stdev of 10, 14, 12.
  ASSERT_TRUE(hop.jitter_avg_ms.has_value());
  EXPECT_DOUBLE_EQ(*hop.jitter_avg_ms, 3.0);  // |14-10|, |12-14|.
  EXPECT_DOUBLE_EQ(*hop.jitter_max_ms, 4.0);
}

TEST(HopAccumulator, ListsFurtherRespondersInOrderSeen) {
  HopAccumulator acc;
  acc.AddReply("a", 1);
  acc.AddReply("b", 1);
  acc.AddReply("a", 1);
  acc.AddReply("c", 1);
  diagnosis::Hop hop = acc.ToHop(1, false);
  EXPECT_EQ(hop.host, "a");
  EXPECT_EQ(hop.other_hosts, (std::vector<std::string>{"b", "c"}));
  EXPECT_FALSE(hop.jitter_avg_ms.has_value());
}

TEST(HopAccumulator, SilentHopIsNoResponse) {
  HopAccumulator acc;
  for (int i = 0; i < 5; ++i) acc.AddLost();
  diagnosis::Hop hop = acc.ToHop(2, true);
  EXPECT_EQ(hop.host, diagnosis::kNoResponseHost);
  EXPECT_EQ(hop.sent, 5);
  EXPECT_EQ(hop.received, 0);
  EXPECT_DOUBLE_EQ(hop.loss_pct, 100);
  EXPECT_FALSE(hop.Responded());
}

TEST(HopAccumulator, SingleReplyHasZeroStdev) {
  HopAccumulator acc;
  acc.AddReply("x", 7.5);
  diagnosis::Hop hop = acc.ToHop(1, true);
  EXPECT_DOUBLE_EQ(hop.stdev_ms, 0);
  EXPECT_DOUBLE_EQ(*hop.jitter_avg_ms, 0);
}

}  // namespace
}  // namespace grid::sim
