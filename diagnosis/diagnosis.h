// The diagnosis engine: traces from any number of vantages in, a verdict with
// located findings and dismissed artifacts out. Pure: no I/O, no clocks, no
// randomness; safe to call from several threads at once.
#ifndef GRID_DIAGNOSIS_DIAGNOSIS_H_
#define GRID_DIAGNOSIS_DIAGNOSIS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/types/span.h"
#include "diagnosis/trace.h"

namespace grid::diagnosis {

// DO NOT CHANGE THESE VALUES: they are stored by the coordinator.
enum class Verdict {
  kHealthy = 0,
  kClientLoss = 1,
  kClientLatency = 2,
  kServerLoss = 3,
  kServerLatency = 4,
  kIspRouting = 5,
  kForwardPathLoss = 6,
  kReturnPathLoss = 7,
  kForwardPathLatency = 8,
  kReturnPathLatency = 9,
  kInconclusive = 10,
};

enum class FindingKind { kLoss = 0, kLatency = 1 };
enum class Location {
  kClient = 0,
  kServer = 1,
  kIsp = 2,
  kForwardPath = 3,
  kReturnPath = 4,
};
enum class Direction { kForward = 0, kReturn = 1, kBoth = 2 };

// A located fault.
struct Finding {
  FindingKind kind = FindingKind::kLoss;
  Location location = Location::kClient;
  Direction direction = Direction::kForward;
  std::vector<std::string> vantages;  // Affected vantages.
  std::vector<std::string> hops;      // The faulty segment, as in the traces.
  double confidence = 0;              // 0..1.
  std::string evidence;               // Plain words, with numbers.
  double loss_pct = 0;                // Loss: the affected share, percent.
  double added_ms = 0;                // Latency: the added delay.
  // Path findings both directions show where the traces do not settle
  // which way is at fault: `location` is only the likelier one.
  bool direction_open = false;
};

// Something seen in a trace and dismissed as harmless, with the reason.
struct Artifact {
  std::string vantage;
  Direction direction = Direction::kForward;
  std::string hop;
  std::string note;
};

struct Diagnosis {
  Verdict verdict = Verdict::kInconclusive;
  std::string summary;
  std::vector<Finding> findings;  // Primary first.
  std::vector<Artifact> artifacts;
};

// Runs the engine over `vantages` (each needs a forward trace; a return
// trace is optional). Vantage names should be unique.
Diagnosis Diagnose(absl::Span<const VantageTraces> vantages);

// The verdict class of a finding of `kind` at `location`.
Verdict VerdictFor(FindingKind kind, Location location);

// Stable names used in JSON and on the command line ("client_loss", ...).
std::string_view VerdictName(Verdict verdict);
std::string_view FindingKindName(FindingKind kind);
std::string_view LocationName(Location location);
std::string_view DirectionName(Direction direction);

}  // namespace grid::diagnosis

#endif  // GRID_DIAGNOSIS_DIAGNOSIS_H_
