#include "tests/sim/routing.h"

#include <set>

#include "gtest/gtest.h"
#include "tests/sim/test_networks.h"

namespace grid::sim {
namespace {

using testing::Fixed;

std::vector<NodeId> Nodes(const std::vector<DirectedLink>& path) {
  std::vector<NodeId> out;
  for (const DirectedLink& d : path) out.push_back(d.to);
  return out;
}

TEST(Routing, LineHasOnePath) {
  testing::Line l = testing::MakeLine();
  Routing routing(l.net);
  auto path = routing.Path(l.client, l.server, 1);
  ASSERT_TRUE(path.ok()) << path.status();
  EXPECT_EQ(Nodes(*path), (std::vector<NodeId>{l.routers[0], l.routers[1],
                                               l.routers[2], l.server}));
  EXPECT_EQ(routing.NextLinks(l.routers[1], l.client),
            std::vector<LinkId>{l.links[1]});
}

TEST(Routing, AsymmetricWeightsMakeAsymmetricPaths) {
  testing::Diamond d = testing::MakeDiamond(/*asymmetric=*/true);
  Routing routing(d.net);
  for (uint64_t flow = 0; flow < 20; ++flow) {
    auto there = routing.Path(d.client, d.server, flow);
    auto back = routing.Path(d.server, d.client, flow);
    ASSERT_TRUE(there.ok() && back.ok());
    EXPECT_EQ(Nodes(*there),
              (std::vector<NodeId>{d.r1, d.r2a, d.r3, d.server}));
    EXPECT_EQ(Nodes(*back), (std::vector<NodeId>{d.r3, d.r2b, d.r1, d.client}));
  }
}

TEST(Routing, EcmpSpreadsFlowsButKeepsEachFlowOnOnePath) {
  testing::Diamond d = testing::MakeDiamond(/*asymmetric=*/false);
  Routing routing(d.net);
  EXPECT_EQ(routing.NextLinks(d.r1, d.server).size(), 2u);
  std::set<NodeId> middles;
  for (uint64_t flow = 0; flow < 64; ++flow) {
    auto a = routing.Path(d.client, d.server, flow);
    auto b = routing.Path(d.client, d.server, flow);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(Nodes(*a), Nodes(*b));
    middles.insert(Nodes(*a)[1]);
  }
  EXPECT_EQ(middles, (std::set<NodeId>{d.r2a, d.r2b}));
}

// Two transits peer; a server network buys from both. Even when going
// through the server network is much cheaper, transit traffic between the
// transits never crosses it (it is a customer, not a transit).
TEST(Routing, CustomersDoNotCarryTransit) {
  Network net;
  AsId t1 = net.AddAs(AsKind::kTransit, "t1");
  AsId t2 = net.AddAs(AsKind::kTransit, "t2");
  AsId dc = net.AddAs(AsKind::kDatacenter, "dc");
  AsId acc = net.AddAs(AsKind::kAccess, "acc");
  AsId acc2 = net.AddAs(AsKind::kAccess, "acc2");
  net.AddPeering(t1, t2);
  net.AddProvider(dc, t1);
  net.AddProvider(dc, t2);
  net.AddProvider(acc, t1);
  net.AddProvider(acc2, t2);
  NodeId r1 = net.AddNode(NodeRole::kTransit, t1, "r1");
  NodeId r2 = net.AddNode(NodeRole::kTransit, t2, "r2");
  NodeId d = net.AddNode(NodeRole::kDatacenter, dc, "d");
  NodeId a = net.AddNode(NodeRole::kAccess, acc, "a");
  NodeId a2 = net.AddNode(NodeRole::kAccess, acc2, "a2");
  NodeId h = net.AddNode(NodeRole::kVantage, acc, "h");
  NodeId h2 = net.AddNode(NodeRole::kVantage, acc2, "h2");
  NodeId s = net.AddNode(NodeRole::kServer, dc, "s");
  net.Connect(h, a, Fixed(1), Fixed(1));
  net.Connect(a, r1, Fixed(1), Fixed(1));
  net.Connect(h2, a2, Fixed(1), Fixed(1));
  net.Connect(a2, r2, Fixed(1), Fixed(1));
  net.Connect(r1, r2, Fixed(1, 1000), Fixed(1, 1000));
  net.Connect(r1, d, Fixed(1), Fixed(1));
  net.Connect(r2, d, Fixed(1), Fixed(1));
  net.Connect(d, s, Fixed(1), Fixed(1));
  Routing routing(net);
  auto path = routing.Path(h, h2, 7);
  ASSERT_TRUE(path.ok()) << path.status();
  EXPECT_EQ(Nodes(*path), (std::vector<NodeId>{a, r1, r2, a2, h2}));
  auto to_server = routing.Path(h, s, 7);
  ASSERT_TRUE(to_server.ok());
  EXPECT_EQ(Nodes(*to_server), (std::vector<NodeId>{a, r1, d, s}));
  EXPECT_EQ(routing.NextAs(acc, acc2), t1);
  EXPECT_EQ(routing.NextAs(t1, acc2), t2);
  EXPECT_EQ(routing.NextAs(t1, dc), dc);
}

TEST(Routing, UnreachableIsAnError) {
  Network net;
  AsId as = net.AddAs(AsKind::kAccess, "as");
  NodeId h1 = net.AddNode(NodeRole::kVantage, as, "h1");
  NodeId h2 = net.AddNode(NodeRole::kServer, as, "h2");
  NodeId r = net.AddNode(NodeRole::kAccess, as, "r");
  net.Connect(h1, r, Fixed(1), Fixed(1));
  Routing routing(net);
  auto path = routing.Path(h1, h2, 0);
  EXPECT_EQ(path.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(routing.NextLinks(r, h2).empty());
}

TEST(Routing, HostsNeverForward) {
  // h1 - r1 - hx - r2 - h2: the only way runs through host hx.
  Network net;
  AsId as = net.AddAs(AsKind::kAccess, "as");
  NodeId h1 = net.AddNode(NodeRole::kVantage, as, "h1");
  NodeId r1 = net.AddNode(NodeRole::kAccess, as, "r1");
  NodeId hx = net.AddNode(NodeRole::kVantage, as, "hx");
  NodeId r2 = net.AddNode(NodeRole::kAccess, as, "r2");
  NodeId h2 = net.AddNode(NodeRole::kServer, as, "h2");
  net.Connect(h1, r1, Fixed(1), Fixed(1));
  net.Connect(r1, hx, Fixed(1), Fixed(1));
  net.Connect(hx, r2, Fixed(1), Fixed(1));
  net.Connect(r2, h2, Fixed(1), Fixed(1));
  Routing routing(net);
  EXPECT_FALSE(routing.Path(h1, h2, 0).ok());
  EXPECT_TRUE(routing.Path(h1, hx, 0).ok());
}

}  // namespace
}  // namespace grid::sim
