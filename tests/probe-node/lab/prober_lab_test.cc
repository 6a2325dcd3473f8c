// The prober on real networks of namespaces, in-process: ECMP (Paris keeps
// one path, per-cycle flows find both), a rate-limiting router, IPv6, UDP
// and TCP to the destination, and least privilege. Needs root (skips
// otherwise); ctest label "lab".
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include "gmock/gmock.h"
#include "probe-node/privileges.h"
#include "tests/lab/lab_test_util.h"
#include "tests/probe-node/lab/prober_lab_util.h"

namespace grid::probe::lab_test {
namespace {

using ::testing::ElementsAre;

// Fast, unpaced probing: lab routers do not rate-limit unless told to.
ProberOptions Fast() {
  ProberOptions o;
  o.packets_per_second = 2000;
  o.router_pps = 0;
  return o;
}

TraceOptions Cycles(int n, ProbeMethod method = ProbeMethod::kIcmpEcho,
                    double interval_s = 0.02) {
  TraceOptions o;
  o.cycles = n;
  o.method = method;
  o.interval = absl::Seconds(interval_s);
  o.timeout = absl::Seconds(1);
  return o;
}

TEST(ProberLab, EveryMethodAndFamilyReachesTheDestination) {
  GRID_LAB_REQUIRE();
  auto lab = lab::Lab::Up(Chain(), lab::Lab::UniquePrefix("pl-reach"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  lab::Lab& l = **lab;
  ASSERT_TRUE(WarmUp(l, "X").ok());
  std::vector<TraceRequest> reqs;
  for (bool v6 : {false, true}) {
    for (ProbeMethod m :
         {ProbeMethod::kIcmpEcho, ProbeMethod::kUdp, ProbeMethod::kTcpSyn}) {
      reqs.push_back(
          Request(v6 ? *l.Address6("S") : *l.Address("S"), Cycles(5, m)));
    }
  }
  auto results = TraceFrom(l, "X", reqs, Fast());
  ASSERT_TRUE(results.ok()) << results.status();
  for (size_t i = 0; i < results->size(); ++i) {
    const TraceResult& r = (*results)[i];
    const bool v6 = i >= 3;
    SCOPED_TRACE(std::string(ProbeMethodName(r.request.options.method)) +
                 (v6 ? " IPv6" : " IPv4"));
    ASSERT_TRUE(r.status.ok()) << r.status;
    EXPECT_EQ(r.stop_reason, StopReason::kReached);
    auto addr = [&](const std::string& node, const std::string& peer) {
      return v6 ? *l.Address6On(node, peer) : *l.AddressOn(node, peer);
    };
    // Linux routers answer from the interface toward the prober.
    EXPECT_THAT(Hosts(r), ElementsAre(addr("r1", "X"), addr("r2", "r1"),
                                      addr("r3", "r2"), addr("S", "r3")));
    for (const HopResult& h : r.hops) {
      EXPECT_EQ(h.sent, 5);
      EXPECT_EQ(h.received, 5) << "ttl " << h.ttl;
      EXPECT_GT(h.best_usec, 0);
      EXPECT_LT(h.worst_usec, 50000);
    }
    // Kernel TTLs: replies from r3 crossed r2 and r1 (64 - 2), the
    // destination's reply crossed three routers.
    const ProbeRecord* from_r3 = nullptr;
    for (const ProbeRecord& p : r.probes) {
      if (p.answered && p.ttl == 3) from_r3 = &p;
    }
    ASSERT_NE(from_r3, nullptr);
    EXPECT_EQ(from_r3->reply_ttl, 62);
    EXPECT_EQ(from_r3->quoted_ttl, 1);
  }
}

// Several Paris traces with different flow ids to the same destination:
// each keeps exactly one path through the ECMP pair, and between them both
// paths are used; a trace that varies its flow per cycle finds both.
TEST(ProberLab, ParisKeepsOnePathVaryingFindsBoth) {
  GRID_LAB_REQUIRE();
  auto lab = lab::Lab::Up(Ecmp(), lab::Lab::UniquePrefix("pl-ecmp"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  lab::Lab& l = **lab;
  ASSERT_TRUE(WarmUp(l, "X").ok());
  for (bool v6 : {false, true}) {
    const std::string dst = v6 ? *l.Address6("S") : *l.Address("S");
    const std::set<std::string> middle =
        v6 ? std::set<std::string>{*l.Address6On("ea", "r1"),
                                   *l.Address6On("eb", "r1")}
           : std::set<std::string>{*l.AddressOn("ea", "r1"),
                                   *l.AddressOn("eb", "r1")};
    for (ProbeMethod m : {ProbeMethod::kUdp, ProbeMethod::kTcpSyn}) {
      SCOPED_TRACE(std::string(ProbeMethodName(m)) + (v6 ? " v6" : " v4"));
      std::vector<TraceRequest> reqs;
      for (int i = 0; i < 8; ++i) reqs.push_back(Request(dst, Cycles(20, m)));
      TraceOptions varying = Cycles(20, m);
      varying.vary_flow_per_cycle = true;
      reqs.push_back(Request(dst, varying));
      auto results = TraceFrom(l, "X", reqs, Fast());
      ASSERT_TRUE(results.ok()) << results.status();
      std::set<std::string> seen_by_paris;
      for (int i = 0; i < 8; ++i) {
        const TraceResult& r = (*results)[i];
        ASSERT_EQ(r.stop_reason, StopReason::kReached) << r.status;
        ASSERT_GE(r.hops.size(), 2u);
        const HopResult& h = r.hops[1];
        ASSERT_EQ(h.responders.size(), 1u)
            << "Paris trace " << i << " changed path";
        EXPECT_EQ(h.received, 20);
        EXPECT_TRUE(middle.count(h.responders[0].ToString()));
        seen_by_paris.insert(h.responders[0].ToString());
      }
      EXPECT_EQ(seen_by_paris, middle)
          << "8 flows all hashed to one path (expected both)";
      const TraceResult& v = (*results)[8];
      ASSERT_EQ(v.stop_reason, StopReason::kReached);
      std::set<std::string> found;
      for (const IpAddress& a : v.hops[1].responders) {
        found.insert(a.ToString());
      }
      EXPECT_EQ(found, middle);
    }
  }
}

// r2 limits its ICMP errors as Linux does by default (1 per second per
// peer, burst 6). With per-router pacing at that limit r2 answers (nearly)
// every probe; probing it 10 times a second unpaced shows loss at r2 only.
// (Paced first: the unpaced run leaves r2's bucket empty for seconds.)
TEST(ProberLab, RateLimitingRouterLosesOnlyItsOwnHop) {
  GRID_LAB_REQUIRE();
  auto lab = lab::Lab::Up(Chain(), lab::Lab::UniquePrefix("pl-rate"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  lab::Lab& l = **lab;
  ASSERT_TRUE(WarmUp(l, "X").ok());
  ASSERT_TRUE(l.AddFault(lab::Fault::IcmpRateLimit("r2", 1000, 1000, 50)).ok());
  const TraceOptions ten_per_second =
      Cycles(12, ProbeMethod::kIcmpEcho, /*interval_s=*/0.1);

  ProberOptions paced = Fast();
  paced.router_pps = 1;
  paced.router_burst = 6;
  auto slow =
      TraceFrom(l, "X", {Request(*l.Address("S"), ten_per_second)}, paced);
  ASSERT_TRUE(slow.ok()) << slow.status();
  const TraceResult& p = (*slow)[0];
  ASSERT_EQ(p.hops.size(), 4u);
  EXPECT_EQ(p.hops[1].sent, 12);
  EXPECT_LE(p.hops[1].loss_pct, 10);
  EXPECT_EQ(p.hops[3].loss_pct, 0);
  // Pacing held r2's probes back: the run took about 12 - 6 seconds.
  EXPECT_GT(p.probes.back().sent - p.probes.front().sent, absl::Seconds(5));

  TraceOptions many = ten_per_second;
  many.cycles = 40;
  auto fast = TraceFrom(l, "X", {Request(*l.Address("S"), many)}, Fast());
  ASSERT_TRUE(fast.ok()) << fast.status();
  const TraceResult& r = (*fast)[0];
  ASSERT_EQ(r.hops.size(), 4u);
  EXPECT_EQ(r.hops[0].loss_pct, 0);
  EXPECT_GT(r.hops[1].loss_pct, 50) << "r2 should drop most of its errors";
  EXPECT_EQ(r.hops[2].loss_pct, 0);
  EXPECT_EQ(r.hops[3].loss_pct, 0);
}

// Prober::Create drops every capability: afterwards no raw socket can be
// opened, yet the prober (sockets already open) still traces. Runs in a
// child process, since the drop is for the whole process.
TEST(ProberLab, DropsAllCapabilitiesAndStillTraces) {
  GRID_LAB_REQUIRE();
  auto lab = lab::Lab::Up(Chain(), lab::Lab::UniquePrefix("pl-priv"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  lab::Lab& l = **lab;
  ASSERT_TRUE(WarmUp(l, "X").ok());
  const std::string dst = *l.Address("S");
  auto inside = l.Enter("X");
  ASSERT_TRUE(inside.ok()) << inside.status();
  ASSERT_TRUE(HasNetRawCapability());
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto prober = Prober::Create(Fast());
    if (!prober.ok()) _exit(10);
    if (HasNetRawCapability()) _exit(11);
    const int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    if (fd >= 0 || errno != EPERM) _exit(12);
    auto results = (*prober)->Run({Request(dst, Cycles(3))});
    if (results[0].stop_reason != StopReason::kReached) _exit(13);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0)
      << "10: Create failed, 11: CAP_NET_RAW kept, 12: raw socket still "
         "opens, 13: trace failed after the drop";
}

}  // namespace
}  // namespace grid::probe::lab_test
