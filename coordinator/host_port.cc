#include "coordinator/host_port.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace grid::coordinator {

absl::StatusOr<std::string> CheckHostPort(absl::string_view text,
                                          absl::string_view what,
                                          bool allow_port_zero) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " \"", text, "\": ", why));
  };
  if (text.empty()) return bad("expected HOST:PORT");
  const size_t colon = text.rfind(':');
  if (colon == absl::string_view::npos) return bad("expected HOST:PORT");
  absl::string_view host = text.substr(0, colon);
  const absl::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != absl::string_view::npos) {
    return bad("write IPv6 addresses in brackets: [2001:2::1]:PORT");
  }
  if (host.empty()) return bad("the host is empty");
  for (char c : host) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      return bad("the host contains spaces");
    }
  }
  int port = 0;
  if (!absl::SimpleAtoi(port_text, &port) || port < 0 || port > 65535 ||
      (port == 0 && !allow_port_zero)) {
    return bad(allow_port_zero ? "the port must be 0..65535"
                               : "the port must be 1..65535");
  }
  return std::string(text);
}

}  // namespace grid::coordinator
