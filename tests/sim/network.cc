#include "tests/sim/network.h"

#include <cassert>
#include <utility>

#include "absl/strings/str_format.h"

namespace grid::sim {
namespace {

constexpr uint32_t kPoolBase = (198u << 24) | (18u << 16);  // 198.18.0.0
constexpr uint32_t kLoopbackBase = (198u << 24) | (19u << 16) | (240u << 8);

}  // namespace

std::string FormatIpv4(uint32_t address) {
  return absl::StrFormat("%d.%d.%d.%d", (address >> 24) & 0xff,
                         (address >> 16) & 0xff, (address >> 8) & 0xff,
                         address & 0xff);
}

AsId Network::AddAs(AsKind kind, std::string name) {
  AutonomousSystem as;
  as.id = static_cast<AsId>(ases_.size());
  as.kind = kind;
  as.name = std::move(name);
  ases_.push_back(std::move(as));
  return ases_.back().id;
}

void Network::AddProvider(AsId customer, AsId provider) {
  ases_[customer].providers.push_back(provider);
}

void Network::AddPeering(AsId x, AsId y) {
  ases_[x].peers.push_back(y);
  ases_[y].peers.push_back(x);
}

NodeId Network::AddNode(NodeRole role, AsId as, std::string name) {
  Node node;
  node.id = static_cast<NodeId>(nodes_.size());
  node.role = role;
  node.as = as;
  node.name = std::move(name);
  node.loopback = FormatIpv4(kLoopbackBase + next_loopback_++);
  nodes_.push_back(std::move(node));
  return nodes_.back().id;
}

std::string Network::NextAddress() {
  // Point-to-point pairs .1/.2 of consecutive /30 blocks; never .0 or .3.
  uint32_t block = next_address_ / 2;
  uint32_t host = next_address_ % 2 + 1;
  ++next_address_;
  return FormatIpv4(kPoolBase + block * 4 + host);
}

LinkId Network::Connect(NodeId a, NodeId b, LinkDirection ab, LinkDirection ba,
                        std::string addr_a, std::string addr_b) {
  Link link;
  link.id = static_cast<LinkId>(links_.size());
  link.a = a;
  link.b = b;
  link.addr_a = addr_a.empty() ? NextAddress() : std::move(addr_a);
  link.addr_b = addr_b.empty() ? NextAddress() : std::move(addr_b);
  link.ab = ab;
  link.ba = ba;
  nodes_[a].links.push_back(link.id);
  nodes_[b].links.push_back(link.id);
  links_.push_back(std::move(link));
  return links_.back().id;
}

NodeId Network::Peer(LinkId link, NodeId from) const {
  const Link& l = links_[link];
  assert(l.a == from || l.b == from);
  return l.a == from ? l.b : l.a;
}

const LinkDirection& Network::Direction(LinkId link, NodeId from) const {
  const Link& l = links_[link];
  return l.a == from ? l.ab : l.ba;
}

LinkDirection& Network::MutableDirection(LinkId link, NodeId from) {
  Link& l = links_[link];
  return l.a == from ? l.ab : l.ba;
}

const std::string& Network::InterfaceAddress(LinkId link, NodeId at) const {
  const Link& l = links_[link];
  return l.a == at ? l.addr_a : l.addr_b;
}

const std::string& Network::HostAddress(NodeId node) const {
  const Node& n = nodes_[node];
  if (n.links.empty()) return n.loopback;
  return InterfaceAddress(n.links.front(), node);
}

}  // namespace grid::sim
