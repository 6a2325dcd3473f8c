#include "tests/sim/scenario.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "tests/sim/fault_placement.h"
#include "tests/sim/ground_truth.h"
#include "tests/sim/path_usage.h"
#include "tests/sim/random_util.h"
#include "tests/sim/routing.h"

namespace grid::sim {
namespace {

absl::Status CheckOptions(const ScenarioOptions& o) {
  if (o.min_vantages < 1 || o.max_vantages > 1000 ||
      o.min_vantages > o.max_vantages) {
    return absl::InvalidArgumentError(
        absl::StrCat("vantage range must satisfy 1 <= min <= max <= 1000, got ",
                     o.min_vantages, "..", o.max_vantages));
  }
  if (o.class_weights.size() != kNumScenarioClasses) {
    return absl::InvalidArgumentError(absl::StrCat("need ", kNumScenarioClasses,
                                                   " class weights, got ",
                                                   o.class_weights.size()));
  }
  double total = 0;
  for (double w : o.class_weights) {
    if (!(w >= 0)) {
      return absl::InvalidArgumentError("class weights must be >= 0");
    }
    total += w;
  }
  if (!(total > 0)) {
    return absl::InvalidArgumentError("class weights are all zero");
  }
  return absl::OkStatus();
}

// 10% single vantage (a customer's own report), 10% two or three, the rest
// log-uniform from 4 up: many small grids, some large ones. One-way faults
// get fewer vantages (30% one, 20% two or three): with many vantages such
// a fault rarely reaches all of them and so becomes an ISP fault, which
// would leave the path verdicts with little support.
int DrawVantages(Rng& rng, const ScenarioOptions& o, bool one_way) {
  double r = Uniform01(rng);
  const double single = one_way ? 0.3 : 0.1;
  const double few = one_way ? 0.5 : 0.2;
  int n;
  if (r < single) {
    n = 1;
  } else if (r < few) {
    n = IntIn(rng, 2, 3);
  } else {
    int hi = std::max(4, o.max_vantages);
    n = static_cast<int>(std::floor(LogUniformIn(rng, 4, hi + 1)));
  }
  return std::clamp(n, o.min_vantages, o.max_vantages);
}

double DrawInterval(Rng& rng, bool artifacts) {
  double r = Uniform01(rng);
  if (artifacts) return r < 0.4 ? 0.2 : (r < 0.7 ? 0.5 : 1.0);
  return r < 0.75 ? 1.0 : (r < 0.9 ? 0.5 : 0.2);
}

ServerProbe DrawServerProbe(Rng& rng) {
  double r = Uniform01(rng);
  if (r < 0.15) return ServerProbe::kNone;
  return r < 0.6 ? ServerProbe::kOnServer : ServerProbe::kBesideServer;
}

}  // namespace

std::string_view ScenarioClassName(ScenarioClass c) {
  switch (c) {
    case ScenarioClass::kNoFault:
      return "no_fault";
    case ScenarioClass::kArtifacts:
      return "artifacts";
    case ScenarioClass::kClient:
      return "client";
    case ScenarioClass::kServer:
      return "server";
    case ScenarioClass::kIsp:
      return "isp";
    case ScenarioClass::kForwardOnly:
      return "forward_only";
    case ScenarioClass::kReturnOnly:
      return "return_only";
    case ScenarioClass::kTwoFaults:
      return "two_faults";
    case ScenarioClass::kUnusedLink:
      return "unused_link";
  }
  return "?";
}

absl::StatusOr<Scenario> GenerateScenario(uint64_t seed,
                                          const ScenarioOptions& options) {
  GRID_RETURN_IF_ERROR(CheckOptions(options));
  Rng rng(MixHash(seed, 0x5ce7a410u));
  Scenario s;
  s.seed = seed;
  const auto cls =
      static_cast<ScenarioClass>(PickWeighted(rng, options.class_weights));
  TopologyOptions topo;
  topo.vantages = DrawVantages(
      rng, options,
      cls == ScenarioClass::kForwardOnly || cls == ScenarioClass::kReturnOnly);
  topo.server_probe = DrawServerProbe(rng);
  topo.harsh_icmp = cls == ScenarioClass::kArtifacts;
  s.topology = GenerateTopology(topo, rng);
  s.run.interval_s = DrawInterval(rng, cls == ScenarioClass::kArtifacts);
  s.run.per_probe_flows = Chance(rng, 0.2);
  s.run.jitter_fields = Chance(rng, 0.7);
  s.run.seed = MixHash(seed, 0x3a11u);

  Routing routing(s.topology.network);
  GRID_ASSIGN_OR_RETURN(
      std::vector<VantageUsage> usage,
      ComputeUsage(s.topology, routing, s.run.per_probe_flows));

  std::vector<ScenarioClass> to_place;
  if (cls == ScenarioClass::kTwoFaults) {
    std::vector<ScenarioClass> kinds = {
        ScenarioClass::kClient, ScenarioClass::kServer, ScenarioClass::kIsp,
        ScenarioClass::kForwardOnly, ScenarioClass::kReturnOnly};
    std::shuffle(kinds.begin(), kinds.end(), rng);
    to_place = {kinds[0], kinds[1]};
  } else if (cls != ScenarioClass::kNoFault &&
             cls != ScenarioClass::kArtifacts) {
    to_place = {cls};
  }
  std::vector<Fault> faults;
  for (ScenarioClass c : to_place) {
    std::optional<Fault> f = PlaceFault(c, s.topology, usage, rng);
    // A class with no place here (say, no one-way link in a symmetric
    // topology) becomes a fault somewhere the measured paths do cross.
    if (!f) f = PlaceFault(ScenarioClass::kIsp, s.topology, usage, rng);
    if (!f) f = PlaceFault(ScenarioClass::kClient, s.topology, usage, rng);
    if (!faults.empty() && f->link == faults.front().link) {
      f = PlaceFault(ScenarioClass::kClient, s.topology, usage, rng);
    }
    faults.push_back(*f);
  }
  std::vector<FaultTruth> truths;
  for (const Fault& f : faults) {
    ApplyFault(f, &s.topology.network);
    truths.push_back(LabelFault(s.topology, usage, f));
  }
  s.truth = CombineTruth(cls, std::move(truths));
  return s;
}

absl::StatusOr<std::vector<std::vector<diagnosis::VantageTraces>>>
SimulateScenario(const Scenario& scenario,
                 const std::vector<int>& checkpoints) {
  const Topology& topo = scenario.topology;
  Routing routing(topo.network);
  std::vector<TraceRequest> requests;
  for (const VantageSite& site : topo.vantages) {
    requests.push_back({site.host, topo.server});
  }
  if (topo.server_probe >= 0) {
    for (const VantageSite& site : topo.vantages) {
      requests.push_back({topo.server_probe, site.host});
    }
  }
  MtrRunOptions run = scenario.run;
  run.checkpoints = checkpoints;
  GRID_ASSIGN_OR_RETURN(auto traces,
                        SimulateMtr(topo.network, routing, requests, run));
  const size_t n = topo.vantages.size();
  const std::string& probe_name =
      topo.server_probe >= 0 ? topo.network.node(topo.server_probe).name : "";
  std::vector<std::vector<diagnosis::VantageTraces>> out;
  for (std::vector<diagnosis::Trace>& at : traces) {
    std::vector<diagnosis::VantageTraces> vantages(n);
    for (size_t v = 0; v < n; ++v) {
      vantages[v].name = topo.vantages[v].name;
      vantages[v].forward = std::move(at[v]);
      vantages[v].forward.source = topo.vantages[v].name;
      if (topo.server_probe >= 0) {
        vantages[v].ret = std::move(at[n + v]);
        vantages[v].ret->source = probe_name;
      }
    }
    out.push_back(std::move(vantages));
  }
  return out;
}

}  // namespace grid::sim
