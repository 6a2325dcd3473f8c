// Runs jobs on the probe engine. The prober runs many traces at once from
// one thread but one Run() at a time, so the runner keeps a small pool of
// probers (each with its own sockets and thread): a job waits at most a
// short gathering window, then runs together with the jobs queued beside it
// on an idle prober. Jobs arriving while every prober is busy wait for the
// first to finish. Thread-safe.
#ifndef GRID_PROBE_NODE_AGENT_PROBER_RUNNER_H_
#define GRID_PROBE_NODE_AGENT_PROBER_RUNNER_H_

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "probe-node/agent/job_runner.h"
#include "probe-node/prober.h"

namespace grid::probe::agent {

class ProberRunner final : public JobRunner {
 public:
  // The source address toward a target (default: SourceAddressToward, the
  // kernel's choice). Tests over a simulated network inject theirs.
  using SourceLookup =
      std::function<absl::StatusOr<std::string>(absl::string_view target)>;

  // `probers` (at least one) each run one batch at a time. `probe_name`
  // labels the results. Jobs queued within `gather` of each other run in
  // one batch.
  ProberRunner(std::vector<std::unique_ptr<Prober>> probers,
               std::string probe_name, JobCallbacks callbacks,
               absl::Duration gather = absl::Milliseconds(50),
               SourceLookup source_lookup = nullptr);
  // Waits for running batches to end (they cannot be interrupted).
  ~ProberRunner() override;

  void Start(const v1::JobSpec& spec) override;
  void Cancel(uint64_t job_id) override;
  std::set<uint64_t> Running() const override;
  v1::Capabilities Capabilities() const override;
  absl::StatusOr<std::string> SourceAddress(
      const v1::JobSpec& spec) const override;

 private:
  struct Job {
    v1::JobSpec spec;
    TraceRequest request;
    int cycles_sent = 0;
    bool cancelled = false;
    bool running = false;  // In a batch.
  };

  void Worker(Prober* prober);
  // Takes queued jobs for one batch: distinct destinations.
  std::vector<uint64_t> TakeBatch() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnProgress(const std::map<IpAddress, uint64_t>& by_destination,
                  const TraceResult& result, bool final);
  // Ends a job: removes it and reports `done`.
  void Finish(uint64_t job_id, const v1::JobDone& done);

  const std::string probe_name_;
  const JobCallbacks callbacks_;
  const absl::Duration gather_;
  const SourceLookup source_lookup_;
  std::vector<std::unique_ptr<Prober>> probers_;
  std::string limitations_;

  mutable absl::Mutex mu_;
  std::map<uint64_t, Job> jobs_ ABSL_GUARDED_BY(mu_);
  std::deque<uint64_t> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace grid::probe::agent

#endif  // GRID_PROBE_NODE_AGENT_PROBER_RUNNER_H_
