// Cross-vantage pooling: loss too small to stand out in any one trace that
// the vantages sharing a router show together.
#ifndef GRID_DIAGNOSIS_POOLING_H_
#define GRID_DIAGNOSIS_POOLING_H_

#include <vector>

#include "diagnosis/localization.h"

namespace grid::diagnosis {

// In each direction, finds the router in the middle of the paths whose
// vantages' destinations, pooled, lost significantly and clearly more than
// the other vantages' (rules.h, kPooledLoss), among vantages whose traces
// of that direction show no persistent loss of their own, and gives each
// of those traces a persistent loss anomaly from that router on, for
// Localize() to place. Return traces pool only when walked from the server
// end (not mirrored).
void PoolSharedLoss(std::vector<VantageAnalysis>& vantages);

}  // namespace grid::diagnosis

#endif  // GRID_DIAGNOSIS_POOLING_H_
