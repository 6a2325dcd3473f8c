// Parsing replies to probes: a pure function from the bytes of a received IP
// packet (header included; the IPv6 I/O layer rebuilds the header the kernel
// strips) to the probe it answers. Every read is bounds-checked; the input is
// untrusted.
#ifndef GRID_PROBE_NODE_REPLY_PARSER_H_
#define GRID_PROBE_NODE_REPLY_PARSER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "probe-node/icmp_extensions.h"
#include "probe-node/ip_address.h"
#include "probe-node/probe_key.h"

namespace grid::probe {

// DO NOT CHANGE THESE VALUES: they are carried in results.
enum class ReplyKind : uint8_t {
  kTimeExceeded = 0,            // A router on the path (ICMP type 11 / v6 3).
  kDestinationUnreachable = 1,  // Any code; port unreachable = reached.
  kEchoReply = 2,               // The destination answered an ICMP probe.
  kTcpSynAck = 3,               // The destination's port is open.
  kTcpReset = 4,                // The destination's port is closed.
  kPacketTooBig = 5,            // IPv6 type 2 (IPv4 uses unreachable code 4).
  kParameterProblem = 6,
};

const char* ReplyKindName(ReplyKind kind);

// Text for an unreachable code, e.g. "port unreachable", in the family's
// numbering (RFC 792/1812 for IPv4, RFC 4443 for IPv6).
std::string UnreachableCodeName(IpFamily family, uint8_t code);

// mtr-style short marker for an unreachable code ("!N", "!H", "!P", "!X"...),
// empty for port unreachable (the normal end of a UDP trace).
std::string UnreachableMarker(IpFamily family, uint8_t code);

struct Reply {
  ReplyKind kind = ReplyKind::kTimeExceeded;
  IpAddress responder;    // Outer source: the router or the destination.
  IpAddress local;        // Outer destination: the prober's address.
  uint8_t reply_ttl = 0;  // Outer TTL / hop limit as received.
  uint8_t icmp_type = 0;  // 0 for TCP replies.
  uint8_t icmp_code = 0;
  ProbeKey probe;          // The probe this reply answers.
  IpAddress probe_source;  // Source address of the probe (quoted or outer).
  // The probe's TTL when the responder quoted it (ICMP errors only).
  std::optional<uint8_t> quoted_ttl;
  uint16_t quoted_bytes = 0;  // Bytes of the probe quoted (ICMP errors).
  uint16_t next_hop_mtu = 0;  // Fragmentation needed / packet too big.
  IcmpExtensions extensions;  // RFC 4884 objects, MPLS labels decoded.
  // Set when an extension structure was present but malformed (the reply
  // itself is still valid).
  std::string extension_error;

  // True when the reply comes from the probe's destination (echo reply,
  // TCP reply, or an ICMP error sent by the destination itself).
  bool FromDestination() const { return responder == probe.destination; }
};

struct ParseOptions {
  // Verify IPv4 header and ICMP checksums (the kernel does not do it for
  // raw sockets). Off only in fuzzing, to reach deeper code. TCP checksums
  // are never verified (see ParseTcp).
  bool verify_checksums = true;
};

// Errors: InvalidArgument for malformed packets (with what and where),
// NotFound for well-formed packets that are not replies to a probe of the
// formats in probe_packet.h.
absl::StatusOr<Reply> ParseReply(absl::Span<const uint8_t> packet,
                                 const ParseOptions& options = {});

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_REPLY_PARSER_H_
