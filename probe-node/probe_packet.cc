#include "probe-node/probe_packet.h"

#include <algorithm>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "probe-node/byte_reader.h"
#include "probe-node/checksum.h"

namespace grid::probe {
namespace {

constexpr int kIpv4HeaderSize = 20;
constexpr int kIpv6HeaderSize = 40;
constexpr int kIcmpHeaderSize = 8;
constexpr int kUdpHeaderSize = 8;
constexpr int kTcpHeaderSize = 20;
constexpr int kSequenceWords = 4;  // ICMP: sequence + complement.
constexpr int kSteeringWord = 2;   // UDP: checksum steering word.

int IpHeaderSize(IpFamily f) {
  return f == IpFamily::kV4 ? kIpv4HeaderSize : kIpv6HeaderSize;
}

uint8_t Protocol(ProbeMethod m, IpFamily f) {
  switch (m) {
    case ProbeMethod::kIcmpEcho:
      return f == IpFamily::kV4 ? kProtoIcmp : kProtoIcmpV6;
    case ProbeMethod::kUdp:
      return kProtoUdp;
    case ProbeMethod::kTcpSyn:
      return kProtoTcp;
  }
  return 0;
}

// Writes the IP header for a packet of `total` bytes into the front of `p`.
void WriteIpHeader(const ProbeSpec& spec, uint8_t protocol, int total,
                   absl::Span<uint8_t> p) {
  const IpAddress& src = spec.source;
  const IpAddress& dst = spec.key.destination;
  if (dst.is_v4()) {
    p[0] = 0x45;
    p[1] = spec.tos;
    StoreU16(p, 2, static_cast<uint16_t>(total));
    StoreU16(p, 4, spec.key.sequence);  // IP id: quoted by every router.
    StoreU16(p, 6, 0);                  // No DF, like mtr.
    p[8] = static_cast<uint8_t>(spec.ttl);
    p[9] = protocol;
    StoreU16(p, 10, 0);
    std::copy(src.bytes().begin(), src.bytes().end(), p.begin() + 12);
    std::copy(dst.bytes().begin(), dst.bytes().end(), p.begin() + 16);
    StoreU16(p, 10,
             ChecksumFinish(ChecksumPartial(p.subspan(0, kIpv4HeaderSize))));
    return;
  }
  const uint32_t flow_label = spec.key.flow_id;  // 20 bits are enough.
  StoreU32(p, 0, 6u << 28 | static_cast<uint32_t>(spec.tos) << 20 | flow_label);
  StoreU16(p, 4, static_cast<uint16_t>(total - kIpv6HeaderSize));
  p[6] = protocol;
  p[7] = static_cast<uint8_t>(spec.ttl);
  std::copy(src.bytes().begin(), src.bytes().end(), p.begin() + 8);
  std::copy(dst.bytes().begin(), dst.bytes().end(), p.begin() + 24);
}

void WriteIcmpEcho(const ProbeSpec& spec, absl::Span<uint8_t> l4) {
  const bool v4 = spec.key.destination.is_v4();
  l4[0] = v4 ? 8 : 128;  // Echo request.
  l4[1] = 0;
  StoreU16(l4, 4, spec.key.flow_id);
  StoreU16(l4, 6, 0);  // Constant ICMP sequence: part of the flow.
  StoreU16(l4, 8, spec.key.sequence);
  StoreU16(l4, 10, static_cast<uint16_t>(~spec.key.sequence));
  uint32_t sum = ChecksumPartial(l4);
  if (!v4) {
    sum += PseudoHeaderSum(spec.source, spec.key.destination, kProtoIcmpV6,
                           static_cast<uint32_t>(l4.size()));
  }
  StoreU16(l4, 2, ChecksumFinish(sum));
}

void WriteUdp(const ProbeSpec& spec, absl::Span<uint8_t> l4) {
  StoreU16(l4, 0, spec.key.flow_id);
  StoreU16(l4, 2, spec.key.dst_port);
  StoreU16(l4, 4, static_cast<uint16_t>(l4.size()));
  // Checksum and steering word are zero while summing the rest.
  const uint32_t sum =
      ChecksumPartial(l4) + PseudoHeaderSum(spec.source, spec.key.destination,
                                            kProtoUdp,
                                            static_cast<uint32_t>(l4.size()));
  const uint16_t s = ChecksumFold(sum);
  // Want ~fold(s + w) == sequence, i.e. fold(s + w) == ~sequence.
  const uint16_t want = static_cast<uint16_t>(~spec.key.sequence);
  const uint16_t w =
      ChecksumFold(static_cast<uint32_t>(want) + static_cast<uint16_t>(~s));
  StoreU16(l4, kUdpHeaderSize, w);
  StoreU16(l4, 6, spec.key.sequence);
}

void WriteTcpSyn(const ProbeSpec& spec, absl::Span<uint8_t> l4) {
  StoreU16(l4, 0, spec.key.flow_id);
  StoreU16(l4, 2, spec.key.dst_port);
  StoreU32(l4, 4,
           static_cast<uint32_t>(spec.key.sequence) << 16 | spec.key.flow_id);
  StoreU32(l4, 8, 0);
  l4[12] = 5 << 4;  // Data offset: 5 words, no options.
  l4[13] = 0x02;    // SYN.
  StoreU16(l4, 14, 65535);
  StoreU16(l4, 16, 0);
  StoreU16(l4, 18, 0);
  const uint32_t sum =
      ChecksumPartial(l4) + PseudoHeaderSum(spec.source, spec.key.destination,
                                            kProtoTcp,
                                            static_cast<uint32_t>(l4.size()));
  StoreU16(l4, 16, ChecksumFinish(sum));
}

}  // namespace

const char* ProbeMethodName(ProbeMethod method) {
  switch (method) {
    case ProbeMethod::kIcmpEcho:
      return "icmp";
    case ProbeMethod::kUdp:
      return "udp";
    case ProbeMethod::kTcpSyn:
      return "tcp";
  }
  return "?";
}

std::string ProbeKey::DebugString() const {
  return absl::StrFormat("%s dst=%s flow=%u port=%u seq=%u",
                         ProbeMethodName(method), destination.ToString(),
                         flow_id, dst_port, sequence);
}

int MinProbeSize(ProbeMethod method, IpFamily family) {
  const int ip = IpHeaderSize(family);
  switch (method) {
    case ProbeMethod::kIcmpEcho:
      return ip + kIcmpHeaderSize + kSequenceWords;
    case ProbeMethod::kUdp:
      return ip + kUdpHeaderSize + kSteeringWord;
    case ProbeMethod::kTcpSyn:
      return ip + kTcpHeaderSize;
  }
  return ip;
}

absl::StatusOr<std::vector<uint8_t>> BuildProbe(const ProbeSpec& spec) {
  const IpAddress& dst = spec.key.destination;
  if (spec.source.family() != dst.family()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "probe source ", spec.source.ToString(), " and destination ",
        dst.ToString(), " are of different address families"));
  }
  if (spec.ttl < 1 || spec.ttl > 255) {
    return absl::InvalidArgumentError(
        absl::StrCat("probe TTL ", spec.ttl, " is outside 1..255"));
  }
  if (spec.key.sequence == 0 || spec.key.sequence == 0xffff) {
    return absl::InvalidArgumentError(
        absl::StrCat("probe sequence ", spec.key.sequence,
                     " is reserved (must be 1..65534)"));
  }
  if (spec.packet_size > kMaxProbePacketSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("probe packet size ", spec.packet_size, " exceeds ",
                     kMaxProbePacketSize, " bytes"));
  }
  const IpFamily family = dst.family();
  const int min_size = MinProbeSize(spec.key.method, family);
  const int total = spec.key.method == ProbeMethod::kTcpSyn
                        ? min_size
                        : std::max(min_size, spec.packet_size);
  std::vector<uint8_t> packet(static_cast<size_t>(total), 0);
  absl::Span<uint8_t> p(packet);
  const int ip_size = IpHeaderSize(family);
  absl::Span<uint8_t> l4 = p.subspan(static_cast<size_t>(ip_size));
  switch (spec.key.method) {
    case ProbeMethod::kIcmpEcho:
      WriteIcmpEcho(spec, l4);
      break;
    case ProbeMethod::kUdp:
      WriteUdp(spec, l4);
      break;
    case ProbeMethod::kTcpSyn:
      WriteTcpSyn(spec, l4);
      break;
  }
  WriteIpHeader(spec, Protocol(spec.key.method, family), total, p);
  return packet;
}

}  // namespace grid::probe
