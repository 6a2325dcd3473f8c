// The scheduling core of the prober: runs many TraceTasks over one PacketIo,
// under a global packets-per-second token bucket and per-router pacing, with
// a window of concurrent traces. Replies are matched to probes by the probe
// key recovered from the reply (probe_key.h), never by timing. Driven by
// RunEngine (one thread); unit-tested with a fake clock and simulated I/O.
// Not thread-safe.
#ifndef GRID_PROBE_NODE_PROBE_ENGINE_H_
#define GRID_PROBE_NODE_PROBE_ENGINE_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <queue>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "probe-node/clock.h"
#include "probe-node/packet_io.h"
#include "probe-node/prober.h"
#include "probe-node/token_bucket.h"
#include "probe-node/trace_task.h"

namespace grid::probe {

// Counters for benchmarks and tests.
struct EngineStats {
  int64_t probes_sent = 0;
  int64_t send_errors = 0;
  int64_t replies_matched = 0;
  int64_t packets_ignored = 0;  // Not a reply to an outstanding probe.
  int64_t timeouts = 0;
  int64_t router_deferrals = 0;  // Probes held back by per-router pacing.
};

class ProbeEngine {
 public:
  // `flow_base` seeds flow identifiers (kept in 0x8000..0xffff).
  ProbeEngine(const ProberOptions& options, PacketIo* io, Clock* clock,
              uint16_t flow_base);
  ~ProbeEngine();

  // Queues traces; results come back in this order from TakeResults().
  void Add(const std::vector<TraceRequest>& requests);
  void set_progress(ProgressCallback progress) {
    progress_ = std::move(progress);
  }

  // Starts queued traces, expires timeouts and sends every probe that is
  // due and allowed by pacing. Returns when it next needs to run.
  absl::Time RunDue();
  // Handles a received packet or transmit timestamp.
  void Handle(const IoEvent& event);
  bool Done() const {
    return active_.empty() && next_request_ >= requests_.size();
  }

  std::vector<TraceResult> TakeResults();
  const EngineStats& stats() const { return stats_; }

 private:
  struct Active {
    size_t request_index;
    std::unique_ptr<TraceTask> task;
    // Wanted flow id -> the id the I/O assigned.
    absl::flat_hash_map<uint16_t, uint16_t> opened_flows;
    absl::Status send_error;  // The first failure to send.
    bool any_sent = false;
  };
  struct Outstanding {
    size_t request_index;
    int record;
    absl::Time sent_io;  // I/O time base, refined by kernel timestamps.
    absl::Time deadline;
    uint32_t tx_id;
    bool router_paced;  // Sent under a per-router bucket.
  };
  struct Due {
    absl::Time when;
    size_t request_index;
    bool operator>(const Due& o) const { return when > o.when; }
  };
  struct Expiry {
    absl::Time when;
    ProbeKey key;
    bool operator>(const Expiry& o) const { return when > o.when; }
  };

  void StartQueued(absl::Time now);
  void ExpireTimeouts(absl::Time now);
  // Sends the next probe of `a` (or records why it could not be sent).
  void SendOne(Active& a, absl::Time now, bool router_paced);
  void MaybeFinish(size_t request_index);
  void ReportProgress(Active& a);

  ProberOptions options_;
  PacketIo* io_;
  Clock* clock_;
  uint16_t next_flow_;
  TokenBucket global_;
  RouterPacer routers_;

  std::vector<TraceRequest> requests_;
  std::vector<TraceResult> results_;
  size_t next_request_ = 0;
  absl::flat_hash_map<size_t, Active> active_;
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> due_;
  std::priority_queue<Expiry, std::vector<Expiry>, std::greater<Expiry>>
      expiries_;
  absl::flat_hash_map<ProbeKey, Outstanding> outstanding_;
  absl::flat_hash_map<uint32_t, ProbeKey> tx_ids_;
  ProgressCallback progress_;
  EngineStats stats_;
};

// Runs `engine` to completion over `io`, waiting with `clock`'s deadlines.
// Returns the first I/O error that stops progress.
absl::Status RunEngine(ProbeEngine& engine, PacketIo& io);

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_PROBE_ENGINE_H_
