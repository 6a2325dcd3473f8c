// Line splitting and located errors shared by the report readers.
#ifndef GRID_DIAGNOSIS_REPORTS_TEXT_LINES_H_
#define GRID_DIAGNOSIS_REPORTS_TEXT_LINES_H_

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace grid::diagnosis::reports_internal {

// The public API takes std::string_view; Debian's Abseil has its own
// string_view type, used inside the library.
inline absl::string_view ToAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

// One line of input without its line end ("\n", "\r\n" or "\r").
struct Line {
  int number = 0;  // 1-based.
  absl::string_view text;
};

// Splits `text` into lines; a UTF-8 byte order mark is dropped. A final line
// end does not start another line.
std::vector<Line> SplitLines(absl::string_view text);

// InvalidArgument "<source>:<line>: <what>".
absl::Status LineError(absl::string_view source, int line,
                       absl::string_view what);

// 1-based line number of byte `offset` in `text`.
int LineOfOffset(absl::string_view text, size_t offset);

// True for space, tab and the other ASCII white space characters.
bool IsSpace(char c);

// `text` without leading and trailing white space.
absl::string_view Trim(absl::string_view text);

// Splits at runs of white space; no empty tokens.
std::vector<absl::string_view> SplitWhitespace(absl::string_view text);

// Case-insensitive ASCII prefix test.
bool StartsWithNoCase(absl::string_view text, absl::string_view prefix);

}  // namespace grid::diagnosis::reports_internal

#endif  // GRID_DIAGNOSIS_REPORTS_TEXT_LINES_H_
