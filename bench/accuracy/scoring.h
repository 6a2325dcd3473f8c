// Scores diagnoses against the simulator's ground truth and tallies the
// benchmark's figures: per-class precision/recall/F1 over a confusion
// matrix, macro-F1, segment localisation, false alarms.
//
// A verdict is right when it is one of the truth's acceptable verdicts
// (sim::GroundTruth). In the confusion matrix a right verdict counts on the
// diagonal, a wrong one against the truth's primary verdict. Scenarios
// whose faults are all minor (< 2% loss, < 10 ms) stay out of the matrix
// and are tallied apart.
#ifndef GRID_BENCH_ACCURACY_SCORING_H_
#define GRID_BENCH_ACCURACY_SCORING_H_

#include <array>
#include <cstdint>
#include <string>

#include "diagnosis/diagnosis.h"
#include "tests/sim/scenario.h"

namespace grid::accuracy {

inline constexpr int kNumVerdicts = 11;  // healthy .. inconclusive.

// Bands of fault size for single faults: loss 2-5%, 5-10%, 10-50%;
// latency 10-30 ms, 30-200 ms.
inline constexpr int kNumSizeBands = 5;
const char* SizeBandName(int band);

// Single return-path faults by what the return trace saw: no server-side
// probe (forward is accepted too), its trace crossed the fault, or it took
// another route and did not.
inline constexpr int kNumReturnViews = 3;
const char* ReturnViewName(int view);

// A fault's size for people: "loss 4.89%" or "+54.6 ms".
std::string FaultSize(const sim::Fault& f);

struct Outcome {
  diagnosis::Verdict verdict = diagnosis::Verdict::kHealthy;
  bool correct = false;
  // Single, non-minor fault only: whether the primary finding's hops name
  // the faulty segment (an address of the faulty link's routers or their
  // neighbours on the affected paths).
  bool scored_segment = false;
  bool segment_correct = false;
  // Likewise by one of the first two hops it names (the link it blames
  // first), and how many hops it names.
  bool segment_strict = false;
  int hops_named = 0;
  // The primary finding names a direction its traces leave open.
  bool direction_open = false;
};

Outcome Score(const sim::GroundTruth& truth, const diagnosis::Diagnosis& d);

// A count and how many of it were "hits".
struct Rate {
  int64_t n = 0;
  int64_t hits = 0;
  void Add(bool hit) {
    ++n;
    hits += hit;
  }
  double Value() const { return n == 0 ? 0 : static_cast<double>(hits) / n; }
};

// Figures over many scenarios, for one method at one cycle count.
struct Tally {
  std::array<std::array<int64_t, kNumVerdicts>, kNumVerdicts> confusion{};
  Rate main;                 // Non-minor scenarios: verdict right.
  Rate segment_loss;         // Single loss faults >= 2%: segment named.
  Rate segment_latency;      // Single latency faults >= 10 ms.
  Rate segment_strict;       // Single loss faults >= 2%: in the first 2 hops.
  Rate segment_and_verdict;  // Single faults: both right.
  Rate artifact_alarms;      // kArtifacts scenarios: a fault was claimed.
  Rate no_fault_alarms;      // kNoFault scenarios: a fault was claimed.
  Rate unused_link_alarms;   // kUnusedLink scenarios: a fault was claimed.
  Rate inconclusive;         // All scenarios: verdict inconclusive.
  Rate minor_healthy;        // Minor scenarios: called healthy.
  Rate minor_fault;          // Minor scenarios: called the fault.
  Rate two_faults;           // kTwoFaults, non-minor: either fault named.
  Rate direction_open;       // Non-minor, direction left open: verdict right.
  // Hops the primary finding names where the segment is scored: a segment
  // named with a long list is named loosely.
  int64_t hops_named = 0;
  std::array<Rate, sim::kNumScenarioClasses> by_class;  // Verdict right.
  // Single, non-minor faults some measurement crosses: verdict right.
  std::array<Rate, kNumSizeBands> by_size;
  // Single, non-minor return-path faults: verdict right, by ReturnViewName.
  std::array<Rate, kNumReturnViews> return_faults;

  void Add(const sim::GroundTruth& truth, const Outcome& o);

  // From the confusion matrix. MacroF1 averages F1 over the verdicts that
  // occur as truth (inconclusive never does).
  double Precision(diagnosis::Verdict v) const;
  double Recall(diagnosis::Verdict v) const;
  double F1(diagnosis::Verdict v) const;
  int64_t Support(diagnosis::Verdict v) const;
  double MacroF1() const;
};

}  // namespace grid::accuracy

#endif  // GRID_BENCH_ACCURACY_SCORING_H_
