#include "tests/lab/routes.h"

#include <sys/socket.h>

#include <deque>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace grid::lab {
namespace {

// First hop toward every reachable node: the neighbour's endpoint on the
// link the shortest path leaves through.
std::map<std::string, const Endpoint*> FirstHops(const ResolvedTopology& topo,
                                                 const std::string& from) {
  std::map<std::string, const Endpoint*> first;
  std::deque<std::string> queue;
  first[from] = nullptr;
  queue.push_back(from);
  while (!queue.empty()) {
    const std::string n = queue.front();
    queue.pop_front();
    for (const ResolvedLink* l : topo.LinksOf(n)) {
      const Endpoint& peer = l->Other(n);
      if (first.contains(peer.node)) continue;
      first[peer.node] = n == from ? &peer : first[n];
      queue.push_back(peer.node);
    }
  }
  return first;
}

std::map<std::string, int> Distances(const ResolvedTopology& topo,
                                     const std::string& from) {
  std::map<std::string, int> dist;
  std::deque<std::string> queue;
  dist[from] = 0;
  queue.push_back(from);
  while (!queue.empty()) {
    const std::string n = queue.front();
    queue.pop_front();
    for (const ResolvedLink* l : topo.LinksOf(n)) {
      const std::string& peer = l->Other(n).node;
      if (dist.contains(peer)) continue;
      dist[peer] = dist[n] + 1;
      queue.push_back(peer);
    }
  }
  return dist;
}

// The address of `via_node` on a link shared with `node`, in `family`.
absl::StatusOr<std::string> NeighbourAddress(const ResolvedTopology& topo,
                                             const std::string& node,
                                             const std::string& via_node,
                                             int family) {
  auto link = topo.FindLink(node, via_node, "");
  if (!link.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "next hop '", via_node, "' is not a neighbour of '", node, "'"));
  }
  const Endpoint& e = (*link)->Side(via_node);
  if (family == AF_INET6 && e.addr6.empty()) {
    return absl::InvalidArgumentError("IPv6 next hop needs \"ipv6\": true");
  }
  return family == AF_INET6 ? e.addr6 : e.addr4;
}

}  // namespace

std::vector<ResolvedRoute> AutomaticRoutes(const ResolvedTopology& topo) {
  std::vector<ResolvedRoute> routes;
  for (const NodeSpec& node : topo.spec.nodes) {
    const auto links = topo.LinksOf(node.name);
    if (node.kind == NodeKind::kHost && links.size() == 1) {
      const Endpoint& gw = links[0]->Other(node.name);
      routes.push_back({node.name, AF_INET, "default", {gw.addr4}, true});
      if (topo.spec.ipv6) {
        routes.push_back({node.name, AF_INET6, "default", {gw.addr6}, true});
      }
      continue;
    }
    const auto first = FirstHops(topo, node.name);
    const auto dist = Distances(topo, node.name);
    for (const ResolvedLink& l : topo.links) {
      if (l.a.node == node.name || l.b.node == node.name) continue;
      if (!dist.contains(l.a.node)) continue;  // unreachable island
      const std::string& near =
          dist.at(l.a.node) <= dist.at(l.b.node) ? l.a.node : l.b.node;
      const Endpoint* hop = first.at(near);
      routes.push_back(
          {node.name, AF_INET, l.subnet4.ToString(), {hop->addr4}, true});
      if (topo.spec.ipv6) {
        routes.push_back(
            {node.name, AF_INET6, l.subnet6.ToString(), {hop->addr6}, true});
      }
    }
  }
  return routes;
}

absl::StatusOr<std::vector<ResolvedRoute>> ResolveRoute(
    const ResolvedTopology& topo, const RouteSpec& spec) {
  if (!topo.FindNode(spec.node)) {
    return absl::InvalidArgumentError("unknown node '" + spec.node + "'");
  }
  if (spec.via.empty()) {
    return absl::InvalidArgumentError("a route needs at least one \"via\"");
  }
  // Destinations as (family, prefix text).
  std::vector<std::pair<int, std::string>> dsts;
  int literal_family = 0;  // family forced by literal next hops
  for (const std::string& v : spec.via) {
    if (topo.FindNode(v)) continue;
    auto a = ParseAddress(v);
    if (!a.ok()) {
      return absl::InvalidArgumentError("via '" + v +
                                        "' is neither a node nor an address");
    }
    if (literal_family != 0 && literal_family != a->family) {
      return absl::InvalidArgumentError("next hops mix IPv4 and IPv6");
    }
    literal_family = a->family;
  }
  if (spec.dst == "default") {
    if (literal_family != AF_INET6) dsts.emplace_back(AF_INET, "default");
    if (topo.spec.ipv6 && literal_family != AF_INET) {
      dsts.emplace_back(AF_INET6, "default");
    }
  } else if (topo.FindNode(spec.dst)) {
    for (const ResolvedLink* l : topo.LinksOf(spec.dst)) {
      if (literal_family != AF_INET6) {
        dsts.emplace_back(AF_INET, l->subnet4.ToString());
      }
      if (topo.spec.ipv6 && literal_family != AF_INET) {
        dsts.emplace_back(AF_INET6, l->subnet6.ToString());
      }
    }
    if (dsts.empty()) {
      return absl::InvalidArgumentError("node '" + spec.dst + "' has no links");
    }
  } else {
    auto p = ParsePrefix(spec.dst);
    if (!p.ok()) {
      return absl::InvalidArgumentError(
          "dst '" + spec.dst + "' is not \"default\", a node or a prefix: " +
          std::string(p.status().message()));
    }
    if (literal_family != 0 && literal_family != p->family) {
      return absl::InvalidArgumentError("dst and via differ in family");
    }
    dsts.emplace_back(p->family, p->ToString());
  }
  std::vector<ResolvedRoute> out;
  for (const auto& [family, dst] : dsts) {
    ResolvedRoute r{spec.node, family, dst, {}, false};
    for (const std::string& v : spec.via) {
      if (topo.FindNode(v)) {
        GRID_ASSIGN_OR_RETURN(std::string addr,
                              NeighbourAddress(topo, spec.node, v, family));
        r.via.push_back(addr);
      } else {
        r.via.push_back(v);
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace grid::lab
