#include "tests/lab/topology_json.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace grid::lab {
namespace {

using nlohmann::json;

absl::Status Bad(const std::string& where, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

absl::Status CheckObject(const json& j, const std::string& where,
                         const std::set<std::string>& allowed) {
  if (!j.is_object()) return Bad(where, "expected an object");
  for (const auto& [k, v] : j.items()) {
    if (!allowed.contains(k)) return Bad(where, "unknown key '" + k + "'");
  }
  return absl::OkStatus();
}

absl::Status GetString(const json& j, const std::string& key,
                       const std::string& where, std::string& out,
                       bool required = false) {
  if (!j.contains(key)) {
    return required ? Bad(where, "missing \"" + key + "\"") : absl::OkStatus();
  }
  if (!j[key].is_string()) return Bad(where + "." + key, "expected a string");
  out = j[key].get<std::string>();
  return absl::OkStatus();
}

absl::Status GetBool(const json& j, const std::string& key,
                     const std::string& where, bool& out) {
  if (!j.contains(key)) return absl::OkStatus();
  if (!j[key].is_boolean())
    return Bad(where + "." + key, "expected true/false");
  out = j[key].get<bool>();
  return absl::OkStatus();
}

template <typename T>
absl::Status GetNumber(const json& j, const std::string& key,
                       const std::string& where, T& out,
                       bool required = false) {
  if (!j.contains(key)) {
    return required ? Bad(where, "missing \"" + key + "\"") : absl::OkStatus();
  }
  const json& v = j[key];
  if constexpr (std::is_floating_point_v<T>) {
    if (!v.is_number()) return Bad(where + "." + key, "expected a number");
  } else if constexpr (std::is_unsigned_v<T>) {
    if (!v.is_number_unsigned()) {
      return Bad(where + "." + key, "expected a non-negative integer");
    }
  } else {
    if (!v.is_number_integer()) {
      return Bad(where + "." + key, "expected an integer");
    }
    const int64_t x = v.get<int64_t>();
    if (x < -(int64_t{1} << 31) || x >= (int64_t{1} << 31)) {
      return Bad(where + "." + key, "out of range");
    }
  }
  out = v.get<T>();
  return absl::OkStatus();
}

absl::StatusOr<NodeSpec> NodeFromJson(const json& j, const std::string& where) {
  GRID_RETURN_IF_ERROR(CheckObject(j, where, {"name", "kind", "sysctls"}));
  NodeSpec n;
  GRID_RETURN_IF_ERROR(GetString(j, "name", where, n.name, true));
  std::string kind = "host";
  GRID_RETURN_IF_ERROR(GetString(j, "kind", where, kind));
  if (kind == "host") {
    n.kind = NodeKind::kHost;
  } else if (kind == "router") {
    n.kind = NodeKind::kRouter;
  } else {
    return Bad(where + ".kind",
               "expected \"host\" or \"router\", got \"" + kind + "\"");
  }
  if (j.contains("sysctls")) {
    const json& s = j["sysctls"];
    if (!s.is_object()) return Bad(where + ".sysctls", "expected an object");
    for (const auto& [k, v] : s.items()) {
      if (v.is_string()) {
        n.sysctls[k] = v.get<std::string>();
      } else if (v.is_number_integer()) {
        n.sysctls[k] = std::to_string(v.get<int64_t>());
      } else {
        return Bad(where + ".sysctls." + k, "expected a string or integer");
      }
    }
  }
  return n;
}

absl::StatusOr<LinkSpec> LinkFromJson(const json& j, const std::string& where) {
  LinkSpec l;
  if (j.is_array()) {  // shorthand ["a", "b"]
    if (j.size() != 2 || !j[0].is_string() || !j[1].is_string()) {
      return Bad(where, "expected [\"a\", \"b\"] or an object");
    }
    l.a = j[0].get<std::string>();
    l.b = j[1].get<std::string>();
    return l;
  }
  GRID_RETURN_IF_ERROR(
      CheckObject(j, where, {"a", "b", "name", "subnet", "subnet6"}));
  GRID_RETURN_IF_ERROR(GetString(j, "a", where, l.a, true));
  GRID_RETURN_IF_ERROR(GetString(j, "b", where, l.b, true));
  GRID_RETURN_IF_ERROR(GetString(j, "name", where, l.name));
  GRID_RETURN_IF_ERROR(GetString(j, "subnet", where, l.subnet));
  GRID_RETURN_IF_ERROR(GetString(j, "subnet6", where, l.subnet6));
  return l;
}

absl::StatusOr<RouteSpec> RouteFromJson(const json& j,
                                        const std::string& where) {
  GRID_RETURN_IF_ERROR(CheckObject(j, where, {"node", "dst", "via"}));
  RouteSpec r;
  GRID_RETURN_IF_ERROR(GetString(j, "node", where, r.node, true));
  GRID_RETURN_IF_ERROR(GetString(j, "dst", where, r.dst, true));
  if (!j.contains("via")) return Bad(where, "missing \"via\"");
  const json& v = j["via"];
  if (v.is_string()) {
    r.via.push_back(v.get<std::string>());
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) {
        return Bad(absl::StrCat(where, ".via[", i, "]"), "expected a string");
      }
      r.via.push_back(v[i].get<std::string>());
    }
  } else {
    return Bad(where + ".via", "expected a string or an array of strings");
  }
  return r;
}

template <typename T, typename F>
absl::Status ParseArray(const json& j, const std::string& key, F parse,
                        std::vector<T>& out) {
  if (!j.contains(key)) return absl::OkStatus();
  if (!j[key].is_array()) return Bad(key, "expected an array");
  for (size_t i = 0; i < j[key].size(); ++i) {
    GRID_ASSIGN_OR_RETURN(T item,
                          parse(j[key][i], absl::StrCat(key, "[", i, "]")));
    out.push_back(std::move(item));
  }
  return absl::OkStatus();
}

const char* KindName(FaultKind k) {
  switch (k) {
    case FaultKind::kLoss:
      return "loss";
    case FaultKind::kDelay:
      return "delay";
    case FaultKind::kIcmpRateLimit:
      return "icmp_ratelimit";
  }
  return "?";
}

}  // namespace

absl::StatusOr<Fault> FaultFromJson(const json& j, const std::string& where) {
  GRID_RETURN_IF_ERROR(CheckObject(
      j, where,
      {"type", "link", "from", "probability", "delay_ms", "jitter_ms", "seed",
       "node", "ratelimit_ms", "msgs_per_sec", "msgs_burst"}));
  Fault f;
  std::string type;
  GRID_RETURN_IF_ERROR(GetString(j, "type", where, type, true));
  if (type == "icmp_ratelimit") {
    f.kind = FaultKind::kIcmpRateLimit;
    GRID_RETURN_IF_ERROR(GetString(j, "node", where, f.node, true));
    GRID_RETURN_IF_ERROR(GetNumber(j, "ratelimit_ms", where, f.ratelimit_ms));
    GRID_RETURN_IF_ERROR(GetNumber(j, "msgs_per_sec", where, f.msgs_per_sec));
    GRID_RETURN_IF_ERROR(GetNumber(j, "msgs_burst", where, f.msgs_burst));
    return f;
  }
  if (type == "loss") {
    f.kind = FaultKind::kLoss;
    GRID_RETURN_IF_ERROR(
        GetNumber(j, "probability", where, f.probability, true));
  } else if (type == "delay") {
    f.kind = FaultKind::kDelay;
    GRID_RETURN_IF_ERROR(GetNumber(j, "delay_ms", where, f.delay_ms, true));
    GRID_RETURN_IF_ERROR(GetNumber(j, "jitter_ms", where, f.jitter_ms));
    GRID_RETURN_IF_ERROR(GetNumber(j, "seed", where, f.seed));
  } else {
    return Bad(where + ".type",
               "expected \"loss\", \"delay\" or \"icmp_ratelimit\", got \"" +
                   type + "\"");
  }
  if (!j.contains("link")) return Bad(where, "missing \"link\"");
  const json& l = j["link"];
  if (l.is_string()) {
    f.link = l.get<std::string>();
  } else if (l.is_array() && l.size() == 2 && l[0].is_string() &&
             l[1].is_string()) {
    f.a = l[0].get<std::string>();
    f.b = l[1].get<std::string>();
  } else {
    return Bad(where + ".link", "expected a link name or [\"a\", \"b\"]");
  }
  GRID_RETURN_IF_ERROR(GetString(j, "from", where, f.from));
  return f;
}

json FaultToJson(const Fault& f) {
  json j;
  j["type"] = KindName(f.kind);
  if (f.kind == FaultKind::kIcmpRateLimit) {
    j["node"] = f.node;
    j["ratelimit_ms"] = f.ratelimit_ms;
    j["msgs_per_sec"] = f.msgs_per_sec;
    j["msgs_burst"] = f.msgs_burst;
    return j;
  }
  if (!f.link.empty()) {
    j["link"] = f.link;
  } else {
    j["link"] = json::array({f.a, f.b});
  }
  if (!f.from.empty()) j["from"] = f.from;
  if (f.kind == FaultKind::kLoss) {
    j["probability"] = f.probability;
  } else {
    j["delay_ms"] = f.delay_ms;
    j["jitter_ms"] = f.jitter_ms;
    j["seed"] = f.seed;
  }
  return j;
}

absl::StatusOr<Topology> TopologyFromJson(const json& j) {
  GRID_RETURN_IF_ERROR(
      CheckObject(j, "topology",
                  {"nodes", "links", "routes", "faults", "ipv6", "auto_routes",
                   "link_prefix_len", "management", "comment"}));
  Topology t;
  GRID_RETURN_IF_ERROR(ParseArray(j, "nodes", NodeFromJson, t.nodes));
  GRID_RETURN_IF_ERROR(ParseArray(j, "links", LinkFromJson, t.links));
  GRID_RETURN_IF_ERROR(ParseArray(j, "routes", RouteFromJson, t.routes));
  GRID_RETURN_IF_ERROR(ParseArray(j, "faults", FaultFromJson, t.faults));
  GRID_RETURN_IF_ERROR(GetBool(j, "ipv6", "topology", t.ipv6));
  GRID_RETURN_IF_ERROR(GetBool(j, "auto_routes", "topology", t.auto_routes));
  GRID_RETURN_IF_ERROR(
      GetNumber(j, "link_prefix_len", "topology", t.link_prefix_len));
  if (j.contains("management")) {
    const json& m = j["management"];
    if (m.is_boolean()) {
      t.management.enabled = m.get<bool>();
    } else {
      GRID_RETURN_IF_ERROR(CheckObject(m, "management", {"subnet"}));
      t.management.enabled = true;
      GRID_RETURN_IF_ERROR(
          GetString(m, "subnet", "management", t.management.subnet));
    }
  }
  return t;
}

absl::StatusOr<Topology> ParseTopologyJson(absl::string_view view) {
  const std::string text(view);
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    // Re-parse with exceptions only to get the position for the message.
    try {
      json ignored = json::parse(text);
    } catch (const json::parse_error& e) {
      return absl::InvalidArgumentError(
          absl::StrCat("topology is not valid JSON: ", e.what()));
    }
    return absl::InvalidArgumentError("topology is not valid JSON");
  }
  return TopologyFromJson(j);
}

absl::StatusOr<Fault> ParseFaultJson(absl::string_view view) {
  const std::string text(view);
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return absl::InvalidArgumentError("fault is not valid JSON: " +
                                      std::string(text));
  }
  return FaultFromJson(j, "fault");
}

json TopologyToJson(const Topology& t) {
  json j;
  j["nodes"] = json::array();
  for (const NodeSpec& n : t.nodes) {
    json nj = {{"name", n.name},
               {"kind", n.kind == NodeKind::kRouter ? "router" : "host"}};
    if (!n.sysctls.empty()) nj["sysctls"] = n.sysctls;
    j["nodes"].push_back(nj);
  }
  j["links"] = json::array();
  for (const LinkSpec& l : t.links) {
    json lj = {{"a", l.a}, {"b", l.b}};
    if (!l.name.empty()) lj["name"] = l.name;
    if (!l.subnet.empty()) lj["subnet"] = l.subnet;
    if (!l.subnet6.empty()) lj["subnet6"] = l.subnet6;
    j["links"].push_back(lj);
  }
  j["routes"] = json::array();
  for (const RouteSpec& r : t.routes) {
    j["routes"].push_back({{"node", r.node}, {"dst", r.dst}, {"via", r.via}});
  }
  j["faults"] = json::array();
  for (const Fault& f : t.faults) j["faults"].push_back(FaultToJson(f));
  j["ipv6"] = t.ipv6;
  j["auto_routes"] = t.auto_routes;
  j["link_prefix_len"] = t.link_prefix_len;
  if (t.management.enabled) {
    j["management"] = {{"subnet", t.management.subnet}};
  }
  return j;
}

}  // namespace grid::lab
