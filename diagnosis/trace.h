// The trace model every grid component shares: per-hop MTR statistics of one
// path, as measured by grid's prober or read from an mtr/WinMTR report.
#ifndef GRID_DIAGNOSIS_TRACE_H_
#define GRID_DIAGNOSIS_TRACE_H_

#include <optional>
#include <string>
#include <vector>

namespace grid::diagnosis {

// Host text of a TTL at which nothing answered (mtr prints "???").
inline constexpr char kNoResponseHost[] = "???";

// Summary statistics of one TTL, with mtr's meaning (ui/net.c): Loss% over
// the probes that are no longer in flight, RTTs in milliseconds, StDev the
// sample standard deviation (n-1).
struct Hop {
  int ttl = 0;       // 1-based hop number.
  std::string host;  // Address or name as reported; kNoResponseHost if none.
  std::vector<std::string> other_hosts;  // Further responders (ECMP).
  int sent = 0;                          // mtr "Snt".
  int received = 0;                      // Replies counted.
  double loss_pct = 0;                   // mtr "Loss%".
  double last_ms = 0;
  double avg_ms = 0;
  double best_ms = 0;
  double worst_ms = 0;
  double stdev_ms = 0;
  // True where the source had no StDev column (WinMTR) and stdev_ms was
  // estimated from the range.
  bool stdev_estimated = false;
  // Jitter (mtr Javg/Jmax) when the source measured it.
  std::optional<double> jitter_avg_ms;
  std::optional<double> jitter_max_ms;

  bool Responded() const { return received > 0; }
  int Lost() const { return sent - received; }
};

// One MTR-style trace of a path, hops in TTL order.
struct Trace {
  std::string source;       // Host that ran the trace, if known.
  std::string destination;  // Target, if known.
  std::vector<Hop> hops;
};

// One vantage point: its trace toward the server and, where a probe next to
// the server traced back, the return trace (server side first).
struct VantageTraces {
  std::string name;
  Trace forward;
  std::optional<Trace> ret;
};

}  // namespace grid::diagnosis

#endif  // GRID_DIAGNOSIS_TRACE_H_
