// One single-probe trace (OperatorService.Trace): a job on the named probe,
// each durable cycle streamed as it arrives, then the final job record.
#ifndef GRID_COORDINATOR_TRACE_RUN_H_
#define GRID_COORDINATOR_TRACE_RUN_H_

#include <functional>

#include "absl/status/statusor.h"
#include "coordinator/services.h"
#include "grid/v1/operator.pb.h"

namespace grid::coordinator {

using TraceSink = std::function<void(const v1::TraceEvent&)>;

// Blocking. ProbeNotFound / ProbeNotConnected / InvalidTarget before
// anything is scheduled; afterwards it ends with the `done` event.
absl::StatusOr<v1::JobRecord> RunTrace(const Services& services,
                                       const v1::TraceRequest& request,
                                       const TraceSink& sink);

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_TRACE_RUN_H_
