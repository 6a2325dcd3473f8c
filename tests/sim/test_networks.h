// Small hand-built networks for the simulator's unit tests.
#ifndef GRID_TESTS_SIM_TEST_NETWORKS_H_
#define GRID_TESTS_SIM_TEST_NETWORKS_H_

#include <vector>

#include "tests/sim/network.h"

namespace grid::sim::testing {

// A link direction with a fixed delay, no jitter and the given weight.
inline LinkDirection Fixed(double delay_ms, int weight = 10) {
  LinkDirection d;
  d.delay_ms = delay_ms;
  d.jitter_ms = 0;
  d.weight = weight;
  return d;
}

// client - r1 - r2 - r3 - server in one AS; link i (0..3) has delay
// (i + 1) ms each way. Routers answer with no limits and 0 generation delay.
struct Line {
  Network net;
  NodeId client, server;
  std::vector<NodeId> routers;
  std::vector<LinkId> links;
};

inline Line MakeLine() {
  Line l;
  AsId as = l.net.AddAs(AsKind::kAccess, "as");
  l.client = l.net.AddNode(NodeRole::kVantage, as, "client");
  for (int i = 0; i < 3; ++i) {
    l.routers.push_back(
        l.net.AddNode(NodeRole::kAccess, as, "r" + std::to_string(i + 1)));
  }
  l.server = l.net.AddNode(NodeRole::kServer, as, "server");
  std::vector<NodeId> chain = {l.client, l.routers[0], l.routers[1],
                               l.routers[2], l.server};
  for (int i = 0; i < 4; ++i) {
    l.links.push_back(
        l.net.Connect(chain[i], chain[i + 1], Fixed(i + 1), Fixed(i + 1)));
  }
  for (NodeId r : l.routers) l.net.mutable_node(r).icmp.gen_delay_ms = 0;
  return l;
}

// client - r1 = {r2a, r2b} = r3 - server in one AS. With `asymmetric`,
// client->server goes via r2a and server->client via r2b; otherwise both
// branches cost the same (an ECMP diamond) both ways.
struct Diamond {
  Network net;
  NodeId client, server, r1, r2a, r2b, r3;
  LinkId r1_r2a, r2a_r3, r1_r2b, r2b_r3;
};

inline Diamond MakeDiamond(bool asymmetric) {
  Diamond d;
  AsId as = d.net.AddAs(AsKind::kAccess, "as");
  d.client = d.net.AddNode(NodeRole::kVantage, as, "client");
  d.r1 = d.net.AddNode(NodeRole::kAccess, as, "r1");
  d.r2a = d.net.AddNode(NodeRole::kAccess, as, "r2a");
  d.r2b = d.net.AddNode(NodeRole::kAccess, as, "r2b");
  d.r3 = d.net.AddNode(NodeRole::kAccess, as, "r3");
  d.server = d.net.AddNode(NodeRole::kServer, as, "server");
  d.net.Connect(d.client, d.r1, Fixed(1), Fixed(1));
  const int hi = asymmetric ? 20 : 10;
  // r1 -> r2a -> r3 cheap one way; r3 -> r2b -> r1 cheap the other.
  d.r1_r2a = d.net.Connect(d.r1, d.r2a, Fixed(1, 10), Fixed(1, hi));
  d.r2a_r3 = d.net.Connect(d.r2a, d.r3, Fixed(1, 10), Fixed(1, hi));
  d.r1_r2b = d.net.Connect(d.r1, d.r2b, Fixed(1, hi), Fixed(1, 10));
  d.r2b_r3 = d.net.Connect(d.r2b, d.r3, Fixed(1, hi), Fixed(1, 10));
  d.net.Connect(d.r3, d.server, Fixed(1), Fixed(1));
  for (NodeId r : {d.r1, d.r2a, d.r2b, d.r3}) {
    d.net.mutable_node(r).icmp.gen_delay_ms = 0;
  }
  return d;
}

}  // namespace grid::sim::testing

#endif  // GRID_TESTS_SIM_TEST_NETWORKS_H_
