// What the agent needs from whatever runs its jobs: start (idempotent by
// job id), cancel, and results through callbacks. The product's runner is
// ProberRunner (prober_runner.h) over the probe engine.
#ifndef GRID_PROBE_NODE_AGENT_JOB_RUNNER_H_
#define GRID_PROBE_NODE_AGENT_JOB_RUNNER_H_

#include <cstdint>
#include <functional>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "grid/v1/model.pb.h"
#include "grid/v1/probe.pb.h"

namespace grid::probe::agent {

// Called from the runner's threads; must not block for long.
struct JobCallbacks {
  // A complete cycle of a job, in cycle order per job.
  std::function<void(const v1::CycleResult&)> cycle;
  // The end of a job (exactly once per started job).
  std::function<void(const v1::JobDone&)> done;
};

// Thread-safe.
class JobRunner {
 public:
  virtual ~JobRunner() = default;
  // Starts `spec` unless a job with its id is known already. A spec that
  // cannot run ends at once with JobDone REJECTED.
  virtual void Start(const v1::JobSpec& spec) = 0;
  // Stops a job: no more cycles are reported and it ends with JobDone
  // CANCELLED. Unknown ids are ignored.
  virtual void Cancel(uint64_t job_id) = 0;
  // Jobs started and not yet done.
  virtual std::set<uint64_t> Running() const = 0;
  // What this runner can do, for Hello.
  virtual v1::Capabilities Capabilities() const = 0;
  // The local address a job's probes leave from (where a return trace must
  // aim); Unavailable if there is no route.
  virtual absl::StatusOr<std::string> SourceAddress(
      const v1::JobSpec& spec) const = 0;
};

}  // namespace grid::probe::agent

#endif  // GRID_PROBE_NODE_AGENT_JOB_RUNNER_H_
