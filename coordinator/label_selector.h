// Probe labels (--label KEY=VALUE) and label selectors ("k=v,k2=v2", every
// term must match), as `grid-probe`, the coordinator and `grid --probes`
// read them.
#ifndef GRID_COORDINATOR_LABEL_SELECTOR_H_
#define GRID_COORDINATOR_LABEL_SELECTOR_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/map.h"

namespace grid::coordinator {

// Splits "KEY=VALUE". Keys are non-empty [A-Za-z0-9._/-]; values may be
// empty and may not contain ',' (selectors use it).
absl::StatusOr<std::pair<std::string, std::string>> ParseLabel(
    absl::string_view text);

class LabelSelector {
 public:
  // Parses "k=v,k2=v2"; empty text selects everything. A probe's own name
  // can be selected with the pseudo-label "name=NAME".
  static absl::StatusOr<LabelSelector> Parse(absl::string_view text);

  bool empty() const { return terms_.empty(); }
  bool Matches(
      absl::string_view name,
      const google::protobuf::Map<std::string, std::string>& labels) const;

 private:
  std::vector<std::pair<std::string, std::string>> terms_;
};

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_LABEL_SELECTOR_H_
