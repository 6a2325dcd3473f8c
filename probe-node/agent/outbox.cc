#include "probe-node/agent/outbox.h"

namespace grid::probe::agent {

void Outbox::AddCycle(const v1::CycleResult& result) {
  absl::MutexLock lock(&mu_);
  Job& job = jobs_[result.job_id()];
  if (result.cycle() < job.acked_cycles) return;  // Already durable.
  job.cycles[result.cycle()] = result;
}

void Outbox::AddDone(const v1::JobDone& done) {
  absl::MutexLock lock(&mu_);
  jobs_[done.job_id()].done = done;
}

void Outbox::Ack(const v1::Ack& ack) {
  absl::MutexLock lock(&mu_);
  auto it = jobs_.find(ack.job_id());
  if (it == jobs_.end()) return;
  Job& job = it->second;
  job.acked_cycles = std::max(job.acked_cycles, ack.cycles_durable());
  job.cycles.erase(job.cycles.begin(),
                   job.cycles.lower_bound(job.acked_cycles));
  if (ack.done_durable()) {
    // The coordinator has the end of the job and everything it counted.
    jobs_.erase(it);
  }
}

void Outbox::Forget(uint64_t job_id) {
  absl::MutexLock lock(&mu_);
  jobs_.erase(job_id);
}

std::vector<v1::PendingJob> Outbox::Pending(
    const std::set<uint64_t>& running) const {
  absl::MutexLock lock(&mu_);
  std::vector<v1::PendingJob> out;
  std::set<uint64_t> seen;
  for (const auto& [id, job] : jobs_) {
    if (job.cycles.empty() && !job.done && !running.count(id)) continue;
    v1::PendingJob& p = out.emplace_back();
    p.set_job_id(id);
    p.set_unacked_cycles(static_cast<uint32_t>(job.cycles.size()));
    p.set_running(running.count(id) > 0);
    seen.insert(id);
  }
  for (uint64_t id : running) {
    if (seen.count(id)) continue;
    v1::PendingJob& p = out.emplace_back();
    p.set_job_id(id);
    p.set_running(true);
  }
  return out;
}

std::vector<Outbox::Unacked> Outbox::All() const {
  absl::MutexLock lock(&mu_);
  std::vector<Unacked> out;
  for (const auto& [id, job] : jobs_) {
    if (job.cycles.empty() && !job.done) continue;
    Unacked& u = out.emplace_back();
    u.job_id = id;
    for (const auto& [c, r] : job.cycles) u.cycles.push_back(r);
    u.done = job.done;
  }
  return out;
}

size_t Outbox::cycles() const {
  absl::MutexLock lock(&mu_);
  size_t n = 0;
  for (const auto& [id, job] : jobs_) n += job.cycles.size();
  return n;
}

}  // namespace grid::probe::agent
