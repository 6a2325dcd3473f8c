#include "coordinator/label_selector.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "coordinator/errors.h"

namespace grid::coordinator {
namespace {

bool ValidKeyChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' ||
         c == '_' || c == '/' || c == '-';
}

}  // namespace

absl::StatusOr<std::pair<std::string, std::string>> ParseLabel(
    absl::string_view text) {
  const size_t eq = text.find('=');
  if (eq == absl::string_view::npos) {
    return InvalidLabel(text, "expected KEY=VALUE");
  }
  const absl::string_view key = text.substr(0, eq);
  const absl::string_view value = text.substr(eq + 1);
  if (key.empty()) return InvalidLabel(text, "the key is empty");
  for (char c : key) {
    if (!ValidKeyChar(c)) {
      return InvalidLabel(text,
                          "keys may hold only letters, digits and . _ / -");
    }
  }
  if (value.find(',') != absl::string_view::npos ||
      value.find('=') != absl::string_view::npos) {
    return InvalidLabel(text, "values may not contain ',' or '='");
  }
  return std::make_pair(std::string(key), std::string(value));
}

absl::StatusOr<LabelSelector> LabelSelector::Parse(absl::string_view text) {
  LabelSelector s;
  if (absl::StripAsciiWhitespace(text).empty()) return s;
  for (absl::string_view term : absl::StrSplit(text, ',')) {
    term = absl::StripAsciiWhitespace(term);
    absl::StatusOr<std::pair<std::string, std::string>> kv = ParseLabel(term);
    if (!kv.ok()) {
      return InvalidSelector(text, kv.status().message());
    }
    s.terms_.push_back(*std::move(kv));
  }
  return s;
}

bool LabelSelector::Matches(
    absl::string_view name,
    const google::protobuf::Map<std::string, std::string>& labels) const {
  for (const auto& [key, value] : terms_) {
    auto it = labels.find(key);
    if (it != labels.end()) {
      if (it->second != value) return false;
    } else if (key != "name" || name != value) {
      return false;
    }
  }
  return true;
}

}  // namespace grid::coordinator
