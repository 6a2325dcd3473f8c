// IP address literals and CIDR prefixes as the coordinator protocol writes
// them: canonical inet_ntop text ("198.18.0.1", "2001:2::1"); an IPv4-mapped
// IPv6 address ("::ffff:198.18.0.1") is the IPv4 address.
#ifndef GRID_COORDINATOR_IP_PREFIX_H_
#define GRID_COORDINATOR_IP_PREFIX_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace grid::coordinator {

// An IPv4 or IPv6 address; bytes in network order.
struct IpBytes {
  bool v4 = true;
  std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4.

  // Parses an address literal (no host names, no brackets, no zone).
  static absl::StatusOr<IpBytes> Parse(absl::string_view text);
  std::string ToString() const;
  // Not unspecified, loopback or multicast (nothing a trace may aim at).
  bool IsProbeable() const;
  friend bool operator==(const IpBytes& a, const IpBytes& b) {
    return a.v4 == b.v4 && a.bytes == b.bytes;
  }
};

// The canonical text of an address literal; InvalidTarget otherwise.
absl::StatusOr<std::string> CanonicalTarget(absl::string_view text);

// A CIDR prefix "198.18.3.0/24" or "2001:2::/48".
class IpPrefix {
 public:
  // Parses "ADDRESS/LENGTH"; a bare address is a host prefix (/32, /128).
  // Host bits set below the length are an error (say what was meant).
  static absl::StatusOr<IpPrefix> Parse(absl::string_view text);

  bool Contains(const IpBytes& address) const;
  int length() const { return length_; }
  std::string ToString() const;

 private:
  IpBytes network_;
  int length_ = 0;
};

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_IP_PREFIX_H_
