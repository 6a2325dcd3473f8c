// Per-trace analysis: finds where loss and latency start in one trace and
// whether they reach the destination, and dismisses router artifacts.
// Cross-vantage reasoning lives in localization.h.
#ifndef GRID_DIAGNOSIS_TRACE_ANALYSIS_H_
#define GRID_DIAGNOSIS_TRACE_ANALYSIS_H_

#include <string>
#include <vector>

#include "absl/types/span.h"
#include "diagnosis/diagnosis.h"
#include "diagnosis/trace.h"

namespace grid::diagnosis {

// Which end of the path a stretch starts at.
enum class PathEnd { kClient, kMiddle, kServer };

// An anomalous stretch of one trace.
struct Anomaly {
  FindingKind kind = FindingKind::kLoss;
  Direction direction = Direction::kForward;  // The trace it was seen in.
  PathEnd end = PathEnd::kMiddle;
  // True when it reaches the destination (real forwarding loss or added
  // latency); false for a stretch of hops with jitter that does not.
  bool persistent = false;
  // Indices into Trace::hops, in the order the stretch was walked (from the
  // prober outward). `before` is the last good hop in front of it, or -1.
  std::vector<int> hops;
  int before = -1;
  // The hops that locate it (indices into Trace::hops): a transient stretch
  // entirely; at the client or server end the stretch's hops at that end;
  // in the middle the link into the stretch (`before` and the first hop).
  std::vector<int> segment;
  // Persistent loss whose onset routers rate-limiting hides (forward) or
  // silent hops in front of it leave open (return): the loss may also start
  // at the server end, on these hops (empty otherwise).
  std::vector<int> server_segment;
  // Likewise toward the client: silent hops in front of the onset (forward)
  // or rate limiting after it (return) leave the client's own links
  // possible; their hops (empty otherwise).
  std::vector<int> client_segment;
  // Persistent loss of a return trace placed at the server end where rate
  // limiting leaves its onset open up to a hop in the middle (the earliest
  // that shows the destination's loss): its segment there (empty
  // otherwise).
  std::vector<int> middle_segment;
  // Persistent loss whose first lossy hop lost about as much as the
  // destination, while every hop in front of it lost clearly less: rate
  // limiting does not explain its loss, so the onset is where it seems.
  bool onset_shown = false;
  // Persistent latency that only shows replies crossing a fault of the
  // other direction: a return trace's rise at the client end that the
  // forward trace clears or the forward round trip lacks, or a rise that a
  // hop in the middle in front of it shows too, its replies taking as much
  // longer, while the hop in front of the rise does not (rules.h,
  // kReplyRoute). Its direction is the other one.
  bool reflects = false;
  int lost = 0;  // Loss: probes lost and sent behind the figure.
  int sent = 0;
  double loss = 0;      // Loss: fraction.
  double added_ms = 0;  // Latency: added Avg.
  double worst_stdev_ms = 0;
  double confidence = 0;
  std::string evidence;
};

// What one trace shows.
struct TraceAnalysis {
  const Trace* trace = nullptr;
  Direction direction = Direction::kForward;
  bool reached = false;   // The destination answered.
  bool mirrored = false;  // RTTs fall along the hops; analysed reversed.
  // The client sits behind a home router (see AnalyseTrace).
  bool home_router = false;
  std::vector<Anomaly> anomalies;
  std::vector<Artifact> artifacts;  // `vantage` left empty.
  double destination_loss = 0;
  int destination_index = -1;

  // The destination's hop. REQUIRES: something answered
  // (destination_index >= 0).
  const Hop& Destination() const { return trace->hops[destination_index]; }
};

// Analyses `trace`, seen in `direction` (forward: client to server; return:
// server side first), walking it reversed when `mirrored`. `home_router`:
// the client sits behind a home router (BehindHomeRouter of its forward
// trace and, where there is one, its return trace; a forward trace also
// tells it itself), so a return trace's last two links, the access line
// included, are the client's. `traces`: how many traces the diagnosis reads
// (a weak loss must stand out among them all; see SignificantLoss).
// `other_destination`: the destination's hop of the same vantage's trace in
// the other direction, when it answered; every probe of either crosses the
// path both ways, so a loss too weak for one shows in both together
// (rules.h, kRoundTripPooledLoss). The returned value points into `trace`.
TraceAnalysis AnalyseTrace(const Trace& trace, Direction direction,
                           bool mirrored = false, bool home_router = false,
                           int traces = 1,
                           const Hop* other_destination = nullptr);

// True when a forward trace's first hop is a home router between the client
// and its access line: silent, private (NAT), or public but an access line
// in front of hop 2, or of the first hop after it that answered enough
// (rules.h, kLanMs). `ret`, the same vantage's return trace (or nullptr),
// may show that router's address.
bool BehindHomeRouter(const Trace& forward, const Trace* ret = nullptr);

// True when a return report lists the path as the client sees it: it starts
// at the server itself (the forward trace's destination) — the support
// article's layout — or its RTTs fall along the hops (Kendall tau below
// rules::kMirroredTau). Such a report is analysed reversed.
bool IsMirroredReturn(const Trace& forward, const Trace& ret);

// True when `lost` of `sent` probes, one trace among `traces`, is a loss
// worth reporting (rules.h, kHarmlessLoss, kMinLostProbes, kBackgroundLoss).
bool SignificantLoss(int lost, int sent, int traces);

// How many traces `vantages` hold: the `traces` of SignificantLoss.
int TraceCount(absl::Span<const VantageTraces> vantages);

// True when `hop` passed traffic clearly better than `dest` did (less than
// rules::kPersistentShare of its loss, two-proportion z of kOnsetZ): in one
// trace, the hop lies before the lossy link. Hops with more loss than the
// destination (rate limiting on top) never end the persistent stretch.
bool ClearlyBelow(const Hop& hop, const Hop& dest);

// The first persistent loss anomaly of `t`, or nullptr if it has none.
Anomaly* PersistentLoss(TraceAnalysis& t);

// True for RFC 1918, CGNAT (100.64/10), link-local and ULA addresses.
bool IsPrivateAddress(const std::string& host);

// True when `a` and `b` are the two ends of one point-to-point link: the
// two host addresses of an IPv4 /30 or the two addresses of an IPv6 /127
// (rules.h, kRouterMatch).
bool LinkMates(const std::string& a, const std::string& b);

}  // namespace grid::diagnosis

#endif  // GRID_DIAGNOSIS_TRACE_ANALYSIS_H_
