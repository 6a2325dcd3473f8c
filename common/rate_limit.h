// Rate limits on the grid's operator requests, so the grid cannot be used to
// flood anyone: diagnoses and traces per target per minute, and requests per
// operator per minute. Sliding windows (at most N events in any minute), on
// an injected clock so tests are deterministic.
#ifndef GRID_COMMON_RATE_LIMIT_H_
#define GRID_COMMON_RATE_LIMIT_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace grid::common {

// At most `limit` events per key in any span of `window` (a log of each
// key's recent event times). Keys whose events have all expired are
// forgotten. Not thread-safe.
class SlidingWindowLimit {
 public:
  // REQUIRES: limit > 0, window > 0.
  SlidingWindowLimit(int limit, absl::Duration window)
      : limit_(limit), window_(window) {}

  // Zero if one more event of `key` fits at `now`; else how long until it
  // does.
  absl::Duration Wait(const std::string& key, absl::Time now);
  // Counts one event of `key` at `now` (whether or not it fit).
  void Record(const std::string& key, absl::Time now);
  // Keys with events in the window (memory held).
  size_t keys() const { return events_.size(); }

 private:
  // Drops `key`'s events older than the window.
  void Expire(std::deque<absl::Time>& times, absl::Time now) const;

  const int limit_;
  const absl::Duration window_;
  std::map<std::string, std::deque<absl::Time>> events_;
  uint64_t records_ = 0;
};

struct RateLimitOptions {
  // --target-rate: diagnoses and traces toward one target per minute;
  // 0 = unlimited. Default 6.
  int target_per_minute = 6;
  // --operator-rate: diagnose and trace requests of one operator per
  // minute; 0 = unlimited. Default 30.
  int operator_per_minute = 30;
};

// The coordinator's admission of diagnose and trace requests. Thread-safe.
class RequestLimiter {
 public:
  // `now` is the clock (absl::Now unless a test injects one).
  explicit RequestLimiter(const RateLimitOptions& options,
                          std::function<absl::Time()> now = absl::Now);

  // Admits one request of `operator_id` toward `target` and counts it
  // against both limits; or counts nothing and returns ResourceExhausted,
  // one line naming the limit and when to retry: "rate limit: target
  // 198.18.3.6 had 6 diagnoses or traces in the last minute (--target-rate
  // 6); retry in 41 s".
  absl::Status Admit(absl::string_view operator_id, absl::string_view target);

 private:
  const RateLimitOptions options_;
  const std::function<absl::Time()> now_;
  absl::Mutex mu_;
  SlidingWindowLimit per_target_ ABSL_GUARDED_BY(mu_);
  SlidingWindowLimit per_operator_ ABSL_GUARDED_BY(mu_);
};

}  // namespace grid::common

#endif  // GRID_COMMON_RATE_LIMIT_H_
