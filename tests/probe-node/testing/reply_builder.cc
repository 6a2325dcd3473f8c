#include "tests/probe-node/testing/reply_builder.h"

#include <algorithm>

#include "probe-node/byte_reader.h"
#include "probe-node/checksum.h"

namespace grid::probe::testing {
namespace {

bool IsV4(const std::vector<uint8_t>& p) { return (p[0] >> 4) == 4; }
size_t HeaderLen(const std::vector<uint8_t>& p) {
  return IsV4(p) ? static_cast<size_t>(p[0] & 0xf) * 4 : 40;
}
IpAddress Src(const std::vector<uint8_t>& p) {
  return IsV4(p) ? IpAddress::FromBytes(absl::MakeConstSpan(&p[12], 4))
                 : IpAddress::FromBytes(absl::MakeConstSpan(&p[8], 16));
}
IpAddress Dst(const std::vector<uint8_t>& p) {
  return IsV4(p) ? IpAddress::FromBytes(absl::MakeConstSpan(&p[16], 4))
                 : IpAddress::FromBytes(absl::MakeConstSpan(&p[24], 16));
}

// Wraps `l4` in an IP header from src to dst and fixes the transport
// checksum at `checksum_at` (pseudo-header included unless ICMPv4).
std::vector<uint8_t> Wrap(const IpAddress& src, const IpAddress& dst,
                          uint8_t protocol, uint8_t ttl,
                          std::vector<uint8_t> l4, size_t checksum_at) {
  StoreU16(absl::MakeSpan(l4), checksum_at, 0);
  uint32_t sum = ChecksumPartial(l4);
  if (!(src.is_v4() && protocol == 1)) {
    sum +=
        PseudoHeaderSum(src, dst, protocol, static_cast<uint32_t>(l4.size()));
  }
  StoreU16(absl::MakeSpan(l4), checksum_at, ChecksumFinish(sum));
  std::vector<uint8_t> out;
  if (src.is_v4()) {
    out.assign(20, 0);
    out[0] = 0x45;
    StoreU16(absl::MakeSpan(out), 2, static_cast<uint16_t>(20 + l4.size()));
    StoreU16(absl::MakeSpan(out), 4, 0x4321);
    out[8] = ttl;
    out[9] = protocol;
    std::copy(src.bytes().begin(), src.bytes().end(), out.begin() + 12);
    std::copy(dst.bytes().begin(), dst.bytes().end(), out.begin() + 16);
    StoreU16(absl::MakeSpan(out), 10, ChecksumFinish(ChecksumPartial(out)));
  } else {
    out.assign(40, 0);
    out[0] = 0x60;
    StoreU16(absl::MakeSpan(out), 4, static_cast<uint16_t>(l4.size()));
    out[6] = protocol;
    out[7] = ttl;
    std::copy(src.bytes().begin(), src.bytes().end(), out.begin() + 8);
    std::copy(dst.bytes().begin(), dst.bytes().end(), out.begin() + 24);
  }
  out.insert(out.end(), l4.begin(), l4.end());
  return out;
}

}  // namespace

void SetTtl(std::vector<uint8_t>& p, uint8_t ttl) {
  if (IsV4(p)) {
    p[8] = ttl;
    StoreU16(absl::MakeSpan(p), 10, 0);
    StoreU16(
        absl::MakeSpan(p), 10,
        ChecksumFinish(ChecksumPartial(absl::MakeConstSpan(p.data(), 20))));
  } else {
    p[7] = ttl;
  }
}

std::vector<uint8_t> MakeIcmpError(const std::vector<uint8_t>& probe,
                                   const IpAddress& responder,
                                   const ErrorOptions& o) {
  const bool v4 = IsV4(probe);
  const size_t limit = v4 ? 576 - 20 - 8 : 1280 - 40 - 8;
  size_t n = o.quote_bytes < 0 ? std::min(probe.size(), limit)
                               : std::min<size_t>(probe.size(), o.quote_bytes);
  std::vector<uint8_t> quote(probe.begin(), probe.begin() + n);
  std::vector<uint8_t> icmp(8, 0);
  icmp[0] = o.type;
  icmp[1] = o.code;
  if (v4 && o.type == 3 && o.code == 4)
    StoreU16(absl::MakeSpan(icmp), 6, o.mtu);
  if (!v4 && o.type == 2) StoreU32(absl::MakeSpan(icmp), 4, o.mtu);
  if (!o.extensions.empty()) {
    if (quote.size() < 128) quote.resize(128, 0);
    if (o.rfc4884_length) {
      if (v4) {
        quote.resize((quote.size() + 3) / 4 * 4, 0);
        icmp[5] = static_cast<uint8_t>(quote.size() / 4);
      } else {
        quote.resize((quote.size() + 7) / 8 * 8, 0);
        icmp[4] = static_cast<uint8_t>(quote.size() / 8);
      }
    } else {
      quote.resize(128);
    }
  }
  icmp.insert(icmp.end(), quote.begin(), quote.end());
  if (!o.extensions.empty()) {
    std::vector<uint8_t> ext = EncodeIcmpExtensions(o.extensions);
    icmp.insert(icmp.end(), ext.begin(), ext.end());
  }
  return Wrap(responder, Src(probe), v4 ? 1 : 58, o.ttl, std::move(icmp), 2);
}

std::vector<uint8_t> MakeEchoReply(const std::vector<uint8_t>& probe,
                                   uint8_t ttl) {
  const bool v4 = IsV4(probe);
  std::vector<uint8_t> icmp(probe.begin() + HeaderLen(probe), probe.end());
  icmp[0] = v4 ? 0 : 129;
  return Wrap(Dst(probe), Src(probe), v4 ? 1 : 58, ttl, std::move(icmp), 2);
}

std::vector<uint8_t> MakeTcpReply(const std::vector<uint8_t>& probe, bool open,
                                  uint8_t ttl) {
  const size_t h = HeaderLen(probe);
  const auto in = absl::MakeConstSpan(probe).subspan(h);
  std::vector<uint8_t> tcp(20, 0);
  auto t = absl::MakeSpan(tcp);
  StoreU16(t, 0, LoadU16(in, 2));
  StoreU16(t, 2, LoadU16(in, 0));
  const uint32_t seq =
      static_cast<uint32_t>(LoadU16(in, 4)) << 16 | LoadU16(in, 6);
  StoreU32(t, 4, open ? 0x11223344u : 0u);
  StoreU32(t, 8, seq + 1);
  tcp[12] = 5 << 4;
  tcp[13] = open ? 0x12 : 0x14;
  StoreU16(t, 14, open ? 64240 : 0);
  return Wrap(Dst(probe), Src(probe), 6, ttl, std::move(tcp), 16);
}

}  // namespace grid::probe::testing
