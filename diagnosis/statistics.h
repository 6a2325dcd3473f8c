// Small statistics used to weigh evidence by its sample count.
#ifndef GRID_DIAGNOSIS_STATISTICS_H_
#define GRID_DIAGNOSIS_STATISTICS_H_

#include <vector>

namespace grid::diagnosis {

struct Interval {
  double low = 0;
  double high = 0;
};

// Wilson score interval of a proportion `events` of `trials` at normal
// quantile `z`. REQUIRES: 0 <= events <= trials; trials == 0 yields [0, 1].
Interval WilsonInterval(int events, int trials, double z);

// P(X >= k) for X ~ Binomial(n, p): the chance of at least `k` events in
// `n` trials at rate `p`. REQUIRES: 0 <= p <= 1.
double BinomialTailAtLeast(int k, int n, double p);

// Log-likelihood of `events` in `trials` at their own rate (the binomial
// MLE), leaving out the binomial coefficient; 0 for no trials.
double BinomialLogLikelihood(int events, int trials);

// Confidence (0..1) that the true rate behind `events` of `trials` exceeds
// `rate`: Phi of the score statistic that the Wilson interval inverts, so it
// exceeds 0.975 exactly when the 95% Wilson lower bound clears `rate`.
double ConfidenceAbove(int events, int trials, double rate);

// Confidence (0..1) that the true mean difference exceeds `margin`, given
// the observed `difference` and the two samples' StDevs and sizes (Welch).
double ConfidenceDifferenceAbove(double difference, double margin, double sd1,
                                 int n1, double sd2, int n2);

// z of a two-proportion test that the rate behind lost2/sent2 exceeds the
// rate behind lost1/sent1 (pooled variance); 0 when undefined.
double TwoProportionZ(int lost1, int sent1, int lost2, int sent2);

// Standard normal CDF.
double NormalCdf(double z);

// Median of `values` (0 for none). Takes a copy it may reorder.
double Median(std::vector<double> values);

// Kendall's tau-a rank correlation of `values` against their positions;
// 0 for fewer than two values.
double KendallTauAgainstIndex(const std::vector<double>& values);

}  // namespace grid::diagnosis

#endif  // GRID_DIAGNOSIS_STATISTICS_H_
