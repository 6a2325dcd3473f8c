// Estimating a standard deviation from a sample's range, for sources that
// print Best and Worst but no StDev (WinMTR).
#ifndef GRID_DIAGNOSIS_REPORTS_STDEV_ESTIMATE_H_
#define GRID_DIAGNOSIS_REPORTS_STDEV_ESTIMATE_H_

namespace grid::diagnosis::reports_internal {

// d2(n): the expected range of n independent standard normal samples
// (d2(2) = 1.128, d2(10) = 3.078, d2(50) = 4.498). n is capped at 1000.
// REQUIRES: n >= 2.
double ExpectedNormalRange(int n);

// sigma ~ (worst - best) / d2(samples); 0 with fewer than 2 samples.
double EstimateStdevFromRange(double best_ms, double worst_ms, int samples);

}  // namespace grid::diagnosis::reports_internal

#endif  // GRID_DIAGNOSIS_REPORTS_STDEV_ESTIMATE_H_
