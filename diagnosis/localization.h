// Cross-vantage localisation: turns per-trace anomalies into located
// findings, treating the vantages' paths as a tomography problem — a
// segment that clean paths also cross is exonerated, the fault lies on what
// only the affected paths share.
#ifndef GRID_DIAGNOSIS_LOCALIZATION_H_
#define GRID_DIAGNOSIS_LOCALIZATION_H_

#include <optional>
#include <vector>

#include "diagnosis/diagnosis.h"
#include "diagnosis/trace_analysis.h"

namespace grid::diagnosis {

// Both directions of one vantage, analysed.
struct VantageAnalysis {
  const VantageTraces* vantage = nullptr;
  TraceAnalysis forward;
  std::optional<TraceAnalysis> ret;
};

// Transient stretches (loss or slow replies that later hops do not show)
// at routers that other vantages also see dropping or delaying replies
// while their destinations stay clean are that router's ICMP behaviour,
// not a fault; so is a transient stretch of slow replies that the other
// direction does not confirm at the same end of the path. Moves them from
// each trace's anomalies to its artifacts.
void DismissRouterArtifacts(std::vector<VantageAnalysis>& vantages);

// Findings of `kind` across all vantages, strongest first.
std::vector<Finding> Localize(const std::vector<VantageAnalysis>& vantages,
                              FindingKind kind);

}  // namespace grid::diagnosis

#endif  // GRID_DIAGNOSIS_LOCALIZATION_H_
