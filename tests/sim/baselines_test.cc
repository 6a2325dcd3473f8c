// Tests of the accuracy benchmark's baselines and scoring (bench/accuracy/).
#include "bench/accuracy/baselines.h"

#include <string>
#include <vector>

#include "bench/accuracy/scoring.h"
#include "gtest/gtest.h"

namespace grid::accuracy {
namespace {

using diagnosis::Hop;
using diagnosis::Location;
using diagnosis::Trace;
using diagnosis::VantageTraces;
using diagnosis::Verdict;

// A hop with `lost` of 100 probes lost and the given average RTT.
Hop MakeHop(int ttl, const std::string& host, int lost, double avg = 10) {
  Hop h;
  h.ttl = ttl;
  h.host = host;
  h.sent = 100;
  h.received = 100 - lost;
  h.loss_pct = lost;
  h.avg_ms = h.best_ms = h.worst_ms = h.last_ms = avg;
  return h;
}

// A forward trace over `hosts` with `lost[i]` lost at hop i.
Trace MakeTrace(const std::vector<std::string>& hosts,
                const std::vector<int>& lost) {
  Trace t;
  for (size_t i = 0; i < hosts.size(); ++i) {
    t.hops.push_back(
        MakeHop(static_cast<int>(i + 1), hosts[i], lost[i], 10.0 * (i + 1)));
  }
  return t;
}

VantageTraces Vantage(const std::string& name, Trace forward) {
  VantageTraces v;
  v.name = name;
  v.forward = std::move(forward);
  return v;
}

TEST(NaiveMtr, BlamesTheHopWithMostLossByPosition) {
  // A rate-limited middle hop fools it: 60% at hop 3, destination clean.
  std::vector<VantageTraces> v = {Vantage(
      "a",
      MakeTrace({"h1", "h2", "h3", "h4", "h5", "srv"}, {0, 0, 60, 0, 0, 0}))};
  diagnosis::Diagnosis d = NaiveMtr(v);
  EXPECT_EQ(d.verdict, Verdict::kForwardPathLoss);
  ASSERT_EQ(d.findings.size(), 1u);
  EXPECT_EQ(d.findings[0].hops, std::vector<std::string>{"h3"});
  v[0].forward.hops[0].loss_pct = 70;
  EXPECT_EQ(NaiveMtr(v).verdict, Verdict::kClientLoss);
  v[0].forward.hops[0].loss_pct = 0;
  v[0].forward.hops[2].loss_pct = 0;
  v[0].forward.hops[5].loss_pct = 5;
  EXPECT_EQ(NaiveMtr(v).verdict, Verdict::kServerLoss);
  v[0].forward.hops[5].loss_pct = 1.5;  // Below 2%: not a fault.
  EXPECT_EQ(NaiveMtr(v).verdict, Verdict::kHealthy);
}

// Three vantages share the last links; only "a" and "b" lose at the
// destination, and their paths share x1 -> x2, which "c" does not cross.
std::vector<VantageTraces> SharedSegment() {
  return {
      Vantage("a", MakeTrace({"a1", "a2", "x1", "x2", "gw", "srv"},
                             {0, 0, 0, 10, 10, 10})),
      Vantage("b", MakeTrace({"b1", "b2", "x1", "x2", "gw", "srv"},
                             {0, 0, 0, 12, 12, 12})),
      Vantage("c", MakeTrace({"c1", "c2", "y1", "y2", "gw", "srv"},
                             {0, 0, 0, 0, 0, 0})),
  };
}

TEST(LinkVoting007, BlamesTheLinkTheBadPathsShare) {
  diagnosis::Diagnosis d = LinkVoting007(SharedSegment());
  EXPECT_EQ(d.verdict, Verdict::kIspRouting);
  ASSERT_EQ(d.findings.size(), 1u);
  EXPECT_EQ(d.findings[0].hops, (std::vector<std::string>{"x1", "x2"}));
  EXPECT_EQ(d.findings[0].vantages, (std::vector<std::string>{"a", "b"}));
}

TEST(BooleanTomography, ExoneratesLinksOnGoodPaths) {
  std::vector<VantageTraces> v = SharedSegment();
  diagnosis::Diagnosis d = BooleanTomography(v);
  EXPECT_EQ(d.verdict, Verdict::kIspRouting);
  ASSERT_EQ(d.findings.size(), 1u);
  // gw -> srv is on c's good path, so it cannot be the culprit; the first
  // unexonerated link nearest the prober that explains both is a2/b2 -> x1
  // or x1 -> x2: both explain 2 bad paths, x1 -> x2 is the only shared one.
  EXPECT_EQ(d.findings[0].hops, (std::vector<std::string>{"x1", "x2"}));
}

TEST(PathBaselines, CleanDestinationsAreHealthy) {
  std::vector<VantageTraces> v = {
      Vantage("a", MakeTrace({"a1", "x", "srv"}, {0, 80, 0}))};
  EXPECT_EQ(LinkVoting007(v).verdict, Verdict::kHealthy);
  EXPECT_EQ(BooleanTomography(v).verdict, Verdict::kHealthy);
}

TEST(PathBaselines, LossNearTheProberIsTheClient) {
  std::vector<VantageTraces> v = {
      Vantage("a", MakeTrace({"a1", "a2", "x", "y", "gw", "srv"},
                             {20, 20, 20, 20, 20, 20})),
      Vantage("b", MakeTrace({"b1", "b2", "x", "y", "gw", "srv"},
                             {0, 0, 0, 0, 0, 0}))};
  EXPECT_EQ(BooleanTomography(v).verdict, Verdict::kClientLoss);
  EXPECT_EQ(LinkVoting007(v).verdict, Verdict::kClientLoss);
}

sim::GroundTruth Truth(Verdict v, sim::ScenarioClass c) {
  sim::GroundTruth t;
  t.scenario_class = c;
  t.primary = v;
  t.acceptable = {v};
  return t;
}

TEST(Tally, ConfusionAndMacroF1) {
  Tally t;
  auto add = [&](Verdict truth, Verdict said, sim::ScenarioClass c) {
    diagnosis::Diagnosis d;
    d.verdict = said;
    sim::GroundTruth g = Truth(truth, c);
    t.Add(g, Score(g, d));
  };
  using C = sim::ScenarioClass;
  add(Verdict::kHealthy, Verdict::kHealthy, C::kNoFault);
  add(Verdict::kHealthy, Verdict::kClientLoss, C::kArtifacts);
  add(Verdict::kClientLoss, Verdict::kClientLoss, C::kClient);
  add(Verdict::kClientLoss, Verdict::kClientLoss, C::kClient);
  add(Verdict::kServerLoss, Verdict::kInconclusive, C::kServer);
  EXPECT_EQ(t.confusion[0][0], 1);
  EXPECT_EQ(t.confusion[0][1], 1);
  EXPECT_EQ(t.confusion[1][1], 2);
  EXPECT_EQ(t.confusion[3][10], 1);
  EXPECT_DOUBLE_EQ(t.Precision(Verdict::kClientLoss), 2.0 / 3);
  EXPECT_DOUBLE_EQ(t.Recall(Verdict::kClientLoss), 1.0);
  EXPECT_DOUBLE_EQ(t.F1(Verdict::kHealthy), 2 * 1 * 0.5 / 1.5);
  EXPECT_DOUBLE_EQ(t.F1(Verdict::kServerLoss), 0);
  // Mean over healthy, client_loss, server_loss (the classes with support).
  EXPECT_DOUBLE_EQ(t.MacroF1(), (2.0 / 3 + 0.8 + 0) / 3);
  EXPECT_EQ(t.artifact_alarms.hits, 1);
  EXPECT_EQ(t.no_fault_alarms.hits, 0);
  EXPECT_EQ(t.main.n, 5);
  EXPECT_EQ(t.main.hits, 3);
}

TEST(Score, AcceptsAnyAcceptableVerdictAndChecksTheSegment) {
  sim::GroundTruth g =
      Truth(Verdict::kForwardPathLoss, sim::ScenarioClass::kForwardOnly);
  g.acceptable.push_back(Verdict::kReturnPathLoss);
  sim::FaultTruth f;
  f.label = Verdict::kForwardPathLoss;
  f.segment_hosts = {"198.18.0.1", "198.18.0.2"};
  g.faults = {f};
  diagnosis::Diagnosis d;
  d.verdict = Verdict::kReturnPathLoss;
  diagnosis::Finding finding;
  finding.hops = {"198.18.9.9", "198.18.0.2"};
  d.findings.push_back(finding);
  Outcome o = Score(g, d);
  EXPECT_TRUE(o.correct);
  EXPECT_TRUE(o.scored_segment);
  EXPECT_TRUE(o.segment_correct);
  d.findings[0].hops = {"198.18.9.9"};
  EXPECT_FALSE(Score(g, d).segment_correct);
  d.verdict = Verdict::kIspRouting;
  EXPECT_FALSE(Score(g, d).correct);
  // A minor fault is not scored for its segment and accepts healthy.
  g.minor = true;
  g.acceptable.push_back(Verdict::kHealthy);
  d.verdict = Verdict::kHealthy;
  o = Score(g, d);
  EXPECT_TRUE(o.correct);
  EXPECT_FALSE(o.scored_segment);
}

TEST(Tally, CountsVerdictsWhoseDirectionIsOpen) {
  sim::GroundTruth g =
      Truth(Verdict::kReturnPathLoss, sim::ScenarioClass::kReturnOnly);
  diagnosis::Diagnosis d;
  d.verdict = Verdict::kForwardPathLoss;
  diagnosis::Finding finding;
  finding.location = diagnosis::Location::kForwardPath;
  finding.direction_open = true;
  d.findings.push_back(finding);
  Tally t;
  t.Add(g, Score(g, d));
  d.verdict = Verdict::kReturnPathLoss;
  t.Add(g, Score(g, d));
  d.findings[0].direction_open = false;
  t.Add(g, Score(g, d));
  EXPECT_EQ(t.direction_open.n, 2);
  EXPECT_EQ(t.direction_open.hits, 1);
}

}  // namespace
}  // namespace grid::accuracy
