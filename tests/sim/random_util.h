// Small helpers over std::mt19937_64 so draws are the same on every platform
// (the std distributions are implementation-defined; these are not).
#ifndef GRID_TESTS_SIM_RANDOM_UTIL_H_
#define GRID_TESTS_SIM_RANDOM_UTIL_H_

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace grid::sim {

// Uniform in [0, 1).
inline double Uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// Uniform in [lo, hi).
inline double UniformIn(std::mt19937_64& rng, double lo, double hi) {
  return lo + (hi - lo) * Uniform01(rng);
}

// Log-uniform in [lo, hi). REQUIRES: 0 < lo <= hi.
inline double LogUniformIn(std::mt19937_64& rng, double lo, double hi) {
  return lo * std::exp(std::log(hi / lo) * Uniform01(rng));
}

// Uniform integer in [lo, hi]. REQUIRES: lo <= hi.
inline int IntIn(std::mt19937_64& rng, int lo, int hi) {
  return lo + static_cast<int>(rng() % static_cast<uint64_t>(hi - lo + 1));
}

inline bool Chance(std::mt19937_64& rng, double p) {
  return Uniform01(rng) < p;
}

// Exponential with the given mean (0 for mean <= 0).
inline double ExponentialMean(std::mt19937_64& rng, double mean) {
  if (mean <= 0) return 0;
  return -std::log1p(-Uniform01(rng)) * mean;
}

// A uniformly chosen element. REQUIRES: !v.empty().
template <typename T>
const T& PickOne(std::mt19937_64& rng, const std::vector<T>& v) {
  return v[rng() % v.size()];
}

// Index drawn with probability proportional to weights[i].
inline int PickWeighted(std::mt19937_64& rng, const std::vector<double>& w) {
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
