#include "diagnosis/reports/json_layout.h"

#include <string>

namespace grid::diagnosis::reports_internal {

JsonLayout ScanJsonLayout(absl::string_view text, int depth) {
  JsonLayout layout;
  std::string stack;  // Open containers: '{' or '['.
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '{':
      case '[':
        if (c == '{' && static_cast<int>(stack.size()) == depth &&
            !stack.empty() && stack.back() == '[') {
          layout.array_objects.push_back(i);
        }
        stack.push_back(c);
        if (static_cast<int>(stack.size()) > layout.max_depth) {
          layout.max_depth = static_cast<int>(stack.size());
        }
        break;
      case '}':
      case ']':
        if (!stack.empty()) stack.pop_back();
        break;
      default:
        break;
    }
  }
  return layout;
}

}  // namespace grid::diagnosis::reports_internal
