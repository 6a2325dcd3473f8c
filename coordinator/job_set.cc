#include "coordinator/job_set.h"

#include <algorithm>

namespace grid::coordinator {

JobSet::JobSet(const Services& services)
    : services_(services), watch_(std::make_shared<JobWatch>()) {}

JobSet::~JobSet() { services_.tracker->Forget(job_ids()); }

std::vector<uint64_t> JobSet::job_ids() const {
  std::vector<uint64_t> ids;
  for (const auto& [id, s] : jobs_) ids.push_back(id);
  return ids;
}

std::optional<v1::JobRecord> JobSet::Get(uint64_t job_id) const {
  return services_.tracker->Get(job_id);
}

void JobSet::Assign(const v1::JobRecord& job) {
  const uint64_t id = job.spec().job_id();
  services_.tracker->Add({job}, watch_);
  jobs_[id];
  std::optional<ConnectedProbe> probe =
      services_.registry->Find(job.probe_name());
  v1::CoordinatorMessage msg;
  *msg.mutable_assign()->mutable_spec() = job.spec();
  if (!probe || !probe->link->Send(msg)) {
    services_.tracker
        ->Finish(id, v1::JOB_STATUS_LOST,
                 "the probe disconnected before the job could be sent")
        .IgnoreError();
  }
}

bool JobSet::AllFinished() const {
  return std::all_of(jobs_.begin(), jobs_.end(),
                     [](const auto& j) { return j.second.finished; });
}

void JobSet::Lose(uint64_t id, const std::string& reason) {
  std::optional<v1::JobRecord> job = Get(id);
  if (!job || IsFinal(job->status())) return;
  if (std::optional<ConnectedProbe> probe =
          services_.registry->Find(job->probe_name())) {
    v1::CoordinatorMessage msg;
    msg.mutable_cancel()->set_job_id(id);
    msg.mutable_cancel()->set_reason(reason);
    probe->link->Send(msg);
  }
  services_.tracker->Finish(id, v1::JOB_STATUS_LOST, reason).IgnoreError();
}

void JobSet::Progress(uint64_t id, State& s, const Handlers& handlers,
                      bool force) {
  const absl::Time now = absl::Now();
  if (!force && now - s.last_progress < services_.options.progress_interval) {
    s.dirty = true;
    return;
  }
  s.dirty = false;
  s.last_progress = now;
  if (!handlers.progress) return;
  if (std::optional<v1::JobRecord> job = Get(id)) handlers.progress(*job);
}

void JobSet::Handle(const JobEvent& event, const Handlers& handlers) {
  auto it = jobs_.find(event.job_id);
  if (it == jobs_.end()) return;
  State& s = it->second;
  std::optional<v1::JobRecord> job = Get(event.job_id);
  if (!job) return;
  switch (event.type) {
    case JobEvent::Type::kStarted:
      if (handlers.started) handlers.started(*job);
      Progress(event.job_id, s, handlers, /*force=*/false);
      break;
    case JobEvent::Type::kCycles:
      s.gone_since.reset();
      if (handlers.cycles) handlers.cycles(*job);
      // A result for a return job may come before JobStarted is seen.
      if (handlers.started && !job->source_address().empty()) {
        handlers.started(*job);
      }
      Progress(event.job_id, s, handlers, /*force=*/false);
      break;
    case JobEvent::Type::kFinished:
      if (s.finished || !IsFinal(job->status())) break;
      s.finished = true;
      s.status = job->status();
      if (handlers.cycles) handlers.cycles(*job);
      Progress(event.job_id, s, handlers, /*force=*/true);
      if (handlers.finished) handlers.finished(*job);
      break;
    case JobEvent::Type::kProbeGone:
      if (!s.gone_since) s.gone_since = absl::Now();
      break;
    case JobEvent::Type::kProbeBack:
      s.gone_since.reset();
      break;
  }
}

void JobSet::Run(absl::Time deadline, const Handlers& handlers) {
  const SchedulerOptions& opt = services_.options;
  auto stopping = [this] {
    return services_.stopping != nullptr && services_.stopping->load();
  };
  while (!AllFinished()) {
    const absl::Time now = absl::Now();
    if (now >= deadline || stopping()) break;
    // Wake now and then to notice a shutdown.
    absl::Time wake = std::min(deadline, now + absl::Milliseconds(200));
    for (const auto& [id, s] : jobs_) {
      if (s.finished) continue;
      if (s.gone_since)
        wake = std::min(wake, *s.gone_since + opt.reconnect_grace);
      if (s.dirty)
        wake = std::min(wake, s.last_progress + opt.progress_interval);
    }
    for (const JobEvent& e : watch_->Wait(wake)) Handle(e, handlers);

    const absl::Time after = absl::Now();
    std::vector<uint64_t> gone;
    for (auto& [id, s] : jobs_) {
      if (s.finished) continue;
      if (s.gone_since && after - *s.gone_since >= opt.reconnect_grace) {
        gone.push_back(id);
      } else if (s.dirty && after - s.last_progress >= opt.progress_interval) {
        Progress(id, s, handlers, /*force=*/false);
      }
    }
    for (uint64_t id : gone) {
      Lose(id, "the probe disconnected mid-job and did not come back");
    }
  }
  if (!AllFinished()) {
    for (const auto& [id, s] : jobs_) {
      if (!s.finished) {
        Lose(id, stopping() ? "the coordinator is shutting down"
                            : "no result before the deadline");
      }
    }
    // Lose() queued a kFinished event per job; deliver them.
    for (const JobEvent& e : watch_->Wait(absl::InfinitePast())) {
      Handle(e, handlers);
    }
    // A job that ended on the probe meanwhile is final already.
    for (auto& [id, s] : jobs_) {
      if (s.finished) continue;
      std::optional<v1::JobRecord> job = Get(id);
      s.finished = true;
      if (job && handlers.finished) handlers.finished(*job);
    }
  }
}

}  // namespace grid::coordinator
