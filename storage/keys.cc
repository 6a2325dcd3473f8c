#include "storage/keys.h"

#include <arpa/inet.h>

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "storage/absl_view.h"

namespace grid::storage {
namespace {

constexpr uint64_t kTimeSignBit = uint64_t{1} << 63;
constexpr int64_t kMaxIdTimeMs = (int64_t{1} << (64 - kIdSequenceBits)) - 1;

absl::Status BadKeySize(std::string_view what, std::string_view key,
                        size_t want) {
  return absl::DataLossError(
      absl::StrCat("storage: corrupt ", Av(what), " key ", HexKey(key), ": ",
                   key.size(), " bytes, expected ", want));
}

}  // namespace

void AppendUint64BE(std::string* dst, uint64_t value) {
  char buf[8];
  for (int i = 7; i >= 0; --i) {
    buf[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  dst->append(buf, sizeof(buf));
}

void AppendUint32BE(std::string* dst, uint32_t value) {
  char buf[4];
  for (int i = 3; i >= 0; --i) {
    buf[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  dst->append(buf, sizeof(buf));
}

uint64_t LoadUint64BE(const char* src) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value = (value << 8) | static_cast<uint8_t>(src[i]);
  }
  return value;
}

uint32_t LoadUint32BE(const char* src) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    value = (value << 8) | static_cast<uint8_t>(src[i]);
  }
  return value;
}

uint64_t EncodeTimeMs(int64_t unix_ms) {
  return static_cast<uint64_t>(unix_ms) ^ kTimeSignBit;
}

int64_t DecodeTimeMs(uint64_t encoded) {
  return static_cast<int64_t>(encoded ^ kTimeSignBit);
}

uint64_t IdFloorForTimeMs(int64_t unix_ms) {
  if (unix_ms <= 0) return 0;
  if (unix_ms > kMaxIdTimeMs) unix_ms = kMaxIdTimeMs;
  return static_cast<uint64_t>(unix_ms) << kIdSequenceBits;
}

int64_t IdTimeMs(uint64_t id) {
  return static_cast<int64_t>(id >> kIdSequenceBits);
}

uint64_t ProbeId(std::string_view probe_name) {
  // FNV-1a, 64 bit. Fixed forever: it is part of stored keys.
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : probe_name) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

absl::StatusOr<TargetBytes> NormalizeTarget(std::string_view address) {
  auto invalid = [&](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid target \"", absl::CHexEscape(Av(address)), "\": ", Av(why)));
  };
  if (address.empty()) return invalid("empty");
  if (address.size() > 45) return invalid("too long for an IP address");
  // inet_pton needs a NUL-terminated string; the view may contain NULs.
  if (address.find('\0') != std::string_view::npos) {
    return invalid("contains a NUL byte");
  }
  const std::string text(address);
  TargetBytes out{};
  in_addr v4;
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return invalid("not an IPv4 or IPv6 address literal");
}

std::string FormatTarget(const TargetBytes& target) {
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0,    0,
                                                0, 0, 0, 0, 0xff, 0xff};
  char buf[INET6_ADDRSTRLEN];
  if (std::memcmp(target.data(), kMappedPrefix, 12) == 0) {
    inet_ntop(AF_INET, target.data() + 12, buf, sizeof(buf));
  } else {
    inet_ntop(AF_INET6, target.data(), buf, sizeof(buf));
  }
  return buf;
}

std::string IdKey(uint64_t id) {
  std::string key;
  key.reserve(kIdKeySize);
  AppendUint64BE(&key, id);
  return key;
}

absl::StatusOr<uint64_t> DecodeIdKey(std::string_view key) {
  if (key.size() != kIdKeySize) return BadKeySize("id", key, kIdKeySize);
  return LoadUint64BE(key.data());
}

std::string EncodeHopResultKey(const HopResultKey& key) {
  std::string out =
      HopResultStreamPrefix(key.job_id, key.probe_id, key.direction);
  AppendUint32BE(&out, key.cycle);
  return out;
}

absl::StatusOr<HopResultKey> DecodeHopResultKey(std::string_view key) {
  if (key.size() != kHopResultKeySize) {
    return BadKeySize("hop_results", key, kHopResultKeySize);
  }
  HopResultKey out;
  out.job_id = LoadUint64BE(key.data());
  out.probe_id = LoadUint64BE(key.data() + 8);
  out.direction = static_cast<uint8_t>(key[16]);
  out.cycle = LoadUint32BE(key.data() + 17);
  return out;
}

std::string HopResultJobPrefix(uint64_t job_id) { return IdKey(job_id); }

std::string HopResultStreamPrefix(uint64_t job_id, uint64_t probe_id,
                                  uint8_t direction) {
  std::string out;
  out.reserve(kHopResultKeySize);
  AppendUint64BE(&out, job_id);
  AppendUint64BE(&out, probe_id);
  out.push_back(static_cast<char>(direction));
  return out;
}

std::string EncodeTargetIndexKey(const TargetIndexKey& key) {
  std::string out = TargetIndexTimeBound(key.target, key.time_ms);
  AppendUint64BE(&out, key.id);
  return out;
}

absl::StatusOr<TargetIndexKey> DecodeTargetIndexKey(std::string_view key) {
  if (key.size() != kTargetIndexKeySize) {
    return BadKeySize("diagnoses_by_target", key, kTargetIndexKeySize);
  }
  TargetIndexKey out;
  std::memcpy(out.target.data(), key.data(), 16);
  out.time_ms = DecodeTimeMs(LoadUint64BE(key.data() + 16));
  out.id = LoadUint64BE(key.data() + 24);
  return out;
}

std::string TargetPrefix(const TargetBytes& target) {
  std::string out;
  out.reserve(kTargetIndexKeySize);
  out.append(reinterpret_cast<const char*>(target.data()), target.size());
  return out;
}

std::string TargetIndexTimeBound(const TargetBytes& target, int64_t time_ms) {
  std::string out = TargetPrefix(target);
  AppendUint64BE(&out, EncodeTimeMs(time_ms));
  return out;
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string out(prefix);
  while (!out.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(out.back());
    if (last != 0xff) {
      ++last;
      return out;
    }
    out.pop_back();
  }
  return out;
}

std::string HexKey(std::string_view key) {
  return absl::BytesToHexString(Av(key));
}

}  // namespace grid::storage
