// Turns a Topology into concrete facts: validated names, link addresses,
// interface names, the full route list and each node's sysctls. Pure (no
// system calls), so every rule here is unit-tested without root.
#ifndef GRID_TESTS_LAB_RESOLVE_H_
#define GRID_TESTS_LAB_RESOLVE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/lab/addr.h"
#include "tests/lab/topology.h"

namespace grid::lab {

// One side of a link.
struct Endpoint {
  std::string node;
  std::string ifname;  // interface name inside the node's namespace
  std::string addr4;
  std::string addr6;  // empty unless Topology::ipv6
};

struct ResolvedLink {
  std::string name;
  Endpoint a, b;
  Prefix subnet4;
  Prefix subnet6;  // family 0 unless Topology::ipv6

  // The endpoint on `node`'s side / the other side. REQUIRES: node is a or b.
  const Endpoint& Side(const std::string& node) const;
  const Endpoint& Other(const std::string& node) const;
};

struct ResolvedRoute {
  std::string node;
  int family = 0;                // AF_INET or AF_INET6
  std::string dst;               // "default" or a CIDR prefix
  std::vector<std::string> via;  // next-hop addresses; 2+ = multipath
  bool automatic = false;
};

struct ResolvedTopology {
  Topology spec;
  std::vector<ResolvedLink> links;    // in declaration order
  std::vector<ResolvedRoute> routes;  // automatic first, then explicit
  Prefix mgmt_subnet;                 // if management
  std::map<std::string, std::string> mgmt_addr;  // node -> address

  const NodeSpec* FindNode(const std::string& name) const;
  // Links touching `node`, in declaration order.
  std::vector<const ResolvedLink*> LinksOf(const std::string& node) const;
  // The link named `name`, or else the first link between `a` and `b`.
  absl::StatusOr<const ResolvedLink*> FindLink(const std::string& a,
                                               const std::string& b,
                                               const std::string& name) const;
  // Defaults (see NodeSpec) merged with the node's own sysctls.
  std::map<std::string, std::string> SysctlsFor(const NodeSpec& node) const;
};

absl::StatusOr<ResolvedTopology> Resolve(const Topology& topology);

// Checks a fault against the topology (names, direction, ranges).
absl::Status ValidateFault(const ResolvedTopology& topo, const Fault& fault);

// A valid node name: [A-Za-z0-9_][A-Za-z0-9_-]{0,14}.
bool IsValidNodeName(const std::string& name);

}  // namespace grid::lab

#endif  // GRID_TESTS_LAB_RESOLVE_H_
