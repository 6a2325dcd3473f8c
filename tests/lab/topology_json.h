// JSON form of a Topology and of a Fault (the format is documented in
// tests/lab/README.md). Parsing reports the JSON path of anything wrong,
// rejects unknown keys (typos), and never throws.
#ifndef GRID_TESTS_LAB_TOPOLOGY_JSON_H_
#define GRID_TESTS_LAB_TOPOLOGY_JSON_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "tests/lab/topology.h"

namespace grid::lab {

absl::StatusOr<Topology> ParseTopologyJson(absl::string_view text);
absl::StatusOr<Topology> TopologyFromJson(const nlohmann::json& j);
nlohmann::json TopologyToJson(const Topology& t);

absl::StatusOr<Fault> ParseFaultJson(absl::string_view text);
// `where` prefixes error messages, e.g. "faults[2]".
absl::StatusOr<Fault> FaultFromJson(const nlohmann::json& j,
                                    const std::string& where);
nlohmann::json FaultToJson(const Fault& f);

}  // namespace grid::lab

#endif  // GRID_TESTS_LAB_TOPOLOGY_JSON_H_
