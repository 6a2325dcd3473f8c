// The Internet checksum (RFC 1071) and the transport pseudo-headers of IPv4
// (RFC 768/793) and IPv6 (RFC 8200 § 8.1).
#ifndef GRID_PROBE_NODE_CHECKSUM_H_
#define GRID_PROBE_NODE_CHECKSUM_H_

#include <cstdint>

#include "absl/types/span.h"
#include "probe-node/ip_address.h"

namespace grid::probe {

// Ones'-complement sum of 16-bit big-endian words, not yet folded or
// inverted; an odd trailing byte is padded with zero. Sums can be added.
uint32_t ChecksumPartial(absl::Span<const uint8_t> data, uint32_t sum = 0);

// Sum of the pseudo-header for a transport segment of `length` bytes with
// protocol/next-header `protocol`. REQUIRES: same family for both addresses.
uint32_t PseudoHeaderSum(const IpAddress& src, const IpAddress& dst,
                         uint8_t protocol, uint32_t length);

// Folds a partial sum to 16 bits (ones' complement), without inverting.
uint16_t ChecksumFold(uint32_t sum);

// The checksum to store in a header: the inverted folded sum.
inline uint16_t ChecksumFinish(uint32_t sum) {
  return static_cast<uint16_t>(~ChecksumFold(sum));
}

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_CHECKSUM_H_
