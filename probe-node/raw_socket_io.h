// PacketIo over raw sockets: probes go out through IPPROTO_RAW sockets with
// the IP header included (IPv4 and IPv6); replies come in through raw ICMP,
// ICMPv6 and TCP sockets with kernel receive timestamps (SO_TIMESTAMPNS), and
// kernel transmit timestamps come back through the error queue
// (SO_TIMESTAMPING, OPT_ID). Opening needs CAP_NET_RAW; nothing after Open
// does. Not thread-safe.
#ifndef GRID_PROBE_NODE_RAW_SOCKET_IO_H_
#define GRID_PROBE_NODE_RAW_SOCKET_IO_H_

#include <memory>

#include "absl/status/statusor.h"
#include "probe-node/clock.h"
#include "probe-node/packet_io.h"

namespace grid::probe {

// Opens the sockets of both families; a family whose sockets cannot be
// opened (e.g. IPv6 disabled) is left out and Supports() says so. Fails
// with PermissionDenied when raw sockets are refused. `clock` must outlive
// the result. Without `tx_timestamps`, send times are taken in user space
// just before sendto (receive times stay kernel timestamps).
absl::StatusOr<std::unique_ptr<PacketIo>> OpenRawSocketIo(
    Clock* clock, bool tx_timestamps = true);

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_RAW_SOCKET_IO_H_
