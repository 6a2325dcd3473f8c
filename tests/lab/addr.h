// IP prefix arithmetic for the lab: parsing CIDR strings, carving link
// subnets out of a pool and picking endpoint addresses. Pure functions.
#ifndef GRID_TESTS_LAB_ADDR_H_
#define GRID_TESTS_LAB_ADDR_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace grid::lab {

// An IPv4 or IPv6 prefix; host bits are always zero.
struct Prefix {
  int family = 0;                   // AF_INET or AF_INET6
  std::array<uint8_t, 16> bytes{};  // network order; IPv4 uses the first 4
  int len = 0;                      // prefix length in bits

  int max_len() const;           // 32 or 128
  std::string ToString() const;  // "198.18.0.0/30"
  bool operator==(const Prefix&) const = default;
};

// Parses "A.B.C.D/N" or "X:Y::/N". Host bits must be zero.
absl::StatusOr<Prefix> ParsePrefix(absl::string_view text);

// Parses a single address (no length) into a host prefix (/32 or /128).
absl::StatusOr<Prefix> ParseAddress(absl::string_view text);

// True if `inner` lies entirely inside `outer`.
bool Contains(const Prefix& outer, const Prefix& inner);
bool Overlaps(const Prefix& a, const Prefix& b);

// The n-th subnet of length `len` inside `pool` (n = 0 is the first).
absl::StatusOr<Prefix> NthSubnet(const Prefix& pool, int len, uint64_t n);

// The address `offset` places after the network address of `p`, as text
// without length. Fails if it falls outside `p`.
absl::StatusOr<std::string> AddressAt(const Prefix& p, uint64_t offset);

// The two endpoint addresses of a point-to-point link subnet: the first two
// usable addresses (network+1, network+2), or both addresses of a /31 or
// /127. `which` is 0 for the first endpoint, 1 for the second.
absl::StatusOr<std::string> LinkEndpointAddress(const Prefix& subnet,
                                                int which);

// The lab's permitted ranges (design.md § 4).
const Prefix& LabPool4();  // 198.18.0.0/15
const Prefix& LabPool6();  // 2001:2::/48

}  // namespace grid::lab

#endif  // GRID_TESTS_LAB_ADDR_H_
