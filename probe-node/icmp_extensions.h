// ICMP multi-part messages (RFC 4884) and the MPLS label stack object
// (RFC 4950) that routers append to time-exceeded and unreachable messages.
#ifndef GRID_PROBE_NODE_ICMP_EXTENSIONS_H_
#define GRID_PROBE_NODE_ICMP_EXTENSIONS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace grid::probe {

// One MPLS label stack entry (RFC 3032).
struct MplsLabel {
  uint32_t label = 0;         // 20 bits.
  uint8_t traffic_class = 0;  // 3 bits (formerly EXP).
  bool bottom_of_stack = false;
  uint8_t ttl = 0;

  friend bool operator==(const MplsLabel& a, const MplsLabel& b) {
    return a.label == b.label && a.traffic_class == b.traffic_class &&
           a.bottom_of_stack == b.bottom_of_stack && a.ttl == b.ttl;
  }
};

// One extension object, undecoded beyond its header.
struct IcmpExtensionObject {
  uint8_t class_num = 0;
  uint8_t c_type = 0;
  std::vector<uint8_t> payload;
};

struct IcmpExtensions {
  std::vector<IcmpExtensionObject> objects;
  std::vector<MplsLabel> mpls;  // From class 1, c-type 1 objects.
};

inline constexpr uint8_t kExtensionClassMpls = 1;
inline constexpr uint8_t kExtensionCtypeMplsIncoming = 1;

// Parses an extension structure: a 4-byte header (version 2, checksum) and
// objects. A nonzero checksum must verify. Errors name the fault and offset.
absl::StatusOr<IcmpExtensions> ParseIcmpExtensions(
    absl::Span<const uint8_t> data);

// Encodes an extension structure with a valid checksum (for tests, and for
// the simulated routers of the unit tests).
std::vector<uint8_t> EncodeIcmpExtensions(
    const std::vector<IcmpExtensionObject>& objects);
std::vector<uint8_t> EncodeMplsObject(const std::vector<MplsLabel>& labels);

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_ICMP_EXTENSIONS_H_
