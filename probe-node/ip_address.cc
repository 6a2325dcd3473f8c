#include "probe-node/ip_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace grid::probe {

IpAddress IpAddress::V4(std::array<uint8_t, 4> bytes) {
  IpAddress a;
  a.family_ = IpFamily::kV4;
  std::copy(bytes.begin(), bytes.end(), a.bytes_.begin());
  return a;
}

IpAddress IpAddress::V6(std::array<uint8_t, 16> bytes) {
  IpAddress a;
  a.family_ = IpFamily::kV6;
  a.bytes_ = bytes;
  return a;
}

IpAddress IpAddress::FromBytes(absl::Span<const uint8_t> bytes) {
  IpAddress a;
  a.family_ = bytes.size() == 4 ? IpFamily::kV4 : IpFamily::kV6;
  std::copy(bytes.begin(), bytes.begin() + std::min<size_t>(bytes.size(), 16),
            a.bytes_.begin());
  return a;
}

absl::StatusOr<IpAddress> IpAddress::Parse(absl::string_view text) {
  std::string s(text);
  std::array<uint8_t, 16> buf{};
  if (inet_pton(AF_INET, s.c_str(), buf.data()) == 1) {
    return FromBytes(absl::MakeConstSpan(buf.data(), 4));
  }
  if (inet_pton(AF_INET6, s.c_str(), buf.data()) == 1) {
    return V6(buf);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("not an IPv4 or IPv6 address: \"", text, "\""));
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(is_v4() ? AF_INET : AF_INET6, bytes_.data(), buf, sizeof(buf));
  return buf;
}

bool IpAddress::IsUnspecified() const {
  auto b = bytes();
  return std::all_of(b.begin(), b.end(), [](uint8_t x) { return x == 0; });
}

bool IpAddress::IsUnicast() const {
  if (IsUnspecified()) return false;
  if (is_v4()) {
    const uint8_t first = bytes_[0];
    if (first == 127) return false;  // Loopback.
    if (first >= 224) return false;  // Multicast, class E, broadcast.
    if (first == 0) return false;    // "This network".
    return true;
  }
  if (bytes_[0] == 0xff) return false;  // Multicast.
  static constexpr std::array<uint8_t, 16> kLoopback = {0, 0, 0, 0, 0, 0, 0, 0,
                                                        0, 0, 0, 0, 0, 0, 0, 1};
  if (bytes_ == kLoopback) return false;
  return true;
}

}  // namespace grid::probe
