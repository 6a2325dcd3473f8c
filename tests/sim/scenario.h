// A benchmark scenario: a random topology, injected faults, how mtr is run,
// and the ground truth the diagnosis should reach. Everything follows from
// the seed.
#ifndef GRID_TESTS_SIM_SCENARIO_H_
#define GRID_TESTS_SIM_SCENARIO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "diagnosis/diagnosis.h"
#include "tests/sim/mtr_run.h"
#include "tests/sim/topology.h"

namespace grid::sim {

// What the scenario was built to exercise. The ground-truth verdict follows
// from where the fault landed (see GroundTruth), not from this.
enum class ScenarioClass {
  kNoFault = 0,      // Nothing wrong; ordinary ICMP behaviour.
  kArtifacts = 1,    // Nothing wrong; harsh rate limiting, slow ICMP, fast -i.
  kClient = 2,       // One vantage's LAN or access line.
  kServer = 3,       // The server's link or its gateway's uplink.
  kIsp = 4,          // An ISP link or border that some vantages cross.
  kForwardOnly = 5,  // One direction of a link only client->server paths use.
  kReturnOnly = 6,   // One direction of a link only server->client paths use.
  kTwoFaults = 7,    // Two of the above at once.
  kUnusedLink = 8,   // A fault on a link no measured path crosses.
};
inline constexpr int kNumScenarioClasses = 9;

std::string_view ScenarioClassName(ScenarioClass c);

enum class FaultKind { kLoss = 0, kLatency = 1 };

// A fault on one or both directions of a link.
struct Fault {
  LinkId link = 0;
  bool a_to_b = true;
  bool b_to_a = true;
  FaultKind kind = FaultKind::kLoss;
  double loss = 0;      // Drop probability per packet (kLoss).
  double extra_ms = 0;  // Mean added delay (kLatency).
};

// Below these a fault is "minor": the article calls 1-2% loss harmless, and
// a few ms of extra delay is within ordinary variation. For a minor fault
// `healthy` is an acceptable verdict as well as the fault's own, and the
// benchmark scores such scenarios apart from the main table.
inline constexpr double kMinorLoss = 0.02;
inline constexpr double kMinorLatencyMs = 10;

// The truth about one fault.
//
// Labels, by where the faulty link is and which measured paths cross it
// (a vantage is affected when its probes or the target's replies cross a
// faulty direction):
// - a vantage's LAN or access line: client_loss / client_latency;
// - the server's link or its gateway's uplink: server_loss / server_latency;
// - anywhere else, with 2+ vantages of which only some are affected:
//   isp_routing;
// - anywhere else affecting every vantage (or the only one): forward_path_*
//   if only client->server paths cross the faulty direction(s),
//   return_path_* if only server->client paths do. Where both do, either
//   direction and isp_routing are accepted. Without return traces forward
//   and return cannot be told apart, so both are accepted;
// - no measured path crosses it: healthy.
struct FaultTruth {
  Fault fault;
  diagnosis::Verdict label = diagnosis::Verdict::kHealthy;
  std::vector<diagnosis::Verdict> acceptable;  // Includes `label`.
  diagnosis::Location location = diagnosis::Location::kClient;
  bool minor = false;
  std::vector<std::string> affected;  // Vantage names.
  // Addresses that localise the fault: every address of the link's two
  // routers and of their neighbours on the affected paths. A finding whose
  // hops name one of them points at the right segment.
  std::vector<std::string> segment_hosts;
  // A server-side probe traced back, and the return trace's probes of an
  // affected vantage cross the fault: what tells a return-path fault from
  // a forward one beyond the forward trace's shape.
  bool return_traced = false;
  bool return_trace_crosses = false;
};

struct GroundTruth {
  ScenarioClass scenario_class = ScenarioClass::kNoFault;
  // The verdict scored as the truth when the engine is wrong.
  diagnosis::Verdict primary = diagnosis::Verdict::kHealthy;
  // Verdicts scored as right (the union over the non-minor faults).
  std::vector<diagnosis::Verdict> acceptable;
  // All faults minor: scored apart (healthy or a fault label both count).
  bool minor = false;
  std::vector<FaultTruth> faults;
};

struct ScenarioOptions {
  int min_vantages = 1;
  int max_vantages = 200;
  // Relative weights of the scenario classes, indexed by ScenarioClass.
  std::vector<double> class_weights = {12, 12, 14, 12, 14, 10, 10, 8, 4};
};

struct Scenario {
  uint64_t seed = 0;
  Topology topology;
  MtrRunOptions run;  // checkpoints are set by the caller of Simulate.
  GroundTruth truth;
};

// Draws scenario `seed`. Fails only on bad options.
absl::StatusOr<Scenario> GenerateScenario(uint64_t seed,
                                          const ScenarioOptions& options);

// The traces the scenario's mtr runs produce after each number of cycles in
// `checkpoints` (ascending): [checkpoint][vantage]. Every vantage has a
// forward trace toward the server; with a server probe also a return trace
// from it toward the vantage (hop 1 the server's gateway, last the vantage).
absl::StatusOr<std::vector<std::vector<diagnosis::VantageTraces>>>
SimulateScenario(const Scenario& scenario, const std::vector<int>& checkpoints);

}  // namespace grid::sim

#endif  // GRID_TESTS_SIM_SCENARIO_H_
