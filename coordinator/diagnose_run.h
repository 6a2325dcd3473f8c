// One `grid diagnose`: fans forward jobs out to the planned vantages,
// schedules a return trace from the serving probe toward each vantage's
// source address as soon as it is known, streams progress, ends at the
// deadline at the latest (probes that vanish are reported, never waited on
// forever), runs the diagnosis engine over the durable results and stores
// the DiagnosisRecord.
#ifndef GRID_COORDINATOR_DIAGNOSE_RUN_H_
#define GRID_COORDINATOR_DIAGNOSE_RUN_H_

#include <functional>

#include "absl/status/statusor.h"
#include "coordinator/services.h"
#include "grid/v1/operator.pb.h"

namespace grid::coordinator {

// Receives the run's events in order; the last is the result. Called from
// the calling thread only.
using DiagnoseSink = std::function<void(const v1::DiagnoseEvent&)>;

// Runs a diagnosis to its end (blocking). Errors before anything was
// scheduled (bad target or selector, no probes) are returned without
// events; after that the run always ends with a stored record.
absl::StatusOr<v1::DiagnosisRecord> RunDiagnosis(
    const Services& services, const v1::DiagnoseRequest& request,
    const DiagnoseSink& sink);

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_DIAGNOSE_RUN_H_
