// Who takes part in a diagnosis: the vantages (probes that trace toward the
// target) and the probe that traces back from the target's side. Pure.
#ifndef GRID_COORDINATOR_DIAGNOSIS_PLAN_H_
#define GRID_COORDINATOR_DIAGNOSIS_PLAN_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "coordinator/ip_prefix.h"
#include "coordinator/label_selector.h"
#include "coordinator/probe_registry.h"

namespace grid::coordinator {

struct DiagnosisPlan {
  std::vector<ConnectedProbe> vantages;  // In the order given.
  // A probe whose --serves range holds the target, if any.
  std::optional<ConnectedProbe> return_probe;
};

// Whether `probe` serves `target` (one of its --serves prefixes holds it).
bool Serves(const v1::ProbeRecord& probe, const IpBytes& target);

// Vantages are the connected probes that match `selector`, can reach the
// target's address family and do not serve the target themselves (they sit
// on its side); if that leaves none, serving probes that match are used as
// vantages. The return probe is chosen among all connected probes serving
// the target (the selector picks vantages only): the one with the fewest
// running jobs, then by name. NoMatchingProbes if there is no vantage.
absl::StatusOr<DiagnosisPlan> PlanDiagnosis(
    const std::vector<ConnectedProbe>& connected, const IpBytes& target,
    const LabelSelector& selector, absl::string_view selector_text);

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_DIAGNOSIS_PLAN_H_
