// The naive reading of mtr reports (baselines.h).
#include <string>

#include "bench/accuracy/baselines.h"

namespace grid::accuracy {
namespace {

using diagnosis::Diagnosis;
using diagnosis::Finding;
using diagnosis::FindingKind;
using diagnosis::Location;
using diagnosis::Verdict;

constexpr double kLossThresholdPct = 2.0;
constexpr double kJumpThresholdMs = 30.0;

Location ByPosition(int index, int hops) {
  if (index < 2) return Location::kClient;
  if (index >= hops - 2) return Location::kServer;
  return Location::kForwardPath;
}

}  // namespace

Diagnosis NaiveMtr(absl::Span<const diagnosis::VantageTraces> vantages) {
  Diagnosis d;
  d.verdict = Verdict::kHealthy;
  const diagnosis::VantageTraces* where = nullptr;
  int index = -1;
  FindingKind kind = FindingKind::kLoss;
  double worst = kLossThresholdPct;
  for (const auto& v : vantages) {
    const auto& hops = v.forward.hops;
    for (size_t i = 0; i < hops.size(); ++i) {
      if (hops[i].sent > 0 && hops[i].loss_pct > worst) {
        worst = hops[i].loss_pct;
        where = &v;
        index = static_cast<int>(i);
      }
    }
  }
  if (where == nullptr) {
    kind = FindingKind::kLatency;
    worst = kJumpThresholdMs;
    for (const auto& v : vantages) {
      const auto& hops = v.forward.hops;
      int previous = -1;
      for (size_t i = 0; i < hops.size(); ++i) {
        if (!hops[i].Responded()) continue;
        double base = previous < 0 ? 0 : hops[previous].avg_ms;
        if (hops[i].avg_ms - base > worst) {
          worst = hops[i].avg_ms - base;
          where = &v;
          index = static_cast<int>(i);
        }
        previous = static_cast<int>(i);
      }
    }
  }
  if (where == nullptr) return d;
  Finding f;
  f.kind = kind;
  f.location = ByPosition(index, static_cast<int>(where->forward.hops.size()));
  f.direction = diagnosis::Direction::kForward;
  f.vantages = {where->name};
  f.hops = {where->forward.hops[index].host};
  f.confidence = 0.5;
  f.evidence = kind == FindingKind::kLoss
                   ? "highest Loss% in the forward reports"
                   : "largest Avg jump in the forward reports";
  d.verdict = diagnosis::VerdictFor(kind, f.location);
  d.findings.push_back(std::move(f));
  return d;
}

}  // namespace grid::accuracy
