// What identifies one probe on the wire, and so what a reply is matched by:
// method, destination, flow identifier, destination port and sequence.
#ifndef GRID_PROBE_NODE_PROBE_KEY_H_
#define GRID_PROBE_NODE_PROBE_KEY_H_

#include <cstdint>
#include <string>

#include "probe-node/ip_address.h"

namespace grid::probe {

// DO NOT CHANGE THESE VALUES: they are carried in results.
enum class ProbeMethod : uint8_t { kIcmpEcho = 0, kUdp = 1, kTcpSyn = 2 };

// "icmp", "udp" or "tcp".
const char* ProbeMethodName(ProbeMethod method);

// IP protocol numbers used by probes.
inline constexpr uint8_t kProtoIcmp = 1;
inline constexpr uint8_t kProtoTcp = 6;
inline constexpr uint8_t kProtoUdp = 17;
inline constexpr uint8_t kProtoIcmpV6 = 58;

// The identity of a probe. The flow part (method, destination, flow_id,
// dst_port) is what ECMP routers hash and stays constant in Paris mode;
// `sequence` tells the probes of one flow apart and is carried outside the
// hashed fields (see probe_packet.h).
struct ProbeKey {
  ProbeMethod method = ProbeMethod::kIcmpEcho;
  IpAddress destination;
  uint16_t flow_id = 0;   // ICMP identifier, or UDP/TCP source port.
  uint16_t dst_port = 0;  // UDP/TCP destination port; 0 for ICMP.
  uint16_t sequence = 0;  // 1..0xfffe.

  friend bool operator==(const ProbeKey& a, const ProbeKey& b) {
    return a.method == b.method && a.destination == b.destination &&
           a.flow_id == b.flow_id && a.dst_port == b.dst_port &&
           a.sequence == b.sequence;
  }
  template <typename H>
  friend H AbslHashValue(H h, const ProbeKey& k) {
    return H::combine(std::move(h), k.method, k.destination, k.flow_id,
                      k.dst_port, k.sequence);
  }
  std::string DebugString() const;
};

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_PROBE_KEY_H_
