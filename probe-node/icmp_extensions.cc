#include "probe-node/icmp_extensions.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "probe-node/byte_reader.h"
#include "probe-node/checksum.h"

namespace grid::probe {
namespace {

constexpr int kExtensionVersion = 2;
constexpr size_t kHeaderSize = 4;
constexpr size_t kObjectHeaderSize = 4;

}  // namespace

absl::StatusOr<IcmpExtensions> ParseIcmpExtensions(
    absl::Span<const uint8_t> data) {
  ByteReader r(data);
  uint8_t version_byte = 0;
  uint16_t checksum = 0;
  if (!r.ReadU8(&version_byte) || !r.Skip(1) || !r.ReadU16(&checksum)) {
    return absl::InvalidArgumentError(
        absl::StrCat("ICMP extension header truncated: ", data.size(),
                     " bytes, need ", kHeaderSize));
  }
  if ((version_byte >> 4) != kExtensionVersion) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ICMP extension version ", version_byte >> 4, ", expected 2"));
  }
  if (checksum != 0 && ChecksumFold(ChecksumPartial(data)) != 0xffff) {
    return absl::InvalidArgumentError("ICMP extension checksum mismatch");
  }
  IcmpExtensions out;
  while (r.remaining() > 0) {
    const size_t offset = r.position();
    uint16_t length = 0;
    uint8_t class_num = 0, c_type = 0;
    if (!r.ReadU16(&length) || !r.ReadU8(&class_num) || !r.ReadU8(&c_type)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "ICMP extension object header truncated at offset ", offset));
    }
    if (length < kObjectHeaderSize) {
      return absl::InvalidArgumentError(
          absl::StrCat("ICMP extension object at offset ", offset,
                       " has length ", length, " < 4"));
    }
    absl::Span<const uint8_t> payload;
    if (!r.ReadSpan(length - kObjectHeaderSize, &payload)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "ICMP extension object at offset ", offset, " claims ", length,
          " bytes but only ", r.remaining() + kObjectHeaderSize, " remain"));
    }
    if (class_num == kExtensionClassMpls &&
        c_type == kExtensionCtypeMplsIncoming) {
      if (payload.size() % 4 != 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("MPLS label stack object at offset ", offset,
                         " is not a multiple of 4 bytes"));
      }
      ByteReader labels(payload);
      uint32_t entry = 0;
      while (labels.ReadU32(&entry)) {
        out.mpls.push_back(
            MplsLabel{.label = entry >> 12,
                      .traffic_class = static_cast<uint8_t>((entry >> 9) & 0x7),
                      .bottom_of_stack = ((entry >> 8) & 1) != 0,
                      .ttl = static_cast<uint8_t>(entry & 0xff)});
      }
    }
    out.objects.push_back(IcmpExtensionObject{
        class_num, c_type,
        std::vector<uint8_t>(payload.begin(), payload.end())});
  }
  return out;
}

std::vector<uint8_t> EncodeMplsObject(const std::vector<MplsLabel>& labels) {
  std::vector<uint8_t> payload(labels.size() * 4);
  for (size_t i = 0; i < labels.size(); ++i) {
    const MplsLabel& l = labels[i];
    const uint32_t entry = (l.label & 0xfffff) << 12 |
                           static_cast<uint32_t>(l.traffic_class & 7) << 9 |
                           (l.bottom_of_stack ? 1u << 8 : 0u) | l.ttl;
    StoreU32(absl::MakeSpan(payload), i * 4, entry);
  }
  return payload;
}

std::vector<uint8_t> EncodeIcmpExtensions(
    const std::vector<IcmpExtensionObject>& objects) {
  std::vector<uint8_t> out(kHeaderSize, 0);
  out[0] = kExtensionVersion << 4;
  for (const auto& o : objects) {
    const size_t len = o.payload.size() + kObjectHeaderSize;
    out.push_back(static_cast<uint8_t>(len >> 8));
    out.push_back(static_cast<uint8_t>(len));
    out.push_back(o.class_num);
    out.push_back(o.c_type);
    out.insert(out.end(), o.payload.begin(), o.payload.end());
  }
  StoreU16(absl::MakeSpan(out), 2, ChecksumFinish(ChecksumPartial(out)));
  return out;
}

}  // namespace grid::probe
