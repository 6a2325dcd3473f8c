#include "tests/lab/delay_schedule.h"

#include <vector>

#include "gtest/gtest.h"

namespace grid::lab {
namespace {

constexpr int64_t kMs = 1000000;

TEST(DelaySchedule, FixedDelay) {
  DelaySchedule s(40 * kMs, 0, 1);
  EXPECT_EQ(s.Release(0), 40 * kMs);
  EXPECT_EQ(s.Release(5 * kMs), 45 * kMs);
  EXPECT_EQ(s.Release(5 * kMs), 45 * kMs);
}

TEST(DelaySchedule, JitterBoundedAndOrderKept) {
  DelaySchedule s(20 * kMs, 10 * kMs, 42);
  int64_t prev = INT64_MIN;
  bool varied = false;
  int64_t first_offset = -1;
  for (int i = 0; i < 2000; ++i) {
    const int64_t arrival = i * kMs / 4;  // faster than the jitter span
    const int64_t r = s.Release(arrival);
    EXPECT_GE(r, prev) << "packet " << i << " would overtake";
    EXPECT_GE(r, arrival + 10 * kMs);
    // Never later than the max delay of this or an earlier packet.
    EXPECT_LE(r, arrival + 30 * kMs);
    if (first_offset < 0) first_offset = r - arrival;
    varied = varied || (r - arrival) != first_offset;
    prev = r;
  }
  EXPECT_TRUE(varied);
}

TEST(DelaySchedule, SeedDeterminesSequence) {
  DelaySchedule a(20 * kMs, 10 * kMs, 7), b(20 * kMs, 10 * kMs, 7),
      c(20 * kMs, 10 * kMs, 8);
  std::vector<int64_t> ra, rb, rc;
  for (int i = 0; i < 50; ++i) {
    ra.push_back(a.Release(i * 100 * kMs));
    rb.push_back(b.Release(i * 100 * kMs));
    rc.push_back(c.Release(i * 100 * kMs));
  }
  EXPECT_EQ(ra, rb);
  EXPECT_NE(ra, rc);
}

TEST(DelaySchedule, SpacedPacketsGetMeanDelay) {
  DelaySchedule s(20 * kMs, 10 * kMs, 3);
  double sum = 0;
  const int n = 4000;
  for (int i = 0; i < n; ++i) {
    const int64_t arrival = int64_t{i} * 100 * kMs;  // never reordered
    sum += static_cast<double>(s.Release(arrival) - arrival);
  }
  EXPECT_NEAR(sum / n / kMs, 20.0, 0.5);
}

}  // namespace
}  // namespace grid::lab
