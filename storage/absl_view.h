// Debian's Abseil 20220623 defines its own absl::string_view instead of
// aliasing std::string_view, so absl::StrCat, CHexEscape & co. do not take
// std::string_view. Av() bridges the two without copying.
#ifndef GRID_STORAGE_ABSL_VIEW_H_
#define GRID_STORAGE_ABSL_VIEW_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace grid::storage {

inline absl::string_view Av(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

}  // namespace grid::storage

#endif  // GRID_STORAGE_ABSL_VIEW_H_
