#include "diagnosis/statistics.h"

#include <algorithm>
#include <cmath>

namespace grid::diagnosis {

Interval WilsonInterval(int events, int trials, double z) {
  if (trials <= 0) return {0, 1};
  const double n = trials;
  const double p = events / n;
  const double z2 = z * z;
  const double denominator = 1 + z2 / n;
  const double centre = (p + z2 / (2 * n)) / denominator;
  const double half =
      z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

double BinomialTailAtLeast(int k, int n, double p) {
  if (k <= 0) return 1;
  if (k > n || p <= 0) return 0;
  if (p >= 1) return 1;
  // Sums the terms from k up: they shrink fast where the tail is small, so
  // there is no cancellation against 1.
  const double log_p = std::log(p), log_q = std::log1p(-p);
  double tail = 0;
  for (int i = k; i <= n; ++i) {
    const double term =
        std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) -
                 std::lgamma(n - i + 1.0) + i * log_p + (n - i) * log_q);
    tail += term;
    if (i > n * p && term < tail * 1e-12) break;
  }
  return std::min(1.0, tail);
}

double BinomialLogLikelihood(int events, int trials) {
  if (trials <= 0) return 0;
  const double p = static_cast<double>(events) / trials;
  double ll = 0;
  if (events > 0) ll += events * std::log(p);
  if (trials > events) ll += (trials - events) * std::log1p(-p);
  return ll;
}

double ConfidenceAbove(int events, int trials, double rate) {
  if (trials <= 0) return 0;
  const double p = static_cast<double>(events) / trials;
  const double se = std::sqrt(rate * (1 - rate) / trials);
  return NormalCdf((p - rate) / se);
}

double ConfidenceDifferenceAbove(double difference, double margin, double sd1,
                                 int n1, double sd2, int n2) {
  // A floor on the spread keeps noiseless inputs (reports rounded to 0.1 ms)
  // from claiming infinite certainty.
  const double floor_ms = 0.5;
  const double v1 = std::pow(std::max(sd1, floor_ms), 2) / std::max(n1, 1);
  const double v2 = std::pow(std::max(sd2, floor_ms), 2) / std::max(n2, 1);
  return NormalCdf((difference - margin) / std::sqrt(v1 + v2));
}

double TwoProportionZ(int lost1, int sent1, int lost2, int sent2) {
  if (sent1 <= 0 || sent2 <= 0) return 0;
  const double p1 = static_cast<double>(lost1) / sent1;
  const double p2 = static_cast<double>(lost2) / sent2;
  const double pooled = static_cast<double>(lost1 + lost2) / (sent1 + sent2);
  const double se =
      std::sqrt(pooled * (1 - pooled) * (1.0 / sent1 + 1.0 / sent2));
  return se > 0 ? (p2 - p1) / se : 0;
}

double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  double lower = *std::max_element(values.begin(), values.begin() + mid);
  return (lower + upper) / 2;
}

double KendallTauAgainstIndex(const std::vector<double>& values) {
  const size_t n = values.size();
  if (n < 2) return 0;
  long concordant = 0;
  long discordant = 0;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n; ++j) {
      if (values[j] > values[i]) ++concordant;
      if (values[j] < values[i]) ++discordant;
    }
  }
  return static_cast<double>(concordant - discordant) / (n * (n - 1) / 2);
}

}  // namespace grid::diagnosis
