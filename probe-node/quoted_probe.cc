#include "probe-node/quoted_probe.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "probe-node/byte_reader.h"
#include "probe-node/ip_header.h"

namespace grid::probe {
namespace {

constexpr size_t kMinTransportQuote = 8;  // RFC 792 guarantees 8 bytes.

bool ValidSequence(uint16_t s) { return s != 0 && s != 0xffff; }

}  // namespace

bool ReadEchoSequence(absl::Span<const uint8_t> echo_payload,
                      uint16_t* sequence) {
  if (echo_payload.size() < 4) return false;
  const uint16_t seq = LoadU16(echo_payload, 0);
  const uint16_t complement = LoadU16(echo_payload, 2);
  if (static_cast<uint16_t>(~seq) != complement || !ValidSequence(seq)) {
    return false;
  }
  *sequence = seq;
  return true;
}

absl::StatusOr<QuotedProbe> DecodeQuotedProbe(absl::Span<const uint8_t> quote) {
  GRID_ASSIGN_OR_RETURN(IpHeader ip, ParseQuotedIpHeader(quote));
  if (ip.payload.size() < kMinTransportQuote) {
    return absl::InvalidArgumentError(
        absl::StrCat("quoted transport header truncated: ", ip.payload.size(),
                     " of 8 bytes"));
  }
  const absl::Span<const uint8_t> l4 = ip.payload;
  QuotedProbe q;
  q.source = ip.source;
  q.ttl = ip.ttl;
  q.key.destination = ip.destination;
  const bool v4 = ip.destination.is_v4();
  switch (ip.protocol) {
    case kProtoIcmp:
    case kProtoIcmpV6: {
      if ((ip.protocol == kProtoIcmp) != v4) {
        return absl::NotFoundError("quoted ICMP of the wrong IP version");
      }
      const uint8_t echo_request = v4 ? 8 : 128;
      if (l4[0] != echo_request || l4[1] != 0) {
        return absl::NotFoundError(
            absl::StrCat("quoted ICMP type ", l4[0], " is not an echo probe"));
      }
      q.key.method = ProbeMethod::kIcmpEcho;
      q.key.flow_id = LoadU16(l4, 4);
      uint16_t seq = 0;
      if (ReadEchoSequence(l4.subspan(8), &seq)) {
        q.key.sequence = seq;
      } else if (v4 && ValidSequence(ip.id) && l4.size() < 12) {
        // Only 8 bytes quoted: the sequence is in the IP id.
        q.key.sequence = ip.id;
      } else {
        return absl::NotFoundError("quoted echo probe carries no sequence");
      }
      return q;
    }
    case kProtoUdp: {
      q.key.method = ProbeMethod::kUdp;
      q.key.flow_id = LoadU16(l4, 0);
      q.key.dst_port = LoadU16(l4, 2);
      q.key.sequence = LoadU16(l4, 6);  // The checksum is the sequence.
      if (!ValidSequence(q.key.sequence)) {
        return absl::NotFoundError("quoted UDP checksum is not a sequence");
      }
      return q;
    }
    case kProtoTcp: {
      q.key.method = ProbeMethod::kTcpSyn;
      q.key.flow_id = LoadU16(l4, 0);
      q.key.dst_port = LoadU16(l4, 2);
      const uint16_t seq_high = LoadU16(l4, 4);
      const uint16_t seq_low = LoadU16(l4, 6);
      if (seq_low != q.key.flow_id || !ValidSequence(seq_high)) {
        return absl::NotFoundError("quoted TCP segment is not a grid probe");
      }
      q.key.sequence = seq_high;
      return q;
    }
    default:
      return absl::NotFoundError(
          absl::StrCat("quoted protocol ", ip.protocol, " is not probed"));
  }
}

}  // namespace grid::probe
