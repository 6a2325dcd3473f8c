// The methods the engine is compared against, on the same traces:
// - NaiveMtr: what a reader of one mtr report does: blame the hop with the
//   highest Loss% in the forward reports (a fault if above 2%), placed by
//   position (first 2 hops client, last 2 server, else path); failing that,
//   the largest jump in Avg between consecutive hops if above 30 ms.
// - LinkVoting007: 007 (Arzani et al., NSDI 2018): every bad path (the
//   destination shows significant loss, or failing any, inflated latency)
//   gives each of its links 1/length votes; the most-voted link is blamed.
// - BooleanTomography: the smallest consistent failure set (Duffield 2006,
//   greedy): links on any good path are good; of the rest, repeatedly pick
//   the link explaining most unexplained bad paths (ties: nearest the
//   prober); the first pick is blamed.
// The path methods see only end-to-end outcomes and the hop addresses, as
// published; a blamed link maps to a verdict by where it sits (see
// path_model.h). All are pure functions, safe to call from many threads.
#ifndef GRID_BENCH_ACCURACY_BASELINES_H_
#define GRID_BENCH_ACCURACY_BASELINES_H_

#include "absl/types/span.h"
#include "diagnosis/diagnosis.h"

namespace grid::accuracy {

diagnosis::Diagnosis NaiveMtr(absl::Span<const diagnosis::VantageTraces> v);
diagnosis::Diagnosis LinkVoting007(
    absl::Span<const diagnosis::VantageTraces> v);
diagnosis::Diagnosis BooleanTomography(
    absl::Span<const diagnosis::VantageTraces> v);

}  // namespace grid::accuracy

#endif  // GRID_BENCH_ACCURACY_BASELINES_H_
