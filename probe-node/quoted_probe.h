// Recovering the probe a reply answers from the copy of it that an ICMP error
// quotes (the inner IP header and at least 8 bytes of its transport header).
// Internal to the reply parser.
#ifndef GRID_PROBE_NODE_QUOTED_PROBE_H_
#define GRID_PROBE_NODE_QUOTED_PROBE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "probe-node/ip_address.h"
#include "probe-node/probe_key.h"

namespace grid::probe {

struct QuotedProbe {
  ProbeKey key;
  IpAddress source;
  uint8_t ttl = 0;
};

// Decodes `quote` (starting at the inner IP header) under the wire layout of
// probe_packet.h. NotFound when the quote is not one of grid's probes.
absl::StatusOr<QuotedProbe> DecodeQuotedProbe(absl::Span<const uint8_t> quote);

// Reads the sequence from the start of an ICMP echo payload
// ([sequence][~sequence]); false when absent or inconsistent.
bool ReadEchoSequence(absl::Span<const uint8_t> echo_payload,
                      uint16_t* sequence);

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_QUOTED_PROBE_H_
