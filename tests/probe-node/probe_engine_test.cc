// The prober's scheduling, cycle semantics, pacing and reply matching, run
// over a simulated network on fake time. The engine, packet builder and
// parser are the product code; only the network is simulated.
#include "probe-node/probe_engine.h"

#include <algorithm>
#include <map>
#include <set>

#include "gtest/gtest.h"
#include "probe-node/prober.h"
#include "tests/probe-node/testing/sim_network.h"

namespace grid::probe {
namespace {

using testing::SimHop;
using testing::SimNetwork;
using testing::SimPath;

IpAddress Addr(const std::string& s) { return *IpAddress::Parse(s); }

SimHop Hop(const std::string& addr, int rtt_ms) {
  SimHop h;
  h.routers = {Addr(addr)};
  h.rtt = absl::Milliseconds(rtt_ms);
  return h;
}

// Three routers then the destination (RTTs 1, 2, 3 and 5 ms).
SimPath ThreeHops() {
  SimPath p;
  p.hops = {Hop("198.18.1.1", 1), Hop("198.18.2.1", 2), Hop("198.18.3.1", 3)};
  p.destination_rtt = absl::Milliseconds(5);
  return p;
}

class EngineTest : public ::testing::Test {
 protected:
  EngineTest() : net_(&clock_, Addr("198.18.0.1"), Addr("2001:2::1")) {}

  std::vector<TraceResult> Run(const std::vector<TraceRequest>& reqs,
                               ProberOptions options = Unpaced()) {
    ProbeEngine engine(options, &net_, &clock_, 0x1234);
    engine.set_progress(
        [this](const TraceResult& r) { progress_.push_back(r); });
    engine.Add(reqs);
    EXPECT_TRUE(RunEngine(engine, net_).ok());
    stats_ = engine.stats();
    return engine.TakeResults();
  }
  static ProberOptions Unpaced() {
    ProberOptions o;
    o.packets_per_second = 0;
    o.router_pps = 0;
    return o;
  }
  static TraceRequest Req(const std::string& dst, TraceOptions o = {}) {
    return TraceRequest{Addr(dst), dst, o};
  }

  FakeClock clock_;
  SimNetwork net_;
  std::vector<TraceResult> progress_;
  EngineStats stats_;
};

TEST_F(EngineTest, MtrCyclesOverACleanPath) {
  net_.AddPath(Addr("198.18.9.9"), ThreeHops());
  TraceOptions o;
  o.cycles = 10;
  const absl::Time start = clock_.Now();
  auto results = Run({Req("198.18.9.9", o)});
  ASSERT_EQ(results.size(), 1u);
  const TraceResult& r = results[0];
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.stop_reason, StopReason::kReached);
  EXPECT_EQ(r.source, Addr("198.18.0.1"));
  ASSERT_EQ(r.hops.size(), 4u);
  const char* want[] = {"198.18.1.1", "198.18.2.1", "198.18.3.1", "198.18.9.9"};
  const int rtt_ms[] = {1, 2, 3, 5};
  for (int i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(r.hops[i].ttl, i + 1);
    ASSERT_EQ(r.hops[i].responders.size(), 1u);
    EXPECT_EQ(r.hops[i].responders[0], Addr(want[i]));
    EXPECT_EQ(r.hops[i].sent, 10);
    EXPECT_EQ(r.hops[i].received, 10);
    EXPECT_EQ(r.hops[i].loss_pct, 0);
    EXPECT_EQ(r.hops[i].avg_usec, rtt_ms[i] * 1000);
    EXPECT_EQ(r.hops[i].stdev_usec, 0);
  }
  // One probe per TTL per cycle; nothing beyond the destination's TTL.
  EXPECT_EQ(net_.sent().size(), 40u);
  for (const auto& p : net_.sent()) EXPECT_LE(p.ttl, 4);
  // Each TTL probed once per interval: 10 cycles take about 10 s.
  const absl::Duration took = clock_.Now() - start;
  EXPECT_GT(took, absl::Seconds(9));
  EXPECT_LT(took, absl::Seconds(11));
  EXPECT_EQ(r.cycles_done, 10);
}

TEST_F(EngineTest, SpreadsACycleOverTheInterval) {
  net_.AddPath(Addr("198.18.9.9"), ThreeHops());
  TraceOptions o;
  o.cycles = 3;
  o.interval = absl::Seconds(2);
  Run({Req("198.18.9.9", o)});
  const auto& s = net_.sent();
  ASSERT_EQ(s.size(), 12u);
  // First cycle: mtr's initial guess of 10 hosts, 2 s / 10 apart.
  EXPECT_EQ(s[1].time - s[0].time, absl::Milliseconds(200));
  // Later cycles: the path has 4 hosts, 2 s / 4 apart.
  EXPECT_EQ(s[5].time - s[4].time, absl::Milliseconds(500));
  std::vector<int> ttls;
  for (const auto& p : s) ttls.push_back(p.ttl);
  EXPECT_EQ(ttls, (std::vector<int>{1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4}));
}

TEST_F(EngineTest, LossAtOneHopAndAtTheDestination) {
  SimPath p = ThreeHops();
  p.hops[1].drop_every = 4;      // 25% at hop 2 (e.g. rate limiting).
  p.destination_drop_every = 5;  // 20% at the destination.
  net_.AddPath(Addr("198.18.9.9"), p);
  TraceOptions o;
  o.cycles = 20;
  o.interval = absl::Milliseconds(100);
  auto r = Run({Req("198.18.9.9", o)})[0];
  ASSERT_EQ(r.hops.size(), 4u);
  EXPECT_EQ(r.hops[0].loss_pct, 0);
  EXPECT_EQ(r.hops[1].loss_pct, 25);
  EXPECT_EQ(r.hops[1].received, 15);
  EXPECT_EQ(r.hops[2].loss_pct, 0);
  EXPECT_EQ(r.hops[3].loss_pct, 20);
  EXPECT_EQ(r.hops[3].sent, 20);
}

// Replies arrive in the reverse order of the probes (later TTLs answer
// faster); each still lands on its own TTL, because matching uses the quoted
// probe, not arrival order.
TEST_F(EngineTest, MatchesByQuotedProbeNotTiming) {
  SimPath p;
  p.hops = {Hop("198.18.1.1", 400), Hop("198.18.2.1", 300),
            Hop("198.18.3.1", 200)};
  p.destination_rtt = absl::Milliseconds(100);
  net_.AddPath(Addr("198.18.9.9"), p);
  net_.set_inject_noise(true);
  TraceOptions o;
  o.cycles = 4;
  o.interval = absl::Milliseconds(100);  // Probes 25 ms apart: overlap.
  auto r = Run({Req("198.18.9.9", o)})[0];
  ASSERT_EQ(r.hops.size(), 4u);
  EXPECT_EQ(r.hops[0].avg_usec, 400000);
  EXPECT_EQ(r.hops[1].avg_usec, 300000);
  EXPECT_EQ(r.hops[2].avg_usec, 200000);
  EXPECT_EQ(r.hops[3].avg_usec, 100000);
  for (const auto& h : r.hops) EXPECT_EQ(h.loss_pct, 0);
  EXPECT_GT(stats_.packets_ignored, 0);
}

TEST_F(EngineTest, KernelTransmitTimestampsRefineRtt) {
  net_.AddPath(Addr("198.18.9.9"), ThreeHops());
  net_.EnableTxTimestamps(absl::Microseconds(300));
  TraceOptions o;
  o.cycles = 2;
  auto r = Run({Req("198.18.9.9", o)})[0];
  // RTT counts from the kernel's transmit time, not the user-space one.
  EXPECT_EQ(r.hops[0].avg_usec, 1000);
  EXPECT_EQ(r.hops[3].avg_usec, 5000);
}

TEST_F(EngineTest, ParisKeepsOneEcmpPathVaryingFindsBoth) {
  SimPath p = ThreeHops();
  p.hops[1].routers = {Addr("198.18.2.1"), Addr("198.18.2.2")};
  net_.AddPath(Addr("198.18.9.9"), p);
  for (ProbeMethod m :
       {ProbeMethod::kIcmpEcho, ProbeMethod::kUdp, ProbeMethod::kTcpSyn}) {
    TraceOptions o;
    o.method = m;
    o.cycles = 16;
    o.interval = absl::Milliseconds(50);
    SCOPED_TRACE(ProbeMethodName(m));
    auto paris = Run({Req("198.18.9.9", o)})[0];
    o.vary_flow_per_cycle = true;
    auto varying = Run({Req("198.18.9.9", o)})[0];
    ASSERT_GE(paris.hops.size(), 2u);
    EXPECT_EQ(paris.hops[1].responders.size(), 1u);
    EXPECT_EQ(varying.hops[1].responders.size(), 2u);
    EXPECT_EQ(paris.stop_reason, StopReason::kReached);
    EXPECT_EQ(varying.stop_reason, StopReason::kReached);
  }
}

TEST_F(EngineTest, UnreachableHopEndsTheTrace) {
  SimPath p = ThreeHops();
  p.hops[2].unreachable_code = 1;  // Host unreachable.
  net_.AddPath(Addr("198.18.9.9"), p);
  TraceOptions o;
  o.cycles = 3;
  auto r = Run({Req("198.18.9.9", o)})[0];
  EXPECT_EQ(r.stop_reason, StopReason::kUnreachable);
  ASSERT_EQ(r.hops.size(), 3u);
  EXPECT_EQ(r.hops[2].unreachable_code, 1);
  for (const auto& s : net_.sent()) EXPECT_LE(s.ttl, 3);
}

TEST_F(EngineTest, SilentDestinationStopsAtGapLimitAfterTimeouts) {
  SimPath p = ThreeHops();
  p.destination_silent = true;
  net_.AddPath(Addr("198.18.9.9"), p);
  TraceOptions o;
  o.cycles = 2;
  o.max_unknown = 3;
  o.timeout = absl::Seconds(2);
  auto r = Run({Req("198.18.9.9", o)})[0];
  EXPECT_EQ(r.stop_reason, StopReason::kGapLimit);
  // Hops 1-3 answer; 4.. are silent; mtr shows one silent hop after the
  // last answering one.
  ASSERT_EQ(r.hops.size(), 4u);
  EXPECT_TRUE(r.hops[3].responders.empty());
  EXPECT_EQ(r.hops[3].loss_pct, 100);
  int max_ttl = 0;
  for (const auto& s : net_.sent()) max_ttl = std::max(max_ttl, s.ttl);
  // mtr's rule: the cycle ends after the probe at the first TTL with more
  // than 3 never-answering TTLs below it (4..7), i.e. at TTL 8.
  EXPECT_EQ(max_ttl, 8);
}

TEST_F(EngineTest, MaxTtlBoundsTheTrace) {
  SimPath p = ThreeHops();
  net_.AddPath(Addr("198.18.9.9"), p);
  TraceOptions o;
  o.cycles = 2;
  o.max_ttl = 2;
  auto r = Run({Req("198.18.9.9", o)})[0];
  EXPECT_EQ(r.stop_reason, StopReason::kMaxTtl);
  EXPECT_EQ(r.hops.size(), 2u);
  EXPECT_EQ(net_.sent().size(), 4u);
}

TEST_F(EngineTest, GlobalPacketsPerSecond) {
  std::vector<TraceRequest> reqs;
  for (int i = 0; i < 50; ++i) {
    const std::string d = "198.18.100." + std::to_string(i + 1);
    net_.AddPath(Addr(d), ThreeHops());
    TraceOptions o;
    o.cycles = 2;
    o.interval = absl::Milliseconds(10);
    reqs.push_back(Req(d, o));
  }
  ProberOptions po = Unpaced();
  po.packets_per_second = 100;
  const absl::Time start = clock_.Now();
  auto results = Run(reqs, po);
  for (const auto& r : results) EXPECT_EQ(r.stop_reason, StopReason::kReached);
  const auto& s = net_.sent();
  ASSERT_EQ(s.size(), 400u);
  // 400 probes at 100/s: about 4 s, never more than rate + burst in 1 s.
  EXPECT_GT(clock_.Now() - start, absl::Seconds(3.9));
  for (size_t i = 0; i < s.size(); ++i) {
    size_t j = i;
    while (j < s.size() && s[j].time - s[i].time < absl::Seconds(1)) ++j;
    ASSERT_LE(j - i, 101u) << "at probe " << i;
  }
}

// A router limiting its ICMP errors to 1/s with a burst of 6 (Linux's
// default): probing it 10 times a second loses replies at that hop only;
// per-router pacing keeps the prober under the limit, and that hop clean.
TEST_F(EngineTest, PerRouterPacingAvoidsRateLimitArtifacts) {
  SimPath p = ThreeHops();
  p.hops[1].icmp_rate = 1;
  p.hops[1].icmp_burst = 6;
  net_.AddPath(Addr("198.18.9.9"), p);
  TraceOptions o;
  o.cycles = 30;
  o.interval = absl::Milliseconds(100);
  auto unpaced = Run({Req("198.18.9.9", o)})[0];
  EXPECT_GT(unpaced.hops[1].loss_pct, 50);
  EXPECT_EQ(unpaced.hops[0].loss_pct, 0);
  EXPECT_EQ(unpaced.hops[2].loss_pct, 0);
  EXPECT_EQ(unpaced.hops[3].loss_pct, 0);

  SimNetwork fresh(&clock_, Addr("198.18.0.1"), Addr("2001:2::1"));
  fresh.AddPath(Addr("198.18.9.9"), p);
  ProberOptions po = Unpaced();
  po.router_pps = 1;
  po.router_burst = 6;
  ProbeEngine engine(po, &fresh, &clock_, 77);
  engine.Add({Req("198.18.9.9", o)});
  ASSERT_TRUE(RunEngine(engine, fresh).ok());
  auto paced = engine.TakeResults()[0];
  EXPECT_EQ(paced.hops[1].loss_pct, 0);
  EXPECT_EQ(paced.hops[1].sent, 30);
  EXPECT_GT(engine.stats().router_deferrals, 0);
  // Replies from 198.18.2.1 never exceed 1/s + burst in any window.
  std::vector<absl::Time> to_hop2;
  for (const auto& s : fresh.sent()) {
    if (s.ttl == 2) to_hop2.push_back(s.time);
  }
  for (size_t i = 0; i < to_hop2.size(); ++i) {
    size_t j = i;
    while (j < to_hop2.size() && to_hop2[j] - to_hop2[i] < absl::Seconds(5)) {
      ++j;
    }
    EXPECT_LE(j - i, 6u + 5u);
  }
}

TEST_F(EngineTest, HundredsOfConcurrentTracesBothFamilies) {
  std::vector<TraceRequest> reqs;
  for (int i = 0; i < 300; ++i) {
    const bool v6 = i % 3 == 0;
    const std::string d = v6 ? "2001:2:0:1::" + std::to_string(i + 1)
                             : "198.18." + std::to_string(20 + i / 200) + "." +
                                   std::to_string(i % 200 + 1);
    SimPath p = ThreeHops();
    if (v6) {
      p.hops = {Hop("2001:2:0:a::1", 1), Hop("2001:2:0:b::1", 2)};
    }
    net_.AddPath(Addr(d), p);
    TraceOptions o;
    o.cycles = 3;
    o.method = static_cast<ProbeMethod>(i % 3 == 1 ? 1 : (i % 3 == 2 ? 2 : 0));
    reqs.push_back(Req(d, o));
  }
  auto results = Run(reqs);
  ASSERT_EQ(results.size(), 300u);
  for (size_t i = 0; i < results.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(results[i].stop_reason, StopReason::kReached);
    EXPECT_EQ(results[i].request.destination, reqs[i].destination);
    EXPECT_EQ(results[i].hops.back().responders[0], reqs[i].destination);
    EXPECT_EQ(results[i].hops.back().received, 3);
  }
  // All ran at once, in one thread, in about the time of one trace.
  EXPECT_GE(net_.max_concurrent_destinations(), 250);
}

TEST_F(EngineTest, ConcurrencyWindow) {
  std::vector<TraceRequest> reqs;
  for (int i = 0; i < 6; ++i) {
    const std::string d = "198.18.30." + std::to_string(i + 1);
    net_.AddPath(Addr(d), ThreeHops());
    TraceOptions o;
    o.cycles = 2;
    reqs.push_back(Req(d, o));
  }
  ProberOptions po = Unpaced();
  po.max_concurrent_traces = 2;
  auto results = Run(reqs, po);
  for (const auto& r : results) EXPECT_EQ(r.stop_reason, StopReason::kReached);
  EXPECT_LE(net_.max_concurrent_destinations(), 2);
}

TEST_F(EngineTest, BadRequestsFailAlone) {
  net_.AddPath(Addr("198.18.9.9"), ThreeHops());
  TraceOptions bad;
  bad.cycles = 0;
  auto results = Run({Req("198.18.9.9", bad), Req("198.18.77.77"),
                      Req("198.18.9.9"), Req("224.0.0.1")});
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].stop_reason, StopReason::kError);
  EXPECT_NE(results[0].status.message().find("cycles"), std::string::npos);
  EXPECT_EQ(results[1].stop_reason, StopReason::kError);  // No route.
  EXPECT_EQ(results[2].stop_reason, StopReason::kReached);
  EXPECT_EQ(results[3].stop_reason, StopReason::kError);
  EXPECT_NE(results[3].status.message().find("unicast"), std::string::npos);
}

TEST_F(EngineTest, ProgressAfterEachCycleAndAtTheEnd) {
  net_.AddPath(Addr("198.18.9.9"), ThreeHops());
  TraceOptions o;
  o.cycles = 3;
  Run({Req("198.18.9.9", o)});
  ASSERT_GE(progress_.size(), 3u);
  EXPECT_EQ(progress_.front().cycles_done, 1);
  EXPECT_EQ(progress_.back().cycles_done, 3);
  EXPECT_EQ(progress_.back().hops.size(), 4u);
}

TEST_F(EngineTest, ConvertsToTheDiagnosisModel) {
  SimPath p = ThreeHops();
  p.hops[1].silent = true;
  net_.AddPath(Addr("198.18.9.9"), p);
  TraceOptions o;
  o.cycles = 2;
  o.timeout = absl::Milliseconds(500);
  auto r = Run({Req("198.18.9.9", o)})[0];
  diagnosis::Trace t = ToDiagnosisTrace(r);
  EXPECT_EQ(t.destination, "198.18.9.9");
  ASSERT_EQ(t.hops.size(), 4u);
  EXPECT_EQ(t.hops[1].host, diagnosis::kNoResponseHost);
  EXPECT_EQ(t.hops[1].loss_pct, 100);
  EXPECT_EQ(t.hops[3].host, "198.18.9.9");
  EXPECT_DOUBLE_EQ(t.hops[3].avg_ms, 5.0);
  EXPECT_EQ(t.hops[3].sent, 2);
}

}  // namespace
}  // namespace grid::probe
