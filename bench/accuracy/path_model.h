// What the path-based baselines (007 voting, boolean tomography) see of a
// set of traces: each trace as a path of links between consecutive
// answering hops, and whether its end-to-end measurement is bad.
#ifndef GRID_BENCH_ACCURACY_PATH_MODEL_H_
#define GRID_BENCH_ACCURACY_PATH_MODEL_H_

#include <string>
#include <vector>

#include "absl/types/span.h"
#include "diagnosis/diagnosis.h"

namespace grid::accuracy {

struct PathObservation {
  std::string vantage;
  diagnosis::Direction direction = diagnosis::Direction::kForward;
  // The prober (a pseudo-node: "@" + vantage name, or "@server-side"), then
  // each answering hop's address. Link i joins nodes[i] and nodes[i + 1].
  std::vector<std::string> nodes;
  bool loss_bad = false;     // Destination loss: diagnosis::SignificantLoss.
  bool latency_bad = false;  // Destination Avg - Best > 10 ms or StDev > 8.
  int links() const { return static_cast<int>(nodes.size()) - 1; }
};

std::vector<PathObservation> ObservePaths(
    absl::Span<const diagnosis::VantageTraces> vantages);

// A diagnosis blaming link `link` (nodes[i] + ">" + nodes[i+1] as made by
// LinkKey) of the observations for which bad[i] holds, as `kind`. The
// verdict follows from where the link sits on those paths (majority):
// within the first two links of a forward path or the last two of a return
// path: client; the other way round: server; else, when some vantage has
// no bad path: isp_routing; else forward or return path by which paths
// carry it.
diagnosis::Diagnosis BlameLink(const std::vector<PathObservation>& paths,
                               const std::vector<bool>& bad,
                               const std::string& link,
                               diagnosis::FindingKind kind, double confidence,
                               const std::string& evidence);

std::string LinkKey(const PathObservation& p, int i);

}  // namespace grid::accuracy

#endif  // GRID_BENCH_ACCURACY_PATH_MODEL_H_
