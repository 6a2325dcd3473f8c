// Every threshold the engine uses, in one place, with the reasoning behind
// it. Change a number here and the whole engine follows; nothing else in
// diagnosis/ hard-codes a judgement.
#ifndef GRID_DIAGNOSIS_RULES_H_
#define GRID_DIAGNOSIS_RULES_H_

namespace grid::diagnosis::rules {

// --- Loss -----------------------------------------------------------------

// The support article: "a small transient loss of 1-2% is usually harmless;
// higher values point at more serious issues".
inline constexpr double kHarmlessLoss = 0.02;

// A loss is significant (a fault where it persists) when it measures above
// kHarmlessLoss (the reading an operator takes from mtr) and background
// loss could not have produced it. Proving that a 3% loss exceeds 2% would
// take some 12,000 probes, but healthy internet paths lose under
// kBackgroundLoss, so 3 of 100 lost (or 2 of 30) is a real loss. The chance
// that background loss alone loses this many probes in any of the
// diagnosis' traces (one trace's chance times their number) must stay below
// kFalseAlarmRate: among 2 traces 3 of 100 is a fault, among 20 (10
// vantages both ways) it takes 4, and among many 2 of 10 is luck (a 95%
// Wilson interval, blind to how many traces were read, would put it above
// 2%). At least kMinLostProbes: one lost probe is never a pattern. A real
// loss of 1-2% reads above 2% now and then; the article calls it harmless,
// and a fault that small may be called either way.
inline constexpr int kMinLostProbes = 2;
inline constexpr double kBackgroundLoss = 0.002;
inline constexpr double kFalseAlarmRate = 0.01;

// z for Wilson score intervals (95%, two-sided) where the engine asks how
// high or low a measured loss may really be: clean vantages clearing the
// server side, the other round trip clearing the destination's.
inline constexpr double kWilsonZ = 1.96;

// Real forwarding loss persists: every hop beyond the lossy link shows it.
// Walking back from the destination, the lossy stretch ends at a hop that
// lost clearly less than the destination: below this share of its loss, and
// lower by a two-proportion z of at least kOnsetZ (one-sided 90%). Hops that
// lose more (rate limiting on top) do not end it; nor does one that loses
// less but still significantly: the loss starts there and grows behind it
// (or sampling put it low), and the stretch goes on from there.
inline constexpr double kPersistentShare = 0.5;
inline constexpr double kOnsetZ = 1.28;

// A hop that loses clearly less but not significantly ends the stretch only
// where it is far below (z of at least kDipZ, one-sided 99.5%) or the hops in
// front of it, pooled (rate-limited ones left out), lose clearly less too,
// or none of them is left to show the loss: otherwise it is a sampling dip
// inside the stretch (3 of 100 among hops losing 5-10%), and the loss
// starts further back. (Calling the hop a dip where only rate-limited or
// silent hops lie in front moved losses onto the client's links too often.)
inline constexpr double kDipZ = 2.58;

// kRoundTripPooledLoss (a rule without a number): a probe of either trace
// of one vantage, toward the server or back from it, crosses the whole path
// both ways (the reply returns the other way), so the two destinations
// measure one round-trip loss. Where neither alone is significant (3 of 100
// each among 100 traces), their probes pooled (6 of 200) may be; the loss
// then persists to the destination of both traces, walked back against the
// pool, unless either destination lost ClearlyBelow the pool (the two
// disagree beyond sampling). Like kHopPooledLoss, such a loss counts at
// kTransientWeight: a fault one trace shows alone outranks it.

// kHopPooledLoss (a rule without a number): every probe to a hop behind a
// lossy link crosses it, so a loss too small for the destination's probes
// to show (2-5% reads 0-6 of 100) shows in the hops behind the link
// together. Where the destination alone is not significant, its trace's
// answering hops are pooled, leaving out those that lose far more than the
// hops behind them (z of kDipZ: rate limiting on top). The loss starts at
// the split of those hops that explains their losses best (binomial
// likelihood) with the hops in front losing ClearlyBelow the hops behind,
// or at the first of them where no split does. The hops from there on are
// a persistent loss where together they lose significantly (as one trace's
// destination would, every split of every trace counted as a trace), none
// of them loses ClearlyBelow that, the destination itself loses
// kMinLostProbes (one lost probe is no pattern: routers limiting their
// replies along the path would pass for loss the destination barely
// shows), and without the hop that lost most the rest still lose more than
// luck: one router in front of the destination dropping replies is not a
// lossy link.

// kLikeliestOnset (a rule without a number): where the destination alone
// is significant, the walk back from it may still stop too late, at a hop
// that sampling put clearly below the destination but that is no dip by
// kDipZ (2 of 100 behind 4 of 100, with the clean hops in front pooled). The
// split of kHopPooledLoss, where every hop behind it loses not ClearlyBelow
// their pool, then starts the loss where it lies in front of the walk's
// onset; the walk's onset stays the latest the loss can start at.

// Loss at intermediate hops that does not reach the destination is usually
// ICMP rate limiting or deprioritisation (an artifact). The article's worked
// examples treat it as a fault only where it covers a stretch of hops that
// also shows jitter (rate limiting drops replies but never delays them) on
// an otherwise clean path. Where several stretches of a path lose replies,
// routers there rate-limit and no stretch stands out: all are artifacts.
// A stretch stands out only where it covers at most half of the hops that
// answered (the destination included) and kMinCleanHops other hops besides
// the destination answered cleanly. The same holds for stretches of slow
// replies (kInflationMs).
inline constexpr int kMinTransientRun = 2;
inline constexpr int kMinCleanHops = 2;

// The article's faulty stretches lose 10-30% of the replies. A stretch that
// loses more is routers limiting their replies: Linux's default (1 per
// second per destination, burst 6) drops half of mtr's probes at -i 0.5 and
// four in five at -i 0.2, while forwarded loss that heavy would starve every
// hop behind it. Above this share a stretch is an artifact.
inline constexpr double kMaxTransientLoss = 0.3;

// Every hop of such a stretch loses at least this much, as in the article's
// examples (10-30% at each hop): a hop losing a few percent beside one that
// loses many is a deprioritised router beside a slow one, not a lossy link
// whose replies thin out along the stretch.
inline constexpr double kMinTransientHopLoss = 0.10;

// Vantages that reach the server cleanly clear the server side of loss
// that other vantages see there only when their destinations lost clearly
// less: a two-proportion z of at least this (one-sided 97.5%). A vantage
// reaches it cleanly where its forward trace shows no fault of the kind
// and none of its claims lies at the server end: its round trips crossed
// the server's links both ways, whatever its return trace shows further
// out.
inline constexpr double kExonerateZ = 1.96;

// kSharedLossRate (a rule without a number of its own): nor do they where
// every claiming vantage's loss could be luck, among all the vantages, at
// the rate the clean ones show (at least kBackgroundLoss): the chance of a
// loss that high, times the number of vantages, above kFalseAlarmRate. 67
// vantages behind a server link losing 2.2% read 0-6 of 100 each; the third
// that read 4 or more claim a fault while the rest look clean, yet all
// share it.

// kReflectedOnset (a rule without a number): a round trip crosses both
// directions, so a fault on the return path makes every forward hop whose
// replies cross it lose (or slow) from some hop on, often late, near the
// server. A fault on the server side (kServerHops) instead shows on the
// return trace from the server end on, or not at all (a probe beside the
// server does not cross the server's own link). So where a vantage's
// forward trace puts persistent loss or latency at the server end but its
// return trace shows the same fault (loss not ClearlyBelow, at least
// kPersistentShare of the latency) only behind a hop at the server end's far
// end (hop 2) or beyond that answered cleanly (silent hops prove nothing,
// nor do too few replies for latency), the forward claim is
// the return fault's reflection: it is dismissed, and a middle onset is not
// moved to the server end. Likewise at the client end: a fault on the
// client's own links shows on every forward hop beyond them, so where the
// forward trace's hop 1 (hop 2 behind a home router) or a later one
// answered cleanly in front of a persistent fault further out, a return
// trace's client-end onset of the same kind is that fault (seen late: the
// hops before answer over other routes, or not at all, or sampling noise
// put it there), and it is located in the middle. Behind a home router
// hop 1 suffices where the return trace's onset is the client itself, right
// behind its router answering cleanly: the line into that router is clean
// then, and hop 1 clears the client's LAN (seed 7, scenario 9271: +182 ms
// on an ISP's link behind a silent hop 2 was named the client's).

// The same reflection tells the direction where both traces of a vantage
// show a persistent fault in the middle: the faulty direction's loss starts
// on the link into its first lossy hop; the other trace's loss starts at
// the router in front of that link (its replies leave over it), which the
// faulty trace still passes cleanly. So a trace whose first lossy router is
// the other trace's last good router is the reflection. Where both or
// neither are, the link is used both ways and the direction stays open.
//
// kLaterOnsetReflects (a rule without a number): where neither that nor a
// first lossy hop only one direction's route crosses tells the direction,
// the likelier one is named and the finding marked open. A reflection
// starts where a trace enters the part of the network that routes toward
// its far end over the faulty way: late, near that end (a forward fault
// near the client shows on a return trace at the client's end only). The
// faulty direction's onset lies wherever the fault is. So the trace whose
// onset lies further along its own path (hop over path length) is taken
// for the reflection; where both lie alike, the forward path is named. On
// the benchmark's ties that only one direction explains, on seeds it was
// not tuned on, this was right 62% of the time: nearly always where the
// return onset lay at the client's end, 57% elsewhere. Before it, every
// tie was named forward.
//
// kRttSumMatchMs, kRttSumMissMs (kRttSum): before the likelier direction is
// guessed, the round-trip times may tell, for loss. A router that both paths
// cross has Best RTTs from the client and from the server end that add up to
// the end-to-end Best (the two round trips to it cover both one-way paths
// once). So where the return trace's first lossy router and the forward trace's
// last good one add up to within kRttSumMatchMs, they are one router: the
// return trace's loss starts where its replies enter the faulty forward link,
// and the forward path is at fault. The return path is, the other way round.
// The pair that does not fit must miss by more than kRttSumMissMs: neighbouring
// routers' sums differ by a few milliseconds only, and loss onsets shift by a
// hop under rate limiting. Latency is left out: there the sums named the wrong
// direction four times for one right on the tuning seeds (queueing behind the
// fault lifts the Best). Seed 7, scenario 616: the forward fault's return onset
// (Best 18.0 ms) and the forward trace's last good hop (54.9 ms) add up to the
// end-to-end 72.9 ms; the router addresses differ (each answers from its
// interface toward the prober), and the return path was named.
inline constexpr double kRttSumMatchMs = 1.0;
inline constexpr double kRttSumMissMs = 3.0;
//
// kSharedOnset (a rule without a number): then, for latency, the vantages
// may tell. A fault's own direction shows from one router for every
// vantage whose path crosses it; its reflection starts wherever each
// vantage's replies join routes over the faulty link, which differs from
// vantage to vantage. So where one direction's claims all start at one
// router and the other direction's at several, the first is at fault. Loss
// is left out: rate limiting moves loss onsets by a hop or two per vantage
// (on the tuning seeds it named five loss faults wrong for four right).
//
// kSilentServerEnd (a rule without a number): on a return trace the server
// end comes first. Where its hops in front of a loss onset stay silent (the
// gateway's upstream router often does not answer), the loss may start on
// the server's side as well as where the first lossy hop answers, as rate
// limiting leaves a forward trace's onset open up to the server end. Where
// no clean vantage clears the server side, that side, which all vantages
// share, explains them all.
//
// kShownMiddleOnset (a rule without a number): the reverse case. A probe
// beside the server traces every vantage at once, so the data centre's
// routers limit its replies hardest, and a return trace's loss may seem to
// start at the server end only because rate limiting there hides where it
// starts (the earliest hop that shows the destination's loss lies in the
// middle). Where the same vantage's forward trace shows the loss from a
// hop in the middle that lost about as much as the destination, behind a
// hop that answered, with every hop in front of it losing clearly less (so
// rate limiting does not explain it), and clear of the server end by one
// more hop (the router in front of the server end may limit replies at the
// fault's rate), the return trace's loss lies in the middle too.
//
// kClientEndBothWays: both round trips of a vantage cross the client's own
// links both ways, so loss there shows at both destinations alike. Where
// one trace puts persistent loss at the client end but the other reached
// its destination without significant loss and clearly less (a
// two-proportion z of at least this, one-sided 99.95%: one vantage's luck
// among many), the loss lies on a route only the first round trip takes,
// further out: the claim moves to the middle, on the link into its onset.
// Likewise for latency: a return trace's rise at the client end whose
// destination answers the forward trace's round trip faster by at least
// kPersistentShare of the rise lies on the client's replies' route to the
// server, a forward fault the return trace's probes do not cross; the claim
// reflects it (kReplyRoute). Measured (seed 7, scenario 2457): +104 ms on
// one ISP's link, which one vantage's replies to the server crossed (its
// return trace rose at the vantage itself, Avg 186 ms, while its forward
// round trip took 81 ms), was named that vantage's own link's; its jittery
// smaller cousins were dismissed as ECMP spread (kQueueingBothWays). Tuning
// seeds +17, check seeds +19, none broken. For forward traces' client-end
// rises the test fixed one tie, right either way, and is not applied.
inline constexpr double kClientEndZ = 3.29;

// kClientOverlap (a rule without a number): silent hops in front of a
// forward trace's loss onset, or rate limiting after a return trace's,
// leave the loss free to start on the client's own links. One fault lies
// where both of a vantage's traces allow it: where both allow the client
// end and at least one places the onset further out, the client's links
// are the one place both agree on, and both claims move there.
//
// kSharedClientEnd (a rule without a number): a client-end onset may start
// further out than it seems (behind a silent hop, behind routers whose
// rate limiting hides where it starts, or behind an access router whose
// slow replies passed for queueing). Where a vantage with such an onset
// shares a router that no clean vantage crosses with another vantage's
// client-end paths or with the segment another vantage's claim names, one
// fault on that shared stretch explains both; several clients' own links
// failing alike at once, or beside an ISP fault, is the less likely story.
// They are located in the middle.
//
// kCrossedStretch (a rule without a number): where the vantages that reach
// the server cleanly cross every hop of a vantage's lossy or slow stretch
// (but the destination), the hops alone do not hold the fault: it lies on
// a link beside theirs between the same routers (a parallel link one flow
// hashes onto), or on the way back, where the stretch's replies cross a
// link of the vantage's return route. The segment then names the link into
// the stretch and the hops of the vantage's traces that no clean vantage
// crosses: the part of its route that is its own.
//
// kCrossedClientEnd (a rule without a number): where such a stretch is a
// forward trace's persistent loss and silent hops in front of its onset
// leave it free to start on the client's own links, it starts there: the
// routers the clean vantages cross pass their traffic cleanly, so the loss
// enters in front of them, on links only this vantage uses, and the
// client's are the ones the trace leaves possible (seed 11, scenario 7097:
// a 41% loss on a client's line behind a silent hop 2 was named an ISP's).
//
// kIspNeedsCleanVantage (a rule without a number): a fault is one ISP's or
// route's (isp_routing) where some vantage reaches the server without it.
// Where none does and every vantage has a claim in the middle or at the
// server end, the middle groups the claims split into (routers answer each
// vantage from another address; one vantage's onset lies a hop further on,
// or at the server end where rate limiting hides it) are one fault on the
// path toward the server, located as one that all vantages show. Vantages
// whose only claims lie at their own client end are explained by their own
// links and keep a group an ISP's.
//
// kRouterMatch (a rule without a number): without alias resolution, a
// forward and a return hop are the same router when they carry the same
// address, or when each one's address and the hop after the other (along
// that trace) are the two ends of one point-to-point link (an IPv4 /30 or
// IPv6 /127): a router answers from its interface toward the prober, and
// the hops after it are its own route on, so that interface faces the
// other trace's next hop. Both must hold: one alone only shows two
// routers with a common neighbour.

// kPooledLoss: a loss of 2-5% reads 0-6 of 100 probes in one trace, too
// few for any one trace to be more than luck; the vantages that share the
// faulty link show it together. In each direction, vantages whose traces
// show no persistent loss of their own are pooled by the routers they cross
// between the client end (kClientPrivateHops) and the server end
// (kServerHops); private addresses do not count. Where at least
// kMinPooledVantages, but not all, cross one router, and their destinations
// together lose more than kHarmlessLoss, more than luck at the other
// vantages' rate (at least kBackgroundLoss) could give among all the
// routers tested (kFalseAlarmRate), and clearly more than the others
// (kExonerateZ), the loss lies behind that router for them; of several
// such routers, the one whose z is highest.
inline constexpr int kMinPooledVantages = 2;

// --- Latency --------------------------------------------------------------

// A step in Avg that persists to the destination is added latency on the
// link into that hop. Ordinary hops add a few ms, but one long-haul link
// adds 60-90 ms (an ocean) without anything being wrong, and one snapshot
// cannot tell that from a fixed added delay: only a step beyond that is a
// fault on its own.
inline constexpr double kLatencyStepMs = 100.0;

// A smaller step is a fault when it comes with queueing: jitter that the
// link into that hop adds (the StDev beyond the previous hop's, in
// quadrature), at least kQueueingMinMs and kJitterFactor times the quiet
// hops before it, at that hop and at the destination, and at least
// kPersistentShare of that at every hop in between (a slow responder's
// spread does not persist). Congestion that adds 10 ms on average varies by
// ~3.5 ms; a link's ordinary queueing (an access line included) adds about
// 1 ms. Below kJitteryLatencyStepMs, the benchmark's minor threshold, a
// step is within ordinary variation. Hops answered over several routes
// (ECMP) mix path lengths, and so does every hop behind one, its probes
// having taken either branch: where the onset or a later hop answered from
// several addresses, spread is evidence of queueing only from
// kEcmpQueueingMinMs on (two branches 12 ms apart, taken half and half,
// spread 6 ms; a fault on one branch spreads its flows further).
inline constexpr double kJitteryLatencyStepMs = 10.0;
inline constexpr double kQueueingMinMs = 3.0;
inline constexpr double kEcmpQueueingMinMs = 6.0;

// kSlowHomeRouterSpread (a rule without a number): a home router slow to
// answer spreads its own replies (StDev 17 ms over an Avg of 20 ms from a
// Best of 4 ms) while the hops behind it spread 1 ms; counted among the
// quiet hops, that raised the spread a fault must add to a queueing step
// to kJitterFactor times the median of 17 and 1, and a fault adding 55 ms
// with a spread of 20 ms from hop 3 on read as healthy. On a forward
// trace, a client-end hop counts as quiet with the least StDev at or
// beyond it, what the path itself proves to spread. (Only there: at a
// return trace's server end a slow gateway's spread still guards against
// steps across silent hops that are mere distance.)

// kQueueingBothWays (a rule without a number): every round trip between a
// client and the server crosses the client's LAN and line both ways, so
// congestion there spreads the RTTs of both traces' destinations alike. A
// client-end step that only queueing made a fault (below kLatencyStepMs) is
// dismissed where the other direction's destination spreads less than
// kPersistentShare as much: per-flow ECMP upstream mixing reply routes of
// different lengths, not congestion. (A probe beside the server does not
// cross the server's own link, so the server end has no such test.)

// kSharedServerStep (a rule without a number): a fault on the server side
// adds latency to every vantage's last links, but with little jitter a
// small step passes for ordinary variation on many of them, which then
// look clean. Vantages that reach the server without a latency claim
// clear the server side only where the rise their own round trips show
// across the server end (the destination's Avg over the hop in front of
// kServerHops) is, in the median, below kPersistentShare of the rise the
// claiming vantages show: the same step seen by all is the server's.

// kReplyRoute: a router replies by its own route back, so a delay on the
// route back shows on every hop whose replies cross it, wherever the hop
// lies. Where latency rises persistently and a hop in the middle in front
// of the rise has its Best raised by at least kReplyRouteShare of the
// destination's rise over the last usable hop in front of the rise (both by
// kJitteryLatencyStepMs at least), while that hop is not, the link into
// the rise cannot be at fault: that hop's probes and replies never cross
// it, and at a forward trace's server end or a return trace's client end
// they never cross those links at all. The delay lies on the route back
// that its replies share with the destination's, so the rise only reflects
// a fault of the other direction. Slow ICMP generation cannot raise a
// Best: its extra delay varies, and among 100 replies some come fast.
// Measured (seed 7, scenario 1823): a return-only +90 ms whose route back
// the data centre's edge shares with the server (Best 80.6 and 77.7 ms,
// the two hops between 40.7 and 42.0 ms) was named the server's. At 0.5 a
// transit router's reply route 15-20 ms longer than its neighbours' beside
// a 30 ms server-side rise matched too; 0.6 to 0.75 give the same
// outcomes. Likewise a return trace's latency at the client end that
// ClientEndCleared moves to the middle right behind a hop that answered
// reflects a forward fault.
inline constexpr double kReplyRouteShare = 0.75;

// A slow responder's spread just in front of a large fault persists behind
// it and passes for queueing. Where a later step qualifies too (on its own,
// kLatencyStepMs, or with queueing of its own beyond the quiet hops in front
// of the first) and is at least this many times the queueing step, the rise
// starts there.
inline constexpr double kDominantStep = 3.0;

// A step measured across hops that gave no RTT is reduced by this much per
// such hop: ordinary growth the silent hops would have shown.
inline constexpr double kPerHopGrowthMs = 20.0;

// A hop whose Avg exceeds what later hops prove achievable by this much is
// a slow ICMP responder (control-plane delay), unless a stretch of hops with
// jitter shows it (kMinTransientRun).
inline constexpr double kInflationMs = 20.0;

// --- Jitter ---------------------------------------------------------------

// A hop has jitter when its StDev is this many times the path's median
// StDev, and at least kJitterMinMs (timer noise on a LAN is ~0.1 ms).
inline constexpr double kJitterFactor = 3.0;
inline constexpr double kJitterMinMs = 1.0;

// --- Positions ------------------------------------------------------------

// The client's own network: its first link, and the access line at hop 2
// behind a home router (a private or silent first hop, or a private hop 2:
// double NAT).
inline constexpr int kClientHops = 1;
inline constexpr int kClientPrivateHops = 2;
// A public first hop is a home router too (one that answers from its public
// address) where it answers within kLanMs (across the LAN) and hop 2's Best
// lies at least kAccessLineMs further (an access line: DSL or cable adds
// 5-25 ms), but less than kLatencyStepMs (a fault of its own), with a StDev
// below kQueueingMinMs (the line's own steady delay, not a fault's
// queueing) at hop 2 or some hop behind it (a router slow to answer spreads
// its own replies only, as for kSlowHomeRouterSpread). A client attached
// directly to its ISP's router reaches that router across its line, not
// within kLanMs. Where the vantage's return trace crosses that router at the
// same address, it is a home router however slow or jittery the line: a
// home router answers from its one public address both ways, an ISP's
// router from its interface toward the prober (the lab's, two addresses).
// A fault on the line adds its delay and queueing right there, so the
// line's steadiness alone would name such faults the ISP's.
// Where hop 2 gave too few RTTs (it rate-limits its replies or stays
// silent), the first hop behind it that gave enough stands in for it: the
// line lies in front of that hop too (seed 11, scenario 4388: hop 2
// answered 1 probe in 100, and a 31% loss on the line was named an ISP's).
inline constexpr double kLanMs = 3.0;
inline constexpr double kAccessLineMs = 5.0;
// The server side: the server's own link and its gateway's upstream link.
inline constexpr int kServerHops = 2;

// --- Reports --------------------------------------------------------------

// A return report that starts at the server itself, or whose RTTs (Best:
// a slow responder's replies inflate Avg, never the fastest one) fall
// along the hops (Kendall tau below this), was written from the client's
// point of view (the article lists the server first but keeps the client's
// RTTs); it is analysed reversed.
inline constexpr double kMirroredTau = -0.5;

// Fewer replies than this at a hop and its latency figures are not used.
inline constexpr int kMinRepliesForLatency = 3;

// Confidence of evidence that does not reach the destination, relative to
// the same numbers on a persistent stretch.
inline constexpr double kTransientWeight = 0.75;

}  // namespace grid::diagnosis::rules

#endif  // GRID_DIAGNOSIS_RULES_H_
