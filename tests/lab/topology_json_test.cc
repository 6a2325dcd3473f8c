#include "tests/lab/topology_json.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/lab/resolve.h"

namespace grid::lab {
namespace {

using ::testing::HasSubstr;

constexpr char kExample[] = R"({
  "comment": "two hosts, one router",
  "ipv6": true,
  "management": {"subnet": "198.19.0.0/24"},
  "nodes": [
    {"name": "X"},
    {"name": "r", "kind": "router", "sysctls": {"net.ipv4.icmp_ratelimit": 1000}},
    {"name": "S", "kind": "host"}
  ],
  "links": [
    ["X", "r"],
    {"a": "r", "b": "S", "subnet": "198.18.9.0/31", "subnet6": "2001:2:0:9::/64"}
  ],
  "routes": [{"node": "S", "dst": "X", "via": "r"}],
  "faults": [
    {"type": "loss", "link": ["r", "S"], "from": "S", "probability": 0.2},
    {"type": "delay", "link": "X-r", "delay_ms": 40, "jitter_ms": 5, "seed": 9},
    {"type": "icmp_ratelimit", "node": "r", "ratelimit_ms": 1000, "msgs_per_sec": 5, "msgs_burst": 5}
  ]
})";

TEST(TopologyJson, ParsesEverything) {
  auto t = ParseTopologyJson(kExample);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE(t->ipv6);
  EXPECT_TRUE(t->management.enabled);
  EXPECT_EQ(t->management.subnet, "198.19.0.0/24");
  ASSERT_EQ(t->nodes.size(), 3u);
  EXPECT_EQ(t->nodes[1].kind, NodeKind::kRouter);
  EXPECT_EQ(t->nodes[1].sysctls.at("net.ipv4.icmp_ratelimit"), "1000");
  EXPECT_EQ(t->links[1].subnet, "198.18.9.0/31");
  ASSERT_EQ(t->faults.size(), 3u);
  EXPECT_EQ(t->faults[0].from, "S");
  EXPECT_DOUBLE_EQ(t->faults[0].probability, 0.2);
  EXPECT_EQ(t->faults[1].link, "X-r");
  EXPECT_EQ(t->faults[1].jitter_ms, 5);
  EXPECT_EQ(t->faults[2].msgs_per_sec, 5);
  EXPECT_TRUE(Resolve(*t).ok()) << Resolve(*t).status();
}

TEST(TopologyJson, RoundTrips) {
  auto t = ParseTopologyJson(kExample);
  ASSERT_TRUE(t.ok());
  auto again = TopologyFromJson(TopologyToJson(*t));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(TopologyToJson(*again), TopologyToJson(*t));
  auto r1 = Resolve(*t), r2 = Resolve(*again);
  ASSERT_TRUE(r1.ok() && r2.ok());
  ASSERT_EQ(r1->routes.size(), r2->routes.size());
  for (size_t i = 0; i < r1->routes.size(); ++i) {
    EXPECT_EQ(r1->routes[i].via, r2->routes[i].via);
  }
}

TEST(TopologyJson, ErrorsNameThePath) {
  struct Case {
    const char* json;
    const char* error;
  } cases[] = {
      {"{", "not valid JSON"},
      {"[]", "expected an object"},
      {R"({"nodes": [{"name": "a", "knd": "router"}]})",
       "nodes[0]: unknown key 'knd'"},
      {R"({"nodes": [{"name": 3}]})", "nodes[0].name: expected a string"},
      {R"({"nodes": [{"name": "a", "kind": "switch"}]})", "nodes[0].kind"},
      {R"({"nodes": [{"kind": "host"}]})", "nodes[0]: missing \"name\""},
      {R"({"links": [["a"]]})", "links[0]"},
      {R"({"links": {"a": "b"}})", "links: expected an array"},
      {R"({"routes": [{"node": "a", "dst": "default"}]})",
       "routes[0]: missing \"via\""},
      {R"({"routes": [{"node": "a", "dst": "default", "via": [1]}]})",
       "routes[0].via[0]"},
      {R"({"faults": [{"type": "storm"}]})", "faults[0].type"},
      {R"({"faults": [{"type": "loss", "link": ["a", "b"]}]})",
       "faults[0]: missing \"probability\""},
      {R"({"faults": [{"type": "delay", "link": 5, "delay_ms": 1}]})",
       "faults[0].link"},
      {R"({"faults": [{"type": "delay", "link": "x", "delay_ms": 1.5}]})",
       "faults[0].delay_ms: expected an integer"},
      {R"({"faults": [{"type": "delay", "link": "x", "delay_ms": 99999999999}]})",
       "out of range"},
      {R"({"ipv6": "yes"})", "ipv6: expected true/false"},
      {R"({"management": {"net": "x"}})", "management: unknown key 'net'"},
  };
  for (const Case& c : cases) {
    auto t = ParseTopologyJson(c.json);
    EXPECT_FALSE(t.ok()) << c.json;
    EXPECT_THAT(std::string(t.status().message()), HasSubstr(c.error))
        << c.json;
  }
}

TEST(TopologyJson, FaultRoundTrip) {
  Fault f = Fault::Delay("a", "b", 40, 3).From("b").Seed(5);
  auto back = FaultFromJson(FaultToJson(f), "f");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->kind, FaultKind::kDelay);
  EXPECT_EQ(back->a, "a");
  EXPECT_EQ(back->from, "b");
  EXPECT_EQ(back->delay_ms, 40);
  EXPECT_EQ(back->jitter_ms, 3);
  EXPECT_EQ(back->seed, 5u);
  EXPECT_FALSE(ParseFaultJson("not json").ok());
}

}  // namespace
}  // namespace grid::lab
