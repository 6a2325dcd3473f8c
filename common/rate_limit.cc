#include "common/rate_limit.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace grid::common {
namespace {

// Every this many events, keys with nothing in the window are dropped.
constexpr uint64_t kSweepEvery = 1024;

// Whole seconds, rounded up: "retry in 41 s" must not be too early.
int64_t CeilSeconds(absl::Duration d) {
  return std::max<int64_t>(
      1, absl::ToInt64Seconds(absl::Ceil(d, absl::Seconds(1))));
}

}  // namespace

void SlidingWindowLimit::Expire(std::deque<absl::Time>& times,
                                absl::Time now) const {
  while (!times.empty() && times.front() <= now - window_) times.pop_front();
}

absl::Duration SlidingWindowLimit::Wait(const std::string& key,
                                        absl::Time now) {
  auto it = events_.find(key);
  if (it == events_.end()) return absl::ZeroDuration();
  Expire(it->second, now);
  if (static_cast<int>(it->second.size()) < limit_) return absl::ZeroDuration();
  // The event that must leave the window before one more fits.
  const absl::Time oldest = it->second[it->second.size() - limit_];
  return oldest + window_ - now;
}

void SlidingWindowLimit::Record(const std::string& key, absl::Time now) {
  std::deque<absl::Time>& times = events_[key];
  Expire(times, now);
  times.push_back(now);
  // Only the latest `limit_` events can matter.
  while (static_cast<int>(times.size()) > limit_) times.pop_front();
  if (++records_ % kSweepEvery == 0) {
    for (auto i = events_.begin(); i != events_.end();) {
      Expire(i->second, now);
      i = i->second.empty() ? events_.erase(i) : std::next(i);
    }
  }
}

RequestLimiter::RequestLimiter(const RateLimitOptions& options,
                               std::function<absl::Time()> now)
    : options_(options),
      now_(std::move(now)),
      per_target_(std::max(1, options.target_per_minute), absl::Minutes(1)),
      per_operator_(std::max(1, options.operator_per_minute),
                    absl::Minutes(1)) {}

absl::Status RequestLimiter::Admit(absl::string_view operator_id,
                                   absl::string_view target) {
  const std::string op(operator_id);
  const std::string tgt(target);
  const bool limit_operator = options_.operator_per_minute > 0;
  const bool limit_target = options_.target_per_minute > 0;
  absl::MutexLock lock(&mu_);
  const absl::Time now = now_();
  if (limit_operator) {
    if (absl::Duration wait = per_operator_.Wait(op, now);
        wait > absl::ZeroDuration()) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "rate limit: operator ", op, " made ", options_.operator_per_minute,
          " diagnose or trace requests in the last minute (--operator-rate ",
          options_.operator_per_minute, "); retry in ", CeilSeconds(wait),
          " s"));
    }
  }
  if (limit_target) {
    if (absl::Duration wait = per_target_.Wait(tgt, now);
        wait > absl::ZeroDuration()) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "rate limit: target ", tgt, " had ", options_.target_per_minute,
          " diagnoses or traces in the last minute (--target-rate ",
          options_.target_per_minute, "); retry in ", CeilSeconds(wait), " s"));
    }
  }
  if (limit_operator) per_operator_.Record(op, now);
  if (limit_target) per_target_.Record(tgt, now);
  return absl::OkStatus();
}

}  // namespace grid::common
