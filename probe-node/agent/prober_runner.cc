#include "probe-node/agent/prober_runner.h"

#include <utility>

#include "probe-node/agent/cycle_results.h"
#include "probe-node/agent/source_address.h"

namespace grid::probe::agent {

ProberRunner::ProberRunner(std::vector<std::unique_ptr<Prober>> probers,
                           std::string probe_name, JobCallbacks callbacks,
                           absl::Duration gather, SourceLookup source_lookup)
    : probe_name_(std::move(probe_name)),
      callbacks_(std::move(callbacks)),
      gather_(gather),
      source_lookup_(source_lookup ? std::move(source_lookup)
                                   : SourceLookup(SourceAddressToward)),
      probers_(std::move(probers)) {
  if (!probers_.empty()) limitations_ = probers_[0]->Limitations();
  for (auto& p : probers_) {
    workers_.emplace_back([this, prober = p.get()] { Worker(prober); });
  }
}

ProberRunner::~ProberRunner() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& t : workers_) t.join();
}

void ProberRunner::Start(const v1::JobSpec& spec) {
  absl::StatusOr<TraceRequest> request = ToTraceRequest(spec);
  {
    absl::MutexLock lock(&mu_);
    if (jobs_.contains(spec.job_id())) return;  // Already running.
    if (request.ok()) {
      Job& job = jobs_[spec.job_id()];
      job.spec = spec;
      job.request = *request;
      queue_.push_back(spec.job_id());
      return;
    }
  }
  v1::JobDone done;
  done.set_job_id(spec.job_id());
  done.set_status(v1::JOB_STATUS_REJECTED);
  done.set_error(std::string(request.status().message()));
  callbacks_.done(done);
}

void ProberRunner::Cancel(uint64_t job_id) {
  v1::JobDone done;
  {
    absl::MutexLock lock(&mu_);
    auto it = jobs_.find(job_id);
    if (it == jobs_.end()) return;
    if (!it->second.running) {
      std::erase(queue_, job_id);
    }
    done.set_cycles_completed(static_cast<uint32_t>(it->second.cycles_sent));
  }
  done.set_job_id(job_id);
  done.set_status(v1::JOB_STATUS_CANCELLED);
  done.set_error("cancelled by the coordinator");
  // A running trace cannot be stopped early (prober.h has no cancel): its
  // remaining results are dropped.
  Finish(job_id, done);
}

std::set<uint64_t> ProberRunner::Running() const {
  absl::MutexLock lock(&mu_);
  std::set<uint64_t> ids;
  for (const auto& [id, job] : jobs_) ids.insert(id);
  return ids;
}

v1::Capabilities ProberRunner::Capabilities() const {
  v1::Capabilities caps;
  caps.add_methods(v1::PROBE_METHOD_ICMP);
  caps.set_raw_sockets(limitations_.empty());
  if (limitations_.empty()) {
    caps.add_methods(v1::PROBE_METHOD_UDP);
    caps.add_methods(v1::PROBE_METHOD_TCP);
  }
  caps.set_ipv4(true);
  caps.set_ipv6(true);
  return caps;
}

absl::StatusOr<std::string> ProberRunner::SourceAddress(
    const v1::JobSpec& spec) const {
  return source_lookup_(spec.target());
}

std::vector<uint64_t> ProberRunner::TakeBatch() {
  std::vector<uint64_t> batch;
  std::set<IpAddress> destinations;
  for (auto it = queue_.begin(); it != queue_.end();) {
    Job& job = jobs_[*it];
    // Results are matched to jobs by destination: one job per destination
    // in a batch; the others wait for the next.
    if (!destinations.insert(job.request.destination).second) {
      ++it;
      continue;
    }
    job.running = true;
    batch.push_back(*it);
    it = queue_.erase(it);
  }
  return batch;
}

void ProberRunner::Worker(Prober* prober) {
  while (true) {
    std::vector<TraceRequest> requests;
    std::map<IpAddress, uint64_t> by_destination;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return stopping_ || !queue_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (stopping_) return;
      // Let jobs sent together arrive, to run them in one batch.
      mu_.Unlock();
      absl::SleepFor(gather_);
      mu_.Lock();
      for (uint64_t id : TakeBatch()) {
        const Job& job = jobs_[id];
        requests.push_back(job.request);
        by_destination[job.request.destination] = id;
      }
    }
    if (requests.empty()) continue;
    std::vector<TraceResult> results =
        prober->Run(requests, [&](const TraceResult& r) {
          OnProgress(by_destination, r, /*final=*/false);
        });
    for (const TraceResult& r : results) {
      OnProgress(by_destination, r, /*final=*/true);
    }
  }
}

void ProberRunner::OnProgress(
    const std::map<IpAddress, uint64_t>& by_destination,
    const TraceResult& result, bool final) {
  auto d = by_destination.find(result.request.destination);
  if (d == by_destination.end()) return;
  const uint64_t id = d->second;
  v1::JobSpec spec;
  int first = 0;
  {
    absl::MutexLock lock(&mu_);
    auto it = jobs_.find(id);
    if (it == jobs_.end()) return;  // Cancelled.
    spec = it->second.spec;
    first = it->second.cycles_sent;
  }
  std::vector<v1::CycleResult> cycles =
      CompleteCycles(spec, probe_name_, result, first, final);
  int sent = first;
  {
    absl::MutexLock lock(&mu_);
    auto it = jobs_.find(id);
    if (it == jobs_.end()) return;
    it->second.cycles_sent += static_cast<int>(cycles.size());
    sent = it->second.cycles_sent;
  }
  for (const v1::CycleResult& c : cycles) callbacks_.cycle(c);
  if (final) Finish(id, MakeJobDone(spec, result, sent));
}

void ProberRunner::Finish(uint64_t job_id, const v1::JobDone& done) {
  {
    absl::MutexLock lock(&mu_);
    if (jobs_.erase(job_id) == 0) return;
  }
  callbacks_.done(done);
}

}  // namespace grid::probe::agent
