#include "tests/lab/topology.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace grid::lab {

Fault Fault::Loss(std::string a, std::string b, double probability) {
  Fault f;
  f.kind = FaultKind::kLoss;
  f.a = std::move(a);
  f.b = std::move(b);
  f.probability = probability;
  return f;
}

Fault Fault::Delay(std::string a, std::string b, int delay_ms, int jitter_ms) {
  Fault f;
  f.kind = FaultKind::kDelay;
  f.a = std::move(a);
  f.b = std::move(b);
  f.delay_ms = delay_ms;
  f.jitter_ms = jitter_ms;
  return f;
}

Fault Fault::IcmpRateLimit(std::string node, int ratelimit_ms, int msgs_per_sec,
                           int msgs_burst) {
  Fault f;
  f.kind = FaultKind::kIcmpRateLimit;
  f.node = std::move(node);
  f.ratelimit_ms = ratelimit_ms;
  f.msgs_per_sec = msgs_per_sec;
  f.msgs_burst = msgs_burst;
  return f;
}

Fault& Fault::From(std::string sender) {
  from = std::move(sender);
  return *this;
}

Fault& Fault::Seed(uint64_t s) {
  seed = s;
  return *this;
}

std::string Fault::Describe() const {
  const std::string where = link.empty() ? absl::StrCat(a, "-", b) : link;
  const std::string dir =
      from.empty() ? "both directions" : absl::StrCat("sent by ", from);
  switch (kind) {
    case FaultKind::kLoss:
      return absl::StrCat("loss ", probability, " on ", where, " (", dir, ")");
    case FaultKind::kDelay:
      return absl::StrCat("delay ", delay_ms, "ms jitter ", jitter_ms, "ms on ",
                          where, " (", dir, ")");
    case FaultKind::kIcmpRateLimit:
      return absl::StrCat("icmp rate limit on ", node, " (ratelimit ",
                          ratelimit_ms, "ms, ", msgs_per_sec, "/s, burst ",
                          msgs_burst, ")");
  }
  return "unknown fault";
}

TopologyBuilder& TopologyBuilder::Host(
    std::string name, std::map<std::string, std::string> sysctls) {
  t_.nodes.push_back({std::move(name), NodeKind::kHost, std::move(sysctls)});
  return *this;
}

TopologyBuilder& TopologyBuilder::Router(
    std::string name, std::map<std::string, std::string> sysctls) {
  t_.nodes.push_back({std::move(name), NodeKind::kRouter, std::move(sysctls)});
  return *this;
}

TopologyBuilder& TopologyBuilder::Link(std::string a, std::string b,
                                       std::string subnet, std::string name) {
  t_.links.push_back(
      {std::move(a), std::move(b), std::move(name), std::move(subnet), ""});
  return *this;
}

TopologyBuilder& TopologyBuilder::Route(std::string node, std::string dst,
                                        std::vector<std::string> via) {
  t_.routes.push_back({std::move(node), std::move(dst), std::move(via)});
  return *this;
}

TopologyBuilder& TopologyBuilder::WithFault(Fault f) {
  t_.faults.push_back(std::move(f));
  return *this;
}

TopologyBuilder& TopologyBuilder::Ipv6(bool on) {
  t_.ipv6 = on;
  return *this;
}

TopologyBuilder& TopologyBuilder::AutoRoutes(bool on) {
  t_.auto_routes = on;
  return *this;
}

TopologyBuilder& TopologyBuilder::LinkPrefixLen(int len) {
  t_.link_prefix_len = len;
  return *this;
}

TopologyBuilder& TopologyBuilder::Management(std::string subnet) {
  t_.management.enabled = true;
  t_.management.subnet = std::move(subnet);
  return *this;
}

}  // namespace grid::lab
