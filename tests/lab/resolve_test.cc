#include "tests/lab/resolve.h"

#include <sys/socket.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace grid::lab {
namespace {

using ::testing::HasSubstr;

// The fixture topology: X - a1 - a2 - core - sr - S, Y - b1 - b2 - core.
Topology Fixture() {
  return TopologyBuilder()
      .Host("X")
      .Host("Y")
      .Host("S")
      .Router("a1")
      .Router("a2")
      .Router("b1")
      .Router("b2")
      .Router("core")
      .Router("sr")
      .Link("a1", "X", "198.18.1.0/30")
      .Link("a1", "a2", "198.18.1.4/30")
      .Link("a2", "core", "198.18.1.8/30")
      .Link("b1", "Y", "198.18.2.0/30")
      .Link("b1", "b2", "198.18.2.4/30")
      .Link("b2", "core", "198.18.2.8/30")
      .Link("core", "sr", "198.18.3.0/30")
      .Link("sr", "S", "198.18.3.4/30")
      .Build();
}

const ResolvedRoute* FindRoute(const ResolvedTopology& t,
                               const std::string& node,
                               const std::string& dst) {
  const ResolvedRoute* found = nullptr;
  for (const ResolvedRoute& r : t.routes) {  // last one wins, like replace
    if (r.node == node && r.dst == dst) found = &r;
  }
  return found;
}

TEST(Resolve, AddressesAndInterfaces) {
  auto t = Resolve(Fixture());
  ASSERT_TRUE(t.ok()) << t.status();
  auto l = t->FindLink("sr", "S", "");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ((*l)->name, "sr-S");
  EXPECT_EQ((*l)->Side("sr").addr4, "198.18.3.5");
  EXPECT_EQ((*l)->Side("S").addr4, "198.18.3.6");
  EXPECT_EQ((*l)->Side("sr").ifname, "S");  // named after the peer
  EXPECT_EQ((*l)->Side("S").ifname, "sr");
}

TEST(Resolve, AutomaticRoutes) {
  auto t = Resolve(Fixture());
  ASSERT_TRUE(t.ok()) << t.status();
  // Hosts with one link: default via the neighbour.
  const ResolvedRoute* x = FindRoute(*t, "X", "default");
  ASSERT_NE(x, nullptr);
  EXPECT_THAT(x->via, ::testing::ElementsAre("198.18.1.1"));
  // a2 reaches S's subnet via core (core's address on a2-core).
  const ResolvedRoute* a2 = FindRoute(*t, "a2", "198.18.3.4/30");
  ASSERT_NE(a2, nullptr);
  EXPECT_THAT(a2->via, ::testing::ElementsAre("198.18.1.10"));
  // core reaches Y's subnet via b2.
  const ResolvedRoute* core = FindRoute(*t, "core", "198.18.2.0/30");
  ASSERT_NE(core, nullptr);
  EXPECT_THAT(core->via, ::testing::ElementsAre("198.18.2.9"));
  // No route to a directly connected subnet.
  EXPECT_EQ(FindRoute(*t, "core", "198.18.3.0/30"), nullptr);
}

TEST(Resolve, ExplicitRoutesOverrideAndMultipath) {
  Topology topo = TopologyBuilder()
                      .Host("A")
                      .Router("r1")
                      .Router("r2")
                      .Router("r3")
                      .Host("B")
                      .Link("A", "r1")
                      .Link("r1", "r2")
                      .Link("r1", "r3")
                      .Link("r2", "B")
                      .Link("r3", "B", "", "r3-B")
                      .Route("r1", "B", {"r2", "r3"})
                      .Route("B", "A", {"r3"})
                      .Build();
  auto t = Resolve(topo);
  ASSERT_TRUE(t.ok()) << t.status();
  auto r2b = *t->FindLink("r2", "B", "");
  const ResolvedRoute* ecmp = FindRoute(*t, "r1", r2b->subnet4.ToString());
  ASSERT_NE(ecmp, nullptr);
  EXPECT_EQ(ecmp->via.size(), 2u);
  EXPECT_FALSE(ecmp->automatic);
  auto ar1 = *t->FindLink("A", "r1", "");
  const ResolvedRoute* ret = FindRoute(*t, "B", ar1->subnet4.ToString());
  ASSERT_NE(ret, nullptr);
  EXPECT_EQ(ret->via[0], (*t->FindLink("r3", "B", ""))->Side("r3").addr4);
}

TEST(Resolve, AutomaticSubnetsAvoidExplicitOnes) {
  Topology topo = TopologyBuilder()
                      .Host("A")
                      .Router("r")
                      .Host("B")
                      .Link("A", "r")                   // automatic
                      .Link("r", "B", "198.18.0.0/30")  // explicit
                      .Build();
  auto t = Resolve(topo);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->links[0].subnet4.ToString(), "198.18.0.4/30");
}

TEST(Resolve, Ipv6AndSlash31) {
  Topology topo = TopologyBuilder()
                      .Host("A")
                      .Host("B")
                      .Link("A", "B")
                      .Ipv6()
                      .LinkPrefixLen(31)
                      .Build();
  auto t = Resolve(topo);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->links[0].a.addr4, "198.18.0.0");
  EXPECT_EQ(t->links[0].b.addr4, "198.18.0.1");
  EXPECT_EQ(t->links[0].a.addr6, "2001:2:0:1::1");
  const ResolvedRoute* d6 = nullptr;
  for (const auto& r : t->routes) {
    if (r.node == "A" && r.family == AF_INET6) d6 = &r;
  }
  ASSERT_NE(d6, nullptr);
  EXPECT_EQ(d6->via[0], "2001:2:0:1::2");
}

TEST(Resolve, ParallelLinksGetDistinctInterfaces) {
  Topology topo = TopologyBuilder()
                      .Router("r1")
                      .Router("r2")
                      .Link("r1", "r2", "", "p1")
                      .Link("r1", "r2", "", "p2")
                      .Build();
  auto t = Resolve(topo);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_NE(t->links[0].a.ifname, t->links[1].a.ifname);
}

TEST(Resolve, Management) {
  Topology topo = Fixture();
  topo.management.enabled = true;
  auto t = Resolve(topo);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->mgmt_addr.at("X"), "198.19.0.1");
  EXPECT_EQ(t->mgmt_addr.at("sr"), "198.19.0.9");
  topo.management.subnet = "198.18.1.0/24";  // overlaps a link
  EXPECT_THAT(std::string(Resolve(topo).status().message()),
              HasSubstr("overlaps"));
}

TEST(Resolve, DefaultSysctls) {
  auto t = Resolve(Fixture());
  ASSERT_TRUE(t.ok());
  auto router = t->SysctlsFor(*t->FindNode("a2"));
  EXPECT_EQ(router["net.ipv4.ip_forward"], "1");
  EXPECT_EQ(router["net.ipv4.icmp_ratelimit"], "0");
  EXPECT_EQ(router["net.ipv4.conf.all.rp_filter"], "0");
  auto host = t->SysctlsFor(*t->FindNode("X"));
  EXPECT_FALSE(host.contains("net.ipv4.ip_forward"));
  Topology topo = TopologyBuilder()
                      .Router("r", {{"net.ipv4.icmp_ratelimit", "1000"}})
                      .Build();
  auto t2 = Resolve(topo);
  ASSERT_TRUE(t2.ok());
  EXPECT_EQ(t2->SysctlsFor(*t2->FindNode("r"))["net.ipv4.icmp_ratelimit"],
            "1000");
}

struct BadCase {
  const char* what;
  Topology topo;
  const char* error;
};

TEST(Resolve, RejectsBadTopologies) {
  std::vector<BadCase> cases = {
      {"empty", Topology{}, "no nodes"},
      {"bad name", TopologyBuilder().Host("a b").Build(), "nodes[0]"},
      {"long name", TopologyBuilder().Host("abcdefghijklmnop").Build(),
       "bad node name"},
      {"dup node", TopologyBuilder().Host("a").Router("a").Build(),
       "duplicate node"},
      {"unknown link end", TopologyBuilder().Host("a").Link("a", "q").Build(),
       "links[0]: unknown node 'q'"},
      {"self link", TopologyBuilder().Host("a").Link("a", "a").Build(),
       "two different"},
      {"dup link",
       TopologyBuilder()
           .Host("a")
           .Host("b")
           .Link("a", "b")
           .Link("a", "b")
           .Build(),
       "duplicate link name"},
      {"outside pool",
       TopologyBuilder()
           .Host("a")
           .Host("b")
           .Link("a", "b", "10.0.0.0/30")
           .Build(),
       "not inside 198.18.0.0/15"},
      {"overlap",
       TopologyBuilder()
           .Host("a")
           .Host("b")
           .Host("c")
           .Link("a", "b", "198.18.0.0/29")
           .Link("b", "c", "198.18.0.4/30")
           .Build(),
       "overlaps"},
      {"too small",
       TopologyBuilder()
           .Host("a")
           .Host("b")
           .Link("a", "b", "198.18.0.0/32")
           .Build(),
       "too small"},
      {"route node",
       TopologyBuilder().Host("a").Route("q", "default", {"a"}).Build(),
       "routes[0]: unknown node 'q'"},
      {"route via non-neighbour",
       TopologyBuilder()
           .Host("a")
           .Router("r")
           .Host("b")
           .Link("a", "r")
           .Link("r", "b")
           .Route("a", "b", {"b"})
           .Build(),
       "not a neighbour"},
      {"route dst",
       TopologyBuilder()
           .Host("a")
           .Host("b")
           .Link("a", "b")
           .Route("a", "nowhere", {"b"})
           .Build(),
       "dst 'nowhere'"},
      {"fault link",
       TopologyBuilder()
           .Host("a")
           .Host("b")
           .Link("a", "b")
           .WithFault(Fault::Loss("a", "c", 0.1))
           .Build(),
       "faults[0]: no link between 'a' and 'c'"},
      {"fault from",
       TopologyBuilder()
           .Host("a")
           .Host("b")
           .Host("c")
           .Link("a", "b")
           .WithFault(Fault::Loss("a", "b", 0.1).From("c"))
           .Build(),
       "'from' must be"},
      {"fault p",
       TopologyBuilder()
           .Host("a")
           .Host("b")
           .Link("a", "b")
           .WithFault(Fault::Loss("a", "b", 1.5))
           .Build(),
       "not in (0, 1]"},
      {"fault jitter",
       TopologyBuilder()
           .Host("a")
           .Host("b")
           .Link("a", "b")
           .WithFault(Fault::Delay("a", "b", 10, 20))
           .Build(),
       "jitter <= delay"},
      {"prefix len", TopologyBuilder().Host("a").LinkPrefixLen(32).Build(),
       "link_prefix_len"},
  };
  for (const BadCase& c : cases) {
    auto t = Resolve(c.topo);
    EXPECT_FALSE(t.ok()) << c.what;
    EXPECT_THAT(std::string(t.status().message()), HasSubstr(c.error))
        << c.what;
  }
}

}  // namespace
}  // namespace grid::lab
