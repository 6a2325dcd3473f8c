// Results a probe has produced but the coordinator has not acknowledged:
// kept until an Ack covers them, listed in Hello after a reconnect, and
// re-sent then (cycles in order, then the JobDone). Held in memory: a
// restarted probe process starts empty (its instance id changes, so the
// coordinator counts its jobs lost). Thread-safe.
#ifndef GRID_PROBE_NODE_AGENT_OUTBOX_H_
#define GRID_PROBE_NODE_AGENT_OUTBOX_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "grid/v1/probe.pb.h"

namespace grid::probe::agent {

class Outbox {
 public:
  void AddCycle(const v1::CycleResult& result);
  void AddDone(const v1::JobDone& done);
  // Drops what `ack` covers (cycles below cycles_durable; the JobDone if
  // done_durable). A job whose JobDone is acknowledged is forgotten.
  void Ack(const v1::Ack& ack);
  // Drops everything of a job (the coordinator no longer wants it).
  void Forget(uint64_t job_id);

  // Jobs with unacknowledged data, for Hello; `running` are the job ids
  // still running on this probe.
  std::vector<v1::PendingJob> Pending(const std::set<uint64_t>& running) const;

  struct Unacked {
    uint64_t job_id = 0;
    std::vector<v1::CycleResult> cycles;  // In cycle order.
    std::optional<v1::JobDone> done;
  };
  // Everything unacknowledged, by job.
  std::vector<Unacked> All() const;
  // Number of unacknowledged cycles.
  size_t cycles() const;

 private:
  struct Job {
    std::map<uint32_t, v1::CycleResult> cycles;
    std::optional<v1::JobDone> done;
    uint32_t acked_cycles = 0;  // Highest cycles_durable seen.
  };
  mutable absl::Mutex mu_;
  std::map<uint64_t, Job> jobs_ ABSL_GUARDED_BY(mu_);
};

}  // namespace grid::probe::agent

#endif  // GRID_PROBE_NODE_AGENT_OUTBOX_H_
