// Per-TTL statistics computed exactly as mtr 0.95 computes them (ui/net.c):
// integer microseconds with mtr's truncations, a running mean, the sample
// standard deviation (n-1), loss over the probes no longer in flight, and
// jitter (Jttr = |RTT - previous RTT|, Javg its integer running mean, Jmax,
// and Jint, RFC 1889 A.8's smoothed sum, reported raw as mtr does). The
// first reply sets the jitter figures to 0, as mtr does. Not thread-safe.
#ifndef GRID_PROBE_NODE_HOP_STATS_H_
#define GRID_PROBE_NODE_HOP_STATS_H_

#include <cstdint>
#include <vector>

#include "probe-node/ip_address.h"

namespace grid::probe {

class HopStats {
 public:
  // A probe was sent to this TTL (mtr: xmit++, transit = 1).
  void OnSent();
  // A reply with round trip `rtt_usec` came from `responder`.
  void OnReply(int rtt_usec, const IpAddress& responder);
  // The run is over: nothing is in flight any more (mtr net_end_transit).
  void EndTransit() { transit_ = false; }

  int sent() const { return xmit_; }
  int received() const { return returned_; }
  bool in_transit() const { return transit_; }
  // mtr net_loss: thousandths of a percent, truncated.
  int loss_milli_pct() const;
  double loss_pct() const { return loss_milli_pct() / 1000.0; }
  // mtr net_drop: probes counted lost.
  int dropped() const { return (xmit_ - (transit_ ? 1 : 0)) - returned_; }
  int last_usec() const { return last_; }
  int best_usec() const { return best_; }
  int worst_usec() const { return worst_; }
  int avg_usec() const { return avg_; }
  int gmean_usec() const { return gmean_; }
  int stdev_usec() const;
  int jitter_usec() const { return jitter_; }
  int javg_usec() const { return javg_; }
  int jmax_usec() const { return jworst_; }
  int jinta() const { return jinta_; }

  // The latest responder (mtr's displayed host), unset until a reply.
  bool has_responder() const { return !responders_.empty(); }
  const IpAddress& latest_responder() const { return latest_; }
  // Every responder seen, in order of first reply.
  const std::vector<IpAddress>& responders() const { return responders_; }

 private:
  int xmit_ = 0;
  int returned_ = 0;
  bool transit_ = false;
  int last_ = 0;
  int best_ = 0;
  int worst_ = 0;
  int avg_ = 0;
  int gmean_ = 0;
  long long ssd_ = 0;
  int jitter_ = 0;
  int javg_ = 0;
  int jworst_ = 0;
  int jinta_ = 0;
  IpAddress latest_;
  std::vector<IpAddress> responders_;
};

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_HOP_STATS_H_
