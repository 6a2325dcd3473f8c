#include "tests/sim/routing.h"

#include <functional>
#include <limits>
#include <queue>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace grid::sim {
namespace {

constexpr int kUnreachable = std::numeric_limits<int>::max() / 4;
constexpr int kMaxPathLength = 64;

bool IsHost(NodeRole role) {
  return role == NodeRole::kVantage || role == NodeRole::kServer ||
         role == NodeRole::kServerProbe;
}

bool Contains(const std::vector<AsId>& v, AsId x) {
  for (AsId y : v) {
    if (y == x) return true;
  }
  return false;
}

}  // namespace

uint64_t MixHash(uint64_t a, uint64_t b) {
  uint64_t z = a * 0x9e3779b97f4a7c15ull + b + 0x632be59bd9b4e019ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

Routing::Routing(const Network& network) : network_(network) {
  ComputeAsRoutes();
  exit_dist_.resize(static_cast<size_t>(network_.num_ases()) *
                    network_.num_ases());
  host_index_.assign(network_.num_nodes(), -1);
  for (const Node& host : network_.nodes()) {
    if (!IsHost(host.role)) continue;
    host_index_[host.id] = static_cast<int>(dist_.size());
    std::vector<int> seed(network_.num_nodes(), kUnreachable);
    seed[host.id] = 0;
    std::vector<int> dist = IntraAsDistances(host.as, seed);
    for (const Node& n : network_.nodes()) {
      if (n.as == host.as) continue;
      AsId next = next_as_[n.as][host.as];
      dist[n.id] = next < 0 ? kUnreachable : ExitDistances(n.as, next)[n.id];
    }
    dist_.push_back(std::move(dist));
  }
}

void Routing::ComputeAsRoutes() {
  const int n = network_.num_ases();
  next_as_.assign(n, std::vector<AsId>(n, -1));
  for (AsId x = 0; x < n; ++x) {
    const AutonomousSystem& from = network_.as(x);
    for (AsId d = 0; d < n; ++d) {
      const AutonomousSystem& to = network_.as(d);
      if (x == d) {
        next_as_[x][d] = x;
        continue;
      }
      if (Contains(to.providers, x)) {  // Customer route: always preferred.
        next_as_[x][d] = d;
        continue;
      }
      // Candidates with their AS-path rank: 0 reaches d directly.
      AsId best = -1;
      std::pair<int, uint64_t> best_key{std::numeric_limits<int>::max(), 0};
      auto consider = [&](AsId p, int rank) {
        std::pair<int, uint64_t> key{rank,
                                     MixHash(from.tie_break, MixHash(d, p))};
        if (key < best_key) {
          best_key = key;
          best = p;
        }
      };
      if (from.kind == AsKind::kTransit) {
        // Peers export only their customers (valley-free).
        for (AsId p : from.peers) {
          if (p == d || Contains(to.providers, p)) consider(p, 0);
        }
      } else {
        for (AsId p : from.providers) {
          bool direct = p == d || Contains(to.providers, p);
          consider(p, direct ? 0 : 1);
        }
      }
      next_as_[x][d] = best;
    }
  }
}

std::vector<int> Routing::IntraAsDistances(
    AsId as, const std::vector<int>& seed_cost) const {
  std::vector<int> dist = seed_cost;
  using Item = std::pair<int, NodeId>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> queue;
  for (NodeId i = 0; i < network_.num_nodes(); ++i) {
    if (dist[i] < kUnreachable) queue.push({dist[i], i});
  }
  while (!queue.empty()) {
    auto [d, m] = queue.top();
    queue.pop();
    if (d > dist[m]) continue;
    // Hosts originate and sink traffic but never forward it.
    if (IsHost(network_.node(m).role) && seed_cost[m] >= kUnreachable) continue;
    for (LinkId l : network_.node(m).links) {
      NodeId u = network_.Peer(l, m);
      const Node& un = network_.node(u);
      if (un.as != as) continue;
      int cost = d + network_.Direction(l, u).weight;
      if (cost < dist[u]) {
        dist[u] = cost;
        queue.push({cost, u});
      }
    }
  }
  return dist;
}

const std::vector<int>& Routing::ExitDistances(AsId from, AsId to) {
  std::vector<int>& table =
      exit_dist_[static_cast<size_t>(from) * network_.num_ases() + to];
  if (!table.empty()) return table;
  std::vector<int> seed(network_.num_nodes(), kUnreachable);
  for (const Link& l : network_.links()) {
    const Node& a = network_.node(l.a);
    const Node& b = network_.node(l.b);
    if (a.as == from && b.as == to)
      seed[a.id] = std::min(seed[a.id], l.ab.weight);
    if (b.as == from && a.as == to)
      seed[b.id] = std::min(seed[b.id], l.ba.weight);
  }
  table = IntraAsDistances(from, seed);
  return table;
}

std::vector<LinkId> Routing::NextLinks(NodeId at, NodeId dst) const {
  std::vector<LinkId> out;
  if (at == dst || host_index_[dst] < 0) return out;
  const std::vector<int>& dist = dist_[host_index_[dst]];
  if (dist[at] >= kUnreachable) return out;
  const AsId here = network_.node(at).as;
  const AsId target_as = network_.node(dst).as;
  const AsId next = next_as_[here][target_as];
  for (LinkId l : network_.node(at).links) {
    NodeId m = network_.Peer(l, at);
    const Node& mn = network_.node(m);
    int w = network_.Direction(l, at).weight;
    if (mn.as == here) {
      bool usable = m == dst || !IsHost(mn.role);
      if (usable && w + dist[m] == dist[at]) out.push_back(l);
    } else if (here != target_as && mn.as == next && w == dist[at]) {
      out.push_back(l);
    }
  }
  return out;
}

absl::StatusOr<std::vector<DirectedLink>> Routing::Path(NodeId src, NodeId dst,
                                                        uint64_t flow) const {
  std::vector<DirectedLink> path;
  NodeId at = src;
  while (at != dst) {
    if (static_cast<int>(path.size()) >= kMaxPathLength) {
      return absl::InternalError(absl::StrCat("forwarding loop from ",
                                              network_.node(src).name, " to ",
                                              network_.node(dst).name));
    }
    std::vector<LinkId> next = NextLinks(at, dst);
    if (next.empty()) {
      return absl::NotFoundError(absl::StrCat("no route from ",
                                              network_.node(at).name, " to ",
                                              network_.node(dst).name));
    }
    LinkId l = next[MixHash(flow, static_cast<uint64_t>(at)) % next.size()];
    NodeId to = network_.Peer(l, at);
    path.push_back({l, at, to});
    at = to;
  }
  return path;
}

}  // namespace grid::sim
