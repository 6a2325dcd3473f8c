#include "coordinator/diagnosis_plan.h"

#include "coordinator/errors.h"

namespace grid::coordinator {
namespace {

bool ReachesFamily(const v1::ProbeRecord& probe, const IpBytes& target) {
  const v1::Capabilities& caps = probe.capabilities();
  if (!caps.ipv4() && !caps.ipv6()) return true;  // Not stated.
  return target.v4 ? caps.ipv4() : caps.ipv6();
}

}  // namespace

bool Serves(const v1::ProbeRecord& probe, const IpBytes& target) {
  for (const std::string& cidr : probe.serves()) {
    absl::StatusOr<IpPrefix> p = IpPrefix::Parse(cidr);
    if (p.ok() && p->Contains(target)) return true;
  }
  return false;
}

absl::StatusOr<DiagnosisPlan> PlanDiagnosis(
    const std::vector<ConnectedProbe>& connected, const IpBytes& target,
    const LabelSelector& selector, absl::string_view selector_text) {
  DiagnosisPlan plan;
  std::vector<ConnectedProbe> serving_vantages;
  for (const ConnectedProbe& p : connected) {
    const bool serves = Serves(p.record, target);
    if (serves && ReachesFamily(p.record, target)) {
      if (!plan.return_probe ||
          p.running_jobs < plan.return_probe->running_jobs) {
        plan.return_probe = p;
      }
    }
    if (!selector.Matches(p.record.name(), p.record.labels()) ||
        !ReachesFamily(p.record, target)) {
      continue;
    }
    (serves ? serving_vantages : plan.vantages).push_back(p);
  }
  if (plan.vantages.empty()) {
    plan.vantages = std::move(serving_vantages);
    plan.return_probe.reset();
  }
  if (plan.vantages.empty()) return NoMatchingProbes(selector_text);
  return plan;
}

}  // namespace grid::coordinator
