#include "diagnosis/reports/stdev_estimate.h"

#include <algorithm>
#include <cmath>

namespace grid::diagnosis::reports_internal {

double ExpectedNormalRange(int n) {
  n = std::clamp(n, 2, 1000);
  // d2(n) = integral over x of 1 - Phi(x)^n - (1 - Phi(x))^n (midpoint rule;
  // the integrand is below 1e-12 outside +-9).
  constexpr double kFrom = -9, kTo = 9, kStep = 0.005;
  double sum = 0;
  for (double x = kFrom + kStep / 2; x < kTo; x += kStep) {
    double phi = 0.5 * std::erfc(-x / std::sqrt(2.0));
    sum += 1 - std::pow(phi, n) - std::pow(1 - phi, n);
  }
  return sum * kStep;
}

double EstimateStdevFromRange(double best_ms, double worst_ms, int samples) {
  if (samples < 2 || worst_ms <= best_ms) return 0;
  return (worst_ms - best_ms) / ExpectedNormalRange(samples);
}

}  // namespace grid::diagnosis::reports_internal
