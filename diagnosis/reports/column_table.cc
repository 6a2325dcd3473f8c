#include "diagnosis/reports/column_table.h"

#include <algorithm>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "diagnosis/reports/mtr_columns.h"

namespace grid::diagnosis::reports_internal {
namespace {

// A hop row's leading "N." (and mtr's "|--"), split off.
struct RowStart {
  int ttl = 0;
  absl::string_view rest;  // Everything after the prefix.
};

std::optional<RowStart> ParseRowStart(absl::string_view line) {
  size_t i = 0;
  while (i < line.size() && IsSpace(line[i])) ++i;
  size_t digits = i;
  while (i < line.size() && absl::ascii_isdigit(line[i])) ++i;
  if (i == digits || i - digits > 6 || i >= line.size() || line[i] != '.') {
    return std::nullopt;
  }
  RowStart row;
  if (!absl::SimpleAtoi(line.substr(digits, i - digits), &row.ttl)) {
    return std::nullopt;
  }
  ++i;
  absl::string_view rest = line.substr(i);
  if (absl::StartsWith(rest, "|--")) {
    rest.remove_prefix(3);
  } else if (rest.empty() || !IsSpace(rest.front())) {
    return std::nullopt;  // "1.5 ..." is no row.
  }
  row.rest = rest;
  return row;
}

bool LooksNumeric(absl::string_view token) {
  return ParseDecimal(token, /*percent_ok=*/true).has_value();
}

// mtr -z prints "AS<number>" or "AS???" before the host.
bool IsAsnToken(absl::string_view token) {
  if (token.size() < 3 || !absl::StartsWith(token, "AS")) return false;
  absl::string_view n = token.substr(2);
  return n == "???" || std::all_of(n.begin(), n.end(), [](char c) {
           return absl::ascii_isdigit(c);
         });
}

absl::string_view ExpectedHeader(TableDialect dialect) {
  return dialect == TableDialect::kMtr
             ? "expected mtr's 'HOST: <name>  Loss%  Snt ...' header line"
             : "expected a 'Host  Loss%  Snt  Last  Avg  Best  Wrst  StDev' "
               "header line";
}

}  // namespace

std::optional<TableHeader> ParseTableHeader(absl::string_view line,
                                            TableDialect dialect) {
  std::vector<absl::string_view> tokens = SplitWhitespace(line);
  if (tokens.empty()) return std::nullopt;
  if (dialect == TableDialect::kMtr
          ? tokens[0] != "HOST:"
          : !absl::EqualsIgnoreCase(tokens[0], "Host")) {
    return std::nullopt;
  }
  size_t first_title = tokens.size();
  while (first_title > 1 && FieldByTitle(tokens[first_title - 1]) != nullptr) {
    --first_title;
  }
  if (first_title == tokens.size()) return std::nullopt;
  if (dialect == TableDialect::kArticle && first_title != 1) {
    return std::nullopt;
  }
  TableHeader header;
  if (first_title > 1) {
    const char* begin = tokens[1].data();
    const char* end =
        tokens[first_title - 1].data() + tokens[first_title - 1].size();
    header.local_host = absl::string_view(begin, end - begin);
  }
  header.titles.assign(tokens.begin() + first_title, tokens.end());
  return header;
}

absl::StatusOr<Trace> ReadColumnTable(absl::string_view text,
                                      absl::string_view source,
                                      TableDialect dialect) {
  std::vector<Line> lines = SplitLines(text);
  size_t i = 0;
  auto skip_blank = [&] {
    while (i < lines.size() && Trim(lines[i].text).empty()) ++i;
  };
  skip_blank();
  if (dialect == TableDialect::kMtr && i < lines.size() &&
      absl::StartsWith(Trim(lines[i].text), "Start:")) {
    ++i;
    skip_blank();
  }
  if (i == lines.size()) {
    return LineError(source, lines.empty() ? 1 : lines.back().number,
                     absl::StrCat("no report: ", ExpectedHeader(dialect)));
  }
  std::optional<TableHeader> header = ParseTableHeader(lines[i].text, dialect);
  if (!header)
    return LineError(source, lines[i].number, ExpectedHeader(dialect));
  const int header_line = lines[i].number;
  std::vector<Column> columns;
  for (absl::string_view title : header->titles) {
    columns.push_back(FieldByTitle(title)->column);
  }
  if (!HasRequiredColumns(columns)) {
    return LineError(source, header_line,
                     "the header needs a Snt column and one of Loss%, Rcv, "
                     "Drop");
  }
  const size_t k = columns.size();

  Trace trace;
  trace.source = std::string(header->local_host);
  for (++i; i < lines.size(); ++i) {
    const Line& line = lines[i];
    if (Trim(line.text).empty()) continue;
    std::optional<RowStart> row = ParseRowStart(line.text);
    if (!row) {
      absl::string_view t = Trim(line.text);
      bool indented = IsSpace(line.text.front());
      if (dialect == TableDialect::kMtr && indented && !trace.hops.empty()) {
        if (absl::StartsWith(t, "[MPLS")) continue;  // mtr -e label lines.
        std::vector<absl::string_view> tokens = SplitWhitespace(t);
        if (tokens.size() == 1 ||
            (tokens.size() == 2 && IsAsnToken(tokens[0]))) {
          Hop& hop = trace.hops.back();
          std::string other(tokens.back());
          if (other != hop.host &&
              std::find(hop.other_hosts.begin(), hop.other_hosts.end(),
                        other) == hop.other_hosts.end()) {
            hop.other_hosts.push_back(std::move(other));
          }
          continue;
        }
      }
      return LineError(
          source, line.number,
          absl::StrCat("expected a hop row like '",
                       dialect == TableDialect::kMtr ? "  1.|-- " : "1. ",
                       "<host>' and ", k, " numeric columns"));
    }
    std::vector<absl::string_view> tokens = SplitWhitespace(row->rest);
    size_t numeric = 0;
    while (numeric < tokens.size() &&
           LooksNumeric(tokens[tokens.size() - 1 - numeric])) {
      ++numeric;
    }
    if (numeric < k) {
      return LineError(
          source, line.number,
          absl::StrCat("expected ", k,
                       " numeric columns after the host, found ", numeric));
    }
    if (tokens.size() == k) {
      return LineError(
          source, line.number,
          absl::StrCat("missing host before the ", k, " numeric columns"));
    }
    HopValues values;
    const size_t first_value = tokens.size() - k;
    for (size_t c = 0; c < k; ++c) {
      absl::string_view token = tokens[first_value + c];
      std::optional<double> v =
          ParseDecimal(token, /*percent_ok=*/columns[c] == Column::kLoss);
      if (!v) {
        return LineError(source, line.number,
                         absl::StrCat("'", token, "' in column ",
                                      header->titles[c], " is not a number"));
      }
      At(values, columns[c]) = v;
    }
    size_t host_begin = 0;
    if (dialect == TableDialect::kMtr && first_value > 1 &&
        IsAsnToken(tokens[0])) {
      host_begin = 1;
    }
    const char* begin = tokens[host_begin].data();
    const char* end =
        tokens[first_value - 1].data() + tokens[first_value - 1].size();
    std::string host(begin, end - begin);
    if (!trace.hops.empty() && row->ttl <= trace.hops.back().ttl) {
      return LineError(source, line.number,
                       absl::StrCat("hop ", row->ttl, " does not follow hop ",
                                    trace.hops.back().ttl));
    }
    if (row->ttl < 1) {
      return LineError(source, line.number, "hop numbers start at 1");
    }
    absl::StatusOr<Hop> hop = MakeHop(row->ttl, std::move(host), values);
    if (!hop.ok())
      return LineError(source, line.number, hop.status().message());
    trace.hops.push_back(*std::move(hop));
  }
  if (trace.hops.empty()) {
    return LineError(source, header_line, "header but no hop rows");
  }
  return trace;
}

}  // namespace grid::diagnosis::reports_internal
