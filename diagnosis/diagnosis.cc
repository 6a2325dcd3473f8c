#include "diagnosis/diagnosis.h"

#include <algorithm>

#include "diagnosis/explain.h"
#include "diagnosis/localization.h"
#include "diagnosis/pooling.h"
#include "diagnosis/trace_analysis.h"

namespace grid::diagnosis {
namespace {

void AddArtifacts(const std::string& vantage, const TraceAnalysis& t,
                  std::vector<Artifact>& out) {
  for (Artifact a : t.artifacts) {
    a.vantage = vantage;
    out.push_back(std::move(a));
  }
}

// The destination's hop of `trace` (its first when `mirrored`) when it
// answered, else nullptr.
const Hop* Reached(const Trace& trace, bool mirrored) {
  if (trace.hops.empty()) return nullptr;
  const Hop& dest = mirrored ? trace.hops.front() : trace.hops.back();
  return dest.Responded() ? &dest : nullptr;
}

}  // namespace

Diagnosis Diagnose(absl::Span<const VantageTraces> vantages) {
  std::vector<VantageAnalysis> analyses;
  analyses.reserve(vantages.size());
  const int traces = TraceCount(vantages);
  bool any_reached = false;
  for (const VantageTraces& v : vantages) {
    VantageAnalysis& a = analyses.emplace_back();
    a.vantage = &v;
    const bool mirrored = v.ret && IsMirroredReturn(v.forward, *v.ret);
    const Hop* back = v.ret ? Reached(*v.ret, mirrored) : nullptr;
    const bool home_router =
        BehindHomeRouter(v.forward, v.ret ? &*v.ret : nullptr);
    a.forward = AnalyseTrace(v.forward, Direction::kForward, false, home_router,
                             traces, back);
    if (v.ret) {
      a.ret = AnalyseTrace(*v.ret, Direction::kReturn, mirrored, home_router,
                           traces, Reached(v.forward, false));
    }
    any_reached = any_reached || a.forward.reached;
  }

  Diagnosis d;
  if (!any_reached) {
    d.verdict = Verdict::kInconclusive;
    d.summary = Summarize(d, analyses);
    return d;
  }
  DismissRouterArtifacts(analyses);
  PoolSharedLoss(analyses);
  d.findings = Localize(analyses, FindingKind::kLoss);
  std::vector<Finding> latency = Localize(analyses, FindingKind::kLatency);
  d.findings.insert(d.findings.end(), latency.begin(), latency.end());
  // Strongest first; at equal confidence the finding more vantages back,
  // then loss before latency (stable sort).
  std::stable_sort(d.findings.begin(), d.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     if (a.confidence != b.confidence) {
                       return a.confidence > b.confidence;
                     }
                     return a.vantages.size() > b.vantages.size();
                   });
  for (const VantageAnalysis& a : analyses) {
    AddArtifacts(a.vantage->name, a.forward, d.artifacts);
    if (a.ret) AddArtifacts(a.vantage->name, *a.ret, d.artifacts);
  }
  d.verdict = d.findings.empty() ? Verdict::kHealthy
                                 : VerdictFor(d.findings.front().kind,
                                              d.findings.front().location);
  d.summary = Summarize(d, analyses);
  return d;
}

Verdict VerdictFor(FindingKind kind, Location location) {
  const bool loss = kind == FindingKind::kLoss;
  switch (location) {
    case Location::kClient:
      return loss ? Verdict::kClientLoss : Verdict::kClientLatency;
    case Location::kServer:
      return loss ? Verdict::kServerLoss : Verdict::kServerLatency;
    case Location::kIsp:
      return Verdict::kIspRouting;
    case Location::kForwardPath:
      return loss ? Verdict::kForwardPathLoss : Verdict::kForwardPathLatency;
    case Location::kReturnPath:
      return loss ? Verdict::kReturnPathLoss : Verdict::kReturnPathLatency;
  }
  return Verdict::kInconclusive;
}

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kHealthy:
      return "healthy";
    case Verdict::kClientLoss:
      return "client_loss";
    case Verdict::kClientLatency:
      return "client_latency";
    case Verdict::kServerLoss:
      return "server_loss";
    case Verdict::kServerLatency:
      return "server_latency";
    case Verdict::kIspRouting:
      return "isp_routing";
    case Verdict::kForwardPathLoss:
      return "forward_path_loss";
    case Verdict::kReturnPathLoss:
      return "return_path_loss";
    case Verdict::kForwardPathLatency:
      return "forward_path_latency";
    case Verdict::kReturnPathLatency:
      return "return_path_latency";
    case Verdict::kInconclusive:
      return "inconclusive";
  }
  return "inconclusive";
}

std::string_view FindingKindName(FindingKind kind) {
  return kind == FindingKind::kLoss ? "loss" : "latency";
}

std::string_view LocationName(Location location) {
  switch (location) {
    case Location::kClient:
      return "client";
    case Location::kServer:
      return "server";
    case Location::kIsp:
      return "isp";
    case Location::kForwardPath:
      return "forward_path";
    case Location::kReturnPath:
      return "return_path";
  }
  return "isp";
}

std::string_view DirectionName(Direction direction) {
  switch (direction) {
    case Direction::kForward:
      return "forward";
    case Direction::kReturn:
      return "return";
    case Direction::kBoth:
      return "both";
  }
  return "both";
}

}  // namespace grid::diagnosis
