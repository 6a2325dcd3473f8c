#include "tests/sim/rate_limiter.h"

#include "gtest/gtest.h"

namespace grid::sim {
namespace {

TEST(TokenBucket, StartsFullAndRefillsAtRate) {
  TokenBucket bucket(/*rate=*/1.0, /*burst=*/6);
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(bucket.Allow(0.0)) << i;
  EXPECT_FALSE(bucket.Allow(0.0));
  EXPECT_FALSE(bucket.Allow(0.5));
  EXPECT_TRUE(bucket.Allow(1.0));
  EXPECT_FALSE(bucket.Allow(1.5));
}

TEST(TokenBucket, NeverHoldsMoreThanBurst) {
  TokenBucket bucket(1.0, 6);
  EXPECT_TRUE(bucket.Allow(0));
  int allowed = 0;
  while (bucket.Allow(1000)) ++allowed;
  EXPECT_EQ(allowed, 6);
}

TEST(TokenBucket, EarlierTimeRefillsNothing) {
  TokenBucket bucket(1.0, 1);
  EXPECT_TRUE(bucket.Allow(10));
  EXPECT_FALSE(bucket.Allow(5));
  EXPECT_FALSE(bucket.Allow(10.5));
  EXPECT_TRUE(bucket.Allow(11));
}

TEST(TokenBucket, SustainedOverloadPassesBurstPlusRate) {
  // mtr at -i 0.2 against a Linux router: 5 probes/s into 1/s, burst 6.
  TokenBucket bucket(1.0, 6);
  int allowed = 0;
  for (int i = 0; i < 300; ++i) allowed += bucket.Allow(i * 0.2);
  // 60 s: the burst of 6 plus about one per second after it.
  EXPECT_GE(allowed, 6 + 59);
  EXPECT_LE(allowed, 6 + 60);
}

IcmpBehaviour LinuxDefaults() {
  IcmpBehaviour b;
  b.per_dest_rate = 1;
  b.per_dest_burst = 6;
  b.global_rate = 1000;
  b.global_burst = 50;
  return b;
}

TEST(IcmpLimiter, PerDestinationBucketsAreIndependent) {
  IcmpLimiter limiter(LinuxDefaults());
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(limiter.Allow(/*destination=*/1, 0));
  EXPECT_FALSE(limiter.Allow(1, 0));
  // Another prober has its own full bucket.
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(limiter.Allow(2, 0));
  EXPECT_FALSE(limiter.Allow(2, 0));
}

TEST(IcmpLimiter, GlobalLimitIsSharedByAllDestinations) {
  IcmpBehaviour vendor;
  vendor.global_rate = 10;
  vendor.global_burst = 3;
  IcmpLimiter limiter(vendor);
  EXPECT_TRUE(limiter.Allow(1, 0));
  EXPECT_TRUE(limiter.Allow(2, 0));
  EXPECT_TRUE(limiter.Allow(3, 0));
  EXPECT_FALSE(limiter.Allow(4, 0));
  EXPECT_TRUE(limiter.Allow(4, 0.1));
}

TEST(IcmpLimiter, RefusedPeerReplyKeepsGlobalCredit) {
  IcmpBehaviour b = LinuxDefaults();
  b.global_rate = 0.001;
  b.global_burst = 7;
  IcmpLimiter limiter(b);
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(limiter.Allow(1, 0));
  // Refused by destination 1's bucket: must not spend global credit...
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(limiter.Allow(1, 0));
  // ...so one global token is left for destination 2, and only one.
  EXPECT_TRUE(limiter.Allow(2, 0));
  EXPECT_FALSE(limiter.Allow(2, 0));
}

TEST(IcmpLimiter, NoLimitsAllowsEverything) {
  IcmpLimiter limiter(IcmpBehaviour{});
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(limiter.Allow(1, 0));
}

}  // namespace
}  // namespace grid::sim
