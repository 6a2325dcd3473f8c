// mtr --json: {"report":{"mtr":{"src","dst",...},"hubs":[{"count","host",
// <column title>: number, ...}]}}. mtr <= 0.93 wrote numbers as strings.
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "diagnosis/reports/json_layout.h"
#include "diagnosis/reports/mtr_columns.h"
#include "diagnosis/reports/readers.h"
#include "diagnosis/reports/text_lines.h"
#include "nlohmann/json.hpp"

namespace grid::diagnosis::reports_internal {
namespace {

using nlohmann::json;

// Deeper documents are no mtr output (and could exhaust the stack).
constexpr int kMaxDepth = 16;

// A number, or a string holding a plain decimal (mtr <= 0.93).
std::optional<double> NumberOf(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return ParseDecimal(v.get_ref<const std::string&>());
  return std::nullopt;
}

std::string StringOr(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

}  // namespace

absl::StatusOr<Trace> ReadMtrJson(absl::string_view text,
                                  absl::string_view source) {
  JsonLayout layout = ScanJsonLayout(text, /*depth=*/3);
  if (layout.max_depth > kMaxDepth) {
    return LineError(source, 1, "JSON nested too deeply for an mtr report");
  }
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // e.byte is 1-based and points just past the offending character; at
    // the end of a truncated file name its last line.
    size_t at = e.byte > 0 ? e.byte - 1 : 0;
    if (at >= text.size() && !text.empty()) at = text.size() - 1;
    std::string_view what = e.what();
    size_t reason = what.rfind(" - ");
    return LineError(source, LineOfOffset(text, at),
                     absl::StrCat("invalid JSON: ",
                                  reason == std::string_view::npos
                                      ? "syntax error"
                                      : std::string(what.substr(reason + 3))));
  } catch (const json::exception& e) {
    return LineError(source, 1, absl::StrCat("invalid JSON: ", e.what()));
  }
  auto report_it = doc.is_object() ? doc.find("report") : doc.end();
  if (report_it == doc.end() || !report_it->is_object()) {
    return LineError(source, 1, "expected mtr's {\"report\": {...}} object");
  }
  const json& report = *report_it;
  auto hubs_it = report.find("hubs");
  if (hubs_it == report.end() || !hubs_it->is_array()) {
    return LineError(source, 1, "mtr report has no \"hubs\" array");
  }
  Trace trace;
  if (auto mtr = report.find("mtr"); mtr != report.end() && mtr->is_object()) {
    trace.source = StringOr(*mtr, "src");
    trace.destination = StringOr(*mtr, "dst");
  }
  const json& hubs = *hubs_it;
  for (size_t i = 0; i < hubs.size(); ++i) {
    int line = i < layout.array_objects.size()
                   ? LineOfOffset(text, layout.array_objects[i])
                   : 1;
    const json& hub = hubs[i];
    if (!hub.is_object()) {
      return LineError(source, line,
                       absl::StrCat("hub ", i + 1, " is no object"));
    }
    auto count_it = hub.find("count");
    std::optional<double> count =
        count_it == hub.end() ? std::nullopt : NumberOf(*count_it);
    if (!count || *count < 1 || *count > 255 ||
        *count != static_cast<int>(*count)) {
      return LineError(
          source, line,
          absl::StrCat("hub ", i + 1, " has no hop \"count\" in 1..255"));
    }
    int ttl = static_cast<int>(*count);
    if (!trace.hops.empty() && ttl <= trace.hops.back().ttl) {
      return LineError(source, line,
                       absl::StrCat("hop ", ttl, " does not follow hop ",
                                    trace.hops.back().ttl));
    }
    auto host_it = hub.find("host");
    if (host_it == hub.end() || !host_it->is_string()) {
      return LineError(source, line,
                       absl::StrCat("hub ", i + 1, " has no \"host\""));
    }
    HopValues values;
    for (auto it = hub.begin(); it != hub.end(); ++it) {
      const MtrField* field = FieldByTitle(it.key());
      if (field == nullptr) continue;  // "count", "host", "ASN", unknown.
      std::optional<double> v = NumberOf(it.value());
      if (!v) {
        return LineError(source, line,
                         absl::StrCat("\"", it.key(), "\" of hub ", i + 1,
                                      " is not a number"));
      }
      At(values, field->column) = v;
    }
    absl::StatusOr<Hop> hop = MakeHop(ttl, host_it->get<std::string>(), values);
    if (!hop.ok()) return LineError(source, line, hop.status().message());
    trace.hops.push_back(*std::move(hop));
  }
  if (trace.hops.empty()) {
    return LineError(source, LineOfOffset(text, text.find("\"hubs\"")),
                     "report has no hubs (no hop rows)");
  }
  return trace;
}

}  // namespace grid::diagnosis::reports_internal
