#include "diagnosis/reports/html_table.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "diagnosis/reports/text_lines.h"

namespace grid::diagnosis::reports_internal {
namespace {

// Position of the next tag named `name` (e.g. "tr", "/tr") at or after
// `from` in the lower-cased text, or npos. The name must end the tag name.
size_t FindTag(absl::string_view lower, absl::string_view name, size_t from) {
  while (true) {
    size_t at = lower.find(name, from);
    if (at == absl::string_view::npos) return at;
    size_t end = at + name.size();
    if (at > 0 && lower[at - 1] == '<' &&
        (end == lower.size() || lower[end] == '>' || IsSpace(lower[end]) ||
         lower[end] == '/')) {
      return at - 1;
    }
    from = at + 1;
  }
}

// Removes tags, decodes entities, trims and folds white space runs.
std::string CellText(absl::string_view html) {
  std::string plain;
  bool in_tag = false;
  for (char c : html) {
    if (in_tag) {
      if (c == '>') in_tag = false;
    } else if (c == '<') {
      in_tag = true;
    } else {
      plain.push_back(c);
    }
  }
  std::string decoded = DecodeHtmlEntities(plain);
  std::string folded;
  for (char c : decoded) {
    if (IsSpace(c)) {
      if (!folded.empty() && folded.back() != ' ') folded.push_back(' ');
    } else {
      folded.push_back(c);
    }
  }
  if (!folded.empty() && folded.back() == ' ') folded.pop_back();
  return folded;
}

}  // namespace

std::string DecodeHtmlEntities(absl::string_view text) {
  static constexpr std::pair<absl::string_view, char> kNamed[] = {
      {"amp", '&'},  {"lt", '<'},    {"gt", '>'},
      {"quot", '"'}, {"apos", '\''}, {"nbsp", ' '}};
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    size_t semi = text[i] == '&' ? text.find(';', i) : absl::string_view::npos;
    if (semi == absl::string_view::npos || semi - i > 10) {
      out.push_back(text[i]);
      continue;
    }
    absl::string_view name = text.substr(i + 1, semi - i - 1);
    bool done = false;
    for (auto [n, c] : kNamed) {
      if (absl::EqualsIgnoreCase(name, n)) {
        out.push_back(c);
        done = true;
      }
    }
    if (!done && name.size() > 1 && name[0] == '#') {
      uint32_t code = 0;
      bool ok = (name[1] == 'x' || name[1] == 'X')
                    ? absl::SimpleHexAtoi(name.substr(2), &code)
                    : absl::SimpleAtoi(name.substr(1), &code);
      if (ok) {
        out.push_back(code > 0 && code < 128 ? static_cast<char>(code) : '?');
        done = true;
      }
    }
    if (done) {
      i = semi;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

absl::StatusOr<std::vector<HtmlRow>> ReadHtmlTable(absl::string_view html,
                                                   absl::string_view source) {
  std::string lower_text = absl::AsciiStrToLower(html);
  absl::string_view lower = lower_text;
  size_t table = FindTag(lower, "table", 0);
  if (table == absl::string_view::npos) {
    return LineError(source, 1, "no <table> in the HTML");
  }
  size_t table_end = FindTag(lower, "/table", table);
  if (table_end == absl::string_view::npos) {
    return LineError(source, LineOfOffset(html, html.size()),
                     "the <table> is never closed (truncated file?)");
  }
  // Every search below is bounded by the end of the current table or row,
  // so the scan stays linear in the input.
  absl::string_view in_table = lower.substr(0, table_end);
  std::vector<HtmlRow> rows;
  size_t pos = table + 1;
  while (true) {
    size_t tr = FindTag(in_table, "tr", pos);
    if (tr == absl::string_view::npos) break;
    // A row ends at </tr>, or (HTML allows it) at the next <tr> or </table>.
    size_t next_tr = FindTag(in_table, "tr", tr + 3);
    size_t end = std::min(next_tr, table_end);
    end = std::min(end, FindTag(lower.substr(0, end), "/tr", tr));
    absl::string_view in_row = lower.substr(0, end);
    HtmlRow row;
    row.line = LineOfOffset(html, tr);
    size_t cell_pos = tr + 1;
    while (true) {
      size_t cell = std::min(FindTag(in_row, "td", cell_pos),
                             FindTag(in_row, "th", cell_pos));
      if (cell == absl::string_view::npos) break;
      size_t open_end = in_row.find('>', cell);
      if (open_end == absl::string_view::npos) {
        return LineError(source, LineOfOffset(html, cell),
                         "unterminated cell tag");
      }
      size_t close = std::min({FindTag(in_row, "/td", open_end),
                               FindTag(in_row, "/th", open_end),
                               FindTag(in_row, "td", open_end),
                               FindTag(in_row, "th", open_end), end});
      row.cells.push_back(
          CellText(html.substr(open_end + 1, close - open_end - 1)));
      cell_pos = close + 1;
    }
    rows.push_back(std::move(row));
    if (next_tr == absl::string_view::npos) break;
    pos = next_tr;
  }
  return rows;
}

}  // namespace grid::diagnosis::reports_internal
