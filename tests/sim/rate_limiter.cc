#include "tests/sim/rate_limiter.h"

#include <algorithm>

namespace grid::sim {

bool TokenBucket::HasToken(double now) {
  if (now > last_) {
    tokens_ = std::min(burst_, tokens_ + (now - last_) * rate_);
    last_ = now;
  }
  return tokens_ >= 1;
}

bool TokenBucket::Allow(double now) {
  if (!HasToken(now)) return false;
  tokens_ -= 1;
  return true;
}

IcmpLimiter::IcmpLimiter(const IcmpBehaviour& behaviour)
    : per_dest_rate_(behaviour.per_dest_rate),
      per_dest_burst_(behaviour.per_dest_burst),
      has_global_(behaviour.global_rate > 0),
      global_(behaviour.global_rate, behaviour.global_burst) {}

bool IcmpLimiter::Allow(NodeId destination, double now) {
  if (per_dest_rate_ > 0) {
    auto it = per_dest_.find(destination);
    if (it == per_dest_.end()) {
      it = per_dest_
               .emplace(destination,
                        TokenBucket(per_dest_rate_, per_dest_burst_))
               .first;
    }
    // Linux checks the global credit first, then the peer's bucket, and
    // spends global credit only on replies it sends.
    if (has_global_ && !global_.HasToken(now)) return false;
    if (!it->second.Allow(now)) return false;
    if (has_global_) global_.Allow(now);
    return true;
  }
  return !has_global_ || global_.Allow(now);
}

}  // namespace grid::sim
