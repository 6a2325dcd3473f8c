#include "coordinator/job_spec.h"

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace grid::coordinator {

absl::StatusOr<TraceParams> ResolveTraceParams(const SchedulerOptions& options,
                                               uint32_t cycles,
                                               uint32_t interval_ms,
                                               v1::ProbeMethod method,
                                               uint32_t port, uint32_t max_ttl,
                                               uint32_t packet_size) {
  TraceParams p;
  p.cycles = cycles == 0 ? options.default_cycles : cycles;
  if (p.cycles > options.max_cycles) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cycles must be 1..", options.max_cycles, ", got ", cycles));
  }
  p.interval_ms = interval_ms == 0
                      ? static_cast<uint32_t>(
                            absl::ToInt64Milliseconds(options.default_interval))
                      : interval_ms;
  if (p.interval_ms > 3'600'000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "interval must be at most 3600 s, got ", interval_ms, " ms"));
  }
  switch (method) {
    case v1::PROBE_METHOD_UNSPECIFIED:
    case v1::PROBE_METHOD_ICMP:
      p.method = v1::PROBE_METHOD_ICMP;
      break;
    case v1::PROBE_METHOD_UDP:
    case v1::PROBE_METHOD_TCP:
      p.method = method;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("unknown probe method ", static_cast<int>(method)));
  }
  if (port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("port must be 0..65535, got ", port));
  }
  p.port = p.method == v1::PROBE_METHOD_ICMP ? 0 : port;
  p.max_ttl = max_ttl == 0 ? options.max_ttl : max_ttl;
  if (p.max_ttl > 255) {
    return absl::InvalidArgumentError(
        absl::StrCat("max-ttl must be 1..255, got ", max_ttl));
  }
  if (packet_size > 1500) {
    return absl::InvalidArgumentError(absl::StrCat(
        "packet size must be at most 1500 bytes, got ", packet_size));
  }
  p.packet_size = packet_size;
  p.timeout_ms =
      static_cast<uint32_t>(absl::ToInt64Milliseconds(options.probe_timeout));
  return p;
}

absl::Duration ExpectedTraceTime(const TraceParams& params) {
  return absl::Milliseconds(static_cast<int64_t>(params.cycles) *
                                params.interval_ms +
                            params.timeout_ms);
}

v1::JobRecord NewJob(uint64_t job_id, const TraceParams& params,
                     const std::string& target, v1::Direction direction,
                     const std::string& probe_name, uint64_t diagnosis_id,
                     absl::Time now) {
  static absl::Mutex mu(absl::kConstInit);
  static absl::BitGen* gen = new absl::BitGen();
  uint32_t flow;
  {
    absl::MutexLock lock(&mu);
    flow = absl::Uniform<uint32_t>(*gen, 0x8000, 0x10000);
  }
  v1::JobRecord job;
  v1::JobSpec* spec = job.mutable_spec();
  spec->set_job_id(job_id);
  spec->set_target(target);
  spec->set_method(params.method);
  spec->set_port(params.port);
  spec->set_cycles(params.cycles);
  spec->set_interval_ms(params.interval_ms);
  spec->set_max_ttl(params.max_ttl);
  spec->set_first_ttl(1);
  spec->set_direction(direction);
  spec->set_packet_size(params.packet_size);
  spec->set_flow_id(flow);
  spec->set_timeout_ms(params.timeout_ms);
  spec->set_diagnosis_id(diagnosis_id);
  job.set_probe_name(probe_name);
  job.set_status(v1::JOB_STATUS_PENDING);
  job.set_created_unix_ms(absl::ToUnixMillis(now));
  return job;
}

}  // namespace grid::coordinator
