// PacketIo over unprivileged ICMP datagram sockets ("ping sockets", allowed
// for the groups in net.ipv4.ping_group_range), the fallback when raw sockets
// are refused. One socket per flow; the kernel picks the ICMP identifier.
// Echo replies arrive as ICMP messages, routers' errors through the socket's
// error queue (IP_RECVERR); both are rebuilt into the IP packets the reply
// parser reads. ICMP echo only. Not thread-safe.
#ifndef GRID_PROBE_NODE_PING_SOCKET_IO_H_
#define GRID_PROBE_NODE_PING_SOCKET_IO_H_

#include <memory>

#include "absl/status/statusor.h"
#include "probe-node/clock.h"
#include "probe-node/packet_io.h"

namespace grid::probe {

// What the fallback cannot do, as told to the user.
inline constexpr char kPingSocketLimitations[] =
    "raw sockets refused (no CAP_NET_RAW): using unprivileged ICMP datagram "
    "sockets, so only ICMP echo probes (no UDP or TCP), no reply TTL or MPLS "
    "labels from routers, no kernel transmit timestamps, and routers that "
    "quote only 8 bytes of a probe cannot be matched";

// Fails with PermissionDenied when the user's group is outside
// net.ipv4.ping_group_range. `clock` must outlive the result.
absl::StatusOr<std::unique_ptr<PacketIo>> OpenPingSocketIo(Clock* clock);

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_PING_SOCKET_IO_H_
