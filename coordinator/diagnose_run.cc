#include "coordinator/diagnose_run.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "coordinator/cycle_summary.h"
#include "coordinator/diagnosis_plan.h"
#include "coordinator/ip_prefix.h"
#include "coordinator/job_set.h"
#include "coordinator/model_convert.h"
#include "diagnosis/diagnosis.h"

namespace grid::coordinator {
namespace {

// One vantage's jobs.
struct Vantage {
  std::string name;  // = the forward probe's name.
  uint64_t forward_job = 0;
  uint64_t return_job = 0;
  // The return job, REJECTED and never sent, when the target policy
  // refused the vantage's source address.
  std::optional<v1::JobRecord> refused_return;
};

class DiagnoseRun {
 public:
  DiagnoseRun(const Services& services, const v1::DiagnoseRequest& request,
              const DiagnoseSink& sink)
      : services_(services), request_(request), sink_(sink), jobs_(services) {}

  absl::StatusOr<v1::DiagnosisRecord> Run();

 private:
  absl::Status Schedule();
  void MaybeScheduleReturn(const v1::JobRecord& forward);
  void EmitProgress(const v1::JobRecord& job);
  void EmitLost(const v1::JobRecord& job);
  absl::StatusOr<v1::DiagnosisRecord> Conclude();
  std::optional<v1::TraceSummary> Summary(uint64_t job_id,
                                          const std::string& source);
  // Statistics so far, for progress events: each cycle is read once, in
  // cycle order; a cycle not yet stored ends a pass until it is.
  std::optional<v1::TraceSummary> LiveSummary(const v1::JobRecord& job);
  std::string VantageOf(const v1::JobRecord& job) const;

  const Services& services_;
  const v1::DiagnoseRequest& request_;
  const DiagnoseSink& sink_;
  JobSet jobs_;

  std::string target_;
  TraceParams params_;
  DiagnosisPlan plan_;
  v1::DiagnosisRecord record_;
  absl::Time deadline_;
  std::vector<Vantage> vantages_;
  std::map<uint64_t, size_t> vantage_of_job_;  // Job -> index in vantages_.
  struct Live {
    CycleSummarizer summarizer;
    uint32_t next_cycle = 0;
  };
  std::map<uint64_t, Live> live_;  // Job -> live statistics.
};

absl::Status DiagnoseRun::Schedule() {
  GRID_ASSIGN_OR_RETURN(
      target_, services_.options.target_policy.CheckTarget(request_.target()));
  GRID_ASSIGN_OR_RETURN(LabelSelector selector,
                        LabelSelector::Parse(request_.probe_selector()));
  GRID_ASSIGN_OR_RETURN(
      params_, ResolveTraceParams(services_.options, request_.cycles(),
                                  request_.interval_ms(), request_.method(),
                                  request_.port(), 0, 0));
  GRID_ASSIGN_OR_RETURN(plan_, PlanDiagnosis(services_.registry->Connected(),
                                             *IpBytes::Parse(target_), selector,
                                             request_.probe_selector()));
  if (request_.skip_return()) plan_.return_probe.reset();

  storage::Storage& db = *services_.storage;
  const absl::Time now = absl::Now();
  GRID_ASSIGN_OR_RETURN(const uint64_t id, db.AllocateId());
  record_.set_id(id);
  record_.set_target(target_);
  record_.set_started_unix_ms(absl::ToUnixMillis(now));
  record_.set_cycles(params_.cycles);
  record_.set_probe_selector(request_.probe_selector());
  deadline_ = now + (request_.deadline_ms() > 0
                         ? absl::Milliseconds(request_.deadline_ms())
                         : 2 * ExpectedTraceTime(params_) +
                               services_.options.deadline_margin);

  std::vector<v1::JobRecord> jobs;
  for (const ConnectedProbe& p : plan_.vantages) {
    GRID_ASSIGN_OR_RETURN(const uint64_t job_id, db.AllocateId());
    jobs.push_back(NewJob(job_id, params_, target_, v1::DIRECTION_FORWARD,
                          p.record.name(), id, now));
    vantage_of_job_[job_id] = vantages_.size();
    vantages_.push_back({p.record.name(), job_id, 0, std::nullopt});
    v1::DiagnosisVantage* dv = record_.add_vantage_jobs();
    dv->set_probe_name(p.record.name());
    dv->set_forward_job_id(job_id);
    dv->set_forward_status(v1::JOB_STATUS_PENDING);
  }
  GRID_RETURN_IF_ERROR(db.PutDiagnosis(record_, jobs));

  v1::DiagnoseEvent started;
  v1::DiagnoseStarted* s = started.mutable_started();
  s->set_diagnosis_id(id);
  s->set_cycles(params_.cycles);
  s->set_deadline_unix_ms(absl::ToUnixMillis(deadline_));
  for (const v1::JobRecord& job : jobs) {
    v1::ScheduledJob* sj = s->add_jobs();
    sj->set_job_id(job.spec().job_id());
    sj->set_probe_name(job.probe_name());
    sj->set_vantage(job.probe_name());
    sj->set_direction(v1::DIRECTION_FORWARD);
    sj->set_target(target_);
  }
  sink_(started);
  for (const v1::JobRecord& job : jobs) jobs_.Assign(job);
  return absl::OkStatus();
}

std::string DiagnoseRun::VantageOf(const v1::JobRecord& job) const {
  auto it = vantage_of_job_.find(job.spec().job_id());
  return it == vantage_of_job_.end() ? job.probe_name()
                                     : vantages_[it->second].name;
}

void DiagnoseRun::MaybeScheduleReturn(const v1::JobRecord& forward) {
  if (!plan_.return_probe ||
      forward.spec().direction() != v1::DIRECTION_FORWARD) {
    return;
  }
  auto it = vantage_of_job_.find(forward.spec().job_id());
  if (it == vantage_of_job_.end()) return;
  Vantage& v = vantages_[it->second];
  if (v.return_job != 0 || forward.source_address().empty()) return;
  absl::StatusOr<IpBytes> source = IpBytes::Parse(forward.source_address());
  if (!source.ok()) return;  // Nothing a return trace could aim at.
  // A source address the policy refuses (a vantage behind NAT reports a
  // private one) gets a REJECTED return job that is never sent.
  const absl::Status allowed = services_.options.target_policy.Check(*source);
  absl::StatusOr<uint64_t> job_id = services_.storage->AllocateId();
  if (!job_id.ok()) return;
  v1::JobRecord job =
      NewJob(*job_id, params_, source->ToString(), v1::DIRECTION_RETURN,
             plan_.return_probe->record.name(), record_.id(), absl::Now());
  if (!allowed.ok()) {
    job.set_status(v1::JOB_STATUS_REJECTED);
    job.set_error(absl::StrCat("return trace not sent: ", allowed.message()));
    job.set_finished_unix_ms(job.created_unix_ms());
  }
  if (!services_.storage->PutJob(job).ok()) return;
  v.return_job = *job_id;
  vantage_of_job_[*job_id] = it->second;
  if (!allowed.ok()) {
    v.refused_return = job;
    EmitLost(job);
    return;
  }
  jobs_.Assign(job);
  EmitProgress(*jobs_.Get(*job_id));
}

void DiagnoseRun::EmitProgress(const v1::JobRecord& job) {
  v1::DiagnoseEvent e;
  v1::JobProgress* p = e.mutable_progress();
  p->set_job_id(job.spec().job_id());
  p->set_vantage(VantageOf(job));
  p->set_direction(job.spec().direction());
  p->set_cycles_done(job.cycles_received());
  p->set_cycles_total(job.spec().cycles());
  p->set_status(job.status());
  if (job.cycles_received() > 0) {
    if (std::optional<v1::TraceSummary> s = LiveSummary(job)) {
      *p->mutable_summary() = *std::move(s);
    }
  }
  sink_(e);
}

void DiagnoseRun::EmitLost(const v1::JobRecord& job) {
  v1::DiagnoseEvent e;
  v1::JobLost* l = e.mutable_lost();
  l->set_job_id(job.spec().job_id());
  l->set_probe_name(job.probe_name());
  l->set_status(job.status());
  l->set_reason(job.error());
  sink_(e);
}

std::optional<v1::TraceSummary> DiagnoseRun::Summary(
    uint64_t job_id, const std::string& source) {
  std::optional<v1::JobRecord> job = jobs_.Get(job_id);
  if (!job) return std::nullopt;
  absl::StatusOr<std::vector<v1::CycleResult>> cycles =
      services_.tracker->Cycles(*job);
  if (!cycles.ok() || cycles->empty()) return std::nullopt;
  return SummarizeCycles(*cycles, source, job->spec().target());
}

std::optional<v1::TraceSummary> DiagnoseRun::LiveSummary(
    const v1::JobRecord& job) {
  Live& live = live_[job.spec().job_id()];
  absl::StatusOr<std::vector<v1::CycleResult>> cycles =
      services_.tracker->Cycles(job, live.next_cycle);
  if (!cycles.ok()) return std::nullopt;
  for (const v1::CycleResult& c : *cycles) {
    if (c.cycle() != live.next_cycle) break;
    live.summarizer.Add(c, job.spec().target());
    ++live.next_cycle;
  }
  if (live.next_cycle == 0) return std::nullopt;
  return live.summarizer.Summary(job.source_address(), job.spec().target());
}

absl::StatusOr<v1::DiagnosisRecord> DiagnoseRun::Conclude() {
  std::vector<diagnosis::VantageTraces> traces;
  std::set<std::string> missing;
  std::vector<v1::JobRecord> final_jobs;
  for (size_t i = 0; i < vantages_.size(); ++i) {
    const Vantage& v = vantages_[i];
    v1::DiagnosisVantage* dv =
        record_.mutable_vantage_jobs(static_cast<int>(i));
    std::optional<v1::JobRecord> fwd = jobs_.Get(v.forward_job);
    std::optional<v1::JobRecord> ret = v.refused_return ? v.refused_return
                                       : v.return_job ? jobs_.Get(v.return_job)
                                                      : std::nullopt;
    if (fwd) {
      dv->set_forward_status(fwd->status());
      final_jobs.push_back(*fwd);
      if (fwd->status() == v1::JOB_STATUS_LOST) missing.insert(v.name);
    }
    if (ret) {
      dv->set_return_job_id(v.return_job);
      dv->set_return_probe_name(ret->probe_name());
      dv->set_return_status(ret->status());
      final_jobs.push_back(*ret);
      if (ret->status() == v1::JOB_STATUS_LOST)
        missing.insert(ret->probe_name());
    }
    std::optional<v1::TraceSummary> forward =
        fwd ? Summary(v.forward_job, fwd->source_address()) : std::nullopt;
    if (!forward) {
      missing.insert(v.name);
      continue;
    }
    diagnosis::VantageTraces vt;
    vt.name = v.name;
    vt.forward = FromProto(*forward);
    if (ret) {
      if (std::optional<v1::TraceSummary> r =
              Summary(v.return_job, ret->source_address())) {
        vt.ret = FromProto(*r);
      }
    }
    traces.push_back(std::move(vt));
  }
  const diagnosis::Diagnosis result = diagnosis::Diagnose(traces);
  *record_.mutable_result() = ToProto(result);
  for (const diagnosis::VantageTraces& vt : traces) {
    *record_.add_vantages() = ToProto(vt);
  }
  for (const std::string& m : missing) record_.add_missing_probes(m);
  record_.set_finished_unix_ms(absl::ToUnixMillis(absl::Now()));
  GRID_RETURN_IF_ERROR(services_.storage->PutDiagnosis(record_, final_jobs));
  return record_;
}

absl::StatusOr<v1::DiagnosisRecord> DiagnoseRun::Run() {
  GRID_RETURN_IF_ERROR(Schedule());
  JobSet::Handlers h;
  h.started = [this](const v1::JobRecord& job) { MaybeScheduleReturn(job); };
  h.progress = [this](const v1::JobRecord& job) { EmitProgress(job); };
  h.finished = [this](const v1::JobRecord& job) {
    if (job.status() == v1::JOB_STATUS_LOST ||
        job.status() == v1::JOB_STATUS_FAILED ||
        job.status() == v1::JOB_STATUS_REJECTED) {
      EmitLost(job);
    } else {
      MaybeScheduleReturn(job);
    }
  };
  jobs_.Run(deadline_, h);
  absl::StatusOr<v1::DiagnosisRecord> record = Conclude();
  if (!record.ok()) {
    record_.set_error(std::string(record.status().message()));
    return record.status();
  }
  v1::DiagnoseEvent e;
  *e.mutable_result() = *record;
  sink_(e);
  return record;
}

}  // namespace

absl::StatusOr<v1::DiagnosisRecord> RunDiagnosis(
    const Services& services, const v1::DiagnoseRequest& request,
    const DiagnoseSink& sink) {
  DiagnoseRun run(services, request, sink);
  return run.Run();
}

}  // namespace grid::coordinator
