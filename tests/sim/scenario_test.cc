#include "tests/sim/scenario.h"

#include <algorithm>
#include <set>

#include "gtest/gtest.h"
#include "tests/sim/fault_placement.h"
#include "tests/sim/ground_truth.h"
#include "tests/sim/path_usage.h"

namespace grid::sim {
namespace {

using diagnosis::Verdict;

ScenarioOptions Small() {
  ScenarioOptions o;
  o.max_vantages = 12;
  return o;
}

bool SameTraces(const diagnosis::Trace& a, const diagnosis::Trace& b) {
  if (a.hops.size() != b.hops.size()) return false;
  for (size_t i = 0; i < a.hops.size(); ++i) {
    const diagnosis::Hop& x = a.hops[i];
    const diagnosis::Hop& y = b.hops[i];
    if (x.host != y.host || x.received != y.received || x.avg_ms != y.avg_ms ||
        x.stdev_ms != y.stdev_ms || x.other_hosts != y.other_hosts) {
      return false;
    }
  }
  return true;
}

TEST(Scenario, SameSeedSameScenarioAndTraces) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    auto a = GenerateScenario(seed, Small());
    auto b = GenerateScenario(seed, Small());
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->truth.primary, b->truth.primary);
    EXPECT_EQ(a->truth.acceptable, b->truth.acceptable);
    EXPECT_EQ(a->topology.network.num_links(), b->topology.network.num_links());
    auto ta = SimulateScenario(*a, {10, 30});
    auto tb = SimulateScenario(*b, {10, 30});
    ASSERT_TRUE(ta.ok() && tb.ok()) << ta.status();
    for (size_t c = 0; c < 2; ++c) {
      ASSERT_EQ((*ta)[c].size(), (*tb)[c].size());
      for (size_t v = 0; v < (*ta)[c].size(); ++v) {
        EXPECT_TRUE(SameTraces((*ta)[c][v].forward, (*tb)[c][v].forward));
        EXPECT_EQ((*ta)[c][v].ret.has_value(), (*tb)[c][v].ret.has_value());
        if ((*ta)[c][v].ret) {
          EXPECT_TRUE(SameTraces(*(*ta)[c][v].ret, *(*tb)[c][v].ret));
        }
      }
    }
  }
}

TEST(Scenario, DifferentSeedsDiffer) {
  std::set<int> links;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    auto s = GenerateScenario(seed, Small());
    ASSERT_TRUE(s.ok());
    links.insert(s->topology.network.num_links());
  }
  EXPECT_GT(links.size(), 3u);
}

// Every generated scenario simulates, and its traces have the documented
// shape: forward traces end at the server, return traces start at the
// server's gateway and end at the vantage.
TEST(Scenario, ManySeedsSimulateWithTheDocumentedShape) {
  std::set<ScenarioClass> classes;
  std::set<Verdict> labels;
  int with_return = 0;
  for (uint64_t seed = 100; seed < 400; ++seed) {
    auto s = GenerateScenario(seed, Small());
    ASSERT_TRUE(s.ok()) << s.status();
    classes.insert(s->truth.scenario_class);
    labels.insert(s->truth.primary);
    const GroundTruth& t = s->truth;
    EXPECT_NE(std::find(t.acceptable.begin(), t.acceptable.end(), t.primary),
              t.acceptable.end());
    auto traces = SimulateScenario(*s, {10});
    ASSERT_TRUE(traces.ok()) << "seed " << seed << ": " << traces.status();
    const Topology& topo = s->topology;
    const Network& net = topo.network;
    ASSERT_EQ((*traces)[0].size(), topo.vantages.size());
    std::set<std::string> gateway;
    for (LinkId l : net.node(topo.server_gateway).links) {
      gateway.insert(net.InterfaceAddress(l, topo.server_gateway));
    }
    gateway.insert(net.node(topo.server_gateway).loopback);
    for (size_t v = 0; v < topo.vantages.size(); ++v) {
      const diagnosis::VantageTraces& vt = (*traces)[0][v];
      EXPECT_EQ(vt.name, topo.vantages[v].name);
      ASSERT_GE(vt.forward.hops.size(), 4u);
      EXPECT_EQ(vt.forward.destination, net.HostAddress(topo.server));
      const diagnosis::Hop& last = vt.forward.hops.back();
      if (last.Responded()) {
        EXPECT_EQ(last.host, net.HostAddress(topo.server));
      }
      EXPECT_EQ(vt.ret.has_value(), topo.server_probe >= 0);
      if (vt.ret) {
        with_return++;
        const diagnosis::Hop& first = vt.ret->hops.front();
        if (first.Responded()) {
          EXPECT_TRUE(gateway.contains(first.host));
        }
        const diagnosis::Hop& end = vt.ret->hops.back();
        if (end.Responded()) {
          EXPECT_EQ(end.host, net.HostAddress(topo.vantages[v].host));
        }
      }
    }
  }
  EXPECT_EQ(classes.size(), static_cast<size_t>(kNumScenarioClasses));
  EXPECT_GE(labels.size(), 9u);  // Every verdict but inconclusive, mostly.
  EXPECT_GT(with_return, 0);
}

TEST(Scenario, RejectsBadOptions) {
  ScenarioOptions o;
  o.min_vantages = 0;
  EXPECT_EQ(GenerateScenario(1, o).status().code(),
            absl::StatusCode::kInvalidArgument);
  o = ScenarioOptions{};
  o.max_vantages = 5000;
  EXPECT_FALSE(GenerateScenario(1, o).ok());
  o = ScenarioOptions{};
  o.class_weights = {1, 2};
  EXPECT_FALSE(GenerateScenario(1, o).ok());
  o.class_weights.assign(kNumScenarioClasses, 0);
  EXPECT_FALSE(GenerateScenario(1, o).ok());
}

// Hand-placed faults on a generated topology get the documented labels.
class Labels : public ::testing::Test {
 protected:
  void SetUp() override {
    TopologyOptions o;
    o.vantages = 6;
    o.server_probe = ServerProbe::kBesideServer;
    Rng rng(7);
    topo_ = GenerateTopology(o, rng);
    Routing routing(topo_.network);
    auto usage = ComputeUsage(topo_, routing, false);
    ASSERT_TRUE(usage.ok()) << usage.status();
    usage_ = *std::move(usage);
  }
  Topology topo_;
  std::vector<VantageUsage> usage_;
};

TEST_F(Labels, ClientLine) {
  Fault f;
  f.link = topo_.vantages[2].line_link;
  f.loss = 0.1;
  FaultTruth t = LabelFault(topo_, usage_, f);
  EXPECT_EQ(t.label, Verdict::kClientLoss);
  EXPECT_EQ(t.affected, std::vector<std::string>{topo_.vantages[2].name});
  EXPECT_FALSE(t.minor);
  // The segment names the home router's and the access router's addresses.
  const Network& net = topo_.network;
  EXPECT_TRUE(std::count(t.segment_hosts.begin(), t.segment_hosts.end(),
                         net.InterfaceAddress(f.link, topo_.vantages[2].cpe)));
}

TEST_F(Labels, ServerLinkAffectsEveryone) {
  Fault f;
  f.link = topo_.gateway_uplink;
  f.kind = FaultKind::kLatency;
  f.extra_ms = 50;
  FaultTruth t = LabelFault(topo_, usage_, f);
  EXPECT_EQ(t.label, Verdict::kServerLatency);
  EXPECT_EQ(t.affected.size(), topo_.vantages.size());
}

TEST_F(Labels, MinorLossAlsoAcceptsHealthy) {
  Fault f;
  f.link = topo_.server_link;
  f.loss = 0.01;
  FaultTruth t = LabelFault(topo_, usage_, f);
  EXPECT_TRUE(t.minor);
  EXPECT_NE(
      std::find(t.acceptable.begin(), t.acceptable.end(), Verdict::kHealthy),
      t.acceptable.end());
  GroundTruth g = CombineTruth(ScenarioClass::kServer, {t});
  EXPECT_TRUE(g.minor);
  EXPECT_EQ(g.primary, Verdict::kServerLoss);
}

TEST_F(Labels, PlacedFaultsMatchTheirClass) {
  Rng rng(3);
  for (int i = 0; i < 50; ++i) {
    auto f = PlaceFault(ScenarioClass::kIsp, topo_, usage_, rng);
    ASSERT_TRUE(f.has_value());
    FaultTruth t = LabelFault(topo_, usage_, *f);
    EXPECT_EQ(t.label, Verdict::kIspRouting);
    EXPECT_GT(t.affected.size(), 0u);
    EXPECT_LT(t.affected.size(), topo_.vantages.size());
    auto c = PlaceFault(ScenarioClass::kClient, topo_, usage_, rng);
    ASSERT_TRUE(c.has_value());
    FaultTruth ct = LabelFault(topo_, usage_, *c);
    EXPECT_TRUE(ct.label == Verdict::kClientLoss ||
                ct.label == Verdict::kClientLatency);
    EXPECT_EQ(ct.affected.size(), 1u);
  }
  auto unused = PlaceFault(ScenarioClass::kUnusedLink, topo_, usage_, rng);
  if (unused) {
    FaultTruth t = LabelFault(topo_, usage_, *unused);
    EXPECT_EQ(t.label, Verdict::kHealthy);
    EXPECT_TRUE(t.affected.empty());
  }
}

TEST(GroundTruth, TwoFaultsAcceptEitherAndPrimaryIsTheWorse) {
  FaultTruth a;
  a.label = Verdict::kClientLoss;
  a.acceptable = {Verdict::kClientLoss};
  a.fault.kind = FaultKind::kLoss;
  a.fault.loss = 0.05;
  FaultTruth b;
  b.label = Verdict::kServerLatency;
  b.acceptable = {Verdict::kServerLatency};
  b.fault.kind = FaultKind::kLatency;
  b.fault.extra_ms = 100;
  GroundTruth g = CombineTruth(ScenarioClass::kTwoFaults, {a, b});
  EXPECT_FALSE(g.minor);
  EXPECT_EQ(g.primary, Verdict::kServerLatency);  // 100/10 > 0.05/0.02.
  EXPECT_EQ(g.acceptable.size(), 2u);
  // A minor second fault does not widen what is accepted.
  b.minor = true;
  b.acceptable.push_back(Verdict::kHealthy);
  g = CombineTruth(ScenarioClass::kTwoFaults, {a, b});
  EXPECT_EQ(g.primary, Verdict::kClientLoss);
  EXPECT_EQ(g.acceptable, std::vector<Verdict>{Verdict::kClientLoss});
}

// The brief asks for asymmetric return routes for a good share of pairs:
// measure the share of vantages whose return path uses other links than
// the forward path.
TEST(Scenario, ReturnRoutesAreOftenAsymmetric) {
  int asymmetric = 0, total = 0;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    auto s = GenerateScenario(seed, Small());
    ASSERT_TRUE(s.ok());
    Routing routing(s->topology.network);
    auto usage = ComputeUsage(s->topology, routing, false);
    ASSERT_TRUE(usage.ok());
    for (const VantageUsage& u : *usage) {
      std::set<LinkId> there, back;
      for (const DirectedLink& d : u.forward_paths[0]) there.insert(d.link);
      for (const DirectedLink& d : u.return_paths[0]) back.insert(d.link);
      ++total;
      asymmetric += there != back;
    }
  }
  EXPECT_GT(asymmetric, total / 3) << asymmetric << " of " << total;
  EXPECT_LT(asymmetric, total);
}

}  // namespace
}  // namespace grid::sim
