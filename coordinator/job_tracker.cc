#include "coordinator/job_tracker.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "coordinator/cycle_summary.h"
#include "coordinator/errors.h"

namespace grid::coordinator {

void JobWatch::Push(JobEvent event) {
  absl::MutexLock lock(&mu_);
  events_.push_back(event);
}

std::vector<JobEvent> JobWatch::Wait(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  auto ready = [this]()
                   ABSL_SHARED_LOCKS_REQUIRED(mu_) { return !events_.empty(); };
  mu_.AwaitWithDeadline(absl::Condition(&ready), deadline);
  std::vector<JobEvent> out(events_.begin(), events_.end());
  events_.clear();
  return out;
}

bool IsFinal(v1::JobStatus status) {
  switch (status) {
    case v1::JOB_STATUS_DONE:
    case v1::JOB_STATUS_CANCELLED:
    case v1::JOB_STATUS_FAILED:
    case v1::JOB_STATUS_REJECTED:
    case v1::JOB_STATUS_LOST:
      return true;
    default:
      return false;
  }
}

JobTracker::JobTracker(storage::Storage* storage, Clock clock)
    : storage_(storage), clock_(std::move(clock)) {}

void JobTracker::Add(const std::vector<v1::JobRecord>& jobs,
                     std::shared_ptr<JobWatch> watch) {
  absl::MutexLock lock(&mu_);
  for (const v1::JobRecord& job : jobs) {
    Entry& e = jobs_[job.spec().job_id()];
    e.record = job;
    e.watch = watch;
  }
}

void JobTracker::Forget(const std::vector<uint64_t>& job_ids) {
  absl::MutexLock lock(&mu_);
  for (uint64_t id : job_ids) jobs_.erase(id);
}

std::optional<v1::JobRecord> JobTracker::Get(uint64_t job_id) const {
  absl::MutexLock lock(&mu_);
  auto it = jobs_.find(job_id);
  if (it == jobs_.end()) return std::nullopt;
  return it->second.record;
}

absl::StatusOr<std::vector<v1::CycleResult>> JobTracker::Cycles(
    const v1::JobRecord& job, uint32_t from_cycle) const {
  return storage_->GetCycleResults(job.spec().job_id(), job.probe_name(),
                                   job.spec().direction(), from_cycle);
}

uint32_t JobTracker::DurablePrefix(Entry& e) {
  while (e.durable_cycles.contains(e.prefix)) ++e.prefix;
  return e.prefix;
}

void JobTracker::Notify(
    const std::vector<std::pair<std::shared_ptr<JobWatch>, JobEvent>>& events) {
  for (const auto& [watch, event] : events) watch->Push(event);
}

absl::Status JobTracker::LoadMissing(const std::set<uint64_t>& ids) {
  std::vector<uint64_t> missing;
  {
    absl::MutexLock lock(&mu_);
    for (uint64_t id : ids) {
      if (!jobs_.contains(id)) missing.push_back(id);
    }
  }
  for (uint64_t id : missing) {
    absl::StatusOr<v1::JobRecord> job = storage_->GetJob(id);
    if (absl::IsNotFound(job.status())) continue;
    if (!job.ok()) return job.status();
    absl::StatusOr<std::vector<v1::CycleResult>> cycles = Cycles(*job);
    if (!cycles.ok()) return cycles.status();
    absl::MutexLock lock(&mu_);
    if (jobs_.contains(id)) continue;
    Entry& e = jobs_[id];
    e.record = *std::move(job);
    for (const v1::CycleResult& c : *cycles) e.durable_cycles.insert(c.cycle());
    // The stored record's count is only rewritten on state changes.
    e.record.set_cycles_received(
        static_cast<uint32_t>(e.durable_cycles.size()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Ack>> JobTracker::Ingest(
    absl::string_view probe, const v1::CycleResults& results) {
  std::set<uint64_t> ids;
  for (const v1::CycleResult& r : results.results()) ids.insert(r.job_id());
  if (absl::Status s = LoadMissing(ids); !s.ok()) return s;

  // Stored straight from `results`, without copies.
  std::vector<const v1::CycleResult*> to_store;
  std::map<uint64_t, v1::JobRecord> updated;
  // Jobs whose stored record changes (status or source address). The
  // progress counter alone is not rewritten per batch: it follows from the
  // stored results (see LoadMissing) and is written with JobDone.
  std::vector<v1::JobRecord> changed_jobs;
  std::map<uint64_t, uint32_t> unknown;  // Job -> cycles to release.
  {
    absl::MutexLock lock(&mu_);
    for (const v1::CycleResult& r : results.results()) {
      if (r.probe_name() != probe) {
        return ProtocolViolation(
            probe,
            absl::StrCat("sent a result of probe \"", r.probe_name(), "\""));
      }
      auto it = jobs_.find(r.job_id());
      if (it == jobs_.end()) {
        uint32_t& n = unknown[r.job_id()];
        n = std::max(n, r.cycle() + 1);
        continue;
      }
      const v1::JobRecord& job = it->second.record;
      if (job.probe_name() != probe) {
        return ProtocolViolation(
            probe, absl::StrCat("sent results of job ", r.job_id(),
                                " of probe \"", job.probe_name(), "\""));
      }
      if (r.direction() != job.spec().direction()) {
        return ProtocolViolation(probe,
                                 absl::StrCat("result of job ", r.job_id(),
                                              " has the wrong direction"));
      }
      if (r.cycle() >= job.spec().cycles()) {
        return ProtocolViolation(
            probe,
            absl::StrCat("job ", r.job_id(), " has ", job.spec().cycles(),
                         " cycles, got cycle ", r.cycle()));
      }
      auto [u, inserted] = updated.try_emplace(r.job_id(), job);
      if (u->second.source_address().empty()) {
        u->second.set_source_address(r.source_address());
      }
      to_store.push_back(&r);
      if (u->second.status() == v1::JOB_STATUS_PENDING) {
        u->second.set_status(v1::JOB_STATUS_RUNNING);
      }
    }
    for (auto& [id, job] : updated) {
      const Entry& e = jobs_[id];
      if (job.status() == e.record.status() &&
          job.source_address() == e.record.source_address()) {
        continue;
      }
      // Distinct cycles once this batch is in.
      std::set<uint32_t> fresh;
      for (const v1::CycleResult* r : to_store) {
        if (r->job_id() == id && !e.durable_cycles.contains(r->cycle())) {
          fresh.insert(r->cycle());
        }
      }
      job.set_cycles_received(
          static_cast<uint32_t>(e.durable_cycles.size() + fresh.size()));
      changed_jobs.push_back(job);
    }
  }

  if (!to_store.empty()) {
    if (absl::Status s = storage_->PutCycleResults(to_store, changed_jobs);
        !s.ok()) {
      return s;
    }
  }

  std::vector<v1::Ack> acks;
  std::vector<std::pair<std::shared_ptr<JobWatch>, JobEvent>> events;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, job] : updated) {
      auto it = jobs_.find(id);
      if (it == jobs_.end()) continue;  // Forgotten meanwhile.
      Entry& e = it->second;
      for (const v1::CycleResult* r : to_store) {
        if (r->job_id() == id) e.durable_cycles.insert(r->cycle());
      }
      e.record.set_cycles_received(
          static_cast<uint32_t>(e.durable_cycles.size()));
      if (e.record.source_address().empty()) {
        e.record.set_source_address(job.source_address());
      }
      if (!IsFinal(e.record.status())) e.record.set_status(job.status());
      v1::Ack& ack = acks.emplace_back();
      ack.set_job_id(id);
      ack.set_cycles_durable(DurablePrefix(e));
      ack.set_done_durable(e.done_durable);
      if (e.watch) {
        events.push_back({e.watch, {JobEvent::Type::kCycles, id}});
      }
    }
  }
  for (const auto& [id, cycles] : unknown) {
    v1::Ack& ack = acks.emplace_back();
    ack.set_job_id(id);
    ack.set_cycles_durable(cycles);
    ack.set_done_durable(true);
  }
  Notify(events);
  return acks;
}

absl::StatusOr<v1::Ack> JobTracker::Done(absl::string_view probe,
                                         const v1::JobDone& done) {
  const uint64_t id = done.job_id();
  if (absl::Status s = LoadMissing({id}); !s.ok()) return s;
  switch (done.status()) {
    case v1::JOB_STATUS_DONE:
    case v1::JOB_STATUS_CANCELLED:
    case v1::JOB_STATUS_FAILED:
    case v1::JOB_STATUS_REJECTED:
      break;
    default:
      return ProtocolViolation(
          probe, absl::StrCat("JobDone of job ", id, " has status ",
                              v1::JobStatus_Name(done.status())));
  }
  v1::JobRecord job;
  {
    absl::MutexLock lock(&mu_);
    auto it = jobs_.find(id);
    if (it == jobs_.end()) {
      v1::Ack ack;  // Unknown job: release everything.
      ack.set_job_id(id);
      ack.set_cycles_durable(done.cycles_completed());
      ack.set_done_durable(true);
      return ack;
    }
    job = it->second.record;
  }
  if (job.probe_name() != probe) {
    return ProtocolViolation(
        probe, absl::StrCat("sent JobDone of job ", id, " of probe \"",
                            job.probe_name(), "\""));
  }
  absl::StatusOr<std::vector<v1::CycleResult>> cycles = Cycles(job);
  if (!cycles.ok()) return cycles.status();
  job.set_status(done.status());
  job.set_error(done.error());
  job.set_finished_unix_ms(absl::ToUnixMillis(Now()));
  if (job.source_address().empty()) {
    job.set_source_address(done.source_address());
  }
  job.set_cycles_received(static_cast<uint32_t>(cycles->size()));
  *job.mutable_summary() =
      SummarizeCycles(*cycles, job.source_address(), job.spec().target());
  if (absl::Status s = storage_->PutJob(job); !s.ok()) return s;

  v1::Ack ack;
  ack.set_job_id(id);
  std::shared_ptr<JobWatch> watch;
  {
    absl::MutexLock lock(&mu_);
    auto it = jobs_.find(id);
    if (it != jobs_.end()) {
      Entry& e = it->second;
      e.record = job;
      e.done_durable = true;
      for (const v1::CycleResult& c : *cycles) {
        e.durable_cycles.insert(c.cycle());
      }
      ack.set_cycles_durable(DurablePrefix(e));
      watch = e.watch;
      if (!watch) jobs_.erase(it);
    } else {
      ack.set_cycles_durable(done.cycles_completed());
    }
  }
  ack.set_done_durable(true);
  if (watch) watch->Push({JobEvent::Type::kFinished, id});
  return ack;
}

absl::Status JobTracker::Started(absl::string_view probe,
                                 const v1::JobStarted& started) {
  std::shared_ptr<JobWatch> watch;
  {
    absl::MutexLock lock(&mu_);
    auto it = jobs_.find(started.job_id());
    if (it == jobs_.end()) return absl::OkStatus();
    Entry& e = it->second;
    if (e.record.probe_name() != probe) {
      return ProtocolViolation(
          probe, absl::StrCat("sent JobStarted of job ", started.job_id(),
                              " of probe \"", e.record.probe_name(), "\""));
    }
    if (e.record.source_address().empty()) {
      e.record.set_source_address(started.source_address());
    }
    if (e.record.status() == v1::JOB_STATUS_PENDING) {
      e.record.set_status(v1::JOB_STATUS_RUNNING);
    }
    watch = e.watch;
  }
  if (watch) watch->Push({JobEvent::Type::kStarted, started.job_id()});
  return absl::OkStatus();
}

std::vector<uint64_t> JobTracker::UnknownJobs(
    const google::protobuf::RepeatedPtrField<v1::PendingJob>& pending) {
  std::set<uint64_t> ids;
  for (const v1::PendingJob& p : pending) ids.insert(p.job_id());
  // On a storage error we cannot tell: the probe keeps its data.
  if (!LoadMissing(ids).ok()) return {};
  std::vector<uint64_t> unknown;
  absl::MutexLock lock(&mu_);
  for (uint64_t id : ids) {
    if (!jobs_.contains(id)) unknown.push_back(id);
  }
  return unknown;
}

void JobTracker::ProbeDisconnected(absl::string_view probe) {
  std::vector<std::pair<std::shared_ptr<JobWatch>, JobEvent>> events;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, e] : jobs_) {
      if (e.watch && e.record.probe_name() == probe &&
          !IsFinal(e.record.status())) {
        events.push_back({e.watch, {JobEvent::Type::kProbeGone, id}});
      }
    }
  }
  Notify(events);
}

void JobTracker::ProbeConnected(absl::string_view probe,
                                bool instance_changed) {
  std::vector<uint64_t> lost;
  std::vector<std::pair<std::shared_ptr<JobWatch>, JobEvent>> events;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, e] : jobs_) {
      if (e.record.probe_name() != probe || IsFinal(e.record.status())) {
        continue;
      }
      if (instance_changed) {
        lost.push_back(id);
      } else if (e.watch) {
        events.push_back({e.watch, {JobEvent::Type::kProbeBack, id}});
      }
    }
  }
  for (uint64_t id : lost) {
    Finish(id, v1::JOB_STATUS_LOST,
           "the probe restarted and its running jobs are gone")
        .IgnoreError();
  }
  Notify(events);
}

absl::Status JobTracker::Finish(uint64_t job_id, v1::JobStatus status,
                                absl::string_view reason) {
  if (absl::Status s = LoadMissing({job_id}); !s.ok()) return s;
  v1::JobRecord job;
  std::shared_ptr<JobWatch> watch;
  {
    absl::MutexLock lock(&mu_);
    auto it = jobs_.find(job_id);
    if (it == jobs_.end())
      return absl::NotFoundError(absl::StrCat("job ", job_id));
    Entry& e = it->second;
    if (IsFinal(e.record.status())) return absl::OkStatus();
    e.record.set_status(status);
    e.record.set_error(std::string(reason));
    e.record.set_finished_unix_ms(absl::ToUnixMillis(Now()));
    job = e.record;
    watch = e.watch;
  }
  absl::Status s = storage_->PutJob(job);
  if (watch) watch->Push({JobEvent::Type::kFinished, job_id});
  return s;
}

}  // namespace grid::coordinator
