#include "probe-node/checksum.h"

namespace grid::probe {

uint32_t ChecksumPartial(absl::Span<const uint8_t> data, uint32_t sum) {
  uint64_t s = sum;
  size_t i = 0;
  for (; i + 1 < data.size(); i += 2) {
    s += static_cast<uint32_t>(data[i] << 8 | data[i + 1]);
  }
  if (i < data.size()) s += static_cast<uint32_t>(data[i] << 8);
  while (s >> 32) s = (s & 0xffffffffu) + (s >> 32);
  return static_cast<uint32_t>(s);
}

uint32_t PseudoHeaderSum(const IpAddress& src, const IpAddress& dst,
                         uint8_t protocol, uint32_t length) {
  uint64_t s = ChecksumPartial(src.bytes());
  s += ChecksumPartial(dst.bytes());
  s += protocol;
  s += length >> 16;
  s += length & 0xffff;
  while (s >> 32) s = (s & 0xffffffffu) + (s >> 32);
  return static_cast<uint32_t>(s);
}

uint16_t ChecksumFold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

}  // namespace grid::probe
