#include "storage/keys.h"

#include <algorithm>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"

namespace grid::storage {
namespace {

constexpr uint64_t kSeed = 20240611;

TEST(Keys, BigEndianGoldenBytes) {
  std::string out;
  AppendUint64BE(&out, 0x0102030405060708ULL);
  AppendUint32BE(&out, 0xa1b2c3d4U);
  EXPECT_EQ(out, std::string("\x01\x02\x03\x04\x05\x06\x07\x08"
                             "\xa1\xb2\xc3\xd4",
                             12));
  EXPECT_EQ(LoadUint64BE(out.data()), 0x0102030405060708ULL);
  EXPECT_EQ(LoadUint32BE(out.data() + 8), 0xa1b2c3d4U);
}

TEST(Keys, TimeEncodingRoundTripsAndKeepsOrder) {
  const std::vector<int64_t> times = {
      std::numeric_limits<int64_t>::min(), -1000, -1, 0, 1, 1700000000000,
      std::numeric_limits<int64_t>::max()};
  for (size_t i = 0; i < times.size(); ++i) {
    EXPECT_EQ(DecodeTimeMs(EncodeTimeMs(times[i])), times[i]);
    if (i > 0) {
      EXPECT_LT(EncodeTimeMs(times[i - 1]), EncodeTimeMs(times[i]))
          << times[i - 1] << " vs " << times[i];
    }
  }
}

TEST(Keys, IdsAreTimeOrdered) {
  EXPECT_EQ(IdFloorForTimeMs(-5), 0u);
  EXPECT_EQ(IdFloorForTimeMs(0), 0u);
  const int64_t t = 1717000000123;
  EXPECT_EQ(IdTimeMs(IdFloorForTimeMs(t)), t);
  EXPECT_EQ(IdTimeMs(IdFloorForTimeMs(t) + (1u << kIdSequenceBits) - 1), t);
  EXPECT_LT(IdFloorForTimeMs(t), IdFloorForTimeMs(t + 1));
  // Saturates instead of wrapping for absurd times.
  EXPECT_GE(IdFloorForTimeMs(std::numeric_limits<int64_t>::max()),
            IdFloorForTimeMs(t));
}

TEST(Keys, ProbeIdIsFnv1a64) {
  // Published FNV-1a 64 test vectors: the hash is part of stored keys.
  EXPECT_EQ(ProbeId(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(ProbeId("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(ProbeId("foobar"), 0x85944171f73967e8ULL);
}

// Random values drawn from small domains too, so that ties in leading
// fields happen often and later fields decide the order.
uint64_t RandomU64(std::mt19937_64& rng) {
  switch (rng() % 4) {
    case 0:
      return rng() % 4;
    case 1:
      return std::numeric_limits<uint64_t>::max() - rng() % 4;
    case 2:
      return rng() % 1000;
    default:
      return rng();
  }
}

TEST(Keys, HopResultKeyOrderIsTupleOrder) {
  std::mt19937_64 rng(kSeed);
  using Tuple = std::tuple<uint64_t, uint64_t, uint8_t, uint32_t>;
  std::vector<std::pair<Tuple, std::string>> keys;
  for (int i = 0; i < 5000; ++i) {
    HopResultKey k;
    k.job_id = RandomU64(rng);
    k.probe_id = RandomU64(rng);
    k.direction = static_cast<uint8_t>(rng() % 3);
    k.cycle = static_cast<uint32_t>(RandomU64(rng));
    const std::string encoded = EncodeHopResultKey(k);
    ASSERT_EQ(encoded.size(), kHopResultKeySize);
    auto decoded = DecodeHopResultKey(encoded);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded->job_id, k.job_id);
    EXPECT_EQ(decoded->probe_id, k.probe_id);
    EXPECT_EQ(decoded->direction, k.direction);
    EXPECT_EQ(decoded->cycle, k.cycle);
    keys.push_back({{k.job_id, k.probe_id, k.direction, k.cycle}, encoded});
  }
  for (size_t i = 1; i < keys.size(); ++i) {
    const auto& [ta, ka] = keys[i - 1];
    const auto& [tb, kb] = keys[i];
    EXPECT_EQ(ta < tb, ka < kb) << "pair " << i;
    EXPECT_EQ(ta == tb, ka == kb) << "pair " << i;
  }
  // And a full sort agrees with the tuple sort.
  auto by_bytes = keys;
  std::sort(by_bytes.begin(), by_bytes.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  std::sort(keys.begin(), keys.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(keys[i].second, by_bytes[i].second) << "position " << i;
  }
}

TEST(Keys, TargetIndexKeyOrderIsTargetThenTimeThenId) {
  std::mt19937_64 rng(kSeed + 1);
  using Tuple = std::tuple<TargetBytes, int64_t, uint64_t>;
  std::vector<std::pair<Tuple, std::string>> keys;
  for (int i = 0; i < 5000; ++i) {
    TargetIndexKey k;
    for (auto& b : k.target)
      b = static_cast<uint8_t>(rng() % 3 == 0 ? rng() : 0);
    k.time_ms = static_cast<int64_t>(RandomU64(rng));  // Negative too.
    k.id = RandomU64(rng);
    const std::string encoded = EncodeTargetIndexKey(k);
    ASSERT_EQ(encoded.size(), kTargetIndexKeySize);
    auto decoded = DecodeTargetIndexKey(encoded);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded->target, k.target);
    EXPECT_EQ(decoded->time_ms, k.time_ms);
    EXPECT_EQ(decoded->id, k.id);
    keys.push_back({{k.target, k.time_ms, k.id}, encoded});
  }
  for (size_t i = 1; i < keys.size(); ++i) {
    const auto& [ta, ka] = keys[i - 1];
    const auto& [tb, kb] = keys[i];
    EXPECT_EQ(ta < tb, ka < kb) << "pair " << i;
  }
  // The time bound sits between the entries of earlier and later times.
  TargetBytes t{};
  t[15] = 7;
  const std::string bound = TargetIndexTimeBound(t, 100);
  EXPECT_LT(EncodeTargetIndexKey({t, 99, ~uint64_t{0}}), bound);
  EXPECT_LE(bound, EncodeTargetIndexKey({t, 100, 0}));
  EXPECT_EQ(TargetPrefix(t), bound.substr(0, 16));
}

TEST(Keys, IdKeyOrderIsNumericOrder) {
  std::mt19937_64 rng(kSeed + 2);
  for (int i = 0; i < 5000; ++i) {
    const uint64_t a = RandomU64(rng), b = RandomU64(rng);
    EXPECT_EQ(a < b, IdKey(a) < IdKey(b)) << a << " " << b;
    EXPECT_EQ(*DecodeIdKey(IdKey(a)), a);
  }
}

TEST(Keys, DecodeRejectsWrongSizes) {
  EXPECT_EQ(DecodeIdKey("1234567").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeHopResultKey(std::string(20, 'x')).status().code(),
            absl::StatusCode::kDataLoss);
  const absl::Status s = DecodeTargetIndexKey(std::string(33, 'x')).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(std::string(s.message()).find("diagnoses_by_target"),
            std::string::npos)
      << s;
}

TEST(Keys, StreamPrefixCoversExactlyOneStream) {
  const std::string prefix = HopResultStreamPrefix(5, 9, 1);
  const std::string upper = PrefixSuccessor(prefix);
  EXPECT_LE(prefix, EncodeHopResultKey({5, 9, 1, 0}));
  EXPECT_LT(EncodeHopResultKey({5, 9, 1, 0xffffffff}), upper);
  EXPECT_GE(EncodeHopResultKey({5, 9, 2, 0}), upper);
  EXPECT_LT(EncodeHopResultKey({5, 9, 0, 0xffffffff}), prefix);
  EXPECT_EQ(HopResultJobPrefix(5), IdKey(5));
}

TEST(Keys, PrefixSuccessor) {
  EXPECT_EQ(PrefixSuccessor("ab"), "ac");
  EXPECT_EQ(PrefixSuccessor(std::string("a\xff", 2)), "b");
  EXPECT_EQ(PrefixSuccessor(std::string("\xff\xff", 2)), "");
  EXPECT_EQ(PrefixSuccessor(""), "");
}

TEST(Keys, NormalizeTargetMapsIpv4IntoIpv6) {
  auto v4 = NormalizeTarget("198.18.0.1");
  ASSERT_TRUE(v4.ok()) << v4.status();
  const TargetBytes want = {0, 0, 0,    0,    0,   0,  0, 0,
                            0, 0, 0xff, 0xff, 198, 18, 0, 1};
  EXPECT_EQ(*v4, want);
  auto mapped = NormalizeTarget("::ffff:198.18.0.1");
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(*mapped, *v4);
  EXPECT_EQ(FormatTarget(*v4), "198.18.0.1");

  auto v6 = NormalizeTarget("2001:2:0:0::1");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ((*v6)[0], 0x20);
  EXPECT_EQ((*v6)[15], 0x01);
  EXPECT_EQ(FormatTarget(*v6), "2001:2::1");
}

TEST(Keys, NormalizeTargetRejectsNonAddresses) {
  for (const std::string& bad : std::vector<std::string>{
           "", "example.com", "198.18.0.1/24", "198.18.0", "198.18.0.256",
           " 198.18.0.1", "198.18.0.1 ", "fe80::1%eth0", "2001:2::1::2",
           std::string("198.18.0.1\0x", 12), std::string(100, '1')}) {
    auto r = NormalizeTarget(bad);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(std::string(r.status().message()).find("invalid target"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace grid::storage
