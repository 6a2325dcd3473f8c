// Route computation for a resolved topology: shortest-path automatic routes
// and the expansion of explicit RouteSpecs into concrete routes. Pure.
#ifndef GRID_TESTS_LAB_ROUTES_H_
#define GRID_TESTS_LAB_ROUTES_H_

#include <vector>

#include "absl/status/statusor.h"
#include "tests/lab/resolve.h"

namespace grid::lab {

// For every node: a host with a single link gets a default route via its
// neighbour; every other node gets a route to each link subnet it is not on,
// via the first hop of a shortest path (ties broken by link order).
// REQUIRES: topo.links resolved (addresses assigned).
std::vector<ResolvedRoute> AutomaticRoutes(const ResolvedTopology& topo);

// Expands one explicit route (see RouteSpec) into concrete routes, one per
// destination prefix and address family.
absl::StatusOr<std::vector<ResolvedRoute>> ResolveRoute(
    const ResolvedTopology& topo, const RouteSpec& spec);

}  // namespace grid::lab

#endif  // GRID_TESTS_LAB_ROUTES_H_
