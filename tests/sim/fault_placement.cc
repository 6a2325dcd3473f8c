#include "tests/sim/fault_placement.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "tests/sim/random_util.h"

namespace grid::sim {
namespace {

// Links at the edges, which only the client and server classes fault.
absl::flat_hash_set<LinkId> EdgeLinks(const Topology& topology) {
  absl::flat_hash_set<LinkId> edge = {topology.server_link,
                                      topology.gateway_uplink};
  if (topology.server_probe_link >= 0) edge.insert(topology.server_probe_link);
  for (const VantageSite& site : topology.vantages) {
    edge.insert(site.lan_link);
    edge.insert(site.line_link);
  }
  return edge;
}

// Per directed key: how many vantages cross it forward / return.
struct Counts {
  std::vector<int> forward;
  std::vector<int> back;
  std::vector<int> any;  // Vantages crossing either direction of the link.
};

Counts CountUsage(const Topology& topology,
                  const std::vector<VantageUsage>& usage) {
  const int links = topology.network.num_links();
  Counts c{std::vector<int>(2 * links), std::vector<int>(2 * links),
           std::vector<int>(links)};
  for (const VantageUsage& u : usage) {
    absl::flat_hash_set<LinkId> seen;
    for (int k : u.forward_keys) {
      ++c.forward[k];
      seen.insert(k / 2);
    }
    for (int k : u.return_keys) {
      ++c.back[k];
      seen.insert(k / 2);
    }
    for (LinkId l : seen) ++c.any[l];
  }
  return c;
}

void DrawMagnitude(Rng& rng, Fault* f) {
  if (Chance(rng, 0.5)) {
    f->kind = FaultKind::kLoss;
    f->loss = LogUniformIn(rng, 0.005, 0.5);
  } else {
    f->kind = FaultKind::kLatency;
    f->extra_ms = LogUniformIn(rng, 5, 200);
  }
}

// Both directions mostly; sometimes only one (upload congestion, a one-way
// broken queue).
void DrawEdgeDirections(Rng& rng, Fault* f) {
  double r = Uniform01(rng);
  f->a_to_b = r < 0.85;
  f->b_to_a = r < 0.7 || r >= 0.85;
}

// A fault on exactly the directed link `key`.
Fault OnDirectedKey(int key) {
  Fault f;
  f.link = key / 2;
  f.a_to_b = key % 2 == 0;
  f.b_to_a = key % 2 == 1;
  return f;
}

std::optional<Fault> PlaceOneWay(bool forward, const Topology& topology,
                                 const Counts& counts,
                                 const absl::flat_hash_set<LinkId>& edge,
                                 Rng& rng) {
  const std::vector<int>& mine = forward ? counts.forward : counts.back;
  const std::vector<int>& other = forward ? counts.back : counts.forward;
  std::vector<int> candidates;
  std::vector<int> one_way;  // Links the other role crosses in neither way.
  for (int k = 0; k < static_cast<int>(mine.size()); ++k) {
    if (edge.contains(k / 2) || mine[k] == 0 || other[k] > 0) continue;
    candidates.push_back(k);
    if (other[k ^ 1] == 0) one_way.push_back(k);
  }
  if (candidates.empty()) return std::nullopt;
  // Mostly where routes really differ: on a link the other direction's
  // paths cross the other way, round trips cannot tell the two apart.
  if (!one_way.empty() && Chance(rng, 0.7)) candidates.swap(one_way);
  int best = 0;
  for (int k : candidates) best = std::max(best, mine[k]);
  // Mostly a link as many vantages cross as any (a path fault proper when
  // that is all of them), otherwise any: with several vantages that
  // becomes an ISP fault.
  if (Chance(rng, 0.85)) {
    std::vector<int> widest;
    for (int k : candidates) {
      if (mine[k] == best) widest.push_back(k);
    }
    candidates.swap(widest);
  }
  return OnDirectedKey(PickOne(rng, candidates));
}

}  // namespace

std::optional<Fault> PlaceFault(ScenarioClass cls, const Topology& topology,
                                const std::vector<VantageUsage>& usage,
                                Rng& rng) {
  const absl::flat_hash_set<LinkId> edge = EdgeLinks(topology);
  const Counts counts = CountUsage(topology, usage);
  const int vantages = static_cast<int>(topology.vantages.size());
  std::optional<Fault> fault;
  switch (cls) {
    case ScenarioClass::kClient: {
      const VantageSite& site = PickOne(rng, topology.vantages);
      Fault f;
      f.link = Chance(rng, 0.4) ? site.lan_link : site.line_link;
      DrawEdgeDirections(rng, &f);
      fault = f;
      break;
    }
    case ScenarioClass::kServer: {
      Fault f;
      f.link =
          Chance(rng, 0.4) ? topology.server_link : topology.gateway_uplink;
      DrawEdgeDirections(rng, &f);
      fault = f;
      break;
    }
    case ScenarioClass::kIsp: {
      std::vector<LinkId> candidates;
      for (LinkId l = 0; l < topology.network.num_links(); ++l) {
        if (edge.contains(l) || counts.any[l] == 0) continue;
        if (vantages >= 2 && counts.any[l] == vantages) continue;
        candidates.push_back(l);
      }
      if (candidates.empty()) break;
      Fault f;
      f.link = PickOne(rng, candidates);
      const bool ab_used = counts.forward[2 * f.link] + counts.back[2 * f.link];
      const bool ba_used =
          counts.forward[2 * f.link + 1] + counts.back[2 * f.link + 1];
      if (Chance(rng, 0.5) || !(ab_used && ba_used)) {
        f.a_to_b = f.b_to_a = true;
      } else {
        f.a_to_b = Chance(rng, 0.5);
        f.b_to_a = !f.a_to_b;
      }
      fault = f;
      break;
    }
    case ScenarioClass::kForwardOnly:
    case ScenarioClass::kReturnOnly:
      fault = PlaceOneWay(cls == ScenarioClass::kForwardOnly, topology, counts,
                          edge, rng);
      break;
    case ScenarioClass::kUnusedLink: {
      std::vector<LinkId> candidates;
      for (LinkId l = 0; l < topology.network.num_links(); ++l) {
        if (l != topology.server_probe_link && counts.any[l] == 0) {
          candidates.push_back(l);
        }
      }
      if (candidates.empty()) break;
      Fault f;
      f.link = PickOne(rng, candidates);
      fault = f;
      break;
    }
    default:
      break;
  }
  if (fault) DrawMagnitude(rng, &*fault);
  return fault;
}

void ApplyFault(const Fault& fault, Network* network) {
  Link& link = network->mutable_link(fault.link);
  for (auto [on, dir] :
       {std::pair{fault.a_to_b, &link.ab}, std::pair{fault.b_to_a, &link.ba}}) {
    if (!on) continue;
    if (fault.kind == FaultKind::kLoss) {
      // Two faults on one link compound.
      dir->loss = 1 - (1 - dir->loss) * (1 - fault.loss);
    } else {
      dir->extra_ms += fault.extra_ms;
    }
  }
}

}  // namespace grid::sim
