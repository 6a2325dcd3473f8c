// Scheduling defaults and the construction of jobs from operator requests.
#ifndef GRID_COORDINATOR_JOB_SPEC_H_
#define GRID_COORDINATOR_JOB_SPEC_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/rate_limit.h"
#include "common/target_policy.h"
#include "grid/v1/model.pb.h"

namespace grid::coordinator {

struct SchedulerOptions {
  // Cycles per trace when a request says 0. Default 10 (mtr --report).
  uint32_t default_cycles = 10;
  // Highest cycles a request may ask for. Default 10000.
  uint32_t max_cycles = 10000;
  // Time between cycles when a request says 0. Default 1 s (mtr).
  absl::Duration default_interval = absl::Seconds(1);
  // Highest TTL probed. Default 30 (mtr).
  uint32_t max_ttl = 30;
  // How long a probe waits for a reply. Default 3 s.
  absl::Duration probe_timeout = absl::Seconds(3);
  // Added to twice the expected trace time to make a diagnosis deadline.
  // Default 15 s.
  absl::Duration deadline_margin = absl::Seconds(15);
  // How long a diagnosis waits for a probe whose session ended mid-job to
  // come back before it counts the job lost. Default 10 s.
  absl::Duration reconnect_grace = absl::Seconds(10);
  // Progress events per job at most this often. Default 250 ms.
  absl::Duration progress_interval = absl::Milliseconds(250);
  // Which targets diagnoses, traces and return traces may aim at.
  // Default: global unicast only.
  common::TargetPolicy target_policy;
  // Diagnose and trace requests per target and per operator per minute.
  // Default 6 and 30.
  common::RateLimitOptions rate_limits;
};

// How every trace of one request probes.
struct TraceParams {
  uint32_t cycles = 0;
  uint32_t interval_ms = 0;
  v1::ProbeMethod method = v1::PROBE_METHOD_ICMP;
  uint32_t port = 0;
  uint32_t max_ttl = 0;
  uint32_t packet_size = 0;
  uint32_t timeout_ms = 0;
};

// Fills defaults and checks ranges (InvalidArgument naming the field).
absl::StatusOr<TraceParams> ResolveTraceParams(const SchedulerOptions& options,
                                               uint32_t cycles,
                                               uint32_t interval_ms,
                                               v1::ProbeMethod method,
                                               uint32_t port, uint32_t max_ttl,
                                               uint32_t packet_size);

// How long a trace with `params` is expected to take, at most.
absl::Duration ExpectedTraceTime(const TraceParams& params);

// A new PENDING job record. `flow_id` 0 picks a random Paris flow id.
v1::JobRecord NewJob(uint64_t job_id, const TraceParams& params,
                     const std::string& target, v1::Direction direction,
                     const std::string& probe_name, uint64_t diagnosis_id,
                     absl::Time now);

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_JOB_SPEC_H_
