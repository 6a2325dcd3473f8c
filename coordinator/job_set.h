// The jobs of one operator request (a diagnosis or a single trace), followed
// to their end: assigns them to their probes, turns the tracker's events
// into calls of the run's handlers, throttles progress, counts a job lost
// when its probe stays away longer than the reconnect grace, and at the
// deadline cancels what is still running and counts it lost. Used from one
// thread.
#ifndef GRID_COORDINATOR_JOB_SET_H_
#define GRID_COORDINATOR_JOB_SET_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "coordinator/services.h"
#include "grid/v1/model.pb.h"

namespace grid::coordinator {

class JobSet {
 public:
  explicit JobSet(const Services& services);
  ~JobSet();  // Forgets the jobs in the tracker.

  // Stores nothing: `job` must already be durable. Tracks it and sends it to
  // its probe; a probe that is not connected makes it LOST at once.
  void Assign(const v1::JobRecord& job);

  struct Handlers {
    // The job's source address became known.
    std::function<void(const v1::JobRecord&)> started;
    // New durable cycles (every time).
    std::function<void(const v1::JobRecord&)> cycles;
    // Cycles or status changed; at most every progress_interval per job,
    // and once more when the job ends.
    std::function<void(const v1::JobRecord&)> progress;
    // The job reached its final status (exactly once per job).
    std::function<void(const v1::JobRecord&)> finished;
  };
  // Follows the jobs until every one is final or `deadline` passes; then
  // cancels and loses the rest ("no result before the deadline"). Handlers
  // may Assign more jobs.
  void Run(absl::Time deadline, const Handlers& handlers);

  // The job's latest record (tracker view).
  std::optional<v1::JobRecord> Get(uint64_t job_id) const;
  std::vector<uint64_t> job_ids() const;

 private:
  struct State {
    v1::JobStatus status = v1::JOB_STATUS_PENDING;
    bool finished = false;
    std::optional<absl::Time> gone_since;
    bool dirty = false;
    absl::Time last_progress = absl::InfinitePast();
  };

  bool AllFinished() const;
  void Handle(const JobEvent& event, const Handlers& handlers);
  void Progress(uint64_t id, State& s, const Handlers& handlers, bool force);
  // Cancels a job on its probe and marks it lost with `reason`.
  void Lose(uint64_t id, const std::string& reason);

  const Services services_;
  std::shared_ptr<JobWatch> watch_;
  std::map<uint64_t, State> jobs_;
};

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_JOB_SET_H_
