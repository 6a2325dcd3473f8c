// Per-hop MTR statistics of one trace, computed from its stored per-cycle
// results with the probe engine's own statistics (probe-node/hop_stats.h),
// so a trace summarised here matches what `grid trace` shows for the same
// replies.
#ifndef GRID_COORDINATOR_CYCLE_SUMMARY_H_
#define GRID_COORDINATOR_CYCLE_SUMMARY_H_

#include <map>
#include <optional>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "grid/v1/model.pb.h"
#include "probe-node/hop_stats.h"

namespace grid::coordinator {

// Statistics of one trace built up cycle by cycle, so a live view costs
// one pass over each cycle (see SummarizeCycles for the rules).
class CycleSummarizer {
 public:
  // Adds the next cycle. REQUIRES: cycles are added in cycle order.
  // `destination` is used when the cycle does not name its target.
  void Add(const v1::CycleResult& cycle, absl::string_view destination);
  // The hops so far, in TTL order, as SummarizeCycles returns them.
  v1::TraceSummary Summary(absl::string_view source,
                           absl::string_view destination) const;

 private:
  std::map<int, probe::HopStats> stats_;  // By TTL.
  std::optional<int> destination_ttl_;
  std::optional<int> unreachable_ttl_;
};

// Summarises `cycles` (any order; one job's results) into hops in TTL order.
// Cycles are replayed in cycle order, replies of one probe counted once,
// late and duplicate replies not at all. Hops are shown up to mtr's last
// hop: the destination's TTL, a TTL that answered "unreachable", or one past
// the last TTL that answered. Replies whose `from` is not an address are
// ignored. `source` and `destination` label the result.
v1::TraceSummary SummarizeCycles(absl::Span<const v1::CycleResult> cycles,
                                 absl::string_view source,
                                 absl::string_view destination);

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_CYCLE_SUMMARY_H_
