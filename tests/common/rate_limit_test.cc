// The rate limits on a fake clock: sliding windows per key, both limits of a
// request counted together, messages that say when to retry.
#include "common/rate_limit.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace grid::common {
namespace {

using ::testing::HasSubstr;

const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);

TEST(SlidingWindowLimit, AtMostLimitInAnyWindow) {
  SlidingWindowLimit limit(3, absl::Minutes(1));
  absl::Time t = kStart;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limit.Wait("a", t), absl::ZeroDuration()) << i;
    limit.Record("a", t);
    t += absl::Seconds(10);
  }
  // Events at 0, 10, 20 s; now 30 s: the first leaves the window at 60 s.
  EXPECT_EQ(limit.Wait("a", t), absl::Seconds(30));
  EXPECT_EQ(limit.Wait("b", t), absl::ZeroDuration());  // Keys apart.
  EXPECT_EQ(limit.Wait("a", kStart + absl::Seconds(60)), absl::ZeroDuration());
  limit.Record("a", kStart + absl::Seconds(60));
  // Now 10, 20, 60: the next fits at 70 s.
  EXPECT_EQ(limit.Wait("a", kStart + absl::Seconds(61)), absl::Seconds(9));
}

TEST(SlidingWindowLimit, ForgetsKeysWhoseEventsExpired) {
  SlidingWindowLimit limit(2, absl::Minutes(1));
  for (int i = 0; i < 1000; ++i) {
    limit.Record(absl::StrCat("target", i), kStart);
  }
  EXPECT_EQ(limit.keys(), 1000u);
  // The periodic sweep, an hour later, drops them all but the new key.
  for (int i = 0; i < 24; ++i) limit.Record("new", kStart + absl::Hours(1));
  EXPECT_EQ(limit.keys(), 1u);
}

class FakeClock {
 public:
  absl::Time Now() const { return now_; }
  void Advance(absl::Duration d) { now_ += d; }
  std::function<absl::Time()> fn() {
    return [this] { return now_; };
  }

 private:
  absl::Time now_ = kStart;
};

TEST(RequestLimiter, TheNPlusFirstRequestToATargetInAMinuteIsRefused) {
  FakeClock clock;
  RequestLimiter limiter({.target_per_minute = 6, .operator_per_minute = 100},
                         clock.fn());
  for (int i = 0; i < 6; ++i) {
    EXPECT_TRUE(limiter.Admit("alice", "198.18.3.6").ok()) << i;
    clock.Advance(absl::Seconds(5));
  }
  // Six at 0..25 s; now 30 s.
  const absl::Status s = limiter.Admit("bob", "198.18.3.6");
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(),
            "rate limit: target 198.18.3.6 had 6 diagnoses or traces in the "
            "last minute (--target-rate 6); retry in 30 s");
  // Other targets are not affected.
  EXPECT_TRUE(limiter.Admit("bob", "198.18.3.7").ok());
  clock.Advance(absl::Seconds(29));
  EXPECT_FALSE(limiter.Admit("bob", "198.18.3.6").ok());
  clock.Advance(absl::Seconds(1));  // The first request left the window.
  EXPECT_TRUE(limiter.Admit("bob", "198.18.3.6").ok());
  EXPECT_FALSE(limiter.Admit("bob", "198.18.3.6").ok());
}

TEST(RequestLimiter, PerOperatorLimitAcrossTargets) {
  FakeClock clock;
  RequestLimiter limiter({.target_per_minute = 100, .operator_per_minute = 3},
                         clock.fn());
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(limiter.Admit("cn:alice", absl::StrCat("8.8.8.", i)).ok());
  }
  clock.Advance(absl::Milliseconds(100));
  const absl::Status s = limiter.Admit("cn:alice", "8.8.4.4");
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(),
            "rate limit: operator cn:alice made 3 diagnose or trace requests "
            "in the last minute (--operator-rate 3); retry in 60 s");
  EXPECT_TRUE(limiter.Admit("cn:bob", "8.8.4.4").ok());
  clock.Advance(absl::Seconds(60));
  EXPECT_TRUE(limiter.Admit("cn:alice", "8.8.4.4").ok());
}

TEST(RequestLimiter, ARefusedRequestCountsAgainstNeitherLimit) {
  FakeClock clock;
  RequestLimiter limiter({.target_per_minute = 1, .operator_per_minute = 2},
                         clock.fn());
  ASSERT_TRUE(limiter.Admit("alice", "8.8.8.8").ok());
  // Refused by the target limit: alice's budget is not spent...
  EXPECT_THAT(limiter.Admit("alice", "8.8.8.8").message(),
              HasSubstr("target 8.8.8.8"));
  EXPECT_TRUE(limiter.Admit("alice", "1.1.1.1").ok());
  // ...and refused by the operator limit: the target's is not either.
  EXPECT_THAT(limiter.Admit("alice", "9.9.9.9").message(),
              HasSubstr("operator alice"));
  EXPECT_TRUE(limiter.Admit("bob", "9.9.9.9").ok());
}

TEST(RequestLimiter, ZeroMeansUnlimited) {
  FakeClock clock;
  RequestLimiter limiter({.target_per_minute = 0, .operator_per_minute = 0},
                         clock.fn());
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(limiter.Admit("alice", "198.18.3.6").ok()) << i;
  }
}

TEST(RequestLimiter, RetryIsRoundedUpToWholeSeconds) {
  FakeClock clock;
  RequestLimiter limiter({.target_per_minute = 1, .operator_per_minute = 0},
                         clock.fn());
  ASSERT_TRUE(limiter.Admit("alice", "8.8.8.8").ok());
  clock.Advance(absl::Milliseconds(59'500));
  EXPECT_THAT(limiter.Admit("alice", "8.8.8.8").message(),
              HasSubstr("retry in 1 s"));
}

}  // namespace
}  // namespace grid::common
