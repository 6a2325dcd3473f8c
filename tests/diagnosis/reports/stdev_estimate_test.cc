#include "diagnosis/reports/stdev_estimate.h"

#include "gtest/gtest.h"

namespace grid::diagnosis::reports_internal {
namespace {

// Published d2 constants (expected range of n standard normal samples).
TEST(StdevEstimate, MatchesTabulatedD2) {
  EXPECT_NEAR(ExpectedNormalRange(2), 1.128, 0.001);
  EXPECT_NEAR(ExpectedNormalRange(5), 2.326, 0.001);
  EXPECT_NEAR(ExpectedNormalRange(10), 3.078, 0.001);
  EXPECT_NEAR(ExpectedNormalRange(25), 3.931, 0.001);
}

TEST(StdevEstimate, FromRange) {
  EXPECT_NEAR(EstimateStdevFromRange(10, 20, 10), 10 / 3.078, 0.001);
  EXPECT_EQ(EstimateStdevFromRange(10, 20, 1), 0);
  EXPECT_EQ(EstimateStdevFromRange(5, 5, 60), 0);
  EXPECT_GT(EstimateStdevFromRange(0, 10, 2),
            EstimateStdevFromRange(0, 10, 60));
}

}  // namespace
}  // namespace grid::diagnosis::reports_internal
