#include "tests/sim/mtr_run.h"

#include <cmath>

#include "gtest/gtest.h"
#include "tests/sim/test_networks.h"

namespace grid::sim {
namespace {

using diagnosis::Hop;
using diagnosis::Trace;

Trace RunOne(const Network& net, NodeId from, NodeId to, MtrRunOptions o) {
  Routing routing(net);
  TraceRequest request{from, to};
  auto out = SimulateMtr(net, routing, {&request, 1}, o);
  EXPECT_TRUE(out.ok()) << out.status();
  if (!out.ok()) return {};
  return out->back().front();
}

MtrRunOptions Cycles(int n, double interval = 1.0) {
  MtrRunOptions o;
  o.checkpoints = {n};
  o.interval_s = interval;
  return o;
}

// |observed - expected| within z standard deviations of a binomial count.
void ExpectBinomial(int lost, int sent, double p, double z = 4.5) {
  double mean = sent * p;
  double sd = std::sqrt(sent * p * (1 - p));
  EXPECT_NEAR(lost, mean, z * sd + 1)
      << lost << " of " << sent << " lost, p=" << p;
}

TEST(SimulateMtr, CleanLineHasExactDelaysAndNoLoss) {
  testing::Line l = testing::MakeLine();
  Trace t = RunOne(l.net, l.client, l.server, Cycles(20));
  ASSERT_EQ(t.hops.size(), 4u);
  // RTT to hop h: twice the sum of delays of links 1..h (+ host reply time).
  double sum = 0;
  for (int h = 0; h < 4; ++h) {
    sum += h + 1;
    const Hop& hop = t.hops[h];
    EXPECT_EQ(hop.ttl, h + 1);
    EXPECT_EQ(hop.sent, 20);
    EXPECT_EQ(hop.received, 20);
    EXPECT_NEAR(hop.best_ms, 2 * sum, 0.06);
    EXPECT_NEAR(hop.worst_ms, 2 * sum, 0.06);
  }
  // Default ReplyAddress::kIncoming: the interface the probe came in on.
  EXPECT_EQ(t.hops[0].host, l.net.InterfaceAddress(l.links[0], l.routers[0]));
  EXPECT_EQ(t.hops[3].host, l.net.HostAddress(l.server));
}

TEST(SimulateMtr, ForwardLossPersistsToDestinationWithinBinomialBounds) {
  testing::Line l = testing::MakeLine();
  const double p = 0.2;
  l.net.mutable_link(l.links[1]).ab.loss = p;  // r1 -> r2, toward the server.
  Trace t = RunOne(l.net, l.client, l.server, Cycles(2000));
  EXPECT_EQ(t.hops[0].Lost(), 0);
  for (int h = 1; h < 4; ++h) ExpectBinomial(t.hops[h].Lost(), 2000, p);
}

TEST(SimulateMtr, BackgroundLossAddsToAFault) {
  testing::Line l = testing::MakeLine();
  l.net.mutable_link(l.links[1]).ab.background_loss = 0.05;
  l.net.mutable_link(l.links[1]).ab.loss = 0.1;
  Trace t = RunOne(l.net, l.client, l.server, Cycles(3000));
  EXPECT_EQ(t.hops[0].Lost(), 0);
  for (int h = 1; h < 4; ++h) ExpectBinomial(t.hops[h].Lost(), 3000, 0.15);
}

TEST(SimulateMtr, ReplyDirectionLossAlsoShowsInRoundTrip) {
  testing::Line l = testing::MakeLine();
  const double p = 0.1;
  l.net.mutable_link(l.links[2]).ba.loss = p;  // r3 -> r2, toward the client.
  Trace t = RunOne(l.net, l.client, l.server, Cycles(3000));
  EXPECT_EQ(t.hops[0].Lost(), 0);
  EXPECT_EQ(t.hops[1].Lost(), 0);
  ExpectBinomial(t.hops[2].Lost(), 3000, p);
  ExpectBinomial(t.hops[3].Lost(), 3000, p);
}

TEST(SimulateMtr, LossOnBothWaysCompounds) {
  testing::Line l = testing::MakeLine();
  l.net.mutable_link(l.links[0]).ab.loss = 0.1;
  l.net.mutable_link(l.links[0]).ba.loss = 0.1;
  Trace t = RunOne(l.net, l.client, l.server, Cycles(3000));
  for (const Hop& hop : t.hops) ExpectBinomial(hop.Lost(), 3000, 0.19);
}

TEST(SimulateMtr, LatencyFaultRaisesEveryHopBeyondIt) {
  testing::Line l = testing::MakeLine();
  l.net.mutable_link(l.links[1]).ab.extra_ms = 50;
  Trace t = RunOne(l.net, l.client, l.server, Cycles(400));
  EXPECT_NEAR(t.hops[0].avg_ms, 2, 0.1);
  for (int h = 1; h < 4; ++h) {
    double base = 2 * (h + 1) * (h + 2) / 2.0;
    EXPECT_NEAR(t.hops[h].avg_ms, base + 50, 5);
    // Congestion varies: 0.4x to 1.6x the mean.
    EXPECT_GT(t.hops[h].worst_ms - t.hops[h].best_ms, 30);
    EXPECT_GE(t.hops[h].best_ms, base + 20 - 0.1);
  }
}

TEST(SimulateMtr, LinuxRateLimitBitesOnlyWhenProbingFast) {
  testing::Line l = testing::MakeLine();
  IcmpBehaviour& icmp = l.net.mutable_node(l.routers[1]).icmp;
  icmp.per_dest_rate = 1;
  icmp.per_dest_burst = 6;
  Trace slow = RunOne(l.net, l.client, l.server, Cycles(100, 1.0));
  EXPECT_EQ(slow.hops[1].Lost(), 0);
  Trace fast = RunOne(l.net, l.client, l.server, Cycles(300, 0.2));
  // 60 s at 5 probes/s: the burst of 6 and about one per second answered.
  EXPECT_GE(fast.hops[1].received, 6 + 58);
  EXPECT_LE(fast.hops[1].received, 6 + 61);
  // The artifact stays at that hop: forwarding is untouched.
  EXPECT_EQ(fast.hops[2].Lost(), 0);
  EXPECT_EQ(fast.hops[3].Lost(), 0);
}

TEST(SimulateMtr, GlobalLimitIsSharedByAllProbers) {
  // Three clients behind r1, all tracing through r2, which answers at most
  // 2 replies/s in total: alone each would see no loss at 1 probe/s.
  Network net;
  AsId as = net.AddAs(AsKind::kAccess, "as");
  NodeId r1 = net.AddNode(NodeRole::kAccess, as, "r1");
  NodeId r2 = net.AddNode(NodeRole::kAccess, as, "r2");
  NodeId server = net.AddNode(NodeRole::kServer, as, "server");
  net.Connect(r1, r2, testing::Fixed(1), testing::Fixed(1));
  net.Connect(r2, server, testing::Fixed(1), testing::Fixed(1));
  std::vector<TraceRequest> requests;
  for (int i = 0; i < 3; ++i) {
    NodeId c = net.AddNode(NodeRole::kVantage, as, "c" + std::to_string(i));
    net.Connect(c, r1, testing::Fixed(1), testing::Fixed(1));
    requests.push_back({c, server});
  }
  net.mutable_node(r2).icmp.global_rate = 2;
  net.mutable_node(r2).icmp.global_burst = 2;
  Routing routing(net);
  MtrRunOptions o = Cycles(200);
  auto out = SimulateMtr(net, routing, requests, o);
  ASSERT_TRUE(out.ok()) << out.status();
  int answered = 0;
  for (const Trace& t : out->back()) {
    answered += t.hops[1].received;
    EXPECT_EQ(t.hops[2].Lost(), 0);
  }
  EXPECT_GE(answered, 2 * 199);
  EXPECT_LE(answered, 2 * 200 + 2);
}

TEST(SimulateMtr, SlowIcmpDelaysOnlyTheRoutersOwnReplies) {
  testing::Line l = testing::MakeLine();
  l.net.mutable_node(l.routers[1]).icmp.slow_mean_ms = 30;
  Trace t = RunOne(l.net, l.client, l.server, Cycles(2000));
  EXPECT_NEAR(t.hops[1].avg_ms, 6 + 30, 3);
  EXPECT_GT(t.hops[1].stdev_ms, 15);
  EXPECT_NEAR(t.hops[2].avg_ms, 12, 0.1);
  EXPECT_NEAR(t.hops[3].avg_ms, 20, 0.1);
}

TEST(SimulateMtr, ReplyAddressFollowsRouterBehaviour) {
  testing::Diamond d = testing::MakeDiamond(/*asymmetric=*/true);
  // The forward probe reaches r3 from r2a; r3's route back leaves via r2b.
  d.net.mutable_node(d.r3).icmp.reply_address = ReplyAddress::kIncoming;
  Trace in = RunOne(d.net, d.client, d.server, Cycles(5));
  EXPECT_EQ(in.hops[2].host, d.net.InterfaceAddress(d.r2a_r3, d.r3));
  d.net.mutable_node(d.r3).icmp.reply_address = ReplyAddress::kOutgoing;
  Trace out = RunOne(d.net, d.client, d.server, Cycles(5));
  EXPECT_EQ(out.hops[2].host, d.net.InterfaceAddress(d.r2b_r3, d.r3));
  d.net.mutable_node(d.r3).icmp.reply_address = ReplyAddress::kLoopback;
  Trace lo = RunOne(d.net, d.client, d.server, Cycles(5));
  EXPECT_EQ(lo.hops[2].host, d.net.node(d.r3).loopback);
}

TEST(SimulateMtr, ReturnOnlyLossShowsAtHopsWhoseRepliesCrossIt) {
  // Loss on r2b -> r1, which only server->client traffic uses. Replies from
  // r3 and the server cross it; replies from r1 and r2a do not.
  testing::Diamond d = testing::MakeDiamond(/*asymmetric=*/true);
  d.net.mutable_link(d.r1_r2b).ba.loss = 0.3;
  Trace t = RunOne(d.net, d.client, d.server, Cycles(1000));
  ASSERT_EQ(t.hops.size(), 4u);
  EXPECT_EQ(t.hops[0].Lost(), 0);  // r1
  EXPECT_EQ(t.hops[1].Lost(), 0);  // r2a
  ExpectBinomial(t.hops[2].Lost(), 1000, 0.3);
  ExpectBinomial(t.hops[3].Lost(), 1000, 0.3);
}

TEST(SimulateMtr, PerProbeFlowsShowSeveralRespondersInADiamond) {
  testing::Diamond d = testing::MakeDiamond(/*asymmetric=*/false);
  MtrRunOptions o = Cycles(50);
  Trace one = RunOne(d.net, d.client, d.server, o);
  EXPECT_TRUE(one.hops[1].other_hosts.empty());
  o.per_probe_flows = true;
  Trace many = RunOne(d.net, d.client, d.server, o);
  EXPECT_EQ(many.hops[1].other_hosts.size(), 1u);
  EXPECT_TRUE(many.hops[0].other_hosts.empty());
}

TEST(SimulateMtr, SameSeedSameTracesOtherSeedOtherTraces) {
  testing::Line l = testing::MakeLine();
  for (LinkId link : l.links) {
    l.net.mutable_link(link).ab.jitter_ms = 0.5;
    l.net.mutable_link(link).ab.loss = 0.05;
  }
  MtrRunOptions o = Cycles(100);
  o.seed = 42;
  Trace a = RunOne(l.net, l.client, l.server, o);
  Trace b = RunOne(l.net, l.client, l.server, o);
  o.seed = 43;
  Trace c = RunOne(l.net, l.client, l.server, o);
  bool differs = false;
  for (size_t h = 0; h < a.hops.size(); ++h) {
    EXPECT_EQ(a.hops[h].received, b.hops[h].received);
    EXPECT_EQ(a.hops[h].avg_ms, b.hops[h].avg_ms);
    EXPECT_EQ(a.hops[h].stdev_ms, b.hops[h].stdev_ms);
    differs |= a.hops[h].avg_ms != c.hops[h].avg_ms;
  }
  EXPECT_TRUE(differs);
}

TEST(SimulateMtr, CheckpointIsTheRunOfThatManyCycles) {
  testing::Line l = testing::MakeLine();
  l.net.mutable_link(l.links[1]).ab.loss = 0.2;
  l.net.mutable_link(l.links[1]).ab.jitter_ms = 1;
  l.net.mutable_node(l.routers[2]).icmp.drop_prob = 0.3;
  MtrRunOptions both = Cycles(100);
  both.checkpoints = {10, 100};
  Routing routing(l.net);
  TraceRequest request{l.client, l.server};
  auto long_run = SimulateMtr(l.net, routing, {&request, 1}, both);
  auto short_run = SimulateMtr(l.net, routing, {&request, 1}, Cycles(10));
  ASSERT_TRUE(long_run.ok() && short_run.ok());
  ASSERT_EQ(long_run->size(), 2u);
  const Trace& a = (*long_run)[0][0];
  const Trace& b = (*short_run)[0][0];
  for (size_t h = 0; h < a.hops.size(); ++h) {
    EXPECT_EQ(a.hops[h].sent, 10);
    EXPECT_EQ(a.hops[h].received, b.hops[h].received);
    EXPECT_EQ(a.hops[h].avg_ms, b.hops[h].avg_ms);
  }
  EXPECT_EQ((*long_run)[1][0].hops[0].sent, 100);
}

TEST(SimulateMtr, RejectsBadOptions) {
  testing::Line l = testing::MakeLine();
  Routing routing(l.net);
  TraceRequest request{l.client, l.server};
  MtrRunOptions o = Cycles(10);
  o.checkpoints = {30, 10};
  EXPECT_EQ(SimulateMtr(l.net, routing, {&request, 1}, o).status().code(),
            absl::StatusCode::kInvalidArgument);
  o.checkpoints = {};
  EXPECT_FALSE(SimulateMtr(l.net, routing, {&request, 1}, o).ok());
  o = Cycles(10, 0);
  EXPECT_FALSE(SimulateMtr(l.net, routing, {&request, 1}, o).ok());
  TraceRequest self{l.client, l.client};
  EXPECT_FALSE(SimulateMtr(l.net, routing, {&self, 1}, Cycles(10)).ok());
}

}  // namespace
}  // namespace grid::sim
