// ICMP rate limiting as routers do it, driven by simulated time.
#ifndef GRID_TESTS_SIM_RATE_LIMITER_H_
#define GRID_TESTS_SIM_RATE_LIMITER_H_

#include "absl/container/flat_hash_map.h"
#include "tests/sim/network.h"

namespace grid::sim {

// A token bucket: `rate` tokens per second up to `burst`, starting full (as
// Linux's inet_peer_xrlim_allow does for a peer it has not seen). Times are
// seconds of simulated time; a time earlier than the last one refills
// nothing. Not thread-safe.
class TokenBucket {
 public:
  TokenBucket(double rate, double burst)
      : rate_(rate), burst_(burst), tokens_(burst) {}

  // Takes one token if there is one at time `now`.
  bool Allow(double now);
  // Whether a token is available at `now`, without taking it.
  bool HasToken(double now);

 private:
  double rate_;
  double burst_;
  double tokens_;
  double last_ = 0;
};

// The limiters of one router: Linux-style per-destination buckets and a
// global (vendor-style, or Linux icmp_msgs_per_sec) bucket. Not thread-safe.
class IcmpLimiter {
 public:
  explicit IcmpLimiter(const IcmpBehaviour& behaviour);

  // Whether the router may send a reply to `destination` at time `now`
  // (seconds). Consumes tokens only when it says yes.
  bool Allow(NodeId destination, double now);

 private:
  double per_dest_rate_;
  double per_dest_burst_;
  absl::flat_hash_map<NodeId, TokenBucket> per_dest_;
  bool has_global_;
  TokenBucket global_;
};

}  // namespace grid::sim

#endif  // GRID_TESTS_SIM_RATE_LIMITER_H_
