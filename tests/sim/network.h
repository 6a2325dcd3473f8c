// The simulated network: routers and hosts grouped into autonomous systems,
// joined by links whose two directions have their own delay, jitter, routing
// weight and (when a fault is injected) loss and extra latency. Every link
// end has an interface address; a router answers traceroute probes from one
// of them according to its ICMP behaviour.
//
// A Network is a plain value: build it once, then read it from any number of
// threads.
#ifndef GRID_TESTS_SIM_NETWORK_H_
#define GRID_TESTS_SIM_NETWORK_H_

#include <cstdint>
#include <string>
#include <vector>

namespace grid::sim {

using NodeId = int;
using LinkId = int;
using AsId = int;

// What a node is for; the ground-truth labeller uses it to tell the client
// side, the server side and the middle apart.
enum class NodeRole {
  kVantage,        // A grid probe at a client site (runs forward traces).
  kServer,         // The target server.
  kServerProbe,    // A grid probe next to the server (runs return traces).
  kCpe,            // The client's home router.
  kAccess,         // Routers of the client's access ISP.
  kTransit,        // Routers of a transit ISP.
  kServerGateway,  // The server's default gateway.
  kDatacenter,     // Other routers of the server's network.
};

enum class AsKind { kAccess, kTransit, kDatacenter };

// Which address a router puts in the source of its ICMP replies.
enum class ReplyAddress {
  kIncoming,  // The interface the probe arrived on (classic vendor default).
  kOutgoing,  // The interface the reply leaves by (Linux).
  kLoopback,  // A fixed loopback address.
};

// How a router (or host) answers probes addressed to it or expiring at it.
struct IcmpBehaviour {
  bool answers = true;  // False: never answers (mtr shows "???").
  // Linux-style limiter keyed by the reply's destination (the prober):
  // tokens per second and bucket size; rate 0 disables it.
  double per_dest_rate = 0;
  double per_dest_burst = 0;
  // Vendor-style (or Linux icmp_msgs_per_sec) limiter over all replies.
  double global_rate = 0;
  double global_burst = 0;
  // Probability that the control plane silently drops a reply it could send
  // (deprioritised ICMP generation).
  double drop_prob = 0;
  // Time to generate a reply, ms; slow_mean_ms > 0 adds an exponentially
  // distributed extra delay with that mean (slow ICMP generation). Neither
  // applies to packets the router merely forwards.
  double gen_delay_ms = 0.1;
  double slow_mean_ms = 0;
  ReplyAddress reply_address = ReplyAddress::kIncoming;
};

struct Node {
  NodeId id = 0;
  NodeRole role = NodeRole::kTransit;
  AsId as = 0;
  std::string name;
  std::string loopback;  // Address used for ReplyAddress::kLoopback.
  std::vector<LinkId> links;
  IcmpBehaviour icmp;
};

// One direction of a link.
struct LinkDirection {
  double delay_ms = 1;         // Propagation and serialisation delay.
  double jitter_ms = 0.1;      // Mean of the exponential queueing delay.
  int weight = 10;             // IGP / routing cost.
  double loss = 0;             // Fault: drop probability of each packet.
  double background_loss = 0;  // Drop probability without a fault.
  double extra_ms = 0;         // Fault: mean extra latency (congestion).
};

struct Link {
  LinkId id = 0;
  NodeId a = 0;
  NodeId b = 0;
  std::string addr_a;  // Interface address of the end at a.
  std::string addr_b;  // Interface address of the end at b.
  LinkDirection ab;    // a -> b.
  LinkDirection ba;    // b -> a.
};

// A link traversed in one direction: `from` is the sending node.
struct DirectedLink {
  LinkId link = 0;
  NodeId from = 0;
  NodeId to = 0;
};

struct AutonomousSystem {
  AsId id = 0;
  AsKind kind = AsKind::kTransit;
  std::string name;
  std::vector<AsId> providers;  // Transit ISPs this AS buys transit from.
  std::vector<AsId> peers;      // Settlement-free peers (transits only).
  // Salt of this AS's tie-break among equally good BGP routes; different
  // salts make the two directions of a path pick different providers.
  uint64_t tie_break = 0;
};

class Network {
 public:
  AsId AddAs(AsKind kind, std::string name);
  // Declares `provider` a transit provider of `customer`, or the two peers.
  void AddProvider(AsId customer, AsId provider);
  void AddPeering(AsId x, AsId y);
  void SetTieBreak(AsId as, uint64_t salt) { ases_[as].tie_break = salt; }

  NodeId AddNode(NodeRole role, AsId as, std::string name);
  // Joins a and b; addresses are drawn from 198.18.0.0/15 unless given.
  LinkId Connect(NodeId a, NodeId b, LinkDirection ab, LinkDirection ba,
                 std::string addr_a = "", std::string addr_b = "");

  const Node& node(NodeId id) const { return nodes_[id]; }
  Node& mutable_node(NodeId id) { return nodes_[id]; }
  const Link& link(LinkId id) const { return links_[id]; }
  Link& mutable_link(LinkId id) { return links_[id]; }
  const AutonomousSystem& as(AsId id) const { return ases_[id]; }
  int num_nodes() const { return static_cast<int>(nodes_.size()); }
  int num_links() const { return static_cast<int>(links_.size()); }
  int num_ases() const { return static_cast<int>(ases_.size()); }
  const std::vector<Node>& nodes() const { return nodes_; }
  const std::vector<Link>& links() const { return links_; }

  // The node at the other end of `link` from `from`.
  NodeId Peer(LinkId link, NodeId from) const;
  // The direction of `link` that leaves `from`.
  const LinkDirection& Direction(LinkId link, NodeId from) const;
  LinkDirection& MutableDirection(LinkId link, NodeId from);
  // The interface address of `at`'s end of `link`.
  const std::string& InterfaceAddress(LinkId link, NodeId at) const;
  // The address other hosts use to reach `node`: its first interface.
  const std::string& HostAddress(NodeId node) const;

 private:
  std::string NextAddress();

  std::vector<Node> nodes_;
  std::vector<Link> links_;
  std::vector<AutonomousSystem> ases_;
  uint32_t next_address_ = 0;   // Offset into 198.18.0.0/15 for interfaces.
  uint32_t next_loopback_ = 0;  // Offset from 198.19.240.0 for loopbacks.
};

// Formats the IPv4 address `base + offset` (host byte order) as dotted quad.
std::string FormatIpv4(uint32_t address);

}  // namespace grid::sim

#endif  // GRID_TESTS_SIM_NETWORK_H_
