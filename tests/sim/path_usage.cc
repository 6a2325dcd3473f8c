#include "tests/sim/path_usage.h"

#include <utility>

#include "common/status_macros.h"
#include "tests/sim/mtr_run.h"

namespace grid::sim {
namespace {

void AddPath(const Network& network, std::vector<DirectedLink> path,
             std::vector<std::vector<DirectedLink>>* paths,
             absl::flat_hash_set<int>* keys) {
  for (const DirectedLink& d : path) keys->insert(DirectedKey(network, d));
  paths->push_back(std::move(path));
}

}  // namespace

int DirectedKey(const Network& network, LinkId link, NodeId from) {
  return 2 * link + (network.link(link).a == from ? 0 : 1);
}

absl::StatusOr<std::vector<VantageUsage>> ComputeUsage(const Topology& topology,
                                                       const Routing& routing,
                                                       bool per_probe_flows) {
  const Network& net = topology.network;
  std::vector<VantageUsage> out;
  for (const VantageSite& site : topology.vantages) {
    VantageUsage u;
    GRID_ASSIGN_OR_RETURN(
        auto forward,
        ProbePaths(routing, {site.host, topology.server}, per_probe_flows));
    for (auto& p : forward) {
      AddPath(net, std::move(p), &u.forward_paths, &u.forward_keys);
    }
    GRID_ASSIGN_OR_RETURN(auto echo,
                          routing.Path(topology.server, site.host,
                                       ReplyFlow(topology.server, site.host)));
    AddPath(net, std::move(echo), &u.return_paths, &u.return_keys);
    if (topology.server_probe >= 0) {
      GRID_ASSIGN_OR_RETURN(
          auto back, ProbePaths(routing, {topology.server_probe, site.host},
                                per_probe_flows));
      for (auto& p : back) {
        for (const DirectedLink& d : p) {
          u.return_trace_keys.insert(DirectedKey(net, d));
        }
        AddPath(net, std::move(p), &u.return_paths, &u.return_keys);
      }
      GRID_ASSIGN_OR_RETURN(
          auto echo_back,
          routing.Path(site.host, topology.server_probe,
                       ReplyFlow(site.host, topology.server_probe)));
      AddPath(net, std::move(echo_back), &u.forward_paths, &u.forward_keys);
    }
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace grid::sim
