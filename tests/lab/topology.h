// A lab topology as data: nodes, point-to-point links, static routes,
// sysctls and faults. Build one with TopologyBuilder in C++ or parse it from
// JSON (topology_json.h); Lab::Up (lab.h) turns it into namespaces.
#ifndef GRID_TESTS_LAB_TOPOLOGY_H_
#define GRID_TESTS_LAB_TOPOLOGY_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace grid::lab {

enum class NodeKind { kHost, kRouter };

// One network namespace. Routers forward (ip_forward=1); every node gets
// rp_filter=0 and icmp_ratelimit=0 unless `sysctls` says otherwise.
struct NodeSpec {
  std::string name;  // [A-Za-z0-9_][A-Za-z0-9_-]*, at most 15 characters
  NodeKind kind = NodeKind::kHost;
  // Extra or overriding sysctls, e.g. {"net.ipv4.icmp_ratelimit", "1000"}.
  // Applied before the links exist, so conf.default.* reaches every link.
  std::map<std::string, std::string> sysctls;
};

// A veth pair between nodes `a` and `b`. Endpoint `a` gets the first address
// of the subnet, `b` the second.
struct LinkSpec {
  std::string a, b;
  std::string name;     // default "a-b"; needed to tell parallel links apart
  std::string subnet;   // e.g. "198.18.1.0/30"; default: next free in pool
  std::string subnet6;  // e.g. "2001:2:0:1::/64"; used when Topology::ipv6
};

// A static route on `node`. `dst` is a CIDR prefix, "default", or a node
// name (meaning every link subnet of that node). Each `via` entry is a
// neighbour's node name (its address on the shared link) or a literal
// address; two or more make an ECMP multipath route. Explicit routes replace
// automatic ones for the same destination.
struct RouteSpec {
  std::string node;
  std::string dst;
  std::vector<std::string> via;
};

enum class FaultKind { kLoss, kDelay, kIcmpRateLimit };

// A fault injected into a running lab. Loss and delay act on a link in one
// direction (packets sent by `from`) or both (`from` empty); they apply in
// the receiving node's mangle PREROUTING, which every packet on the link
// passes (forwarded, local and ICMP errors alike).
struct Fault {
  FaultKind kind = FaultKind::kLoss;
  // Link (loss, delay): its endpoints, or its name in `link`.
  std::string a, b, link;
  std::string from;         // "" = both directions, else `a` or `b`
  double probability = 0;   // loss: drop probability per packet, (0, 1]
  int delay_ms = 0;         // delay: added per packet
  int jitter_ms = 0;        // delay: uniform +-jitter, order preserved
  uint64_t seed = 1;        // delay: jitter seed
  std::string node;         // icmp rate limit: the router
  int ratelimit_ms = 1000;  // net.ipv4.icmp_ratelimit (per peer)
  int msgs_per_sec = 1000;  // net.ipv4.icmp_msgs_per_sec (global)
  int msgs_burst = 50;      // net.ipv4.icmp_msgs_burst

  static Fault Loss(std::string a, std::string b, double probability);
  static Fault Delay(std::string a, std::string b, int delay_ms,
                     int jitter_ms = 0);
  static Fault IcmpRateLimit(std::string node, int ratelimit_ms,
                             int msgs_per_sec, int msgs_burst);
  // Restricts a link fault to packets sent by `sender`.
  Fault& From(std::string sender);
  Fault& Seed(uint64_t s);
  std::string Describe() const;  // one line for logs and errors
};

// A management network: every node gets an extra interface "mgmt" on one
// bridge, addressed from `subnet`. It is on-link only (never routed), faults
// never touch it, and it must never be used as a trace target.
struct ManagementSpec {
  bool enabled = false;
  std::string subnet = "198.19.0.0/16";
};

struct Topology {
  std::vector<NodeSpec> nodes;
  std::vector<LinkSpec> links;
  std::vector<RouteSpec> routes;
  std::vector<Fault> faults;  // injected by Lab::Up after the network is up
  bool ipv6 = false;          // also address links from 2001:2::/48
  bool auto_routes = true;    // shortest-path routes to every link subnet
  int link_prefix_len = 30;   // for automatic IPv4 link subnets: 30 or 31
  ManagementSpec management;
};

// Chainable construction of a Topology:
//   Topology t = TopologyBuilder().Host("X").Router("r").Host("S")
//                    .Link("X", "r").Link("r", "S").Build();
class TopologyBuilder {
 public:
  TopologyBuilder& Host(std::string name,
                        std::map<std::string, std::string> sysctls = {});
  TopologyBuilder& Router(std::string name,
                          std::map<std::string, std::string> sysctls = {});
  TopologyBuilder& Link(std::string a, std::string b, std::string subnet = "",
                        std::string name = "");
  TopologyBuilder& Route(std::string node, std::string dst,
                         std::vector<std::string> via);
  TopologyBuilder& WithFault(Fault f);
  TopologyBuilder& Ipv6(bool on = true);
  TopologyBuilder& AutoRoutes(bool on);
  TopologyBuilder& LinkPrefixLen(int len);
  TopologyBuilder& Management(std::string subnet = "198.19.0.0/16");
  Topology Build() const { return t_; }

 private:
  Topology t_;
};

}  // namespace grid::lab

#endif  // GRID_TESTS_LAB_TOPOLOGY_H_
