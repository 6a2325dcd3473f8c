// The probe agent end to end in one process: real coordinator, real agents
// (grid_agent) running the real prober over a simulated network
// (tests/probe-node/testing/sim_network.h stands in for the wire only).
#include "probe-node/agent/agent.h"

#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "probe-node/agent/prober_runner.h"
#include "probe-node/clock.h"
#include "probe-node/prober.h"
#include "storage/storage.h"
#include "tests/coordinator/testing/operator_calls.h"
#include "tests/coordinator/testing/test_certs.h"
#include "tests/coordinator/testing/test_coordinator.h"
#include "tests/probe-node/testing/sim_network.h"

namespace grid::testing {
namespace {

using probe::IpAddress;
using probe::testing::SimHop;
using probe::testing::SimNetwork;
using probe::testing::SimPath;
using ::testing::ElementsAre;

constexpr char kTarget[] = "198.18.3.6";

IpAddress Addr(const std::string& s) { return *IpAddress::Parse(s); }

// A path through `routers` (1 ms per hop) to the destination. From router
// index `lossy_from` on, every `drop_every`-th probe's reply is lost at every
// later hop and the destination: forwarding loss that persists.
SimPath Path(const std::vector<std::string>& routers, int lossy_from = -1,
             int drop_every = 0) {
  SimPath p;
  for (size_t i = 0; i < routers.size(); ++i) {
    SimHop h;
    h.routers = {Addr(routers[i])};
    h.rtt = absl::Milliseconds(1 + i);
    if (lossy_from >= 0 && static_cast<int>(i) >= lossy_from) {
      h.drop_every = drop_every;
    }
    p.hops.push_back(h);
  }
  p.destination_rtt = absl::Milliseconds(1 + routers.size());
  if (lossy_from >= 0) p.destination_drop_every = drop_every;
  return p;
}

// An agent whose prober sends into a simulated network.
class SimAgent {
 public:
  SimAgent(const std::string& coordinator, const std::string& name,
           std::map<std::string, std::string> labels,
           std::vector<std::string> serves, const std::string& source,
           std::map<std::string, SimPath> paths,
           absl::Duration gather = absl::Milliseconds(20),
           common::TargetPolicyOptions policy = LabTargets()) {
    auto net =
        std::make_unique<SimNetwork>(&clock_, Addr(source), Addr("2001:2::99"));
    for (auto& [dst, path] : paths) net->AddPath(Addr(dst), path);
    net_ = net.get();
    probe::ProberOptions po;
    po.router_pps = 0;
    po.packets_per_second = 10000;
    po.drop_capabilities = false;
    std::vector<std::unique_ptr<probe::Prober>> pool;
    pool.push_back(probe::Prober::CreateWithIo(po, std::move(net), &clock_));
    probe::agent::AgentOptions o;
    o.coordinator = coordinator;
    o.name = name;
    o.labels = labels;
    o.serves = serves;
    o.target_policy = policy;
    o.min_backoff = absl::Milliseconds(50);
    o.max_backoff = absl::Milliseconds(200);
    o.verbose = false;
    o.tls = TestCerts::Shared().Probe(name);
    auto agent = probe::agent::Agent::Create(
        o, [&](probe::agent::JobCallbacks callbacks) {
          return std::make_unique<probe::agent::ProberRunner>(
              std::move(pool), name, std::move(callbacks), gather,
              [source](absl::string_view) -> absl::StatusOr<std::string> {
                return source;
              });
        });
    EXPECT_TRUE(agent.ok()) << agent.status();
    agent_ = *std::move(agent);
    thread_ = std::thread([this] { status_ = agent_->Run(); });
  }
  ~SimAgent() {
    agent_->Stop();
    thread_.join();
  }
  probe::agent::Agent& agent() { return *agent_; }
  // Probe packets sent into the simulated network. Read while no trace runs.
  size_t packets_sent() const { return net_->sent().size(); }
  bool WaitConnected(absl::Duration timeout = absl::Seconds(5)) {
    const absl::Time end = absl::Now() + timeout;
    while (!agent_->connected() && absl::Now() < end) {
      absl::SleepFor(absl::Milliseconds(10));
    }
    return agent_->connected();
  }

 private:
  probe::FakeClock clock_;
  const SimNetwork* net_ = nullptr;  // Owned by the prober.
  std::unique_ptr<probe::agent::Agent> agent_;
  absl::Status status_;
  std::thread thread_;
};

using AgentTest = CoordinatorTest;

TEST_F(AgentTest, DiagnosisFromThreeAgentsFindsTheLossyIsp) {
  const std::vector<std::string> a = {"198.18.1.1", "198.18.1.6", "198.18.1.10",
                                      "198.18.3.2"};
  const std::vector<std::string> b = {"198.18.2.1", "198.18.2.6", "198.18.2.10",
                                      "198.18.3.2"};
  SimAgent x(coord_->address(), "X", {{"isp", "a"}}, {}, "198.18.1.2",
             {{kTarget, Path(a)}});
  // Loss from ISP B's second router on: every 5th probe.
  SimAgent y(coord_->address(), "Y", {{"isp", "b"}}, {}, "198.18.2.2",
             {{kTarget, Path(b, 1, 5)}});
  SimAgent s(
      coord_->address(), "S", {}, {"198.18.3.4/30"}, kTarget,
      {{"198.18.1.2",
        Path({"198.18.3.5", "198.18.3.1", "198.18.1.9", "198.18.1.5"})},
       {"198.18.2.2",
        Path({"198.18.3.5", "198.18.3.1", "198.18.2.9", "198.18.2.5"}, 2, 5)}});
  ASSERT_TRUE(x.WaitConnected() && y.WaitConnected() && s.WaitConnected());

  v1::DiagnoseRequest req;
  req.set_target(kTarget);
  req.set_cycles(50);
  req.set_interval_ms(10);
  auto call = StartDiagnose(coord_->op(), req);
  ASSERT_TRUE(call->Wait().ok());
  const v1::DiagnosisRecord r = call->last()->result();
  EXPECT_THAT(r.missing_probes(), ::testing::IsEmpty());
  ASSERT_EQ(r.vantages_size(), 2);
  for (const v1::VantageTraces& v : r.vantages()) {
    ASSERT_EQ(v.forward().hops_size(), 5) << v.name();
    EXPECT_EQ(v.forward().hops(4).host(), kTarget);
    EXPECT_EQ(v.forward().hops(0).sent(), 50u);
    ASSERT_TRUE(v.has_return_trace()) << v.name();
    EXPECT_EQ(v.return_trace().hops(0).host(), "198.18.3.5");
    EXPECT_EQ(v.return_trace().hops(4).host(),
              v.name() == "X" ? "198.18.1.2" : "198.18.2.2");
    const double loss = v.forward().hops(4).loss_pct();
    EXPECT_DOUBLE_EQ(loss, v.name() == "Y" ? 20 : 0) << v.name();
  }
  ASSERT_NE(r.result().verdict(), v1::VERDICT_HEALTHY);
  EXPECT_THAT(r.result().findings(0).vantages(), ElementsAre("Y"));
}

TEST_F(AgentTest, ResultsMadeWhileDisconnectedAreResentAfterReconnect) {
  // A long gather window lets the job be assigned before the coordinator
  // goes away and run while it is gone.
  SimAgent p(coord_->address(), "P", {}, {}, "198.18.1.2",
             {{kTarget, Path({"198.18.1.1", "198.18.1.6"})}},
             /*gather=*/absl::Milliseconds(600));
  ASSERT_TRUE(p.WaitConnected());
  v1::TraceRequest req;
  req.set_probe_name("P");
  req.set_target(kTarget);
  req.set_cycles(6);
  req.set_interval_ms(10);
  auto trace = StartTrace(coord_->op(), req);
  absl::SleepFor(absl::Milliseconds(200));
  ASSERT_FALSE(trace->events().empty());
  const uint64_t job = trace->events().front().started().job_id();
  coord_->Stop();
  trace.reset();

  // The trace runs and finishes with nobody to send to.
  const absl::Time end = absl::Now() + absl::Seconds(5);
  while (p.agent().unacked_cycles() < 6 && absl::Now() < end) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_EQ(p.agent().unacked_cycles(), 6u);
  EXPECT_FALSE(p.agent().connected());

  ASSERT_TRUE(coord_->Restart().ok());
  ASSERT_TRUE(p.WaitConnected());
  while (p.agent().unacked_cycles() > 0 &&
         absl::Now() < end + absl::Seconds(5)) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(p.agent().unacked_cycles(), 0u);
  absl::SleepFor(absl::Milliseconds(100));  // The JobDone's ack.
  auto db = coord_->StopAndOpenStore();
  ASSERT_TRUE(db.ok()) << db.status();
  auto cycles = (*db)->GetCycleResults(job);
  ASSERT_TRUE(cycles.ok());
  ASSERT_EQ(cycles->size(), 6u);
  for (uint32_t c = 0; c < 6; ++c) {
    EXPECT_EQ((*cycles)[c].cycle(), c);
    EXPECT_EQ((*cycles)[c].source_address(), "198.18.1.2");
    EXPECT_TRUE((*cycles)[c].reached_target());
  }
  auto record = (*db)->GetJob(job);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->status(), v1::JOB_STATUS_DONE);
  EXPECT_EQ(record->cycles_received(), 6u);
  EXPECT_EQ(record->summary().hops_size(), 3);
}

TEST_F(AgentTest, ASecondProcessWaitsForTheNameAndRetries) {
  auto first = std::make_unique<SimAgent>(
      coord_->address(), "P", std::map<std::string, std::string>{},
      std::vector<std::string>{}, "198.18.1.2",
      std::map<std::string, SimPath>{});
  ASSERT_TRUE(first->WaitConnected());
  SimAgent second(coord_->address(), "P", {}, {}, "198.18.1.2", {});
  EXPECT_FALSE(second.WaitConnected(absl::Milliseconds(500)));
  EXPECT_NE(first->agent().instance_id(), second.agent().instance_id());
  first.reset();  // The first process goes away.
  EXPECT_TRUE(second.WaitConnected(absl::Seconds(3)));
}

TEST_F(AgentTest, ProbeRefusesAForbiddenTargetEvenWhenTheCoordinatorAllows) {
  // The coordinator allows the lab's ranges; this probe keeps the default
  // policy (global unicast only).
  SimAgent p(coord_->address(), "P", {}, {}, "198.18.1.2",
             {{kTarget, Path({"198.18.1.1", "198.18.1.6"})}},
             absl::Milliseconds(20), common::TargetPolicyOptions{});
  ASSERT_TRUE(p.WaitConnected());
  v1::TraceRequest req;
  req.set_probe_name("P");
  req.set_target(kTarget);
  req.set_cycles(3);
  req.set_interval_ms(10);
  auto trace = StartTrace(coord_->op(), req);
  ASSERT_TRUE(trace->Wait().ok());
  ASSERT_TRUE(trace->last().has_value() && trace->last()->has_done());
  const v1::JobRecord job = trace->last()->done();
  EXPECT_EQ(job.status(), v1::JOB_STATUS_REJECTED);
  EXPECT_EQ(job.error(),
            "target 198.18.3.6 refused: benchmarking address, RFC 2544 (allow "
            "with --allow-private or --allow-target 198.18.0.0/15)");
  EXPECT_EQ(job.cycles_received(), 0u);
  EXPECT_EQ(p.packets_sent(), 0u);
}

TEST_F(AgentTest, BadOptionsNameTheFlag) {
  probe::agent::AgentOptions o;
  o.coordinator = "localhost";
  o.name = "P";
  auto make = [](probe::agent::JobCallbacks) {
    return std::unique_ptr<probe::agent::JobRunner>();
  };
  EXPECT_THAT(probe::agent::Agent::Create(o, make).status().message(),
              ::testing::HasSubstr("--coordinator"));
  o.coordinator = "127.0.0.1:1";
  o.serves = {"198.18.0.0/33"};
  EXPECT_THAT(probe::agent::Agent::Create(o, make).status().message(),
              ::testing::HasSubstr("--serves"));
  o.serves = {};
  o.target_policy.allow_targets = {"198.18.0.0/99"};
  EXPECT_THAT(probe::agent::Agent::Create(o, make).status().message(),
              ::testing::HasSubstr("--allow-target"));
  o.target_policy.allow_targets = {};
  o.name = "";
  EXPECT_THAT(probe::agent::Agent::Create(o, make).status().message(),
              ::testing::HasSubstr("--name"));
}

}  // namespace
}  // namespace grid::testing
