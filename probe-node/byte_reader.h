// Bounds-checked big-endian reads over an untrusted packet. Every read checks
// the remaining length first; a failed read returns false and leaves the
// output untouched, so parsers never read outside the buffer.
#ifndef GRID_PROBE_NODE_BYTE_READER_H_
#define GRID_PROBE_NODE_BYTE_READER_H_

#include <cstddef>
#include <cstdint>

#include "absl/types/span.h"

namespace grid::probe {

// A cursor over a byte span. Not thread-safe; cheap to copy.
class ByteReader {
 public:
  explicit ByteReader(absl::Span<const uint8_t> data) : data_(data) {}

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  // The unread bytes.
  absl::Span<const uint8_t> rest() const { return data_.subspan(pos_); }

  bool ReadU8(uint8_t* out) {
    if (remaining() < 1) return false;
    *out = data_[pos_++];
    return true;
  }
  bool ReadU16(uint16_t* out) {
    if (remaining() < 2) return false;
    *out = static_cast<uint16_t>(data_[pos_] << 8 | data_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool ReadU32(uint32_t* out) {
    if (remaining() < 4) return false;
    *out = static_cast<uint32_t>(data_[pos_]) << 24 |
           static_cast<uint32_t>(data_[pos_ + 1]) << 16 |
           static_cast<uint32_t>(data_[pos_ + 2]) << 8 |
           static_cast<uint32_t>(data_[pos_ + 3]);
    pos_ += 4;
    return true;
  }
  // Sets *out to the next n bytes and advances past them.
  bool ReadSpan(size_t n, absl::Span<const uint8_t>* out) {
    if (remaining() < n) return false;
    *out = data_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  bool Skip(size_t n) {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }

 private:
  absl::Span<const uint8_t> data_;
  size_t pos_ = 0;
};

// Reads a big-endian 16-bit value at `offset`; REQUIRES offset + 2 <= size.
inline uint16_t LoadU16(absl::Span<const uint8_t> d, size_t offset) {
  return static_cast<uint16_t>(d[offset] << 8 | d[offset + 1]);
}

// Writes a big-endian 16-bit value at `offset`; REQUIRES offset + 2 <= size.
inline void StoreU16(absl::Span<uint8_t> d, size_t offset, uint16_t v) {
  d[offset] = static_cast<uint8_t>(v >> 8);
  d[offset + 1] = static_cast<uint8_t>(v);
}

inline void StoreU32(absl::Span<uint8_t> d, size_t offset, uint32_t v) {
  d[offset] = static_cast<uint8_t>(v >> 24);
  d[offset + 1] = static_cast<uint8_t>(v >> 16);
  d[offset + 2] = static_cast<uint8_t>(v >> 8);
  d[offset + 3] = static_cast<uint8_t>(v);
}

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_BYTE_READER_H_
