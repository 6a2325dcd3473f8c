// Hex text <-> bytes for golden-byte tests.
#ifndef GRID_TESTS_PROBE_NODE_TESTING_HEX_H_
#define GRID_TESTS_PROBE_NODE_TESTING_HEX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace grid::probe::testing {

// Decodes hex digits, ignoring spaces and newlines. REQUIRES: valid hex.
inline std::vector<uint8_t> FromHex(absl::string_view hex) {
  std::vector<uint8_t> out;
  int nibble = -1;
  for (char c : hex) {
    int v;
    if (c >= '0' && c <= '9')
      v = c - '0';
    else if (c >= 'a' && c <= 'f')
      v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      v = c - 'A' + 10;
    else
      continue;
    if (nibble < 0) {
      nibble = v;
    } else {
      out.push_back(static_cast<uint8_t>(nibble << 4 | v));
      nibble = -1;
    }
  }
  return out;
}

inline std::string ToHex(const std::vector<uint8_t>& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (uint8_t b : bytes) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 15]);
  }
  return s;
}

}  // namespace grid::probe::testing

#endif  // GRID_TESTS_PROBE_NODE_TESTING_HEX_H_
