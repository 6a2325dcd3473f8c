#include "coordinator/trace_run.h"

#include <set>
#include <string>

#include "common/status_macros.h"
#include "coordinator/cycle_summary.h"
#include "coordinator/errors.h"
#include "coordinator/ip_prefix.h"
#include "coordinator/job_set.h"

namespace grid::coordinator {

absl::StatusOr<v1::JobRecord> RunTrace(const Services& services,
                                       const v1::TraceRequest& request,
                                       const TraceSink& sink) {
  GRID_ASSIGN_OR_RETURN(
      const std::string target,
      services.options.target_policy.CheckTarget(request.target()));
  if (request.probe_name().empty()) {
    return absl::InvalidArgumentError("no probe name given");
  }
  if (!services.registry->Find(request.probe_name())) {
    absl::StatusOr<v1::ProbeRecord> known =
        services.storage->GetProbe(request.probe_name());
    if (absl::IsNotFound(known.status())) {
      return ProbeNotFound(request.probe_name());
    }
    GRID_RETURN_IF_ERROR(known.status());
    return ProbeNotConnected(request.probe_name());
  }
  GRID_ASSIGN_OR_RETURN(
      const TraceParams params,
      ResolveTraceParams(services.options, request.cycles(),
                         request.interval_ms(), request.method(),
                         request.port(), request.max_ttl(),
                         request.packet_size()));
  GRID_ASSIGN_OR_RETURN(const uint64_t job_id, services.storage->AllocateId());
  const absl::Time now = absl::Now();
  const v1::JobRecord job =
      NewJob(job_id, params, target, v1::DIRECTION_FORWARD,
             request.probe_name(), /*diagnosis_id=*/0, now);
  GRID_RETURN_IF_ERROR(services.storage->PutJob(job));

  v1::TraceEvent started;
  v1::ScheduledJob* sj = started.mutable_started();
  sj->set_job_id(job_id);
  sj->set_probe_name(request.probe_name());
  sj->set_vantage(request.probe_name());
  sj->set_direction(v1::DIRECTION_FORWARD);
  sj->set_target(target);
  sink(started);

  JobSet jobs(services);
  jobs.Assign(job);
  std::set<uint32_t> sent;
  uint32_t unsent = 0;  // No cycle below this is unsent.
  JobSet::Handlers h;
  // New cycles go out with progress (throttled), and all at the end.
  h.progress = [&](const v1::JobRecord& record) {
    while (sent.contains(unsent)) ++unsent;
    absl::StatusOr<std::vector<v1::CycleResult>> cycles =
        services.tracker->Cycles(record, unsent);
    if (!cycles.ok()) return;
    for (const v1::CycleResult& c : *cycles) {
      if (!sent.insert(c.cycle()).second) continue;
      v1::TraceEvent e;
      *e.mutable_cycle() = c;
      sink(e);
    }
  };
  jobs.Run(
      now + 2 * ExpectedTraceTime(params) + services.options.deadline_margin,
      h);
  std::optional<v1::JobRecord> final_job = jobs.Get(job_id);
  if (!final_job) return absl::InternalError("the trace's job vanished");
  if (final_job->summary().hops_size() == 0) {
    absl::StatusOr<std::vector<v1::CycleResult>> cycles =
        services.tracker->Cycles(*final_job);
    if (cycles.ok()) {
      *final_job->mutable_summary() = SummarizeCycles(
          *cycles, final_job->source_address(), final_job->spec().target());
    }
  }
  v1::TraceEvent done;
  *done.mutable_done() = *final_job;
  sink(done);
  return *final_job;
}

}  // namespace grid::coordinator
