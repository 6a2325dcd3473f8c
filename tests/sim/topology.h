// Random multi-vantage topologies: client sites behind home routers in a few
// access ISPs, several transit ISPs peering in a full mesh, and a server
// network (edge routers, a core router, the server's gateway, the server and
// optionally a grid probe beside it). Router ICMP behaviour is drawn from
// real defaults: Linux per-destination limits (1/s, burst 6) answering from
// the outgoing interface, vendor global limits answering from the incoming
// interface or a loopback, deprioritised and slow ICMP, silent routers.
#ifndef GRID_TESTS_SIM_TOPOLOGY_H_
#define GRID_TESTS_SIM_TOPOLOGY_H_

#include <string>
#include <vector>

#include "tests/sim/network.h"
#include "tests/sim/random_util.h"

namespace grid::sim {

// Where the server-side grid probe (return traces) runs, if anywhere.
enum class ServerProbe {
  kNone,      // No return traces.
  kOnServer,  // On the server itself (the article's "run mtr on the server").
  kBesideServer,  // A separate host on the server's gateway.
};

struct TopologyOptions {
  int vantages = 4;  // 1..1000.
  ServerProbe server_probe = ServerProbe::kBesideServer;
  // Harsh ICMP behaviour: more slow, deprioritised and tightly rate-limited
  // routers (the "benign artifacts" scenarios).
  bool harsh_icmp = false;
};

// One client site.
struct VantageSite {
  std::string name;          // "v001", ...: the VantageTraces name.
  NodeId host = 0;           // The grid probe at the site.
  NodeId cpe = 0;            // Home router.
  NodeId access_router = 0;  // The access ISP router the line ends on.
  LinkId lan_link = 0;       // host - cpe.
  LinkId line_link = 0;      // cpe - access_router.
};

struct Topology {
  Network network;
  NodeId server = 0;
  NodeId server_gateway = 0;
  NodeId dc_router = 0;
  LinkId server_link = 0;         // server - gateway.
  LinkId gateway_uplink = 0;      // gateway - dc_router.
  NodeId server_probe = -1;       // -1: none; may equal `server`.
  LinkId server_probe_link = -1;  // probe - gateway when beside the server.
  std::vector<VantageSite> vantages;
};

// Draws a topology from `rng`. REQUIRES: 1 <= options.vantages <= 1000.
Topology GenerateTopology(const TopologyOptions& options, Rng& rng);

}  // namespace grid::sim

#endif  // GRID_TESTS_SIM_TOPOLOGY_H_
