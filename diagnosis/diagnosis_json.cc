#include "diagnosis/diagnosis_json.h"

#include <cmath>

#include "nlohmann/json.hpp"

namespace grid::diagnosis {
namespace {

using nlohmann::ordered_json;

// Rounds to 0.01 so that JSON shows 12.35, not 12.349999999.
double Round2(double v) { return std::round(v * 100) / 100; }

ordered_json HopJson(const Hop& hop) {
  ordered_json j;
  j["ttl"] = hop.ttl;
  j["host"] = hop.host;
  j["loss_pct"] = Round2(hop.loss_pct);
  j["sent"] = hop.sent;
  j["last"] = Round2(hop.last_ms);
  j["avg"] = Round2(hop.avg_ms);
  j["best"] = Round2(hop.best_ms);
  j["worst"] = Round2(hop.worst_ms);
  j["stdev"] = Round2(hop.stdev_ms);
  j["received"] = hop.received;
  if (!hop.other_hosts.empty()) j["other_hosts"] = hop.other_hosts;
  if (hop.jitter_avg_ms) j["javg"] = Round2(*hop.jitter_avg_ms);
  if (hop.jitter_max_ms) j["jmax"] = Round2(*hop.jitter_max_ms);
  return j;
}

ordered_json TraceJson(const Trace& trace) {
  ordered_json hops = ordered_json::array();
  for (const Hop& hop : trace.hops) hops.push_back(HopJson(hop));
  return hops;
}

}  // namespace

std::string DiagnosisToJson(const Diagnosis& diagnosis,
                            absl::Span<const VantageTraces> vantages) {
  ordered_json j;
  j["verdict"] = VerdictName(diagnosis.verdict);
  j["summary"] = diagnosis.summary;
  j["findings"] = ordered_json::array();
  for (const Finding& f : diagnosis.findings) {
    ordered_json fj;
    fj["kind"] = FindingKindName(f.kind);
    fj["location"] = LocationName(f.location);
    fj["direction"] = DirectionName(f.direction);
    fj["vantages"] = f.vantages;
    fj["hops"] = f.hops;
    fj["confidence"] = Round2(f.confidence);
    fj["evidence"] = f.evidence;
    if (f.kind == FindingKind::kLoss) {
      fj["loss_pct"] = Round2(f.loss_pct);
    } else {
      fj["added_ms"] = Round2(f.added_ms);
    }
    if (f.location == Location::kForwardPath ||
        f.location == Location::kReturnPath) {
      fj["direction_open"] = f.direction_open;
    }
    j["findings"].push_back(std::move(fj));
  }
  j["artifacts"] = ordered_json::array();
  for (const Artifact& a : diagnosis.artifacts) {
    j["artifacts"].push_back({{"vantage", a.vantage},
                              {"direction", DirectionName(a.direction)},
                              {"hop", a.hop},
                              {"note", a.note}});
  }
  j["vantages"] = ordered_json::array();
  for (const VantageTraces& v : vantages) {
    ordered_json vj;
    vj["name"] = v.name;
    vj["forward"] = TraceJson(v.forward);
    vj["return"] = v.ret ? TraceJson(*v.ret) : ordered_json::array();
    j["vantages"].push_back(std::move(vj));
  }
  return j.dump(2) + "\n";
}

}  // namespace grid::diagnosis
