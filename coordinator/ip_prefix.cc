#include "coordinator/ip_prefix.h"

#include <arpa/inet.h>

#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "coordinator/errors.h"

namespace grid::coordinator {
namespace {

constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0,    0,
                                       0, 0, 0, 0, 0xff, 0xff};

}  // namespace

absl::StatusOr<IpBytes> IpBytes::Parse(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("empty address");
  if (text.size() > 64) return absl::InvalidArgumentError("address too long");
  const std::string s(text);
  IpBytes out;
  if (inet_pton(AF_INET, s.c_str(), out.bytes.data()) == 1) {
    out.v4 = true;
    return out;
  }
  if (inet_pton(AF_INET6, s.c_str(), out.bytes.data()) == 1) {
    if (std::memcmp(out.bytes.data(), kMappedPrefix, 12) == 0) {
      std::memmove(out.bytes.data(), out.bytes.data() + 12, 4);
      std::memset(out.bytes.data() + 4, 0, 12);
      out.v4 = true;
    } else {
      out.v4 = false;
    }
    return out;
  }
  return absl::InvalidArgumentError("not an IPv4 or IPv6 address");
}

std::string IpBytes::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(v4 ? AF_INET : AF_INET6, bytes.data(), buf, sizeof(buf));
  return buf;
}

bool IpBytes::IsProbeable() const {
  if (v4) {
    const uint32_t a = (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) |
                       (uint32_t{bytes[2]} << 8) | bytes[3];
    if (a == 0 || bytes[0] == 127) return false;
    if (bytes[0] >= 224) return false;  // Multicast, class E, broadcast.
    return true;
  }
  static const std::array<uint8_t, 16> kZero{};
  std::array<uint8_t, 16> loopback{};
  loopback[15] = 1;
  if (bytes == kZero || bytes == loopback) return false;
  if (bytes[0] == 0xff) return false;  // Multicast.
  return true;
}

absl::StatusOr<std::string> CanonicalTarget(absl::string_view text) {
  absl::StatusOr<IpBytes> ip = IpBytes::Parse(text);
  if (!ip.ok()) return InvalidTarget(text, ip.status().message());
  if (!ip->IsProbeable()) {
    return InvalidTarget(text,
                         "unspecified, loopback or multicast addresses cannot "
                         "be traced");
  }
  return ip->ToString();
}

absl::StatusOr<IpPrefix> IpPrefix::Parse(absl::string_view text) {
  const size_t slash = text.find('/');
  const absl::string_view addr =
      slash == absl::string_view::npos ? text : text.substr(0, slash);
  absl::StatusOr<IpBytes> ip = IpBytes::Parse(addr);
  if (!ip.ok()) return InvalidCidr(text, ip.status().message());
  const int max_len = ip->v4 ? 32 : 128;
  int len = max_len;
  if (slash != absl::string_view::npos) {
    if (!absl::SimpleAtoi(text.substr(slash + 1), &len) || len < 0 ||
        len > max_len) {
      return InvalidCidr(text,
                         absl::StrCat("prefix length must be 0..", max_len));
    }
  }
  IpPrefix p;
  p.network_ = *ip;
  p.length_ = len;
  const int bytes = ip->v4 ? 4 : 16;
  for (int bit = len; bit < bytes * 8; ++bit) {
    if (ip->bytes[bit / 8] & (0x80 >> (bit % 8))) {
      return InvalidCidr(text, "host bits are set below the prefix length");
    }
  }
  return p;
}

bool IpPrefix::Contains(const IpBytes& address) const {
  if (address.v4 != network_.v4) return false;
  for (int bit = 0; bit < length_; ++bit) {
    const uint8_t mask = 0x80 >> (bit % 8);
    if ((address.bytes[bit / 8] & mask) != (network_.bytes[bit / 8] & mask)) {
      return false;
    }
  }
  return true;
}

std::string IpPrefix::ToString() const {
  return absl::StrCat(network_.ToString(), "/", length_);
}

}  // namespace grid::coordinator
