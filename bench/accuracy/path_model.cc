#include "bench/accuracy/path_model.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "diagnosis/trace_analysis.h"

namespace grid::accuracy {
namespace {

using diagnosis::Direction;
using diagnosis::Location;
using diagnosis::Verdict;

constexpr char kSeparator = '>';

// `traces`: how many traces the diagnosis reads (diagnosis::SignificantLoss).
PathObservation Observe(const std::string& vantage, Direction direction,
                        const diagnosis::Trace& trace, int traces) {
  PathObservation p;
  p.vantage = vantage;
  p.direction = direction;
  p.nodes.push_back(direction == Direction::kForward ? "@" + vantage
                                                     : "@server-side");
  for (const diagnosis::Hop& hop : trace.hops) {
    if (hop.Responded()) p.nodes.push_back(hop.host);
  }
  if (!trace.hops.empty()) {
    const diagnosis::Hop& end = trace.hops.back();
    p.loss_bad = diagnosis::SignificantLoss(end.Lost(), end.sent, traces);
    p.latency_bad = end.received >= 3 &&
                    (end.avg_ms - end.best_ms > 10 || end.stdev_ms > 8);
  }
  return p;
}

}  // namespace

std::string LinkKey(const PathObservation& p, int i) {
  return absl::StrCat(p.nodes[i], std::string(1, kSeparator), p.nodes[i + 1]);
}

std::vector<PathObservation> ObservePaths(
    absl::Span<const diagnosis::VantageTraces> vantages) {
  const int traces = diagnosis::TraceCount(vantages);
  std::vector<PathObservation> out;
  for (const auto& v : vantages) {
    out.push_back(Observe(v.name, Direction::kForward, v.forward, traces));
    if (v.ret) {
      out.push_back(Observe(v.name, Direction::kReturn, *v.ret, traces));
    }
  }
  return out;
}

diagnosis::Diagnosis BlameLink(const std::vector<PathObservation>& paths,
                               const std::vector<bool>& bad,
                               const std::string& link,
                               diagnosis::FindingKind kind, double confidence,
                               const std::string& evidence) {
  int client = 0, server = 0, middle = 0, forward = 0, back = 0;
  std::set<std::string> all, affected, carrying;
  for (size_t k = 0; k < paths.size(); ++k) {
    const PathObservation& p = paths[k];
    all.insert(p.vantage);
    if (!bad[k]) continue;
    affected.insert(p.vantage);
    for (int i = 0; i < p.links(); ++i) {
      if (LinkKey(p, i) != link) continue;
      carrying.insert(p.vantage);
      const bool fwd = p.direction == Direction::kForward;
      (fwd ? forward : back)++;
      const bool near_prober = i <= 1;
      const bool near_target = i >= p.links() - 2;
      if (near_prober) {
        (fwd ? client : server)++;
      } else if (near_target) {
        (fwd ? server : client)++;
      } else {
        middle++;
      }
    }
  }
  Location location;
  if (client >= server && client >= middle && client > 0) {
    location = Location::kClient;
  } else if (server >= middle && server > 0) {
    location = Location::kServer;
  } else if (all.size() >= 2 && affected.size() < all.size()) {
    location = Location::kIsp;
  } else {
    location = forward >= back ? Location::kForwardPath : Location::kReturnPath;
  }
  diagnosis::Finding f;
  f.kind = kind;
  f.location = location;
  f.direction = forward > 0 && back > 0
                    ? Direction::kBoth
                    : (forward > 0 ? Direction::kForward : Direction::kReturn);
  f.vantages.assign(carrying.begin(), carrying.end());
  size_t cut = link.find(kSeparator);
  for (std::string end : {link.substr(0, cut), link.substr(cut + 1)}) {
    if (!end.empty() && end[0] != '@') f.hops.push_back(std::move(end));
  }
  f.confidence = confidence;
  f.evidence = evidence;
  diagnosis::Diagnosis d;
  d.verdict = diagnosis::VerdictFor(kind, location);
  d.findings.push_back(std::move(f));
  return d;
}

}  // namespace grid::accuracy
