#include "tests/lab/addr.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace grid::lab {
namespace {

// Adds `offset` to the address bytes of `p` (big-endian), returning false on
// overflow past the end of the address space.
bool AddOffset(std::array<uint8_t, 16>& bytes, int size, uint64_t offset) {
  for (int i = size - 1; i >= 0 && offset != 0; --i) {
    uint64_t sum = bytes[i] + (offset & 0xff);
    bytes[i] = static_cast<uint8_t>(sum & 0xff);
    offset = (offset >> 8) + (sum >> 8);
  }
  return offset == 0;
}

void MaskHostBits(Prefix& p) {
  const int size = p.max_len() / 8;
  for (int i = 0; i < size; ++i) {
    const int bits_left = p.len - i * 8;
    if (bits_left >= 8) continue;
    const uint8_t mask =
        bits_left <= 0 ? 0 : static_cast<uint8_t>(0xff << (8 - bits_left));
    p.bytes[i] &= mask;
  }
}

absl::StatusOr<Prefix> ParseBare(absl::string_view text) {
  Prefix p;
  std::string s(text);
  if (inet_pton(AF_INET, s.c_str(), p.bytes.data()) == 1) {
    p.family = AF_INET;
    p.len = 32;
    return p;
  }
  if (inet_pton(AF_INET6, s.c_str(), p.bytes.data()) == 1) {
    p.family = AF_INET6;
    p.len = 128;
    return p;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("'", text, "' is not an IPv4 or IPv6 address"));
}

std::string FormatAddress(int family, const std::array<uint8_t, 16>& bytes) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(family, bytes.data(), buf, sizeof(buf));
  return buf;
}

}  // namespace

int Prefix::max_len() const { return family == AF_INET6 ? 128 : 32; }

std::string Prefix::ToString() const {
  return absl::StrCat(FormatAddress(family, bytes), "/", len);
}

absl::StatusOr<Prefix> ParsePrefix(absl::string_view text) {
  const size_t slash = text.find('/');
  if (slash == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a prefix (expected ADDRESS/LENGTH)"));
  }
  absl::StatusOr<Prefix> p = ParseBare(text.substr(0, slash));
  if (!p.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "': ", p.status().message()));
  }
  int len = 0;
  if (!absl::SimpleAtoi(text.substr(slash + 1), &len) || len < 0 ||
      len > p->max_len()) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "': bad prefix length"));
  }
  Prefix masked = *p;
  masked.len = len;
  MaskHostBits(masked);
  if (masked.bytes != p->bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text, "': host bits set (did you mean ", masked.ToString(), "?)"));
  }
  return masked;
}

absl::StatusOr<Prefix> ParseAddress(absl::string_view text) {
  return ParseBare(text);
}

bool Contains(const Prefix& outer, const Prefix& inner) {
  if (outer.family != inner.family || inner.len < outer.len) return false;
  Prefix cut = inner;
  cut.len = outer.len;
  MaskHostBits(cut);
  return cut.bytes == outer.bytes;
}

bool Overlaps(const Prefix& a, const Prefix& b) {
  return Contains(a, b) || Contains(b, a);
}

absl::StatusOr<Prefix> NthSubnet(const Prefix& pool, int len, uint64_t n) {
  if (len < pool.len || len > pool.max_len()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "subnet length /", len, " does not fit in ", pool.ToString()));
  }
  const int spare_bits = len - pool.len;
  if (spare_bits < 64 && n >= (uint64_t{1} << spare_bits)) {
    return absl::ResourceExhaustedError(
        absl::StrCat("no ", n + 1, "th /", len, " left in ", pool.ToString()));
  }
  // n < 2^spare_bits, so n << host_bits < 2^(max_len - pool.len) <= 2^128.
  const int host_bits = pool.max_len() - len;
  Prefix p = pool;
  p.len = len;
  // Shift n into position byte by byte (host_bits may not be a multiple of 8).
  std::array<uint8_t, 16> add{};
  const int size = pool.max_len() / 8;
  // n << host_bits as a 128-bit big-endian number.
  unsigned __int128 v = static_cast<unsigned __int128>(n) << host_bits;
  for (int i = size - 1; i >= 0; --i) {
    add[i] = static_cast<uint8_t>(v & 0xff);
    v >>= 8;
  }
  unsigned carry = 0;
  for (int i = size - 1; i >= 0; --i) {
    unsigned sum = p.bytes[i] + add[i] + carry;
    p.bytes[i] = static_cast<uint8_t>(sum & 0xff);
    carry = sum >> 8;
  }
  if (!Contains(pool, p)) {
    return absl::ResourceExhaustedError(
        absl::StrCat("subnet ", n, " outside ", pool.ToString()));
  }
  return p;
}

absl::StatusOr<std::string> AddressAt(const Prefix& p, uint64_t offset) {
  std::array<uint8_t, 16> bytes = p.bytes;
  Prefix host{p.family, {}, p.max_len()};
  if (!AddOffset(bytes, p.max_len() / 8, offset)) {
    return absl::OutOfRangeError("address overflow");
  }
  host.bytes = bytes;
  if (!Contains(p, host)) {
    return absl::OutOfRangeError(
        absl::StrCat("offset ", offset, " is outside ", p.ToString()));
  }
  return FormatAddress(p.family, bytes);
}

absl::StatusOr<std::string> LinkEndpointAddress(const Prefix& subnet,
                                                int which) {
  const int host_bits = subnet.max_len() - subnet.len;
  if (host_bits < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        subnet.ToString(), " is too small for a point-to-point link"));
  }
  // /31 and /127 use both addresses (RFC 3021 / RFC 6164); wider subnets
  // skip the network address.
  const uint64_t first = host_bits == 1 ? 0 : 1;
  return AddressAt(subnet, first + which);
}

const Prefix& LabPool4() {
  static const Prefix* p = new Prefix(*ParsePrefix("198.18.0.0/15"));
  return *p;
}

const Prefix& LabPool6() {
  static const Prefix* p = new Prefix(*ParsePrefix("2001:2::/48"));
  return *p;
}

}  // namespace grid::lab
