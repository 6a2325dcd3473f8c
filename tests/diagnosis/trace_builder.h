// Test helper: builds traces from compact rows, so engine tests read like
// the mtr reports they stand for.
#ifndef GRID_TESTS_DIAGNOSIS_TRACE_BUILDER_H_
#define GRID_TESTS_DIAGNOSIS_TRACE_BUILDER_H_

#include <cmath>
#include <string>
#include <vector>

#include "diagnosis/trace.h"

namespace grid::diagnosis::testing {

struct Row {
  std::string host;
  double loss_pct;
  int sent;
  double avg;
  double stdev;
};

// Hops 1..n from `rows`; Last/Best/Wrst are derived from Avg and StDev.
inline Trace TraceOf(const std::vector<Row>& rows) {
  Trace trace;
  int ttl = 0;
  for (const Row& r : rows) {
    Hop hop;
    hop.ttl = ++ttl;
    hop.host = r.host;
    hop.sent = r.sent;
    hop.loss_pct = r.loss_pct;
    hop.received =
        static_cast<int>(std::lround(r.sent * (1 - r.loss_pct / 100)));
    hop.avg_ms = hop.last_ms = r.avg;
    hop.stdev_ms = r.stdev;
    hop.best_ms = std::max(0.0, r.avg - 2 * r.stdev);
    hop.worst_ms = r.avg + 3 * r.stdev;
    if (hop.received == 0) {
      hop.avg_ms = hop.last_ms = hop.best_ms = hop.worst_ms = hop.stdev_ms = 0;
    }
    trace.hops.push_back(hop);
  }
  return trace;
}

// A row of 100 probes from its Loss%, Avg and Best, as mtr and the
// benchmark's --show print them (TraceOf derives Best as Avg - 2 StDev).
inline Row AvgBest(const std::string& host, double loss_pct, double avg,
                   double best) {
  return Row{host, loss_pct, 100, avg, (avg - best) / 2};
}

}  // namespace grid::diagnosis::testing

#endif  // GRID_TESTS_DIAGNOSIS_TRACE_BUILDER_H_
