#include "tests/lab/resolve.h"

#include <sys/socket.h>

#include <algorithm>
#include <deque>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "tests/lab/routes.h"

namespace grid::lab {
namespace {

bool IsIfnameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-';
}

absl::Status Invalid(const std::string& where, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

// Assigns interface names: the peer's name where it is unique on the node,
// else "eth<k>".
void NameInterfaces(std::vector<ResolvedLink>& links) {
  std::map<std::string, std::set<std::string>> used;
  std::map<std::string, int> peer_count;  // "node/peer" -> links between them
  for (const ResolvedLink& l : links) {
    ++peer_count[l.a.node + "/" + l.b.node];
    ++peer_count[l.b.node + "/" + l.a.node];
  }
  auto pick = [&](const std::string& node, const std::string& peer) {
    std::set<std::string>& u = used[node];
    if (peer_count[node + "/" + peer] == 1 && peer != "lo" && peer != "mgmt" &&
        !u.contains(peer)) {
      u.insert(peer);
      return peer;
    }
    for (int k = 0;; ++k) {
      std::string n = absl::StrCat("eth", k);
      if (!u.contains(n)) {
        u.insert(n);
        return n;
      }
    }
  };
  // Peer-named interfaces first so an "eth0" node name keeps its name.
  for (ResolvedLink& l : links) {
    if (peer_count[l.a.node + "/" + l.b.node] == 1) {
      l.a.ifname = pick(l.a.node, l.b.node);
      l.b.ifname = pick(l.b.node, l.a.node);
    }
  }
  for (ResolvedLink& l : links) {
    if (l.a.ifname.empty()) l.a.ifname = pick(l.a.node, "");
    if (l.b.ifname.empty()) l.b.ifname = pick(l.b.node, "");
  }
}

absl::Status CheckNoOverlap(
    const std::vector<std::pair<std::string, Prefix>>& subnets) {
  for (size_t i = 0; i < subnets.size(); ++i) {
    for (size_t j = i + 1; j < subnets.size(); ++j) {
      if (Overlaps(subnets[i].second, subnets[j].second)) {
        return absl::InvalidArgumentError(absl::StrCat(
            subnets[i].first, " (", subnets[i].second.ToString(), ") overlaps ",
            subnets[j].first, " (", subnets[j].second.ToString(), ")"));
      }
    }
  }
  return absl::OkStatus();
}

// Picks the next automatic subnet of length `len` in `pool` that overlaps
// none of `taken`.
absl::StatusOr<Prefix> NextFree(const Prefix& pool, int len, uint64_t& cursor,
                                const std::vector<Prefix>& taken) {
  for (;; ++cursor) {
    GRID_ASSIGN_OR_RETURN(Prefix p, NthSubnet(pool, len, cursor));
    bool clash = false;
    for (const Prefix& t : taken) clash = clash || Overlaps(p, t);
    if (!clash) {
      ++cursor;
      return p;
    }
  }
}

absl::Status ResolveLinks(const Topology& t, ResolvedTopology& r) {
  // Explicit subnets first, so automatic ones avoid them.
  std::vector<Prefix> taken4, taken6;
  std::vector<std::pair<std::string, Prefix>> named4, named6;
  std::set<std::string> names;
  r.links.resize(t.links.size());
  for (size_t i = 0; i < t.links.size(); ++i) {
    const LinkSpec& l = t.links[i];
    const std::string where = absl::StrCat("links[", i, "]");
    if (!r.FindNode(l.a)) return Invalid(where, "unknown node '" + l.a + "'");
    if (!r.FindNode(l.b)) return Invalid(where, "unknown node '" + l.b + "'");
    if (l.a == l.b) return Invalid(where, "a link needs two different nodes");
    ResolvedLink& rl = r.links[i];
    rl.name = l.name.empty() ? absl::StrCat(l.a, "-", l.b) : l.name;
    if (!names.insert(rl.name).second) {
      return Invalid(where, "duplicate link name '" + rl.name +
                                "' (give parallel links a \"name\")");
    }
    rl.a.node = l.a;
    rl.b.node = l.b;
    if (!l.subnet.empty()) {
      auto p = ParsePrefix(l.subnet);
      if (!p.ok())
        return Invalid(where + ".subnet", std::string(p.status().message()));
      if (p->family != AF_INET || !Contains(LabPool4(), *p)) {
        return Invalid(where + ".subnet",
                       l.subnet + " is not inside " + LabPool4().ToString());
      }
      rl.subnet4 = *p;
      taken4.push_back(*p);
    }
    if (!l.subnet6.empty()) {
      if (!t.ipv6) return Invalid(where + ".subnet6", "set \"ipv6\": true");
      auto p = ParsePrefix(l.subnet6);
      if (!p.ok())
        return Invalid(where + ".subnet6", std::string(p.status().message()));
      if (p->family != AF_INET6 || !Contains(LabPool6(), *p)) {
        return Invalid(where + ".subnet6",
                       l.subnet6 + " is not inside " + LabPool6().ToString());
      }
      rl.subnet6 = *p;
      taken6.push_back(*p);
    }
  }
  if (t.link_prefix_len < 24 || t.link_prefix_len > 31) {
    return Invalid("link_prefix_len", "must be between 24 and 31");
  }
  if (t.management.enabled) taken4.push_back(r.mgmt_subnet);
  uint64_t cursor4 = 0, cursor6 = 1;
  for (size_t i = 0; i < r.links.size(); ++i) {
    ResolvedLink& rl = r.links[i];
    const std::string where = absl::StrCat("links[", i, "]");
    if (rl.subnet4.family == 0) {
      GRID_ASSIGN_OR_RETURN(
          rl.subnet4, NextFree(LabPool4(), t.link_prefix_len, cursor4, taken4));
    }
    if (t.ipv6 && rl.subnet6.family == 0) {
      GRID_ASSIGN_OR_RETURN(rl.subnet6,
                            NextFree(LabPool6(), 64, cursor6, taken6));
    }
    named4.emplace_back(where, rl.subnet4);
    if (t.ipv6) named6.emplace_back(where, rl.subnet6);
    auto a4 = LinkEndpointAddress(rl.subnet4, 0);
    auto b4 = LinkEndpointAddress(rl.subnet4, 1);
    if (!a4.ok()) return Invalid(where, std::string(a4.status().message()));
    if (!b4.ok()) return Invalid(where, std::string(b4.status().message()));
    rl.a.addr4 = *a4;
    rl.b.addr4 = *b4;
    if (t.ipv6) {
      auto a6 = LinkEndpointAddress(rl.subnet6, 0);
      auto b6 = LinkEndpointAddress(rl.subnet6, 1);
      if (!a6.ok()) return Invalid(where, std::string(a6.status().message()));
      if (!b6.ok()) return Invalid(where, std::string(b6.status().message()));
      rl.a.addr6 = *a6;
      rl.b.addr6 = *b6;
    }
  }
  if (t.management.enabled) named4.emplace_back("management", r.mgmt_subnet);
  GRID_RETURN_IF_ERROR(CheckNoOverlap(named4));
  GRID_RETURN_IF_ERROR(CheckNoOverlap(named6));
  NameInterfaces(r.links);
  return absl::OkStatus();
}

absl::Status ResolveManagement(const Topology& t, ResolvedTopology& r) {
  if (!t.management.enabled) return absl::OkStatus();
  auto p = ParsePrefix(t.management.subnet);
  if (!p.ok())
    return Invalid("management.subnet", std::string(p.status().message()));
  if (p->family != AF_INET || !Contains(LabPool4(), *p)) {
    return Invalid(
        "management.subnet",
        t.management.subnet + " is not inside " + LabPool4().ToString());
  }
  r.mgmt_subnet = *p;
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    auto addr = AddressAt(*p, i + 1);
    if (!addr.ok() || i + 2 >= (uint64_t{1} << std::min(62, 32 - p->len))) {
      return Invalid("management.subnet", "too small for all nodes");
    }
    r.mgmt_addr[t.nodes[i].name] = *addr;
  }
  return absl::OkStatus();
}

}  // namespace

const Endpoint& ResolvedLink::Side(const std::string& node) const {
  return a.node == node ? a : b;
}

const Endpoint& ResolvedLink::Other(const std::string& node) const {
  return a.node == node ? b : a;
}

const NodeSpec* ResolvedTopology::FindNode(const std::string& name) const {
  for (const NodeSpec& n : spec.nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

std::vector<const ResolvedLink*> ResolvedTopology::LinksOf(
    const std::string& node) const {
  std::vector<const ResolvedLink*> out;
  for (const ResolvedLink& l : links) {
    if (l.a.node == node || l.b.node == node) out.push_back(&l);
  }
  return out;
}

absl::StatusOr<const ResolvedLink*> ResolvedTopology::FindLink(
    const std::string& a, const std::string& b, const std::string& name) const {
  for (const ResolvedLink& l : links) {
    if (!name.empty()) {
      if (l.name == name) return &l;
    } else if ((l.a.node == a && l.b.node == b) ||
               (l.a.node == b && l.b.node == a)) {
      return &l;
    }
  }
  return absl::NotFoundError(
      name.empty() ? absl::StrCat("no link between '", a, "' and '", b, "'")
                   : absl::StrCat("no link named '", name, "'"));
}

std::map<std::string, std::string> ResolvedTopology::SysctlsFor(
    const NodeSpec& node) const {
  std::map<std::string, std::string> s = {
      {"net.ipv4.conf.all.rp_filter", "0"},
      {"net.ipv4.conf.default.rp_filter", "0"},
      {"net.ipv4.icmp_ratelimit", "0"},
  };
  if (spec.ipv6) {
    s["net.ipv6.conf.all.accept_dad"] = "0";
    s["net.ipv6.conf.default.accept_dad"] = "0";
    s["net.ipv6.icmp.ratelimit"] = "0";
  } else {
    // Keeps link-local chatter (RS, MLD) out of IPv4-only labs.
    s["net.ipv6.conf.all.disable_ipv6"] = "1";
    s["net.ipv6.conf.default.disable_ipv6"] = "1";
  }
  if (node.kind == NodeKind::kRouter) {
    s["net.ipv4.ip_forward"] = "1";
    if (spec.ipv6) s["net.ipv6.conf.all.forwarding"] = "1";
  }
  for (const auto& [k, v] : node.sysctls) s[k] = v;
  return s;
}

bool IsValidNodeName(const std::string& name) {
  if (name.empty() || name.size() > 15 || name[0] == '-') return false;
  for (char c : name) {
    if (!IsIfnameChar(c)) return false;
  }
  return true;
}

absl::StatusOr<ResolvedTopology> Resolve(const Topology& t) {
  ResolvedTopology r;
  r.spec = t;
  std::set<std::string> names;
  if (t.nodes.empty()) return Invalid("nodes", "the topology has no nodes");
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    const std::string& n = t.nodes[i].name;
    const std::string where = absl::StrCat("nodes[", i, "]");
    if (!IsValidNodeName(n)) {
      return Invalid(where, "bad node name '" + n +
                                "' (1-15 of [A-Za-z0-9_-], not starting "
                                "with '-')");
    }
    if (!names.insert(n).second)
      return Invalid(where, "duplicate node '" + n + "'");
    for (const auto& [k, v] : t.nodes[i].sysctls) {
      if (k.empty() || k.find("..") != std::string::npos || k[0] == '.' ||
          k.find('/') != std::string::npos ||
          v.find('\n') != std::string::npos) {
        return Invalid(where + ".sysctls", "bad sysctl '" + k + "'");
      }
    }
  }
  GRID_RETURN_IF_ERROR(ResolveManagement(t, r));
  GRID_RETURN_IF_ERROR(ResolveLinks(t, r));
  if (t.auto_routes) r.routes = AutomaticRoutes(r);
  for (size_t i = 0; i < t.routes.size(); ++i) {
    auto routes = ResolveRoute(r, t.routes[i]);
    if (!routes.ok()) {
      return Invalid(absl::StrCat("routes[", i, "]"),
                     std::string(routes.status().message()));
    }
    r.routes.insert(r.routes.end(), routes->begin(), routes->end());
  }
  for (size_t i = 0; i < t.faults.size(); ++i) {
    absl::Status s = ValidateFault(r, t.faults[i]);
    if (!s.ok()) {
      return Invalid(absl::StrCat("faults[", i, "]"), std::string(s.message()));
    }
  }
  return r;
}

absl::Status ValidateFault(const ResolvedTopology& topo, const Fault& f) {
  if (f.kind == FaultKind::kIcmpRateLimit) {
    if (!topo.FindNode(f.node)) {
      return absl::InvalidArgumentError("unknown node '" + f.node + "'");
    }
    if (f.ratelimit_ms < 0 || f.msgs_per_sec < 0 || f.msgs_burst < 0) {
      return absl::InvalidArgumentError("rate limit values must be >= 0");
    }
    return absl::OkStatus();
  }
  auto link = topo.FindLink(f.a, f.b, f.link);
  if (!link.ok()) return link.status();
  const ResolvedLink& l = **link;
  if (!f.from.empty() && f.from != l.a.node && f.from != l.b.node) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'from' must be ", l.a.node, " or ", l.b.node, ", not '", f.from, "'"));
  }
  if (f.kind == FaultKind::kLoss &&
      !(f.probability > 0 && f.probability <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("loss probability ", f.probability, " is not in (0, 1]"));
  }
  if (f.kind == FaultKind::kDelay &&
      (f.delay_ms < 0 || f.jitter_ms < 0 || f.delay_ms > 60000 ||
       f.jitter_ms > f.delay_ms || f.delay_ms + f.jitter_ms == 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("delay ", f.delay_ms, "ms jitter ", f.jitter_ms,
                     "ms: need 0 <= jitter <= delay <= 60000 and delay > 0"));
  }
  return absl::OkStatus();
}

}  // namespace grid::lab
