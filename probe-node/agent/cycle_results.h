// Conversions between the probe protocol and the probe engine: a JobSpec to
// the prober's TraceRequest, and a running trace's probes to the per-cycle
// results the coordinator ingests. Pure.
#ifndef GRID_PROBE_NODE_AGENT_CYCLE_RESULTS_H_
#define GRID_PROBE_NODE_AGENT_CYCLE_RESULTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grid/v1/model.pb.h"
#include "grid/v1/probe.pb.h"
#include "probe-node/prober.h"

namespace grid::probe::agent {

// The trace a job asks for. InvalidArgument (the job is rejected) if the
// target is not an address or an option is out of range. Zero fields take
// mtr's defaults. The prober picks its own Paris flow id (spec.flow_id is
// not honoured; results carry the one used).
absl::StatusOr<TraceRequest> ToTraceRequest(const v1::JobSpec& spec);

// The cycles [first_cycle, ...) of `result` that are complete: every probe
// of the cycle was answered or has timed out (judged against the latest
// probe sent, in the prober's time base), and every earlier cycle is
// complete too. With `final` (the trace ended), every cycle it finished.
// Results are labelled with the job's id, direction and `probe_name`.
std::vector<v1::CycleResult> CompleteCycles(const v1::JobSpec& spec,
                                            const std::string& probe_name,
                                            const TraceResult& result,
                                            int first_cycle, bool final);

// The final JobDone of a finished trace: DONE, or FAILED with the reason
// when the trace could not run.
v1::JobDone MakeJobDone(const v1::JobSpec& spec, const TraceResult& result,
                        int cycles_sent);

v1::ReplyKind ToProto(ReplyKind kind);

}  // namespace grid::probe::agent

#endif  // GRID_PROBE_NODE_AGENT_CYCLE_RESULTS_H_
