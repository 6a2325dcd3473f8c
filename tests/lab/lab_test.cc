// Namespace tests of the harness itself: bring-up, routing, run helpers,
// management network, CLI, and teardown (also on failure paths).
#include <signal.h>

#include <cstdlib>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest-spi.h"
#include "nlohmann/json.hpp"
#include "tests/lab/lab_test_util.h"

namespace grid::lab {
namespace {

using ::testing::HasSubstr;

// Hop addresses of an mtr --json run (in TTL order).
std::vector<std::string> MtrHops(const std::string& json_text) {
  std::vector<std::string> hops;
  auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded()) return hops;
  for (const auto& hub : j["report"]["hubs"]) hops.push_back(hub["host"]);
  return hops;
}

TEST(LabUp, PingsAcrossTheTopology) {
  GRID_LAB_REQUIRE();
  auto lab = Lab::Up(FixtureTopology(), Lab::UniquePrefix("t-ping"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  Lab& l = **lab;
  EXPECT_TRUE(NetnsExists(l.prefix() + "-core"));
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"X", "S"}, {"Y", "S"}, {"S", "X"}, {"X", "Y"}}) {
    auto p = l.Ping(from, *l.Address(to), {.count = 5, .interval_s = 0.01});
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->received, 5) << from << " -> " << to;
  }
}

TEST(LabUp, TracesFollowTheRoutes) {
  GRID_LAB_REQUIRE();
  auto lab = Lab::Up(FixtureTopology(), Lab::UniquePrefix("t-trace"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  Lab& l = **lab;
  auto out = l.Exec("Y", {"mtr", "-n", "--json", "-c", "2", "-i", "0.1", "-G",
                          "0.5", *l.Address("S")});
  ASSERT_TRUE(out.ok()) << out.status();
  // Linux routers answer from the interface toward the prober.
  EXPECT_THAT(
      MtrHops(*out),
      ::testing::ElementsAre(*l.AddressOn("b1", "Y"), *l.AddressOn("b2", "b1"),
                             *l.AddressOn("core", "b2"),
                             *l.AddressOn("sr", "core"), *l.Address("S")));
}

TEST(LabUp, AsymmetricReturnAndMultipath) {
  GRID_LAB_REQUIRE();
  // A - r1 =(r2 | r3)= r4 - B. Forward A->B over r2 (automatic), return
  // B->A over r3 (explicit), and r1 spreads traffic to B over both.
  Topology t = TopologyBuilder()
                   .Host("A")
                   .Router("r1", {{"net.ipv4.fib_multipath_hash_policy", "1"}})
                   .Router("r2")
                   .Router("r3")
                   .Router("r4")
                   .Host("B")
                   .Link("A", "r1")
                   .Link("r1", "r2")
                   .Link("r1", "r3")
                   .Link("r2", "r4")
                   .Link("r3", "r4")
                   .Link("r4", "B")
                   .Route("r4", "A", {"r3"})
                   .Route("r1", "B", {"r2", "r3"})
                   .Build();
  auto lab = Lab::Up(t, Lab::UniquePrefix("t-asym"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  Lab& l = **lab;
  auto p = l.Ping("A", *l.Address("B"), {.count = 5, .interval_s = 0.01});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->received, 5);
  auto routes = l.Exec("r1", {"ip", "route", "show"});
  ASSERT_TRUE(routes.ok());
  EXPECT_THAT(*routes, HasSubstr("nexthop via " + *l.AddressOn("r2", "r1")));
  EXPECT_THAT(*routes, HasSubstr("nexthop via " + *l.AddressOn("r3", "r1")));
  EXPECT_EQ(*l.GetSysctl("r1", "net.ipv4.fib_multipath_hash_policy"), "1");
  auto back = l.Exec(
      "B", {"mtr", "-n", "--json", "-c", "1", "-G", "0.5", *l.Address("A")});
  ASSERT_TRUE(back.ok()) << back.status();
  auto hops = MtrHops(*back);
  ASSERT_GE(hops.size(), 3u);
  EXPECT_EQ(hops[1], *l.AddressOn("r3", "r4"));  // the return route
}

TEST(LabUp, Ipv6) {
  GRID_LAB_REQUIRE();
  Topology t = LineTopology();
  t.ipv6 = true;
  auto lab = Lab::Up(t, Lab::UniquePrefix("t-v6"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  auto a6 = (*lab)->Address6("B");
  ASSERT_TRUE(a6.ok());
  EXPECT_THAT(*a6, ::testing::StartsWith("2001:2:"));
  auto p = (*lab)->Ping("A", *a6, {.count = 3, .interval_s = 0.01});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->received, 3);
}

TEST(LabUp, ManagementNetworkIsSeparate) {
  GRID_LAB_REQUIRE();
  Topology t = FixtureTopology();
  t.management.enabled = true;
  auto lab = Lab::Up(t, Lab::UniquePrefix("t-mgmt"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  Lab& l = **lab;
  auto m = l.ManagementAddress("S");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE(l.IsManagementAddress(*m));
  EXPECT_FALSE(l.IsManagementAddress(*l.Address("S")));
  EXPECT_THAT(l.Addresses("S"), ::testing::Not(::testing::Contains(*m)));
  // One hop on the bridge, no routers in between.
  auto out = l.Exec(
      "Y", {"mtr", "-n", "--json", "-c", "1", "-i", "0.1", "-G", "0.5", *m});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(MtrHops(*out), ::testing::ElementsAre(*m));
  EXPECT_TRUE(NetnsExists(l.prefix() + "--mgmt"));
}

TEST(LabUp, RunExecSpawnEnter) {
  GRID_LAB_REQUIRE();
  auto lab = Lab::Up(LineTopology(), Lab::UniquePrefix("t-run"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  Lab& l = **lab;
  auto out = l.Exec("A", {"ip", "-br", "addr", "show", "dev", "r"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(*out, HasSubstr(*l.Address("A")));
  auto fail = l.Exec("A", {"ip", "route", "get", "banana"});
  ASSERT_FALSE(fail.ok());
  EXPECT_THAT(std::string(fail.status().message()), HasSubstr("on A"));
  auto r = l.Run("A", {"sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->out, "out\n");
  EXPECT_EQ(r->err, "err\n");
  auto slow = l.Run("A", {"sleep", "5"}, {.timeout = absl::Milliseconds(200)});
  EXPECT_TRUE(absl::IsDeadlineExceeded(slow.status())) << slow.status();
  EXPECT_TRUE(absl::IsNotFound(l.Run("nope", {"true"}).status()));

  auto pid = l.Spawn("B", {"sleep", "60"});
  ASSERT_TRUE(pid.ok()) << pid.status();
  EXPECT_THAT(PidsInNetns(l.Namespace("B")), ::testing::Contains(*pid));
  EXPECT_TRUE(l.Kill(*pid).ok());
  EXPECT_NE(kill(*pid, 0), 0);

  {
    auto in = l.Enter("r");
    ASSERT_TRUE(in.ok()) << in.status();
    EXPECT_EQ(*ReadSysctl("net.ipv4.ip_forward"), "1");
  }
  EXPECT_EQ(*l.GetSysctl("A", "net.ipv4.ip_forward"), "0");
}

TEST(LabUp, PrefixInUseIsRefused) {
  GRID_LAB_REQUIRE();
  const std::string prefix = Lab::UniquePrefix("t-dup");
  auto first = Lab::Up(LineTopology(), prefix);
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = Lab::Up(LineTopology(), prefix);
  EXPECT_TRUE(absl::IsAlreadyExists(second.status())) << second.status();
  // The refused attempt must not have touched the first lab.
  EXPECT_TRUE(NetnsExists(prefix + "-A"));
  auto p = (*first)->Ping("A", *(*first)->Address("B"),
                          {.count = 2, .interval_s = 0.01});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->received, 2);
}

TEST(LabTeardown, LeavesNoNamespacesOrProcesses) {
  GRID_LAB_REQUIRE();
  const std::string prefix = Lab::UniquePrefix("t-down");
  pid_t sleeper = -1;
  {
    auto lab = Lab::Up(LineTopology(), prefix);
    ASSERT_TRUE(lab.ok()) << lab.status();
    ASSERT_TRUE((*lab)->AddFault(Fault::Delay("r", "B", 5)).ok());
    auto pid = (*lab)->Spawn("A", {"sleep", "60"});
    ASSERT_TRUE(pid.ok());
    sleeper = *pid;
    EXPECT_EQ(ListNetns(prefix + "-").size(), 3u);
  }
  EXPECT_THAT(ListNetns(prefix + "-"), ::testing::IsEmpty());
  EXPECT_NE(kill(sleeper, 0), 0);
  std::ifstream state("/run/grid-lab/" + prefix + ".json");
  EXPECT_FALSE(state.good());
}

// Set inside EXPECT_FATAL_FAILURE, which cannot see locals.
std::string g_failing_prefix;

void BringUpThenFail() {
  auto lab = Lab::Up(LineTopology(), g_failing_prefix);
  ASSERT_TRUE(lab.ok()) << lab.status();
  ASSERT_TRUE((*lab)->AddFault(Fault::Delay("A", "r", 5)).ok());
  ASSERT_TRUE((*lab)->AddFault(Fault::Loss("r", "B", 0.5)).ok());
  ASSERT_EQ(1, 2) << "deliberate failure with the lab up";
}

TEST(LabTeardown, AfterAFailedAssertion) {
  GRID_LAB_REQUIRE();
  g_failing_prefix = Lab::UniquePrefix("t-fail");
  EXPECT_FATAL_FAILURE(BringUpThenFail(), "deliberate failure");
  EXPECT_THAT(ListNetns(g_failing_prefix + "-"), ::testing::IsEmpty());
}

TEST(LabTeardown, FailedUpCleansUp) {
  GRID_LAB_REQUIRE();
  const std::string prefix = Lab::UniquePrefix("t-badup");
  Topology t = LineTopology();
  t.nodes[2].sysctls["net.ipv4.no_such_sysctl"] = "1";  // fails mid-way
  auto lab = Lab::Up(t, prefix);
  ASSERT_FALSE(lab.ok());
  EXPECT_THAT(std::string(lab.status().message()), HasSubstr("no_such_sysctl"));
  EXPECT_THAT(std::string(lab.status().message()), HasSubstr("node B"));
  EXPECT_THAT(ListNetns(prefix + "-"), ::testing::IsEmpty());

  // A fault that cannot be applied also leaves nothing behind.
  Topology bad = LineTopology();
  bad.faults.push_back(Fault::Delay("A", "r", 5));
  LabOptions o;
  o.delay_helper = "/nonexistent/grid-lab-delay";
  auto lab2 = Lab::Up(bad, prefix, o);
  ASSERT_FALSE(lab2.ok());
  EXPECT_THAT(std::string(lab2.status().message()), HasSubstr("faults[0]"));
  EXPECT_THAT(ListNetns(prefix + "-"), ::testing::IsEmpty());
}

TEST(LabCli, UpFaultExecDown) {
  GRID_LAB_REQUIRE();
  const std::string cli = GRID_LAB_CLI;
  const std::string prefix = Lab::UniquePrefix("t-cli");
  const std::string file = "/tmp/" + prefix + ".json";
  {
    std::ofstream f(file);
    f << R"({"nodes": [{"name": "A"}, {"name": "r", "kind": "router"},
                      {"name": "B"}],
             "links": [["A", "r"], {"a": "r", "b": "B", "subnet": "198.18.7.0/30"}]})";
  }
  auto up = RunProcess({cli, "up", file, "--prefix", prefix});
  ASSERT_TRUE(up.ok()) << up.status();
  ASSERT_EQ(up->exit_code, 0) << up->err;
  EXPECT_EQ(up->out, prefix + "\n");
  // The lab outlives the CLI.
  auto lab = Lab::Attach(prefix);
  ASSERT_TRUE(lab.ok()) << lab.status();
  (*lab)->TakeOwnership();  // cleans up if an assertion below fails
  auto addr = RunProcess({cli, "addr", prefix, "B"});
  ASSERT_TRUE(addr.ok());
  EXPECT_EQ(addr->out, "198.18.7.2\n");
  auto fault =
      RunProcess({cli, "fault", prefix, "add",
                  R"({"type":"delay","link":["r","B"],"delay_ms":25})"});
  ASSERT_TRUE(fault.ok());
  ASSERT_EQ(fault->exit_code, 0) << fault->err;
  auto ping = RunProcess({cli, "exec", prefix, "A", "--", "ping", "-n", "-q",
                          "-c", "3", "-i", "0.05", "198.18.7.2"});
  ASSERT_TRUE(ping.ok());
  EXPECT_EQ(ping->exit_code, 0) << ping->err;
  auto stats = ParsePingOutput(ping->out);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_GE(stats->min_ms, 50.0);
  auto bad = RunProcess({cli, "fault", prefix, "add", R"({"type":"loss"})"});
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->exit_code, 2);
  EXPECT_THAT(bad->err, HasSubstr("missing \"probability\""));
  auto down = RunProcess({cli, "down", prefix});
  ASSERT_TRUE(down.ok());
  EXPECT_EQ(down->exit_code, 0) << down->err;
  EXPECT_THAT(ListNetns(prefix + "-"), ::testing::IsEmpty());
  std::remove(file.c_str());
}

}  // namespace
}  // namespace grid::lab
