// Building probe packets: a pure function from a ProbeSpec to the bytes of a
// complete IPv4 or IPv6 packet (header included).
//
// Wire layout (Paris traceroute style; every field ECMP routers may hash on
// stays constant for a flow, the sequence travels elsewhere):
//   ICMP echo: identifier = flow_id, ICMP sequence field = 0 (constant);
//     payload starts with [sequence:16][~sequence:16], so the two words
//     always sum to 0xffff and the ICMP checksum is the same for every
//     sequence; the rest of the payload is zero. IPv4 also sets IP id =
//     sequence, which routers always quote even when they quote only 8
//     bytes of the probe.
//   UDP: source port = flow_id, destination port = dst_port; the UDP
//     checksum is forced to equal the sequence by a steering word at the
//     start of the payload (Paris traceroute's trick), so the 8 quoted bytes
//     identify the probe. IPv4: IP id = sequence too.
//   TCP SYN: source port = flow_id, destination port = dst_port, TCP
//     sequence number = sequence << 16 | flow_id; SYN-ACK and RST replies
//     acknowledge it + 1. No payload. IPv4: IP id = sequence.
//   IPv6: flow label = flow_id (constant per flow).
// packet_size is the whole IP packet (mtr's -s); it is raised to the
// method's minimum when smaller, and ignored for TCP.
#ifndef GRID_PROBE_NODE_PROBE_PACKET_H_
#define GRID_PROBE_NODE_PROBE_PACKET_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "probe-node/ip_address.h"
#include "probe-node/probe_key.h"

namespace grid::probe {

inline constexpr int kMaxProbePacketSize = 1500;

struct ProbeSpec {
  ProbeKey key;      // Method, destination, flow id, port, sequence.
  IpAddress source;  // Same family as key.destination.
  int ttl = 1;       // 1..255.
  int packet_size = 64;
  uint8_t tos = 0;  // IPv4 TOS / IPv6 traffic class.
};

// The smallest packet a method can be built in, per family.
int MinProbeSize(ProbeMethod method, IpFamily family);

// Builds the packet. Errors: mismatched families, TTL out of range, a
// sequence of 0 or 0xffff, a packet_size above kMaxProbePacketSize.
absl::StatusOr<std::vector<uint8_t>> BuildProbe(const ProbeSpec& spec);

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_PROBE_PACKET_H_
