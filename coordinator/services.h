// What the operator-side runs (diagnose, trace) need from the coordinator.
#ifndef GRID_COORDINATOR_SERVICES_H_
#define GRID_COORDINATOR_SERVICES_H_

#include <atomic>

#include "coordinator/job_spec.h"
#include "coordinator/job_tracker.h"
#include "coordinator/probe_registry.h"
#include "storage/storage.h"

namespace grid::coordinator {

// Borrowed pointers; all outlive every run.
struct Services {
  storage::Storage* storage = nullptr;
  ProbeRegistry* registry = nullptr;
  JobTracker* tracker = nullptr;
  SchedulerOptions options;
  // Set during shutdown: running diagnoses and traces end early. May be
  // null.
  const std::atomic<bool>* stopping = nullptr;
};

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_SERVICES_H_
