// Per-hop MTR statistics of one trace, computed from its stored per-cycle
// results with the probe engine's own statistics (probe-node/hop_stats.h),
// so a trace summarised here matches what `grid trace` shows for the same
// replies.
#ifndef GRID_COORDINATOR_CYCLE_SUMMARY_H_
#define GRID_COORDINATOR_CYCLE_SUMMARY_H_

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "grid/v1/model.pb.h"

namespace grid::coordinator {

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
