#include "tests/sim/topology.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tests/sim/random_util.h"

namespace grid::sim {
namespace {

// Home routers answer from their LAN address on the client side, and many
// share the same private one, as real traces show.
const std::vector<std::string>& LanAddresses() {
  static const auto* const kLan = new std::vector<std::string>{
      "192.168.1.1", "192.168.0.1", "192.168.178.1", "10.0.0.1"};
  return *kLan;
}

// A kind of link: its delays, and the background loss every link has even
// without a fault (bit errors, brief queue overflows). Together a vantage's
// round trip to the server loses about 0.1% of its packets, as healthy
// internet paths do; most of it on the client's own LAN and line.
struct DelayRange {
  double delay_lo, delay_hi;    // ms
  double jitter_lo, jitter_hi;  // ms, mean queueing delay
  double background_loss;       // Per packet, each direction.
};

constexpr DelayRange kLan{0.2, 1.0, 0.05, 0.8, 1e-4};
constexpr DelayRange kLine{2, 12, 0.1, 1.0, 2e-4};
constexpr DelayRange kAccessCore{0.3, 3, 0.05, 0.3, 2e-5};
constexpr DelayRange kBorder{0.5, 3, 0.05, 0.2, 2e-5};
constexpr DelayRange kBackbone{1, 10, 0.02, 0.3, 5e-5};
constexpr DelayRange kDatacenter{0.05, 0.5, 0.02, 0.1, 1e-5};

class Builder {
 public:
  Builder(const TopologyOptions& options, Rng& rng)
      : options_(options), rng_(rng) {}

  Topology Build();

 private:
  // A link with the same delay both ways (± 10%) and the given weights.
  LinkId Join(NodeId a, NodeId b, const DelayRange& r, int w_ab, int w_ba,
              std::string addr_a = "", std::string addr_b = "");
  int TransitWeight() {
    static const std::vector<int> kWeights = {10, 10, 10, 15, 20};
    return PickOne(rng_, kWeights);
  }
  NodeId Router(NodeRole role, AsId as, const std::string& name);
  IcmpBehaviour DrawIcmp(NodeRole role);
  void BuildTransits();
  void BuildAccess();
  void BuildDatacenter();

  const TopologyOptions& options_;
  Rng& rng_;
  Topology topo_;
  std::vector<AsId> transits_;
  std::vector<std::vector<NodeId>> transit_routers_;
};

LinkId Builder::Join(NodeId a, NodeId b, const DelayRange& r, int w_ab,
                     int w_ba, std::string addr_a, std::string addr_b) {
  double delay = UniformIn(rng_, r.delay_lo, r.delay_hi);
  LinkDirection ab, ba;
  ab.delay_ms = delay * UniformIn(rng_, 0.9, 1.1);
  ba.delay_ms = delay * UniformIn(rng_, 0.9, 1.1);
  ab.jitter_ms = UniformIn(rng_, r.jitter_lo, r.jitter_hi);
  ba.jitter_ms = UniformIn(rng_, r.jitter_lo, r.jitter_hi);
  ab.background_loss = ba.background_loss = r.background_loss;
  ab.weight = w_ab;
  ba.weight = w_ba;
  return topo_.network.Connect(a, b, ab, ba, std::move(addr_a),
                               std::move(addr_b));
}

NodeId Builder::Router(NodeRole role, AsId as, const std::string& name) {
  NodeId id = topo_.network.AddNode(role, as, name);
  topo_.network.mutable_node(id).icmp = DrawIcmp(role);
  return id;
}

IcmpBehaviour Builder::DrawIcmp(NodeRole role) {
  const bool harsh = options_.harsh_icmp;
  IcmpBehaviour icmp;
  double silent = role == NodeRole::kTransit ? 0.08 : 0.04;
  icmp.answers = !Chance(rng_, silent);
  icmp.gen_delay_ms = UniformIn(rng_, 0.05, 0.5);
  // Limiter style: Linux (home routers mostly are), vendor, or none.
  double linux_share = role == NodeRole::kCpe ? 0.8 : 0.45;
  double vendor_share = role == NodeRole::kCpe ? 0.05 : (harsh ? 0.4 : 0.3);
  double r = Uniform01(rng_);
  if (r < linux_share) {
    icmp.per_dest_rate = 1.0;  // net.ipv4.icmp_ratelimit = 1000 ms
    icmp.per_dest_burst = 6;   // XRLIM_BURST_FACTOR
    icmp.global_rate = 1000;   // net.ipv4.icmp_msgs_per_sec
    icmp.global_burst = 50;    // net.ipv4.icmp_msgs_burst
    icmp.reply_address = ReplyAddress::kOutgoing;
  } else if (r < linux_share + vendor_share) {
    static const std::vector<double> kRates = {10, 25, 50, 100, 250, 1000};
    static const std::vector<double> kHarshRates = {2, 5, 10, 25};
    icmp.global_rate = PickOne(rng_, harsh ? kHarshRates : kRates);
    icmp.global_burst =
        std::max(1.0, icmp.global_rate * UniformIn(rng_, 0.1, 1));
    icmp.reply_address =
        Chance(rng_, 0.8) ? ReplyAddress::kIncoming : ReplyAddress::kLoopback;
  } else {
    icmp.reply_address =
        Chance(rng_, 0.85) ? ReplyAddress::kIncoming : ReplyAddress::kLoopback;
  }
  if (Chance(rng_, harsh ? 0.35 : 0.08)) {
    icmp.drop_prob = UniformIn(rng_, 0.02, harsh ? 0.6 : 0.3);
  }
  if (Chance(rng_, harsh ? 0.4 : 0.15)) {
    icmp.slow_mean_ms = LogUniformIn(rng_, 2, harsh ? 100 : 40);
  }
  return icmp;
}

void Builder::BuildTransits() {
  Network& net = topo_.network;
  const int n = IntIn(rng_, 2, 4);
  for (int t = 0; t < n; ++t) {
    AsId as = net.AddAs(AsKind::kTransit, absl::StrCat("transit", t + 1));
    net.SetTieBreak(as, rng_());
    transits_.push_back(as);
    std::vector<NodeId> routers;
    const int size = IntIn(rng_, 3, 7);
    for (int i = 0; i < size; ++i) {
      routers.push_back(Router(NodeRole::kTransit, as,
                               absl::StrCat("t", t + 1, "-r", i + 1)));
    }
    // A ring with directional weights, plus chords: equal-cost detours
    // make ECMP diamonds, unequal directions make asymmetric paths.
    for (int i = 0; i < size; ++i) {
      if (size == 2 && i == 1) break;
      Join(routers[i], routers[(i + 1) % size], kBackbone, TransitWeight(),
           TransitWeight());
    }
    for (int c = 0; c < size / 2; ++c) {
      int i = IntIn(rng_, 0, size - 1);
      int j = IntIn(rng_, 0, size - 1);
      int gap = std::abs(i - j);
      if (gap <= 1 || gap == size - 1) continue;
      Join(routers[i], routers[j], kBackbone, TransitWeight(), TransitWeight());
    }
    transit_routers_.push_back(std::move(routers));
  }
  for (int x = 0; x < n; ++x) {
    for (int y = x + 1; y < n; ++y) {
      net.AddPeering(transits_[x], transits_[y]);
      int links = Chance(rng_, 0.3) ? 2 : 1;
      for (int k = 0; k < links; ++k) {
        Join(PickOne(rng_, transit_routers_[x]),
             PickOne(rng_, transit_routers_[y]), kBorder, 10, 10);
      }
    }
  }
}

void Builder::BuildAccess() {
  Network& net = topo_.network;
  const int v = options_.vantages;
  const int isps =
      std::clamp(1 + v / 15 + IntIn(rng_, 0, 2), 1, std::min(v, 10));
  std::vector<std::vector<NodeId>> aggregation(isps);
  std::vector<AsId> access_as(isps);
  for (int a = 0; a < isps; ++a) {
    AsId as = net.AddAs(AsKind::kAccess, absl::StrCat("access", a + 1));
    net.SetTieBreak(as, rng_());
    access_as[a] = as;
    // Providers: one or two transits.
    std::vector<int> order(transits_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::shuffle(order.begin(), order.end(), rng_);
    const int providers = Chance(rng_, 0.45) ? 2 : 1;
    std::vector<NodeId> borders;
    for (int p = 0; p < providers; ++p) {
      int t = order[p];
      net.AddProvider(as, transits_[t]);
      NodeId border;
      if (p == 1 && Chance(rng_, 0.5)) {
        border = borders.front();
      } else {
        border = Router(NodeRole::kAccess, as,
                        absl::StrCat("a", a + 1, "-border", p + 1));
        borders.push_back(border);
      }
      Join(border, PickOne(rng_, transit_routers_[t]), kBorder, 10, 10);
    }
    // Core: one router, or two in parallel (an ECMP diamond).
    std::vector<NodeId> cores;
    const int ncores = Chance(rng_, 0.5) ? 2 : 1;
    for (int c = 0; c < ncores; ++c) {
      cores.push_back(Router(NodeRole::kAccess, as,
                             absl::StrCat("a", a + 1, "-core", c + 1)));
    }
    for (NodeId b : borders) {
      for (NodeId c : cores) Join(b, c, kAccessCore, 10, 10);
    }
    const int naggr = IntIn(rng_, 1, 4);
    for (int g = 0; g < naggr; ++g) {
      NodeId ar = Router(NodeRole::kAccess, as,
                         absl::StrCat("a", a + 1, "-aggr", g + 1));
      for (NodeId c : cores) {
        int w = Chance(rng_, 0.2) ? 20 : 10;
        Join(ar, c, kAccessCore, w, Chance(rng_, 0.2) ? 20 : 10);
      }
      aggregation[a].push_back(ar);
    }
  }
  for (int i = 0; i < v; ++i) {
    int a = i < isps ? i : IntIn(rng_, 0, isps - 1);
    VantageSite site;
    site.name = absl::StrFormat("v%03d", i + 1);
    site.cpe = Router(NodeRole::kCpe, access_as[a], site.name + "-cpe");
    site.host = net.AddNode(NodeRole::kVantage, access_as[a], site.name);
    site.access_router = PickOne(rng_, aggregation[a]);
    site.lan_link = Join(site.host, site.cpe, kLan, 10, 10, "",
                         PickOne(rng_, LanAddresses()));
    site.line_link = Join(site.cpe, site.access_router, kLine, 10, 10);
    topo_.vantages.push_back(std::move(site));
  }
}

void Builder::BuildDatacenter() {
  Network& net = topo_.network;
  AsId as = net.AddAs(AsKind::kDatacenter, "datacenter");
  net.SetTieBreak(as, rng_());
  topo_.dc_router = Router(NodeRole::kDatacenter, as, "dc-core");
  std::vector<int> order(transits_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::shuffle(order.begin(), order.end(), rng_);
  const int providers =
      IntIn(rng_, 1, std::min(3, static_cast<int>(transits_.size())));
  int edge = 0;
  for (int p = 0; p < providers; ++p) {
    int t = order[p];
    net.AddProvider(as, transits_[t]);
    const int edges = Chance(rng_, 0.3) ? 2 : 1;
    for (int e = 0; e < edges; ++e) {
      NodeId de =
          Router(NodeRole::kDatacenter, as, absl::StrCat("dc-edge", ++edge));
      Join(de, PickOne(rng_, transit_routers_[t]), kBorder, 10, 10);
      Join(de, topo_.dc_router, kDatacenter, 10, 10);
    }
  }
  topo_.server_gateway = Router(NodeRole::kServerGateway, as, "server-gw");
  topo_.gateway_uplink =
      Join(topo_.server_gateway, topo_.dc_router, kDatacenter, 10, 10);
  topo_.server = net.AddNode(NodeRole::kServer, as, "server");
  topo_.server_link =
      Join(topo_.server, topo_.server_gateway, kDatacenter, 10, 10);
  switch (options_.server_probe) {
    case ServerProbe::kNone:
      break;
    case ServerProbe::kOnServer:
      topo_.server_probe = topo_.server;
      break;
    case ServerProbe::kBesideServer:
      topo_.server_probe =
          net.AddNode(NodeRole::kServerProbe, as, "server-probe");
      topo_.server_probe_link =
          Join(topo_.server_probe, topo_.server_gateway, kDatacenter, 10, 10);
      break;
  }
}

Topology Builder::Build() {
  BuildTransits();
  BuildAccess();
  BuildDatacenter();
  // Hosts answer echo requests at once and never rate-limit them.
  for (const Node& n : topo_.network.nodes()) {
    if (n.role == NodeRole::kVantage || n.role == NodeRole::kServer ||
        n.role == NodeRole::kServerProbe) {
      topo_.network.mutable_node(n.id).icmp = IcmpBehaviour{};
    }
  }
  return std::move(topo_);
}

}  // namespace

Topology GenerateTopology(const TopologyOptions& options, Rng& rng) {
  return Builder(options, rng).Build();
}

}  // namespace grid::sim
