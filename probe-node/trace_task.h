// One trace's state machine under mtr's cycle semantics: each cycle sends one
// probe per TTL from first_ttl up, ending the cycle at the destination's TTL,
// at a hop that answered "unreachable", at max_ttl, or after too many silent
// TTLs; probes of a cycle are spread evenly over the interval. The engine
// (probe_engine.h) decides when it may send; this class decides what.
// Not thread-safe.
#ifndef GRID_PROBE_NODE_TRACE_TASK_H_
#define GRID_PROBE_NODE_TRACE_TASK_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/time/time.h"
#include "probe-node/hop_stats.h"
#include "probe-node/prober.h"
#include "probe-node/reply_parser.h"

namespace grid::probe {

class TraceTask {
 public:
  // REQUIRES: ValidateTraceOptions(request.options) is OK.
  TraceTask(const TraceRequest& request, const IpAddress& source,
            absl::Time wall_start, absl::Time now, uint16_t flow_base);

  // True while probes remain to be sent.
  bool WantsToSend();
  // When the next probe is due (scheduling clock).
  absl::Time next_send() const { return next_send_; }
  void Defer(absl::Time until) { next_send_ = until; }
  // The next probe's TTL and cycle. REQUIRES: WantsToSend().
  int next_ttl() const { return ttl_; }
  int cycle() const { return cycle_; }
  // The flow id wanted for the current cycle (Paris: always the base).
  uint16_t WantedFlow() const;
  // The router expected to answer the next probe with an ICMP error, when
  // an earlier cycle learned it; used for per-router pacing.
  std::optional<IpAddress> ExpectedErrorSource() const;

  // Records that the next probe went out with `flow` and `sequence`;
  // returns its record index and advances to the probe after it.
  int OnSent(uint16_t flow, uint16_t sequence, absl::Time wall, absl::Time now);
  // A probe failed to send: counted as sent and lost, like a drop on the
  // first link.
  int OnSendFailed(uint16_t flow, uint16_t sequence, absl::Time wall,
                   absl::Time now);
  // The reply to record `index` arrived, `rtt_usec` after it was sent.
  void OnReply(int index, const Reply& reply, int rtt_usec);
  // Record `index` timed out.
  void OnTimeout(int index);

  // Allocates the next probe sequence (1..0xfffe, wrapping).
  uint16_t NextSequence();
  int outstanding() const { return outstanding_; }
  bool Done() { return !WantsToSend() && outstanding_ == 0; }
  // True once since the last call when a cycle ended (for progress).
  bool TakeCycleEnded();

  const TraceRequest& request() const { return request_; }
  const IpAddress& source() const { return source_; }
  const ProbeRecord& record(int index) const { return records_[index]; }

  // The result so far; `final` ends transit (mtr's end of run) first.
  TraceResult Snapshot(bool final);

 private:
  // Ends cycles that have nothing left to send now that the destination or
  // an unreachable hop is known.
  void SkipPastEnd();
  void EndCycle(int last_ttl);
  int Advance(int index, absl::Time now);
  HopStats& Stats(int ttl) { return stats_[ttl - 1]; }
  int UnknownBelow(int ttl) const;

  const TraceOptions& opts() const { return request_.options; }

  TraceRequest request_;
  IpAddress source_;
  absl::Time wall_start_;
  uint16_t flow_base_;
  uint16_t next_sequence_ = 1;

  int cycle_ = 0;
  int ttl_;
  int numhosts_ = 10;  // mtr's initial guess of the path length.
  absl::Time next_send_;
  bool cycle_ended_ = false;
  bool gap_stop_ = false;
  int outstanding_ = 0;

  std::optional<int> destination_ttl_;
  std::optional<int> unreachable_ttl_;
  std::vector<HopStats> stats_;  // Index ttl-1, up to max_ttl.
  std::vector<bool> last_reply_was_error_;
  std::vector<std::optional<uint8_t>> unreachable_code_;
  std::vector<std::vector<MplsLabel>> mpls_;
  std::vector<ProbeRecord> records_;
};

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_TRACE_TASK_H_
