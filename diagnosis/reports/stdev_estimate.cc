#include "diagnosis/reports/stdev_estimate.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace grid::diagnosis::reports_internal {

namespace {

constexpr int kMaxN = 1000;

// d2(n) = integral over x of 1 - Phi(x)^n - (1 - Phi(x))^n, by the midpoint
// rule (the integrand is below 1e-12 outside +-9), for all n at once.
std::array<double, kMaxN + 1> ComputeD2Table() {
  std::array<double, kMaxN + 1> d2{};
  constexpr double kFrom = -9, kTo = 9, kStep = 0.005;
  for (double x = kFrom + kStep / 2; x < kTo; x += kStep) {
    double phi = 0.5 * std::erfc(-x / std::sqrt(2.0));
    double lo = 1, hi = 1;  // Phi^n and (1 - Phi)^n.
    for (int n = 1; n <= kMaxN; ++n) {
      lo *= phi;
      hi *= 1 - phi;
      d2[n] += (1 - lo - hi) * kStep;
    }
  }
  return d2;
}

}  // namespace

double ExpectedNormalRange(int n) {
  static const std::array<double, kMaxN + 1> kD2 = ComputeD2Table();
  return kD2[std::clamp(n, 2, kMaxN)];
}

double EstimateStdevFromRange(double best_ms, double worst_ms, int samples) {
  if (samples < 2 || worst_ms <= best_ms) return 0;
  return (worst_ms - best_ms) / ExpectedNormalRange(samples);
}

}  // namespace grid::diagnosis::reports_internal
