#include "bench/accuracy/scoring.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace grid::accuracy {
namespace {

using diagnosis::Verdict;
using sim::ScenarioClass;

bool Contains(const std::vector<Verdict>& v, Verdict x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool IsFaultVerdict(Verdict v) {
  return v != Verdict::kHealthy && v != Verdict::kInconclusive;
}

bool SingleFaultClass(ScenarioClass c) {
  return c == ScenarioClass::kClient || c == ScenarioClass::kServer ||
         c == ScenarioClass::kIsp || c == ScenarioClass::kForwardOnly ||
         c == ScenarioClass::kReturnOnly;
}

// The size band of fault `f` (see kNumSizeBands).
int SizeBand(const sim::Fault& f) {
  if (f.kind == sim::FaultKind::kLatency) return f.extra_ms < 30 ? 3 : 4;
  return f.loss < 0.05 ? 0 : f.loss < 0.10 ? 1 : 2;
}

}  // namespace

const char* SizeBandName(int band) {
  static constexpr const char* kNames[kNumSizeBands] = {
      "loss 2-5%", "loss 5-10%", "loss 10-50%", "latency 10-30 ms",
      "latency 30-200 ms"};
  return kNames[band];
}

const char* ReturnViewName(int view) {
  static constexpr const char* kNames[kNumReturnViews] = {
      "no return trace", "return trace crosses", "return trace misses"};
  return kNames[view];
}

std::string FaultSize(const sim::Fault& f) {
  return f.kind == sim::FaultKind::kLoss
             ? absl::StrFormat("loss %.2f%%", 100 * f.loss)
             : absl::StrFormat("+%.1f ms", f.extra_ms);
}

Outcome Score(const sim::GroundTruth& truth, const diagnosis::Diagnosis& d) {
  Outcome o;
  o.verdict = d.verdict;
  o.correct = Contains(truth.acceptable, d.verdict);
  o.direction_open = !d.findings.empty() && d.findings.front().direction_open;
  if (!truth.minor && SingleFaultClass(truth.scenario_class) &&
      truth.faults.size() == 1 && truth.faults[0].label != Verdict::kHealthy) {
    o.scored_segment = true;
    const auto& segment = truth.faults[0].segment_hosts;
    if (!d.findings.empty()) {
      const auto& named = d.findings.front().hops;
      o.hops_named = static_cast<int>(named.size());
      for (size_t i = 0; i < named.size(); ++i) {
        if (std::binary_search(segment.begin(), segment.end(), named[i])) {
          o.segment_correct = true;
          if (i < 2) o.segment_strict = true;
        }
      }
    }
  }
  return o;
}

void Tally::Add(const sim::GroundTruth& truth, const Outcome& o) {
  const int predicted = static_cast<int>(o.verdict);
  inconclusive.Add(o.verdict == Verdict::kInconclusive);
  by_class[static_cast<int>(truth.scenario_class)].Add(o.correct);
  const bool alarm = IsFaultVerdict(o.verdict);
  switch (truth.scenario_class) {
    case ScenarioClass::kArtifacts:
      artifact_alarms.Add(alarm);
      break;
    case ScenarioClass::kNoFault:
      no_fault_alarms.Add(alarm);
      break;
    case ScenarioClass::kUnusedLink:
      unused_link_alarms.Add(alarm);
      break;
    default:
      break;
  }
  if (truth.minor) {
    minor_healthy.Add(o.verdict == Verdict::kHealthy);
    minor_fault.Add(alarm && o.correct);
    return;
  }
  main.Add(o.correct);
  if (o.direction_open) direction_open.Add(o.correct);
  const int actual = o.correct ? predicted : static_cast<int>(truth.primary);
  confusion[actual][predicted]++;
  if (truth.scenario_class == ScenarioClass::kTwoFaults)
    two_faults.Add(o.correct);
  if (o.scored_segment) {
    const sim::Fault& f = truth.faults[0].fault;
    by_size[SizeBand(f)].Add(o.correct);
    (f.kind == sim::FaultKind::kLoss ? segment_loss : segment_latency)
        .Add(o.segment_correct);
    segment_and_verdict.Add(o.segment_correct && o.correct);
    hops_named += o.hops_named;
    const sim::FaultTruth& ft = truth.faults[0];
    if (ft.label == Verdict::kReturnPathLoss ||
        ft.label == Verdict::kReturnPathLatency) {
      const int view = !ft.return_traced ? 0 : ft.return_trace_crosses ? 1 : 2;
      return_faults[view].Add(o.correct);
    }
    if (f.kind == sim::FaultKind::kLoss) segment_strict.Add(o.segment_strict);
  }
}

int64_t Tally::Support(Verdict v) const {
  int64_t n = 0;
  for (int64_t x : confusion[static_cast<int>(v)]) n += x;
  return n;
}

double Tally::Precision(Verdict v) const {
  const int c = static_cast<int>(v);
  int64_t predicted = 0;
  for (int r = 0; r < kNumVerdicts; ++r) predicted += confusion[r][c];
  return predicted == 0 ? 0 : static_cast<double>(confusion[c][c]) / predicted;
}

double Tally::Recall(Verdict v) const {
  const int c = static_cast<int>(v);
  int64_t support = Support(v);
  return support == 0 ? 0 : static_cast<double>(confusion[c][c]) / support;
}

double Tally::F1(Verdict v) const {
  double p = Precision(v), r = Recall(v);
  return p + r == 0 ? 0 : 2 * p * r / (p + r);
}

double Tally::MacroF1() const {
  double sum = 0;
  int classes = 0;
  for (int c = 0; c < kNumVerdicts; ++c) {
    const auto v = static_cast<Verdict>(c);
    if (v == Verdict::kInconclusive || Support(v) == 0) continue;
    sum += F1(v);
    ++classes;
  }
  return classes == 0 ? 0 : sum / classes;
}

}  // namespace grid::accuracy
