// The coordinator's live view of jobs: what each probe was asked to run,
// which cycles are durable, and who waits for news. Ingest goes through it:
// results are validated against their job, written to Storage in one batch
// with the updated job records, and acknowledged only after that write
// returned OK. Ingest is idempotent (a re-sent cycle replaces its stored
// copy and is counted once). Thread-safe.
#ifndef GRID_COORDINATOR_JOB_TRACKER_H_
#define GRID_COORDINATOR_JOB_TRACKER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grid/v1/model.pb.h"
#include "grid/v1/probe.pb.h"
#include "storage/storage.h"

namespace grid::coordinator {

// Something that happened to a watched job.
struct JobEvent {
  enum class Type {
    kStarted,    // The probe reported its source address.
    kCycles,     // More cycles are durable.
    kFinished,   // The job reached a final status (see the record).
    kProbeGone,  // The probe's session ended; it may come back.
    kProbeBack,  // The probe reconnected (same process).
  };
  Type type;
  uint64_t job_id = 0;
};

// A queue of JobEvents that one waiter drains. Thread-safe.
class JobWatch {
 public:
  void Push(JobEvent event);
  // Waits until there are events or `deadline` passes; returns them all.
  std::vector<JobEvent> Wait(absl::Time deadline);

 private:
  absl::Mutex mu_;
  std::deque<JobEvent> events_ ABSL_GUARDED_BY(mu_);
};

bool IsFinal(v1::JobStatus status);

class JobTracker {
 public:
  using Clock = std::function<absl::Time()>;
  // `storage` outlives the tracker.
  explicit JobTracker(storage::Storage* storage, Clock clock = nullptr);

  // Tracks new jobs, already stored; `watch` (may be null) hears about them.
  void Add(const std::vector<v1::JobRecord>& jobs,
           std::shared_ptr<JobWatch> watch);
  // Stops tracking jobs whose waiter is done with them.
  void Forget(const std::vector<uint64_t>& job_ids);
  // The job's record as last known; nullopt if not tracked.
  std::optional<v1::JobRecord> Get(uint64_t job_id) const;
  // Durable results of a job with cycle >= from_cycle, in cycle order.
  absl::StatusOr<std::vector<v1::CycleResult>> Cycles(
      const v1::JobRecord& job, uint32_t from_cycle = 0) const;

  // --- From probe sessions; `probe` is the session's probe name. ---
  // Stores `results` durably, then returns one Ack per job they touch.
  // Results of jobs the coordinator does not know are not stored; their
  // Ack releases them. ProtocolViolation for results that claim another
  // probe or do not fit their job (nothing is stored then).
  absl::StatusOr<std::vector<v1::Ack>> Ingest(
      absl::string_view probe, const v1::CycleResults& results);
  // Records the end of a job durably (status, final summary computed from
  // the stored cycles) and returns its Ack.
  absl::StatusOr<v1::Ack> Done(absl::string_view probe,
                               const v1::JobDone& done);
  // Notes the source address a job uses (reported before its first cycle).
  absl::Status Started(absl::string_view probe, const v1::JobStarted& started);
  // Of `pending` jobs announced in a Hello, those the coordinator does not
  // know (the probe should drop their data).
  std::vector<uint64_t> UnknownJobs(
      const google::protobuf::RepeatedPtrField<v1::PendingJob>& pending);
  // The probe's session ended / came back. With `instance_changed` the
  // process restarted: its unfinished jobs are lost at once.
  void ProbeDisconnected(absl::string_view probe);
  void ProbeConnected(absl::string_view probe, bool instance_changed);

  // Ends a job on the coordinator's side (LOST, CANCELLED) and stores it,
  // unless it is already final.
  absl::Status Finish(uint64_t job_id, v1::JobStatus status,
                      absl::string_view reason);

 private:
  struct Entry {
    v1::JobRecord record;
    std::set<uint32_t> durable_cycles;
    uint32_t prefix = 0;  // Cycles 0..prefix-1 are all durable.
    bool done_durable = false;
    std::shared_ptr<JobWatch> watch;
  };

  absl::Time Now() const { return clock_ ? clock_() : absl::Now(); }
  // Loads untracked jobs among `ids` from Storage (NotFound ones are left
  // out). REQUIRES: mu_ not held.
  absl::Status LoadMissing(const std::set<uint64_t>& ids);
  // Length of the durable prefix of cycles (cached in the entry).
  static uint32_t DurablePrefix(Entry& e);
  void Notify(const std::vector<std::pair<std::shared_ptr<JobWatch>, JobEvent>>&
                  events);

  storage::Storage* const storage_;
  const Clock clock_;
  mutable absl::Mutex mu_;
  std::map<uint64_t, Entry> jobs_ ABSL_GUARDED_BY(mu_);
};

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_JOB_TRACKER_H_
