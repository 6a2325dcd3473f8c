// Pacing: a token bucket (rate, burst), and the per-router set of them that
// keeps probes that make a router send ICMP errors under its rate limit.
#ifndef GRID_PROBE_NODE_TOKEN_BUCKET_H_
#define GRID_PROBE_NODE_TOKEN_BUCKET_H_

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "probe-node/ip_address.h"

namespace grid::probe {

// Allows `rate` events per second on average and up to `burst` at once.
// A rate <= 0 means unlimited. Starts full. Not thread-safe.
class TokenBucket {
 public:
  TokenBucket() = default;
  TokenBucket(double rate, double burst, absl::Time now)
      : rate_(rate),
        burst_(std::max(1.0, burst)),
        tokens_(burst_),
        updated_(now) {}

  bool unlimited() const { return rate_ <= 0; }
  // Takes one token if available at `now`.
  bool TryTake(absl::Time now) {
    if (unlimited()) return true;
    Refill(now);
    if (tokens_ < 1 - kEpsilon) return false;
    tokens_ = std::max(0.0, tokens_ - 1);
    return true;
  }
  // Takes one token even if none is left (the bucket goes into debt): for
  // events that happened without asking, such as an ICMP error a router
  // sent before the prober knew to pace it.
  void Charge(absl::Time now) {
    if (unlimited()) return;
    Refill(now);
    tokens_ = std::max(tokens_ - 1, -burst_);
  }
  // When the next token will be available (now if one is).
  absl::Time NextAvailable(absl::Time now) {
    if (unlimited()) return now;
    Refill(now);
    if (tokens_ >= 1 - kEpsilon) return now;
    // Round up so that waiting until then always yields a token.
    return now + absl::Ceil(absl::Seconds((1 - tokens_) / rate_),
                            absl::Microseconds(1));
  }

 private:
  void Refill(absl::Time now) {
    if (now > updated_) {
      tokens_ = std::min(
          burst_, tokens_ + absl::ToDoubleSeconds(now - updated_) * rate_);
      updated_ = now;
    }
  }

  static constexpr double kEpsilon = 1e-6;
  double rate_ = 0;
  double burst_ = 1;
  double tokens_ = 1;
  absl::Time updated_;
};

// One bucket per router address, created on first use.
class RouterPacer {
 public:
  RouterPacer(double rate, double burst) : rate_(rate), burst_(burst) {}
  bool enabled() const { return rate_ > 0; }
  TokenBucket& For(const IpAddress& router, absl::Time now) {
    auto it = buckets_.find(router);
    if (it == buckets_.end()) {
      it = buckets_.emplace(router, TokenBucket(rate_, burst_, now)).first;
    }
    return it->second;
  }

 private:
  double rate_;
  double burst_;
  absl::flat_hash_map<IpAddress, TokenBucket> buckets_;
};

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_TOKEN_BUCKET_H_
