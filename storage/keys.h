// Key encoding for grid's RocksDB column families. Every numeric field is
// fixed-width big-endian, so RocksDB's bytewise order equals the order of
// the encoded tuples (ids and times sort numerically). The layouts are an
// on-disk format: DO NOT CHANGE them (ARCHITECTURE.md § Protocol and storage).
// Pure functions; thread-safe.
#ifndef GRID_STORAGE_KEYS_H_
#define GRID_STORAGE_KEYS_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace grid::storage {

// --- Fixed-width big-endian integers ---------------------------------------

void AppendUint64BE(std::string* dst, uint64_t value);
void AppendUint32BE(std::string* dst, uint32_t value);
// REQUIRES: `src` points at 8 (4) readable bytes.
uint64_t LoadUint64BE(const char* src);
uint32_t LoadUint32BE(const char* src);

// Maps a signed time (Unix ms) to an unsigned value with the same order
// (sign bit flipped), so times before 1970 still sort first.
uint64_t EncodeTimeMs(int64_t unix_ms);
int64_t DecodeTimeMs(uint64_t encoded);

// --- Ids ------------------------------------------------------------------

// Job and diagnosis ids are time-ordered: (Unix ms << kIdSequenceBits) |
// sequence. Byte order of an id key is therefore creation order, and all
// ids minted before time T are below IdFloorForTimeMs(T), which retention
// uses to delete whole ranges.
inline constexpr int kIdSequenceBits = 20;
// The smallest id minted at or after `unix_ms` (0 for times <= 0).
uint64_t IdFloorForTimeMs(int64_t unix_ms);
// The Unix ms at which `id` was minted.
int64_t IdTimeMs(uint64_t id);

// --- Probe id -------------------------------------------------------------

// A stable 64-bit hash of a probe name (FNV-1a). Part of the on-disk key of
// hop results: it must never change. Two probe names with the same hash in
// the same job and direction would share keys; reads compare names.
uint64_t ProbeId(std::string_view probe_name);

// --- Targets --------------------------------------------------------------

// A target address as 16 bytes: IPv6 as is, IPv4 as ::ffff:a.b.c.d, so
// "198.18.0.1" and "::ffff:198.18.0.1" are the same target.
using TargetBytes = std::array<uint8_t, 16>;

// Parses an IPv4 or IPv6 literal. InvalidArgument for anything else (host
// names, CIDRs, zone ids, surrounding spaces), naming the input.
absl::StatusOr<TargetBytes> NormalizeTarget(std::string_view address);
// Canonical text: dotted quad for IPv4-mapped, RFC 5952 otherwise.
std::string FormatTarget(const TargetBytes& target);

// --- Column family keys ---------------------------------------------------

// jobs and diagnoses: id(8).
inline constexpr size_t kIdKeySize = 8;
std::string IdKey(uint64_t id);
absl::StatusOr<uint64_t> DecodeIdKey(std::string_view key);

// hop_results: job_id(8) | probe_id(8) | direction(1) | cycle(4).
inline constexpr size_t kHopResultKeySize = 21;
struct HopResultKey {
  uint64_t job_id = 0;
  uint64_t probe_id = 0;
  uint8_t direction = 0;  // grid.v1.Direction value.
  uint32_t cycle = 0;
};
std::string EncodeHopResultKey(const HopResultKey& key);
absl::StatusOr<HopResultKey> DecodeHopResultKey(std::string_view key);
// Prefix of every key of one job: job_id(8).
std::string HopResultJobPrefix(uint64_t job_id);
// Prefix of one probe's results in one direction: job_id | probe_id | dir.
std::string HopResultStreamPrefix(uint64_t job_id, uint64_t probe_id,
                                  uint8_t direction);

// diagnoses_by_target: target(16) | time(8, EncodeTimeMs) | id(8).
inline constexpr size_t kTargetIndexKeySize = 32;
struct TargetIndexKey {
  TargetBytes target{};
  int64_t time_ms = 0;
  uint64_t id = 0;
};
std::string EncodeTargetIndexKey(const TargetIndexKey& key);
absl::StatusOr<TargetIndexKey> DecodeTargetIndexKey(std::string_view key);
// target(16): the prefix of every index key of one target.
std::string TargetPrefix(const TargetBytes& target);
// target(16) | EncodeTimeMs(time_ms): the first key at or after time_ms.
std::string TargetIndexTimeBound(const TargetBytes& target, int64_t time_ms);

// --- Helpers --------------------------------------------------------------

// The smallest key greater than every key that starts with `prefix`, or ""
// when there is none (prefix is all 0xff): use "" as "no upper bound".
std::string PrefixSuccessor(std::string_view prefix);

// Lower-case hex of `key`, for error messages.
std::string HexKey(std::string_view key);

}  // namespace grid::storage

#endif  // GRID_STORAGE_KEYS_H_
