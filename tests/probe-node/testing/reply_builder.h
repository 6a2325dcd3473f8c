// Builds the packets a network sends back to a probe (ICMP errors quoting it,
// echo replies, TCP answers), as a real router or host would, for the unit
// tests and the simulated network. Independent of the parser under test.
#ifndef GRID_TESTS_PROBE_NODE_TESTING_REPLY_BUILDER_H_
#define GRID_TESTS_PROBE_NODE_TESTING_REPLY_BUILDER_H_

#include <cstdint>
#include <vector>

#include "probe-node/icmp_extensions.h"
#include "probe-node/ip_address.h"

namespace grid::probe::testing {

struct ErrorOptions {
  uint8_t type = 11;  // ICMP type in the probe's family (11/3 v4, 3/1 v6).
  uint8_t code = 0;
  uint8_t ttl = 64;  // Outer TTL of the reply as it arrives.
  // Bytes of the probe to quote; -1 = as much as Linux quotes (576 bytes
  // total for IPv4, 1280 for IPv6).
  int quote_bytes = -1;
  // RFC 4884 extension objects; with `rfc4884_length` the quote is padded
  // to 128 bytes and the length field set, otherwise the legacy layout.
  std::vector<IcmpExtensionObject> extensions;
  bool rfc4884_length = true;
  uint16_t mtu = 0;  // Next-hop MTU for fragmentation needed / too big.
};

// An ICMP error from `responder` to the probe's source quoting `probe` (a
// full IP packet as it arrived at the responder: TTL already decremented).
std::vector<uint8_t> MakeIcmpError(const std::vector<uint8_t>& probe,
                                   const IpAddress& responder,
                                   const ErrorOptions& options = {});

// The echo reply the destination sends for an ICMP echo probe.
std::vector<uint8_t> MakeEchoReply(const std::vector<uint8_t>& probe,
                                   uint8_t ttl = 64);

// The destination's SYN-ACK (open=true) or RST-ACK for a TCP SYN probe.
std::vector<uint8_t> MakeTcpReply(const std::vector<uint8_t>& probe, bool open,
                                  uint8_t ttl = 64);

// Sets the TTL / hop limit of an IP packet (fixing the IPv4 checksum).
void SetTtl(std::vector<uint8_t>& packet, uint8_t ttl);

}  // namespace grid::probe::testing

#endif  // GRID_TESTS_PROBE_NODE_TESTING_REPLY_BUILDER_H_
