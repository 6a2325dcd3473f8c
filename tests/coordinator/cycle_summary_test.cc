// Per-hop statistics from per-cycle results.
#include "coordinator/cycle_summary.h"

#include "gtest/gtest.h"

namespace grid::coordinator {
namespace {

constexpr char kTarget[] = "198.18.3.6";

v1::CycleResult Cycle(uint32_t cycle) {
  v1::CycleResult c;
  c.set_job_id(1);
  c.set_probe_name("X");
  c.set_direction(v1::DIRECTION_FORWARD);
  c.set_cycle(cycle);
  c.set_target(kTarget);
  return c;
}

v1::Reply* AddTtl(v1::CycleResult& c, uint32_t ttl, const std::string& from,
                  double rtt_ms,
                  v1::ReplyKind kind = v1::REPLY_KIND_TIME_EXCEEDED) {
  v1::TtlResult* t = c.add_ttls();
  t->set_ttl(ttl);
  t->set_probes_sent(1);
  if (from.empty()) return nullptr;
  v1::Reply* r = t->add_replies();
  r->set_from(from);
  r->set_rtt_ms(rtt_ms);
  r->set_kind(kind);
  return r;
}

TEST(SummarizeCycles, ComputesMtrStatisticsPerHop) {
  std::vector<v1::CycleResult> cycles;
  const double hop1[] = {1, 2, 3};
  for (uint32_t i = 0; i < 3; ++i) {
    v1::CycleResult c = Cycle(i);
    AddTtl(c, 1, "198.18.1.1", hop1[i]);
    AddTtl(c, 2, i == 1 ? "" : "198.18.1.6", 5);  // Lost in cycle 1.
    AddTtl(c, 3, kTarget, 10 + i, v1::REPLY_KIND_ECHO_REPLY);
    cycles.push_back(c);
  }
  const v1::TraceSummary s = SummarizeCycles(cycles, "198.18.1.2", kTarget);
  EXPECT_EQ(s.source(), "198.18.1.2");
  EXPECT_EQ(s.destination(), kTarget);
  ASSERT_EQ(s.hops_size(), 3);
  const v1::HopSummary& h1 = s.hops(0);
  EXPECT_EQ(h1.ttl(), 1u);
  EXPECT_EQ(h1.host(), "198.18.1.1");
  EXPECT_EQ(h1.sent(), 3u);
  EXPECT_EQ(h1.received(), 3u);
  EXPECT_DOUBLE_EQ(h1.loss_pct(), 0);
  EXPECT_DOUBLE_EQ(h1.avg_ms(), 2);
  EXPECT_DOUBLE_EQ(h1.best_ms(), 1);
  EXPECT_DOUBLE_EQ(h1.worst_ms(), 3);
  EXPECT_DOUBLE_EQ(h1.last_ms(), 3);
  EXPECT_DOUBLE_EQ(h1.stdev_ms(), 1);  // Sample standard deviation.
  // mtr: Javg is an integer running mean of 0, 1000, 1000 us.
  EXPECT_NEAR(h1.jitter_avg_ms(), 0.666, 1e-9);
  EXPECT_DOUBLE_EQ(h1.jitter_max_ms(), 1);
  const v1::HopSummary& h2 = s.hops(1);
  EXPECT_EQ(h2.sent(), 3u);
  EXPECT_EQ(h2.received(), 2u);
  EXPECT_NEAR(h2.loss_pct(), 33.333, 0.001);
  EXPECT_EQ(s.hops(2).host(), kTarget);
  EXPECT_DOUBLE_EQ(s.hops(2).last_ms(), 12);
}

TEST(SummarizeCycles, OrderIsByCycleNotArrival) {
  std::vector<v1::CycleResult> cycles;
  for (uint32_t i : {2u, 0u, 1u}) {
    v1::CycleResult c = Cycle(i);
    AddTtl(c, 1, kTarget, 1 + i, v1::REPLY_KIND_ECHO_REPLY);
    cycles.push_back(c);
  }
  const v1::TraceSummary s = SummarizeCycles(cycles, "", kTarget);
  ASSERT_EQ(s.hops_size(), 1);
  EXPECT_DOUBLE_EQ(s.hops(0).last_ms(), 3);  // Cycle 2's reply.
}

TEST(SummarizeCycles, IgnoresLateDuplicateAndBogusReplies) {
  v1::CycleResult c = Cycle(0);
  v1::Reply* r = AddTtl(c, 1, "198.18.1.1", 1);
  v1::TtlResult* t = c.mutable_ttls(0);
  *t->add_replies() = *r;  // Same probe again.
  v1::Reply* late = t->add_replies();
  late->set_from("198.18.1.1");
  late->set_late(true);
  late->set_probe_index(0);
  v1::Reply* bogus = t->add_replies();
  bogus->set_from("not-an-address");
  bogus->set_probe_index(0);
  v1::Reply* beyond = t->add_replies();
  beyond->set_from("198.18.1.1");
  beyond->set_probe_index(5);  // Only one probe was sent.
  AddTtl(c, 2, kTarget, 2, v1::REPLY_KIND_ECHO_REPLY);
  const v1::TraceSummary s = SummarizeCycles({c}, "", kTarget);
  EXPECT_EQ(s.hops(0).sent(), 1u);
  EXPECT_EQ(s.hops(0).received(), 1u);
}

TEST(SummarizeCycles, ShowsOnePastTheLastAnsweringHopAndEcmp) {
  std::vector<v1::CycleResult> cycles;
  for (uint32_t i = 0; i < 2; ++i) {
    v1::CycleResult c = Cycle(i);
    AddTtl(c, 1, i == 0 ? "198.18.1.1" : "198.18.9.1", 1);
    AddTtl(c, 2, "198.18.1.6", 2);
    for (uint32_t ttl = 3; ttl <= 8; ++ttl) AddTtl(c, ttl, "", 0);
    cycles.push_back(c);
  }
  const v1::TraceSummary s = SummarizeCycles(cycles, "", kTarget);
  ASSERT_EQ(s.hops_size(), 3);  // Hops 1, 2 and the first silent one.
  EXPECT_EQ(s.hops(0).host(), "198.18.9.1");  // Latest responder first.
  ASSERT_EQ(s.hops(0).other_hosts_size(), 1);
  EXPECT_EQ(s.hops(0).other_hosts(0), "198.18.1.1");
  EXPECT_EQ(s.hops(2).host(), "???");
  EXPECT_DOUBLE_EQ(s.hops(2).loss_pct(), 100);
  EXPECT_FALSE(s.hops(2).has_jitter_avg_ms());
}

TEST(SummarizeCycles, StopsAtAnUnreachableHop) {
  v1::CycleResult c = Cycle(0);
  AddTtl(c, 1, "198.18.1.1", 1);
  AddTtl(c, 2, "198.18.1.6", 2, v1::REPLY_KIND_UNREACHABLE);
  AddTtl(c, 3, "198.18.1.10", 3);  // Cannot be: ignored past the end.
  EXPECT_EQ(SummarizeCycles({c}, "", kTarget).hops_size(), 2);
}

TEST(CycleSummarizer, MatchesSummarizeCyclesAfterEveryCycle) {
  std::vector<v1::CycleResult> cycles;
  CycleSummarizer live;
  for (uint32_t i = 0; i < 6; ++i) {
    v1::CycleResult c = Cycle(i);
    AddTtl(c, 1, "198.18.1.1", 1 + i);
    AddTtl(c, 2, i % 2 ? "" : "198.18.1.6", 5 * i);
    AddTtl(c, 3, i == 4 ? "" : kTarget, 10 + i, v1::REPLY_KIND_ECHO_REPLY);
    cycles.push_back(c);
    live.Add(c, kTarget);
    const v1::TraceSummary want =
        SummarizeCycles(cycles, "198.18.1.2", kTarget);
    const v1::TraceSummary got = live.Summary("198.18.1.2", kTarget);
    EXPECT_EQ(got.SerializeAsString(), want.SerializeAsString())
        << "after cycle " << i << ":\n"
        << got.DebugString() << "want:\n"
        << want.DebugString();
  }
}

TEST(SummarizeCycles, EmptyInputGivesNoHops) {
  EXPECT_EQ(SummarizeCycles({}, "", kTarget).hops_size(), 0);
}

}  // namespace
}  // namespace grid::coordinator
