// The probe agent's pure parts: job specs to trace requests, trace results
// to per-cycle results, and the outbox of unacknowledged results.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "probe-node/agent/cycle_results.h"
#include "probe-node/agent/outbox.h"

namespace grid::probe::agent {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::JobSpec Spec() {
  v1::JobSpec s;
  s.set_job_id(7);
  s.set_target("198.18.3.6");
  s.set_method(v1::PROBE_METHOD_UDP);
  s.set_port(33434);
  s.set_cycles(3);
  s.set_interval_ms(100);
  s.set_timeout_ms(1000);
  s.set_direction(v1::DIRECTION_RETURN);
  return s;
}

TEST(ToTraceRequest, MapsTheSpec) {
  absl::StatusOr<TraceRequest> r = ToTraceRequest(Spec());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->destination.ToString(), "198.18.3.6");
  EXPECT_EQ(r->options.method, ProbeMethod::kUdp);
  EXPECT_EQ(r->options.port, 33434);
  EXPECT_EQ(r->options.cycles, 3);
  EXPECT_EQ(r->options.interval, absl::Milliseconds(100));
  EXPECT_EQ(r->options.timeout, absl::Seconds(1));
  EXPECT_EQ(r->options.max_ttl, 30);  // 0 = mtr's default.
  EXPECT_EQ(r->options.first_ttl, 1);
}

TEST(ToTraceRequest, RejectsWhatCannotRun) {
  v1::JobSpec s = Spec();
  s.set_target("server.example");
  EXPECT_THAT(ToTraceRequest(s).status().message(),
              HasSubstr("not an IP address"));
  s = Spec();
  s.set_target("224.0.0.1");
  EXPECT_FALSE(ToTraceRequest(s).ok());
  s = Spec();
  s.set_cycles(0);
  EXPECT_FALSE(ToTraceRequest(s).ok());
  s = Spec();
  s.set_max_ttl(300);
  EXPECT_THAT(ToTraceRequest(s).status().message(), HasSubstr("max-ttl"));
  s = Spec();
  s.set_port(70000);
  EXPECT_FALSE(ToTraceRequest(s).ok());
}

// A trace of 3 TTLs; `answered[c][t]` says whether TTL t+1 answered in
// cycle c. Probes are sent 100 ms apart per cycle.
TraceResult Trace(const std::vector<std::vector<bool>>& answered,
                  int cycles_done) {
  TraceResult r;
  r.request = *ToTraceRequest(Spec());
  r.source = *IpAddress::Parse("198.18.3.6");
  r.start = absl::FromUnixMillis(1'000'000);
  r.cycles_done = cycles_done;
  r.first_flow_id = 0x8123;
  const absl::Time t0 = absl::UnixEpoch() + absl::Hours(1);
  for (size_t c = 0; c < answered.size(); ++c) {
    for (size_t t = 0; t < answered[c].size(); ++t) {
      ProbeRecord p;
      p.ttl = static_cast<int>(t + 1);
      p.cycle = static_cast<int>(c);
      p.flow_id = 0x8123;
      p.sent = t0 + absl::Milliseconds(100 * (3 * c + t));
      p.answered = answered[c][t];
      if (p.answered) {
        p.responder = *IpAddress::Parse(t == 2 ? "198.18.3.6" : "198.18.0.1");
        p.rtt_usec = 1500;
        p.kind = t == 2 ? ReplyKind::kDestinationUnreachable
                        : ReplyKind::kTimeExceeded;
        p.reply_ttl = 60;
        p.quoted_ttl = 1;
      }
      r.probes.push_back(p);
    }
  }
  return r;
}

TEST(CompleteCycles, ConvertsProbesToCycleResults) {
  const TraceResult r = Trace({{true, false, true}}, 1);
  std::vector<v1::CycleResult> out =
      CompleteCycles(Spec(), "S", r, 0, /*final=*/true);
  ASSERT_EQ(out.size(), 1u);
  const v1::CycleResult& c = out[0];
  EXPECT_EQ(c.job_id(), 7u);
  EXPECT_EQ(c.probe_name(), "S");
  EXPECT_EQ(c.direction(), v1::DIRECTION_RETURN);
  EXPECT_EQ(c.cycle(), 0u);
  EXPECT_EQ(c.source_address(), "198.18.3.6");
  EXPECT_EQ(c.flow_id(), 0x8123u);
  EXPECT_EQ(c.started_unix_ms(), 1'000'000);
  EXPECT_TRUE(c.reached_target());
  ASSERT_EQ(c.ttls_size(), 3);
  EXPECT_EQ(c.ttls(0).probes_sent(), 1u);
  ASSERT_EQ(c.ttls(0).replies_size(), 1);
  EXPECT_EQ(c.ttls(0).replies(0).from(), "198.18.0.1");
  EXPECT_DOUBLE_EQ(c.ttls(0).replies(0).rtt_ms(), 1.5);
  EXPECT_EQ(c.ttls(0).replies(0).kind(), v1::REPLY_KIND_TIME_EXCEEDED);
  EXPECT_EQ(c.ttls(0).replies(0).quoted_ttl(), 1u);
  EXPECT_EQ(c.ttls(1).replies_size(), 0);  // "???"
  EXPECT_EQ(c.ttls(2).replies(0).kind(), v1::REPLY_KIND_UNREACHABLE);
}

TEST(CompleteCycles, WaitsUntilACyclesProbesHaveSettled) {
  // Cycle 0 has an unanswered probe sent 500 ms before the latest probe:
  // within the 1 s timeout, so it may still be answered.
  TraceResult r = Trace({{true, false, true}, {true, true}}, 1);
  EXPECT_TRUE(CompleteCycles(Spec(), "S", r, 0, false).empty());
  // Once probes went out well past the timeout, it is complete; cycle 1 is
  // not finished (cycles_done) and stays.
  r = Trace({{true, false, true},
             {true, true, true},
             {true, true, true},
             {true, true, true},
             {true}},
            4);
  std::vector<v1::CycleResult> out = CompleteCycles(Spec(), "S", r, 0, false);
  ASSERT_GE(out.size(), 1u);
  EXPECT_EQ(out[0].cycle(), 0u);
  // From where the agent left off.
  out = CompleteCycles(Spec(), "S", r, 2, /*final=*/true);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].cycle(), 2u);
  EXPECT_EQ(out[1].cycle(), 3u);
}

TEST(MakeJobDone, ReportsFailureWithTheReason) {
  TraceResult r = Trace({{true, true, true}}, 1);
  v1::JobDone d = MakeJobDone(Spec(), r, 1);
  EXPECT_EQ(d.status(), v1::JOB_STATUS_DONE);
  EXPECT_EQ(d.cycles_completed(), 1u);
  EXPECT_EQ(d.summary().hops_size(), static_cast<int>(r.hops.size()));
  r.stop_reason = StopReason::kError;
  r.status = absl::PermissionDeniedError("no raw socket");
  d = MakeJobDone(Spec(), r, 0);
  EXPECT_EQ(d.status(), v1::JOB_STATUS_FAILED);
  EXPECT_EQ(d.error(), "no raw socket");
}

v1::CycleResult Cycle(uint64_t job, uint32_t c) {
  v1::CycleResult r;
  r.set_job_id(job);
  r.set_cycle(c);
  return r;
}

v1::Ack Ack(uint64_t job, uint32_t cycles, bool done = false) {
  v1::Ack a;
  a.set_job_id(job);
  a.set_cycles_durable(cycles);
  a.set_done_durable(done);
  return a;
}

TEST(Outbox, KeepsWhatIsNotAcknowledged) {
  Outbox box;
  for (uint32_t c = 0; c < 5; ++c) box.AddCycle(Cycle(1, c));
  box.AddCycle(Cycle(2, 0));
  EXPECT_EQ(box.cycles(), 6u);
  box.Ack(Ack(1, 3));
  EXPECT_EQ(box.cycles(), 3u);
  box.Ack(Ack(1, 2));  // Acks never go backwards.
  EXPECT_EQ(box.cycles(), 3u);
  box.AddCycle(Cycle(1, 1));  // A late duplicate of a durable cycle.
  EXPECT_EQ(box.cycles(), 3u);
  v1::JobDone done;
  done.set_job_id(1);
  box.AddDone(done);

  std::vector<Outbox::Unacked> all = box.All();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].job_id, 1u);
  ASSERT_EQ(all[0].cycles.size(), 2u);
  EXPECT_EQ(all[0].cycles[0].cycle(), 3u);
  EXPECT_TRUE(all[0].done.has_value());

  std::vector<v1::PendingJob> pending = box.Pending({2, 9});
  ASSERT_EQ(pending.size(), 3u);
  EXPECT_EQ(pending[0].job_id(), 1u);
  EXPECT_EQ(pending[0].unacked_cycles(), 2u);
  EXPECT_FALSE(pending[0].running());
  EXPECT_TRUE(pending[1].running());
  EXPECT_EQ(pending[2].job_id(), 9u);  // Running, nothing held yet.

  box.Ack(Ack(1, 5, /*done=*/true));
  box.Forget(2);
  EXPECT_EQ(box.cycles(), 0u);
  EXPECT_TRUE(box.All().empty());
}

}  // namespace
}  // namespace grid::probe::agent
