#include "probe-node/reply_parser.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "probe-node/byte_reader.h"
#include "probe-node/checksum.h"
#include "probe-node/ip_header.h"
#include "probe-node/quoted_probe.h"

namespace grid::probe {
namespace {

constexpr size_t kIcmpHeader = 8;
constexpr size_t kTcpMinHeader = 20;
// RFC 4884 § 5.5: pre-standard implementations put extensions after a
// quote padded to 128 bytes without setting the length field.
constexpr size_t kLegacyQuoteLength = 128;

// ICMP types, by family.
struct IcmpTypes {
  uint8_t echo_reply, unreachable, time_exceeded, param_problem, too_big;
};
constexpr IcmpTypes kV4Types = {0, 3, 11, 12, 0xff};
constexpr IcmpTypes kV6Types = {129, 1, 3, 4, 2};

// Splits an ICMP error body into the quoted probe and any RFC 4884
// extension structure, which it decodes into `reply`.
absl::Span<const uint8_t> SplitExtensions(absl::Span<const uint8_t> icmp,
                                          bool v4, bool has_length_field,
                                          Reply& reply) {
  absl::Span<const uint8_t> body = icmp.subspan(kIcmpHeader);
  if (!has_length_field) return body;
  // IPv4 counts 32-bit words at byte 5; IPv6 counts 64-bit words at byte 4.
  const size_t length =
      v4 ? static_cast<size_t>(icmp[5]) * 4 : static_cast<size_t>(icmp[4]) * 8;
  if (length > 0) {
    if (length > body.size()) {
      reply.extension_error =
          absl::StrCat("RFC 4884 length ", length, " exceeds the ", body.size(),
                       "-byte ICMP body");
      return body;
    }
    const absl::Span<const uint8_t> ext = body.subspan(length);
    if (!ext.empty()) {
      auto parsed = ParseIcmpExtensions(ext);
      if (parsed.ok()) {
        reply.extensions = *std::move(parsed);
      } else {
        reply.extension_error = std::string(parsed.status().message());
      }
    }
    return body.subspan(0, length);
  }
  // Legacy layout: accept only a well-formed structure with a checksum.
  if (body.size() >= kLegacyQuoteLength + 4) {
    const absl::Span<const uint8_t> ext = body.subspan(kLegacyQuoteLength);
    if ((ext[0] >> 4) == 2 && LoadU16(ext, 2) != 0) {
      auto parsed = ParseIcmpExtensions(ext);
      if (parsed.ok()) {
        reply.extensions = *std::move(parsed);
        return body.subspan(0, kLegacyQuoteLength);
      }
    }
  }
  return body;
}

absl::StatusOr<Reply> ParseIcmp(const IpHeader& outer,
                                const ParseOptions& options) {
  const bool v4 = outer.source.is_v4();
  const absl::Span<const uint8_t> icmp = outer.payload;
  if (icmp.size() < kIcmpHeader) {
    return absl::InvalidArgumentError(
        absl::StrCat("ICMP header truncated: ", icmp.size(), " of 8 bytes"));
  }
  if (options.verify_checksums) {
    uint32_t sum = ChecksumPartial(icmp);
    if (!v4) {
      sum += PseudoHeaderSum(outer.source, outer.destination, kProtoIcmpV6,
                             static_cast<uint32_t>(icmp.size()));
    }
    if (ChecksumFold(sum) != 0xffff) {
      return absl::InvalidArgumentError("ICMP checksum mismatch");
    }
  }
  const IcmpTypes& t = v4 ? kV4Types : kV6Types;
  Reply reply;
  reply.responder = outer.source;
  reply.local = outer.destination;
  reply.reply_ttl = outer.ttl;
  reply.icmp_type = icmp[0];
  reply.icmp_code = icmp[1];

  if (icmp[0] == t.echo_reply) {
    if (icmp[1] != 0) {
      return absl::NotFoundError("echo reply with nonzero code");
    }
    uint16_t seq = 0;
    if (!ReadEchoSequence(icmp.subspan(kIcmpHeader), &seq)) {
      return absl::NotFoundError("echo reply without a probe sequence");
    }
    reply.kind = ReplyKind::kEchoReply;
    reply.probe.method = ProbeMethod::kIcmpEcho;
    reply.probe.destination = outer.source;
    reply.probe.flow_id = LoadU16(icmp, 4);
    reply.probe.sequence = seq;
    reply.probe_source = outer.destination;
    return reply;
  }

  bool has_length_field = false;
  if (icmp[0] == t.time_exceeded) {
    reply.kind = ReplyKind::kTimeExceeded;
    has_length_field = true;
  } else if (icmp[0] == t.unreachable) {
    reply.kind = ReplyKind::kDestinationUnreachable;
    has_length_field = true;
    if (v4 && icmp[1] == 4) reply.next_hop_mtu = LoadU16(icmp, 6);
  } else if (icmp[0] == t.param_problem) {
    reply.kind = ReplyKind::kParameterProblem;
    has_length_field = v4;  // RFC 4884 covers IPv4 parameter problem only.
  } else if (!v4 && icmp[0] == t.too_big) {
    reply.kind = ReplyKind::kPacketTooBig;
    const uint32_t mtu =
        static_cast<uint32_t>(LoadU16(icmp, 4)) << 16 | LoadU16(icmp, 6);
    reply.next_hop_mtu = static_cast<uint16_t>(std::min<uint32_t>(mtu, 0xffff));
  } else {
    return absl::NotFoundError(
        absl::StrCat("ICMP type ", icmp[0], " is not a probe reply"));
  }
  const absl::Span<const uint8_t> quote =
      SplitExtensions(icmp, v4, has_length_field, reply);
  GRID_ASSIGN_OR_RETURN(QuotedProbe q, DecodeQuotedProbe(quote));
  if (q.key.destination.family() != outer.source.family()) {
    return absl::InvalidArgumentError(
        "ICMP error quotes a packet of the other IP version");
  }
  reply.probe = q.key;
  reply.probe_source = q.source;
  reply.quoted_ttl = q.ttl;
  reply.quoted_bytes =
      static_cast<uint16_t>(std::min<size_t>(quote.size(), 0xffff));
  return reply;
}

absl::StatusOr<Reply> ParseTcp(const IpHeader& outer) {
  const absl::Span<const uint8_t> tcp = outer.payload;
  if (tcp.size() < kTcpMinHeader) {
    return absl::InvalidArgumentError(
        absl::StrCat("TCP header truncated: ", tcp.size(), " of 20 bytes"));
  }
  const size_t data_offset = static_cast<size_t>(tcp[12] >> 4) * 4;
  if (data_offset < kTcpMinHeader || data_offset > tcp.size()) {
    return absl::InvalidArgumentError(absl::StrCat("TCP data offset ",
                                                   data_offset, " invalid for ",
                                                   tcp.size(), " bytes"));
  }
  // The TCP checksum is not verified: a reply built by a kernel on the same
  // host or across a veth arrives with a partial (offloaded) checksum, and
  // the acknowledgement number must match an outstanding probe anyway.
  const uint8_t flags = tcp[13];
  constexpr uint8_t kSyn = 0x02, kRst = 0x04, kAck = 0x10;
  Reply reply;
  if ((flags & kRst) && (flags & kAck)) {
    reply.kind = ReplyKind::kTcpReset;
  } else if ((flags & (kSyn | kAck)) == (kSyn | kAck)) {
    reply.kind = ReplyKind::kTcpSynAck;
  } else {
    return absl::NotFoundError("TCP segment is not a SYN-ACK or RST-ACK");
  }
  ByteReader r(tcp.subspan(8));
  uint32_t ack = 0;
  r.ReadU32(&ack);  // In bounds: 20 bytes checked above.
  const uint32_t probe_seq = ack - 1;
  const uint16_t sequence = static_cast<uint16_t>(probe_seq >> 16);
  const uint16_t flow = LoadU16(tcp, 2);  // Our source port.
  if (static_cast<uint16_t>(probe_seq) != flow || sequence == 0 ||
      sequence == 0xffff) {
    return absl::NotFoundError("TCP reply does not acknowledge a grid probe");
  }
  reply.responder = outer.source;
  reply.local = outer.destination;
  reply.reply_ttl = outer.ttl;
  reply.probe.method = ProbeMethod::kTcpSyn;
  reply.probe.destination = outer.source;
  reply.probe.flow_id = flow;
  reply.probe.dst_port = LoadU16(tcp, 0);
  reply.probe.sequence = sequence;
  reply.probe_source = outer.destination;
  return reply;
}

}  // namespace

absl::StatusOr<Reply> ParseReply(absl::Span<const uint8_t> packet,
                                 const ParseOptions& options) {
  GRID_ASSIGN_OR_RETURN(IpHeader outer,
                        ParseOuterIpHeader(packet, options.verify_checksums));
  const bool v4 = outer.source.is_v4();
  if ((v4 && outer.protocol == kProtoIcmp) ||
      (!v4 && outer.protocol == kProtoIcmpV6)) {
    return ParseIcmp(outer, options);
  }
  if (outer.protocol == kProtoTcp) return ParseTcp(outer);
  return absl::NotFoundError(
      absl::StrCat("IP protocol ", outer.protocol, " is not a probe reply"));
}

}  // namespace grid::probe
