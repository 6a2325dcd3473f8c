// The path-based baselines: 007 link voting and boolean tomography
// (baselines.h).
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "bench/accuracy/baselines.h"
#include "bench/accuracy/path_model.h"

namespace grid::accuracy {
namespace {

using diagnosis::Diagnosis;
using diagnosis::FindingKind;

Diagnosis Healthy() {
  Diagnosis d;
  d.verdict = diagnosis::Verdict::kHealthy;
  return d;
}

// Loss-bad paths if any, else latency-bad ones; sets *kind accordingly.
std::vector<bool> BadPaths(const std::vector<PathObservation>& paths,
                           FindingKind* kind) {
  std::vector<bool> bad(paths.size());
  bool any = false;
  for (size_t k = 0; k < paths.size(); ++k) {
    bad[k] = paths[k].loss_bad;
    any = any || bad[k];
  }
  *kind = FindingKind::kLoss;
  if (any) return bad;
  *kind = FindingKind::kLatency;
  for (size_t k = 0; k < paths.size(); ++k) bad[k] = paths[k].latency_bad;
  return bad;
}

// Mean position (link index from the prober) of each link over the paths
// that carry it: the tie-break "nearest the prober".
std::map<std::string, double> MeanPositions(
    const std::vector<PathObservation>& paths) {
  std::map<std::string, std::pair<double, int>> sum;
  for (const PathObservation& p : paths) {
    for (int i = 0; i < p.links(); ++i) {
      auto& s = sum[LinkKey(p, i)];
      s.first += i;
      s.second++;
    }
  }
  std::map<std::string, double> out;
  for (const auto& [k, s] : sum) out[k] = s.first / s.second;
  return out;
}

}  // namespace

Diagnosis LinkVoting007(absl::Span<const diagnosis::VantageTraces> vantages) {
  std::vector<PathObservation> paths = ObservePaths(vantages);
  FindingKind kind;
  std::vector<bool> bad = BadPaths(paths, &kind);
  std::map<std::string, double> votes;
  int voters = 0;
  for (size_t k = 0; k < paths.size(); ++k) {
    if (!bad[k] || paths[k].links() <= 0) continue;
    ++voters;
    for (int i = 0; i < paths[k].links(); ++i) {
      votes[LinkKey(paths[k], i)] += 1.0 / paths[k].links();
    }
  }
  if (voters == 0) return Healthy();
  std::map<std::string, double> position = MeanPositions(paths);
  const std::string* best = nullptr;
  for (const auto& [link, v] : votes) {
    if (best == nullptr || v > votes[*best] + 1e-12 ||
        (v > votes[*best] - 1e-12 && position[link] < position[*best])) {
      best = &link;
    }
  }
  return BlameLink(paths, bad, *best, kind, votes[*best] / voters,
                   absl::StrFormat("007: %.2f votes from %d bad paths",
                                   votes[*best], voters));
}

Diagnosis BooleanTomography(
    absl::Span<const diagnosis::VantageTraces> vantages) {
  std::vector<PathObservation> paths = ObservePaths(vantages);
  FindingKind kind;
  std::vector<bool> bad = BadPaths(paths, &kind);
  std::set<std::string> good_links;
  for (size_t k = 0; k < paths.size(); ++k) {
    if (bad[k]) continue;
    for (int i = 0; i < paths[k].links(); ++i) {
      good_links.insert(LinkKey(paths[k], i));
    }
  }
  // Candidate links and the bad paths each explains.
  std::map<std::string, std::set<size_t>> explains;
  int bad_paths = 0;
  for (size_t k = 0; k < paths.size(); ++k) {
    if (!bad[k]) continue;
    ++bad_paths;
    for (int i = 0; i < paths[k].links(); ++i) {
      std::string link = LinkKey(paths[k], i);
      if (!good_links.contains(link)) explains[link].insert(k);
    }
  }
  if (bad_paths == 0) return Healthy();
  if (explains.empty()) {
    // Every link of every bad path is exonerated by a good path: the set
    // is inconsistent, boolean tomography cannot say where.
    Diagnosis d;
    d.verdict = diagnosis::Verdict::kInconclusive;
    return d;
  }
  // The first greedy pick: most bad paths explained, nearest the prober.
  std::map<std::string, double> position = MeanPositions(paths);
  const std::string* best = nullptr;
  for (const auto& [link, covered] : explains) {
    if (best == nullptr || covered.size() > explains[*best].size() ||
        (covered.size() == explains[*best].size() &&
         position[link] < position[*best])) {
      best = &link;
    }
  }
  const int covered = static_cast<int>(explains[*best].size());
  return BlameLink(paths, bad, *best, kind,
                   static_cast<double>(covered) / bad_paths,
                   absl::StrFormat("tomography: explains %d of %d bad paths",
                                   covered, bad_paths));
}

}  // namespace grid::accuracy
