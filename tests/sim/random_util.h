// The simulator's random numbers: a small fast generator and helpers whose
// draws are the same on every platform (the std distributions are
// implementation-defined; these are not).
#ifndef GRID_TESTS_SIM_RANDOM_UTIL_H_
#define GRID_TESTS_SIM_RANDOM_UTIL_H_

#include <cmath>
#include <cstdint>
#include <vector>

namespace grid::sim {

// xoshiro256++ (Blackman & Vigna), seeded through SplitMix64. Meets
// UniformRandomBitGenerator, so std::shuffle takes it. Not thread-safe.
class Rng {
 public:
  using result_type = uint64_t;
  explicit Rng(uint64_t seed) {
    for (uint64_t& word : s_) {
      seed += 0x9e3779b97f4a7c15ull;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      word = z ^ (z >> 31);
    }
  }
  static constexpr uint64_t min() { return 0; }
  static constexpr uint64_t max() { return ~uint64_t{0}; }
  uint64_t operator()() {
    const uint64_t result = Rotl(s_[0] + s_[3], 23) + s_[0];
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// Uniform in [0, 1).
inline double Uniform01(Rng& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// Uniform in [lo, hi).
inline double UniformIn(Rng& rng, double lo, double hi) {
  return lo + (hi - lo) * Uniform01(rng);
}

// Log-uniform in [lo, hi). REQUIRES: 0 < lo <= hi.
inline double LogUniformIn(Rng& rng, double lo, double hi) {
  return lo * std::exp(std::log(hi / lo) * Uniform01(rng));
}

// Uniform integer in [lo, hi]. REQUIRES: lo <= hi.
inline int IntIn(Rng& rng, int lo, int hi) {
  return lo + static_cast<int>(rng() % static_cast<uint64_t>(hi - lo + 1));
}

inline bool Chance(Rng& rng, double p) { return Uniform01(rng) < p; }

// Exponential with the given mean (0 for mean <= 0). Inverts the CDF from
// a table (the simulator draws one per link per packet, and log1p was half
// its time), exactly in the last bin so the tail is not cut off.
inline double ExponentialMean(Rng& rng, double mean) {
  if (mean <= 0) return 0;
  constexpr int kBins = 4096;
  struct Table {
    double q[kBins + 1];
    Table() {
      for (int i = 0; i < kBins; ++i) q[i] = -std::log1p(-double(i) / kBins);
      q[kBins] = q[kBins - 1];
    }
  };
  static const Table* const table = new Table();
  const double u = Uniform01(rng);
  const double x = u * kBins;
  const int i = static_cast<int>(x);
  if (i >= kBins - 1) return -std::log1p(-u) * mean;
  return (table->q[i] + (x - i) * (table->q[i + 1] - table->q[i])) * mean;
}

// A uniformly chosen element. REQUIRES: !v.empty().
template <typename T>
const T& PickOne(Rng& rng, const std::vector<T>& v) {
  return v[rng() % v.size()];
}

// Index drawn with probability proportional to weights[i].
inline int PickWeighted(Rng& rng, const std::vector<double>& w) {
  double total = 0;
  for (double x : w) total += x;
  double r = Uniform01(rng) * total;
  for (size_t i = 0; i < w.size(); ++i) {
    if (r < w[i]) return static_cast<int>(i);
    r -= w[i];
  }
  return static_cast<int>(w.size()) - 1;
}

}  // namespace grid::sim

#endif  // GRID_TESTS_SIM_RANDOM_UTIL_H_
