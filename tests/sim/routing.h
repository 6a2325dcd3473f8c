// Destination-based forwarding over a Network, the way the Internet does it:
// between ASes a BGP-like choice (customer routes first, then the shortest AS
// path, then a per-AS tie-break, valley-free), inside an AS hot-potato
// shortest paths over the directional link weights. Equal-cost next hops form
// ECMP diamonds; a flow hash picks one per router, so one flow keeps one
// path. Because weights and tie-breaks differ per direction, the route from
// A to B and the route from B to A often differ (asymmetric routing).
//
// Immutable after construction; safe to share between threads.
#ifndef GRID_TESTS_SIM_ROUTING_H_
#define GRID_TESTS_SIM_ROUTING_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/sim/network.h"

namespace grid::sim {

class Routing {
 public:
  // Precomputes routes toward every host (vantage, server, server probe) of
  // `network`, which must outlive this object.
  explicit Routing(const Network& network);

  // The equal-cost links `at` forwards packets for host `dst` on. Empty when
  // at == dst or dst is unreachable. REQUIRES: dst is a host.
  std::vector<LinkId> NextLinks(NodeId at, NodeId dst) const;

  // The links a packet of flow `flow` crosses from src to dst, in order.
  // Fails if dst is unreachable or forwarding loops.
  absl::StatusOr<std::vector<DirectedLink>> Path(NodeId src, NodeId dst,
                                                 uint64_t flow) const;

  // The AS that AS `from` hands traffic for AS `to` to (`to` itself when
  // adjacent customer or peer, `from` when equal).
  AsId NextAs(AsId from, AsId to) const { return next_as_[from][to]; }

 private:
  void ComputeAsRoutes();
  // Reverse Dijkstra inside AS `as` from the given seed costs.
  std::vector<int> IntraAsDistances(AsId as,
                                    const std::vector<int>& seed_cost) const;
  const std::vector<int>& ExitDistances(AsId from, AsId to);

  const Network& network_;
  std::vector<std::vector<AsId>> next_as_;
  // dist_[host index][node]: cost from node to the host (inside the host's
  // AS) or to the exit toward the next AS (elsewhere); kUnreachable if none.
  std::vector<std::vector<int>> dist_;
  std::vector<int> host_index_;  // Node id -> row of dist_, or -1.
  // Exit distance tables, indexed by from * num_ases + to.
  std::vector<std::vector<int>> exit_dist_;
};

// A 64-bit mix of its arguments (SplitMix64 finaliser), for flow hashing.
uint64_t MixHash(uint64_t a, uint64_t b);

}  // namespace grid::sim

#endif  // GRID_TESTS_SIM_ROUTING_H_
