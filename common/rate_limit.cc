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
  // Each limit: its window, the key, and how a refusal words it.
  struct Check {
    int limit;
    SlidingWindowLimit* window;
    std::string key;
    // "<subject> <key> <verb> <limit> <noun> in the last minute (<flag>".
    const char* subject;
    const char* verb;
    const char* noun;
    const char* flag;
  };
  absl::MutexLock lock(&mu_);
  const Check checks[] = {
      {options_.operator_per_minute, &per_operator_, std::string(operator_id),
       "operator", "made", "diagnose or trace requests", "--operator-rate"},
      {options_.target_per_minute, &per_target_, std::string(target), "target",
       "had", "diagnoses or traces", "--target-rate"},
  };
  const absl::Time now = now_();
  for (const Check& c : checks) {
    if (c.limit <= 0) continue;  // Unlimited.
    const absl::Duration wait = c.window->Wait(c.key, now);
    if (wait <= absl::ZeroDuration()) continue;
    return absl::ResourceExhaustedError(
        absl::StrCat("rate limit: ", c.subject, " ", c.key, " ", c.verb, " ",
                     c.limit, " ", c.noun, " in the last minute (", c.flag, " ",
                     c.limit, "); retry in ", CeilSeconds(wait), " s"));
  }
  for (const Check& c : checks) {
    if (c.limit > 0) c.window->Record(c.key, now);
  }
  return absl::OkStatus();
}

}  // namespace grid::common
