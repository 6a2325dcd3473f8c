#include "tests/sim/ground_truth.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"

namespace grid::sim {
namespace {

using diagnosis::Location;
using diagnosis::Verdict;

void AddUnique(std::vector<Verdict>* v, Verdict x) {
  if (std::find(v->begin(), v->end(), x) == v->end()) v->push_back(x);
}

void AddNodeAddresses(const Network& net, NodeId node,
                      absl::flat_hash_set<std::string>* out) {
  out->insert(net.node(node).loopback);
  for (LinkId l : net.node(node).links) {
    out->insert(net.InterfaceAddress(l, node));
  }
}

// How bad a fault is relative to its minor threshold.
double Severity(const Fault& f) {
  return f.kind == FaultKind::kLoss ? f.loss / kMinorLoss
                                    : f.extra_ms / kMinorLatencyMs;
}

}  // namespace

FaultTruth LabelFault(const Topology& topology,
                      const std::vector<VantageUsage>& usage,
                      const Fault& fault) {
  const Network& net = topology.network;
  const Link& link = net.link(fault.link);
  std::vector<int> keys;
  if (fault.a_to_b) keys.push_back(DirectedKey(net, fault.link, link.a));
  if (fault.b_to_a) keys.push_back(DirectedKey(net, fault.link, link.b));

  FaultTruth t;
  t.fault = fault;
  const bool loss = fault.kind == FaultKind::kLoss;
  t.minor = loss ? fault.loss < kMinorLoss : fault.extra_ms < kMinorLatencyMs;

  bool forward_hit = false;
  bool return_hit = false;
  // Round trips cannot tell a fault on a->b from one on b->a where the
  // client->server paths cross the link one way and the server->client
  // paths the other: both directions are then accepted.
  bool either_way = false;
  absl::flat_hash_set<std::string> hosts;
  for (size_t v = 0; v < usage.size(); ++v) {
    bool hit = false;
    for (int k : keys) {
      if (usage[v].forward_keys.contains(k)) forward_hit = hit = true;
      if (usage[v].return_keys.contains(k)) return_hit = hit = true;
      if (usage[v].return_trace_keys.contains(k)) {
        t.return_trace_crosses = true;
      }
      const int reverse = k ^ 1;
      if ((usage[v].forward_keys.contains(k) &&
           usage[v].return_keys.contains(reverse)) ||
          (usage[v].return_keys.contains(k) &&
           usage[v].forward_keys.contains(reverse))) {
        either_way = true;
      }
    }
    if (!hit) continue;
    t.affected.push_back(topology.vantages[v].name);
    for (const auto* paths :
         {&usage[v].forward_paths, &usage[v].return_paths}) {
      for (const std::vector<DirectedLink>& path : *paths) {
        for (size_t i = 0; i < path.size(); ++i) {
          int k = DirectedKey(net, path[i]);
          if (std::find(keys.begin(), keys.end(), k) == keys.end()) continue;
          AddNodeAddresses(net, path[i].from, &hosts);
          AddNodeAddresses(net, path[i].to, &hosts);
          if (i > 0) AddNodeAddresses(net, path[i - 1].from, &hosts);
          if (i + 1 < path.size())
            AddNodeAddresses(net, path[i + 1].to, &hosts);
        }
      }
    }
  }
  t.return_traced = topology.server_probe >= 0;
  t.segment_hosts.assign(hosts.begin(), hosts.end());
  std::sort(t.segment_hosts.begin(), t.segment_hosts.end());

  bool client_link = false;
  for (const VantageSite& site : topology.vantages) {
    if (fault.link == site.lan_link || fault.link == site.line_link) {
      client_link = true;
    }
  }
  const bool server_link = fault.link == topology.server_link ||
                           fault.link == topology.gateway_uplink;
  const int vantages = static_cast<int>(topology.vantages.size());
  const int affected = static_cast<int>(t.affected.size());
  const Verdict fwd =
      loss ? Verdict::kForwardPathLoss : Verdict::kForwardPathLatency;
  const Verdict ret =
      loss ? Verdict::kReturnPathLoss : Verdict::kReturnPathLatency;
  if (affected == 0) {
    t.label = Verdict::kHealthy;
    t.minor = false;
  } else if (client_link) {
    t.label = loss ? Verdict::kClientLoss : Verdict::kClientLatency;
    t.location = Location::kClient;
  } else if (server_link) {
    t.label = loss ? Verdict::kServerLoss : Verdict::kServerLatency;
    t.location = Location::kServer;
  } else if (vantages >= 2 && affected < vantages) {
    t.label = Verdict::kIspRouting;
    t.location = Location::kIsp;
  } else if (forward_hit && return_hit) {
    t.label = fwd;
    t.location = Location::kForwardPath;
    AddUnique(&t.acceptable, ret);
    AddUnique(&t.acceptable, Verdict::kIspRouting);
  } else if (forward_hit) {
    t.label = fwd;
    t.location = Location::kForwardPath;
    if (topology.server_probe < 0 || either_way) AddUnique(&t.acceptable, ret);
  } else {
    t.label = ret;
    t.location = Location::kReturnPath;
    if (topology.server_probe < 0 || either_way) AddUnique(&t.acceptable, fwd);
  }
  AddUnique(&t.acceptable, t.label);
  if (t.minor) AddUnique(&t.acceptable, Verdict::kHealthy);
  return t;
}

GroundTruth CombineTruth(ScenarioClass scenario_class,
                         std::vector<FaultTruth> faults) {
  GroundTruth truth;
  truth.scenario_class = scenario_class;
  truth.faults = std::move(faults);
  const FaultTruth* worst = nullptr;
  const FaultTruth* worst_minor = nullptr;
  for (const FaultTruth& f : truth.faults) {
    if (f.label == Verdict::kHealthy) continue;
    const FaultTruth*& slot = f.minor ? worst_minor : worst;
    if (slot == nullptr || Severity(f.fault) > Severity(slot->fault)) slot = &f;
  }
  if (worst == nullptr && worst_minor == nullptr) {
    truth.primary = Verdict::kHealthy;
    truth.acceptable = {Verdict::kHealthy};
    return truth;
  }
  truth.minor = worst == nullptr;
  truth.primary = truth.minor ? worst_minor->label : worst->label;
  for (const FaultTruth& f : truth.faults) {
    if (f.label == Verdict::kHealthy || f.minor != truth.minor) continue;
    for (Verdict v : f.acceptable) AddUnique(&truth.acceptable, v);
  }
  return truth;
}

}  // namespace grid::sim
