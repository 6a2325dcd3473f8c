#include "diagnosis/statistics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace grid::diagnosis {
namespace {

TEST(Wilson, MatchesKnownIntervals) {
  Interval i = WilsonInterval(20, 100, 1.96);
  EXPECT_NEAR(i.low, 0.1333, 1e-3);
  EXPECT_NEAR(i.high, 0.2888, 1e-3);
  Interval none = WilsonInterval(0, 20, 1.96);
  EXPECT_EQ(none.low, 0);
  EXPECT_NEAR(none.high, 0.1611, 1e-3);
  EXPECT_EQ(WilsonInterval(0, 0, 1.96).high, 1);
}

TEST(Wilson, ConfidenceAboveAgreesWithTheInterval) {
  // The 95% lower bound of 1/10 is below 2%, that of 20/100 above it.
  EXPECT_LT(ConfidenceAbove(1, 10, 0.02), 0.975);
  EXPECT_GT(ConfidenceAbove(20, 100, 0.02), 0.975);
  EXPECT_EQ(ConfidenceAbove(0, 0, 0.02), 0);
}

TEST(Statistics, BinomialTail) {
  EXPECT_EQ(BinomialTailAtLeast(0, 10, 0.1), 1);
  EXPECT_EQ(BinomialTailAtLeast(11, 10, 0.1), 0);
  EXPECT_EQ(BinomialTailAtLeast(1, 10, 0), 0);
  EXPECT_NEAR(BinomialTailAtLeast(1, 10, 0.1), 1 - std::pow(0.9, 10), 1e-12);
  // Small tails keep their precision: P(X >= 3), n = 100, p = 0.2%.
  EXPECT_NEAR(BinomialTailAtLeast(3, 100, 0.002), 1.1189e-3, 1e-6);
  EXPECT_NEAR(BinomialTailAtLeast(10, 100, 0.002), 1.505e-14, 1e-17);
}

TEST(Statistics, BinomialLogLikelihood) {
  EXPECT_EQ(BinomialLogLikelihood(0, 10), 0);
  EXPECT_EQ(BinomialLogLikelihood(10, 10), 0);
  EXPECT_EQ(BinomialLogLikelihood(0, 0), 0);
  EXPECT_NEAR(BinomialLogLikelihood(5, 10), 10 * std::log(0.5), 1e-12);
  EXPECT_NEAR(BinomialLogLikelihood(1, 4), std::log(0.25) + 3 * std::log(0.75),
              1e-12);
}

TEST(Statistics, MedianAndTau) {
  EXPECT_EQ(Median({}), 0);
  EXPECT_EQ(Median({3, 1, 2}), 2);
  EXPECT_EQ(Median({4, 1, 3, 2}), 2.5);
  EXPECT_EQ(KendallTauAgainstIndex({1, 2, 3}), 1);
  EXPECT_EQ(KendallTauAgainstIndex({3, 2, 1}), -1);
  EXPECT_EQ(KendallTauAgainstIndex({1}), 0);
}

TEST(Statistics, DifferenceConfidence) {
  EXPECT_GT(ConfidenceDifferenceAbove(80, 10, 0.1, 100, 0.1, 100), 0.999);
  EXPECT_LT(ConfidenceDifferenceAbove(5, 10, 3, 10, 3, 10), 0.5);
}

}  // namespace
}  // namespace grid::diagnosis
