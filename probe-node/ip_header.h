// Decoding of IPv4/IPv6 headers in received packets and in the probe copies
// quoted inside ICMP errors. Internal to the reply parser.
#ifndef GRID_PROBE_NODE_IP_HEADER_H_
#define GRID_PROBE_NODE_IP_HEADER_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "probe-node/ip_address.h"

namespace grid::probe {

struct IpHeader {
  IpAddress source;
  IpAddress destination;
  uint8_t ttl = 0;                    // TTL or hop limit.
  uint8_t protocol = 0;               // Protocol or next header.
  uint16_t id = 0;                    // IPv4 identification; 0 for IPv6.
  absl::Span<const uint8_t> payload;  // After the header, within bounds.
};

// An outer header: the total length must fit the buffer (trailing bytes
// are dropped), fragments are refused, the IPv4 header checksum is checked
// when `verify_checksum`.
absl::StatusOr<IpHeader> ParseOuterIpHeader(absl::Span<const uint8_t> data,
                                            bool verify_checksum);

// A quoted header: the quote may be cut short, so the payload is whatever
// was quoted up to the header's total length. Non-first fragments refused.
absl::StatusOr<IpHeader> ParseQuotedIpHeader(absl::Span<const uint8_t> data);

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_IP_HEADER_H_
