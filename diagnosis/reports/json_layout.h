// Positions inside JSON text, so that JSON readers can name the line of the
// element an error is about (nlohmann::json keeps no positions).
#ifndef GRID_DIAGNOSIS_REPORTS_JSON_LAYOUT_H_
#define GRID_DIAGNOSIS_REPORTS_JSON_LAYOUT_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"

namespace grid::diagnosis::reports_internal {

struct JsonLayout {
  // Byte offsets of the '{' of every object that is an element of an array
  // nested `depth` containers deep (root container = depth 1), in order.
  std::vector<size_t> array_objects;
  int max_depth = 0;  // Deepest container nesting seen.
};

// Scans `text` lexically (strings and escapes respected; no validation).
JsonLayout ScanJsonLayout(absl::string_view text, int depth);

}  // namespace grid::diagnosis::reports_internal

#endif  // GRID_DIAGNOSIS_REPORTS_JSON_LAYOUT_H_
