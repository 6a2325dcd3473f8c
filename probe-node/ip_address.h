// An IPv4 or IPv6 address as a small value type, with the classification the
// prober needs (is it a unicast target?).
#ifndef GRID_PROBE_NODE_IP_ADDRESS_H_
#define GRID_PROBE_NODE_IP_ADDRESS_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace grid::probe {

enum class IpFamily : uint8_t { kV4 = 4, kV6 = 6 };

// An address of either family; bytes in network order. Copyable, hashable.
class IpAddress {
 public:
  IpAddress() = default;  // 0.0.0.0

  static IpAddress V4(std::array<uint8_t, 4> bytes);
  static IpAddress V6(std::array<uint8_t, 16> bytes);
  // REQUIRES: bytes.size() is 4 or 16.
  static IpAddress FromBytes(absl::Span<const uint8_t> bytes);
  // Parses dotted-quad or RFC 4291 text; an error says what was wrong.
  static absl::StatusOr<IpAddress> Parse(absl::string_view text);

  IpFamily family() const { return family_; }
  bool is_v4() const { return family_ == IpFamily::kV4; }
  // 4 or 16 bytes in network order.
  absl::Span<const uint8_t> bytes() const {
    return absl::MakeConstSpan(bytes_.data(), is_v4() ? 4 : 16);
  }
  std::string ToString() const;

  // True for addresses a probe may be sent to: not unspecified, loopback,
  // multicast, IPv4 broadcast/limited broadcast or class E.
  bool IsUnicast() const;
  bool IsUnspecified() const;

  friend bool operator==(const IpAddress& a, const IpAddress& b) {
    return a.family_ == b.family_ && a.bytes_ == b.bytes_;
  }
  friend bool operator!=(const IpAddress& a, const IpAddress& b) {
    return !(a == b);
  }
  friend bool operator<(const IpAddress& a, const IpAddress& b) {
    if (a.family_ != b.family_) return a.family_ < b.family_;
    return a.bytes_ < b.bytes_;
  }
  template <typename H>
  friend H AbslHashValue(H h, const IpAddress& a) {
    return H::combine(std::move(h), a.family_, a.bytes_);
  }

 private:
  IpFamily family_ = IpFamily::kV4;
  std::array<uint8_t, 16> bytes_{};  // IPv4 uses the first 4.
};

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_IP_ADDRESS_H_
