// The prober's packet I/O, injectable so the scheduler is unit-tested with a
// simulated network and no privileges. The real implementations are raw
// sockets (raw_socket_io.h) and unprivileged ICMP datagram sockets
// (ping_socket_io.h).
#ifndef GRID_PROBE_NODE_PACKET_IO_H_
#define GRID_PROBE_NODE_PACKET_IO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "probe-node/ip_address.h"
#include "probe-node/probe_key.h"

namespace grid::probe {

// Something that happened on the wire, with the kernel's timestamp.
struct IoEvent {
  enum class Type { kPacket, kTxTimestamp };
  Type type = Type::kPacket;
  // kPacket: a received IP packet, header included (rebuilt for IPv6).
  std::vector<uint8_t> packet;
  // Receive time (kPacket) or transmit time (kTxTimestamp), in the time
  // base of SendReceipt::time.
  absl::Time time;
  uint32_t tx_id = 0;  // kTxTimestamp: the SendReceipt::tx_id it refines.
};

struct SendReceipt {
  absl::Time time;     // Best send time known now (user space, just before).
  uint32_t tx_id = 0;  // Nonzero when a kernel transmit timestamp will
                       // follow as an IoEvent with this id.
};

// Not thread-safe: one prober thread uses it.
class PacketIo {
 public:
  virtual ~PacketIo() = default;

  // The local address the kernel would send from toward `destination`.
  virtual absl::StatusOr<IpAddress> SourceFor(const IpAddress& destination) = 0;

  // Prepares a flow and returns the flow id to put in its probes: `wanted`,
  // unless the kernel assigns identifiers (ICMP datagram sockets).
  virtual absl::StatusOr<uint16_t> OpenFlow(ProbeMethod method,
                                            const IpAddress& destination,
                                            uint16_t wanted) = 0;
  virtual void CloseFlow(ProbeMethod method, const IpAddress& destination,
                         uint16_t flow) {}

  // Sends a packet built by BuildProbe.
  virtual absl::StatusOr<SendReceipt> Send(
      const IpAddress& destination, absl::Span<const uint8_t> packet) = 0;

  // Waits until `deadline` (a time of the scheduling Clock) or until events
  // are ready, and appends the ready events to `events`.
  virtual absl::Status Wait(absl::Time deadline,
                            std::vector<IoEvent>* events) = 0;

  // What this I/O cannot do, in words for the user; empty when complete.
  virtual std::string Limitations() const { return ""; }
  virtual bool Supports(ProbeMethod method, IpFamily family) const {
    return true;
  }
};

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_PACKET_IO_H_
