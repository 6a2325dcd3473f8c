#include "probe-node/ip_header.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "probe-node/byte_reader.h"
#include "probe-node/checksum.h"

namespace grid::probe {
namespace {

constexpr size_t kV4MinHeader = 20;
constexpr size_t kV6Header = 40;

absl::Status Invalid(bool quoted, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(quoted ? "quoted " : "", "IP header: ", what));
}

// Shared by outer and quoted parsing; `quoted` relaxes length checks.
absl::StatusOr<IpHeader> Parse(absl::Span<const uint8_t> data, bool quoted,
                               bool verify_checksum) {
  if (data.empty()) return Invalid(quoted, "empty packet");
  const int version = data[0] >> 4;
  IpHeader h;
  if (version == 4) {
    if (data.size() < kV4MinHeader) {
      return Invalid(
          quoted,
          absl::StrCat("IPv4 header truncated: ", data.size(), " of 20 bytes"));
    }
    const size_t header_len = static_cast<size_t>(data[0] & 0x0f) * 4;
    if (header_len < kV4MinHeader || header_len > data.size()) {
      return Invalid(quoted,
                     absl::StrCat("IPv4 header length ", header_len,
                                  " invalid for ", data.size(), " bytes"));
    }
    const size_t total = LoadU16(data, 2);
    if (total < header_len) {
      return Invalid(quoted, absl::StrCat("IPv4 total length ", total,
                                          " shorter than its header"));
    }
    if (!quoted && total > data.size()) {
      return Invalid(quoted,
                     absl::StrCat("IPv4 total length ", total, " exceeds the ",
                                  data.size(), " bytes received"));
    }
    const uint16_t frag = LoadU16(data, 6);
    if ((frag & 0x1fff) != 0 || (!quoted && (frag & 0x2000) != 0)) {
      return Invalid(quoted, "IPv4 fragment");
    }
    if (verify_checksum &&
        ChecksumFold(ChecksumPartial(data.subspan(0, header_len))) != 0xffff) {
      return Invalid(quoted, "IPv4 header checksum mismatch");
    }
    h.id = LoadU16(data, 4);
    h.ttl = data[8];
    h.protocol = data[9];
    h.source = IpAddress::FromBytes(data.subspan(12, 4));
    h.destination = IpAddress::FromBytes(data.subspan(16, 4));
    const size_t end = std::min(total, data.size());
    h.payload = data.subspan(header_len, end - header_len);
    return h;
  }
  if (version == 6) {
    if (data.size() < kV6Header) {
      return Invalid(
          quoted,
          absl::StrCat("IPv6 header truncated: ", data.size(), " of 40 bytes"));
    }
    const size_t payload_len = LoadU16(data, 4);
    if (!quoted && kV6Header + payload_len > data.size()) {
      return Invalid(
          quoted,
          absl::StrCat("IPv6 payload length ", payload_len, " exceeds the ",
                       data.size() - kV6Header, " bytes received"));
    }
    h.protocol = data[6];
    h.ttl = data[7];
    h.source = IpAddress::FromBytes(data.subspan(8, 16));
    h.destination = IpAddress::FromBytes(data.subspan(24, 16));
    const size_t end = std::min(kV6Header + payload_len, data.size());
    h.payload = data.subspan(kV6Header, end - kV6Header);
    return h;
  }
  return Invalid(quoted, absl::StrCat("unknown IP version ", version));
}

}  // namespace

absl::StatusOr<IpHeader> ParseOuterIpHeader(absl::Span<const uint8_t> data,
                                            bool verify_checksum) {
  return Parse(data, /*quoted=*/false, verify_checksum);
}

absl::StatusOr<IpHeader> ParseQuotedIpHeader(absl::Span<const uint8_t> data) {
  return Parse(data, /*quoted=*/true, /*verify_checksum=*/false);
}

}  // namespace grid::probe
