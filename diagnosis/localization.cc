#include "diagnosis/localization.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "diagnosis/explain.h"
#include "diagnosis/rules.h"
#include "diagnosis/statistics.h"

namespace grid::diagnosis {
namespace {

// One anomaly, attributed to its vantage, with the end it is blamed on.
struct Claim {
  int vantage = 0;
  const TraceAnalysis* trace = nullptr;
  const Anomaly* anomaly = nullptr;
  PathEnd end = PathEnd::kMiddle;
};

using HostSet = absl::flat_hash_set<std::string>;

const std::string& HostAt(const Claim& c, int index) {
  return c.trace->trace->hops[index].host;
}

void AddHosts(const Trace& trace, HostSet& hosts) {
  for (const Hop& hop : trace.hops) {
    hosts.insert(hop.host);
    hosts.insert(hop.other_hosts.begin(), hop.other_hosts.end());
  }
}

// The hops that locate a claim (Anomaly::segment); where it was moved to
// an end its anomaly left possible, that end's hops (server_segment,
// client_segment); else the link into its stretch.
std::vector<std::string> Segment(const Claim& c) {
  const Anomaly& a = *c.anomaly;
  std::vector<std::string> hops;
  if (c.end == PathEnd::kServer && a.end != PathEnd::kServer &&
      !a.server_segment.empty()) {
    for (int i : a.server_segment) hops.push_back(HostAt(c, i));
    return hops;
  }
  if (c.end == PathEnd::kClient && a.end != PathEnd::kClient &&
      !a.client_segment.empty()) {
    for (int i : a.client_segment) hops.push_back(HostAt(c, i));
    return hops;
  }
  if (c.end == a.end) {
    for (int i : a.segment) hops.push_back(HostAt(c, i));
    return hops;
  }
  if (a.before >= 0) hops.push_back(HostAt(c, a.before));
  hops.push_back(HostAt(c, a.hops.front()));
  return hops;
}

// The hops of a claim's stretch, but the destination, that no clean
// vantage crosses.
std::vector<std::string> Uncrossed(const Claim& c, const HostSet& clean) {
  std::vector<std::string> hops;
  for (int i : c.anomaly->hops) {
    if (i != c.trace->destination_index && !clean.contains(HostAt(c, i))) {
      hops.push_back(HostAt(c, i));
    }
  }
  return hops;
}

// Appends to `hops` the answering hops of `va`'s traces, but their
// destinations, that no clean vantage crosses and `hops` lacks.
void AddOwnHops(const VantageAnalysis& va, const HostSet& clean,
                std::vector<std::string>& hops) {
  for (const TraceAnalysis* t : {&va.forward, va.ret ? &*va.ret : nullptr}) {
    if (t == nullptr) continue;
    for (int i = 0; i < static_cast<int>(t->trace->hops.size()); ++i) {
      const std::string& h = t->trace->hops[i].host;
      if (i != t->destination_index && h != kNoResponseHost &&
          !clean.contains(h) &&
          std::find(hops.begin(), hops.end(), h) == hops.end()) {
        hops.push_back(h);
      }
    }
  }
}

// The middle segment refined by tomography: the affected stretch minus what
// clean vantages cross, behind the last good hop. Where they cross all of
// it, Segment() and the vantage's own hops (rules.h, kCrossedStretch);
// Segment() alone where there are no clean vantages.
std::vector<std::string> Tomography(const Claim& c, const VantageAnalysis& va,
                                    const HostSet& clean) {
  if (clean.empty()) return Segment(c);
  std::vector<std::string> hops = Uncrossed(c, clean);
  if (hops.empty()) {
    hops = Segment(c);
    AddOwnHops(va, clean, hops);
    return hops;
  }
  const int before = c.anomaly->before;
  if (before >= 0) hops.insert(hops.begin(), HostAt(c, before));
  return hops;
}

// What a group's stretches that clean vantages cross entirely add to its
// evidence (rules.h, kCrossedStretch), or "" where there are none.
std::string CrossedStretchNote(const std::vector<Claim>& group,
                               const std::vector<VantageAnalysis>& vantages,
                               const HostSet& clean) {
  if (clean.empty()) return "";
  std::vector<std::string> crossed;
  for (const Claim& c : group) {
    const std::string& name = vantages[c.vantage].vantage->name;
    if (Uncrossed(c, clean).empty() &&
        std::find(crossed.begin(), crossed.end(), name) == crossed.end()) {
      crossed.push_back(name);
    }
  }
  if (crossed.empty()) return "";
  const bool one = crossed.size() == 1;
  return absl::StrCat(
      " ", JoinNames(crossed), one ? " shows" : " show",
      " it only at hops that clean vantages cross too: it lies on a link "
      "beside theirs or on the way back, over the hops only ",
      one ? "its own route uses." : "their own routes use.");
}

// The forward claim of a group if there is one (forward traces are what
// customers measure), else its first.
const Claim& Primary(const std::vector<Claim>& group) {
  for (const Claim& c : group) {
    if (c.anomaly->direction == Direction::kForward) return c;
  }
  return group.front();
}

// The hops of a finding: each claim's hops (`locate`) without repeats, those
// that more claims name first (the stretch the vantages share), otherwise
// the primary claim's first — so both directions' names of a segment
// appear.
template <typename Locate>
std::vector<std::string> UnionOfHops(const std::vector<Claim>& group,
                                     Locate locate) {
  std::vector<const Claim*> order = {&Primary(group)};
  for (const Claim& c : group) {
    if (&c != order[0]) order.push_back(&c);
  }
  std::vector<std::pair<std::string, int>> named;  // Hop, claims naming it.
  for (const Claim* c : order) {
    for (std::string& h : locate(*c)) {
      auto it = std::find_if(named.begin(), named.end(),
                             [&](const auto& n) { return n.first == h; });
      if (it == named.end()) {
        named.emplace_back(std::move(h), 1);
      } else {
        ++it->second;
      }
    }
  }
  std::stable_sort(
      named.begin(), named.end(),
      [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> hops;
  for (auto& n : named) hops.push_back(std::move(n.first));
  return hops;
}

bool Intersects(const std::vector<std::string>& a,
                const std::vector<std::string>& b) {
  return std::any_of(a.begin(), a.end(), [&](const std::string& h) {
    return std::find(b.begin(), b.end(), h) != b.end();
  });
}

// The hop after `index` in `t` in the order the analysis walks it (away
// from the prober), or -1.
int NextHop(const TraceAnalysis& t, int index) {
  const int next = t.mirrored ? index - 1 : index + 1;
  return next >= 0 && next < static_cast<int>(t.trace->hops.size()) ? next : -1;
}

// True when forward hop `f` and return hop `r` of one vantage are the same
// router (rules.h, kRouterMatch): the same address, or each trace's
// address and the other trace's next hop are the two ends of one link — a
// router answers from the interface toward the prober, and the path from it
// onward is its own route, so that interface faces the other trace's next
// hop.
bool SameRouter(const TraceAnalysis& fwd, int f, const TraceAnalysis& ret,
                int r) {
  if (f < 0 || r < 0) return false;
  const std::string& fh = fwd.trace->hops[f].host;
  const std::string& rh = ret.trace->hops[r].host;
  if (fh == kNoResponseHost || rh == kNoResponseHost) return false;
  if (fh == rh) return true;
  const int fn = NextHop(fwd, f), rn = NextHop(ret, r);
  return (rn >= 0 && LinkMates(fh, ret.trace->hops[rn].host)) &&
         (fn >= 0 && LinkMates(rh, fwd.trace->hops[fn].host));
}

// The direction one vantage's persistent claims of both directions point
// to (rules.h, kReflectedOnset): a trace whose loss begins at the router
// where the other trace is still clean (its last good hop) only shows that
// router's replies crossing the other trace's faulty link. kBoth when both
// or neither do.
Direction ReflectionDirection(const Claim& fwd, const Claim& ret) {
  const Anomaly& f = *fwd.anomaly;
  const Anomaly& r = *ret.anomaly;
  if (!f.persistent || !r.persistent) return Direction::kBoth;
  if (f.reflects != r.reflects) {
    return f.reflects ? Direction::kReturn : Direction::kForward;
  }
  const bool fwd_reflects =
      SameRouter(*fwd.trace, f.hops.front(), *ret.trace, r.before);
  const bool ret_reflects =
      SameRouter(*fwd.trace, f.before, *ret.trace, r.hops.front());
  if (fwd_reflects == ret_reflects) return Direction::kBoth;
  return fwd_reflects ? Direction::kReturn : Direction::kForward;
}

// How far along its own path (from its prober) `c`'s onset lies, 0..1.
double OnsetShare(const Claim& c) {
  const int n = static_cast<int>(c.trace->trace->hops.size());
  const int first = c.anomaly->hops.front();
  return static_cast<double>(c.trace->mirrored ? n - 1 - first : first) / n;
}

// The direction the round-trip times of one vantage's two loss claims
// point to (rules.h, kRttSum): a router both paths cross has Best RTTs
// from the two ends that add up to the end-to-end Best. Where the return
// onset and the forward trace's last good hop add up (the return trace's
// loss starts at the router in front of the faulty forward link) and the
// reverse pair does not, the forward path is at fault; and the other way
// round. kBoth when neither or both fit.
Direction RttSumDirection(const Claim& fwd, const Claim& ret) {
  const TraceAnalysis& ft = *fwd.trace;
  const TraceAnalysis& rt = *ret.trace;
  if (fwd.anomaly->kind != FindingKind::kLoss || !ft.reached || !rt.reached) {
    return Direction::kBoth;
  }
  auto best = [](const TraceAnalysis& t, int i) -> std::optional<double> {
    if (i < 0 || t.trace->hops[i].received < rules::kMinRepliesForLatency) {
      return std::nullopt;
    }
    return t.trace->hops[i].best_ms;
  };
  const auto f_onset = best(ft, fwd.anomaly->hops.front());
  const auto f_before = best(ft, fwd.anomaly->before);
  const auto r_onset = best(rt, ret.anomaly->hops.front());
  const auto r_before = best(rt, ret.anomaly->before);
  if (!f_onset || !f_before || !r_onset || !r_before) return Direction::kBoth;
  const double end_to_end =
      (ft.Destination().best_ms + rt.Destination().best_ms) / 2;
  const double fwd_reflects = std::abs(*f_onset + *r_before - end_to_end);
  const double ret_reflects = std::abs(*f_before + *r_onset - end_to_end);
  if (ret_reflects < rules::kRttSumMatchMs &&
      fwd_reflects > rules::kRttSumMissMs) {
    return Direction::kForward;
  }
  if (fwd_reflects < rules::kRttSumMatchMs &&
      ret_reflects > rules::kRttSumMissMs) {
    return Direction::kReturn;
  }
  return Direction::kBoth;
}

// The direction most vantages of `group` point to, each by `tell` on its
// own forward and return claim (kBoth from a vantage abstains); kBoth where
// the votes tie.
Direction VoteOfVantages(const std::vector<Claim>& group,
                         Direction (*tell)(const Claim&, const Claim&)) {
  int votes_fwd = 0, votes_ret = 0;
  for (const Claim& f : group) {
    if (f.anomaly->direction != Direction::kForward) continue;
    for (const Claim& r : group) {
      if (r.vantage != f.vantage || r.anomaly->direction != Direction::kReturn)
        continue;
      const Direction d = tell(f, r);
      if (d == Direction::kForward) ++votes_fwd;
      if (d == Direction::kReturn) ++votes_ret;
    }
  }
  if (votes_fwd == votes_ret) return Direction::kBoth;
  return votes_ret > votes_fwd ? Direction::kReturn : Direction::kForward;
}

// The direction whose latency claims in `group` all start at one router
// while the other direction's start at several (rules.h, kSharedOnset);
// kBoth otherwise.
Direction SharedOnsetDirection(const std::vector<Claim>& group) {
  if (group.front().anomaly->kind != FindingKind::kLatency) {
    return Direction::kBoth;
  }
  HostSet fwd_onsets, ret_onsets;
  for (const Claim& c : group) {
    (c.anomaly->direction == Direction::kForward ? fwd_onsets : ret_onsets)
        .insert(HostAt(c, c.anomaly->hops.front()));
  }
  if (fwd_onsets.size() == 1 && ret_onsets.size() > 1) {
    return Direction::kForward;
  }
  if (ret_onsets.size() == 1 && fwd_onsets.size() > 1) {
    return Direction::kReturn;
  }
  return Direction::kBoth;
}

// The direction of `group`, claims all seen in one direction: that one,
// or the other where most of them only reflect a fault of the other
// direction (Anomaly::reflects).
Direction SeenDirection(const std::vector<Claim>& group) {
  const Direction seen = group.front().anomaly->direction;
  const auto reflecting =
      std::count_if(group.begin(), group.end(),
                    [](const Claim& c) { return c.anomaly->reflects; });
  if (2 * reflecting <= std::ssize(group)) return seen;
  return seen == Direction::kForward ? Direction::kReturn : Direction::kForward;
}

// Forward or return, from the traces a group of claims was seen in. Where
// both directions show it, the direction whose first lossy hop the other
// direction's route does not cross is the one at fault (asymmetric paths).
// Then the round-trip times (kRttSum) and, for latency, the onsets the
// vantages share (kSharedOnset) may tell. Where nothing settles it, the
// direction whose onset lies earlier along its own path is the likelier
// one (rules.h, kLaterOnsetReflects; forward where the two lie alike), and
// `*doubt` says why in words (else left empty).
Direction DirectionOf(const std::vector<Claim>& group,
                      const std::vector<VantageAnalysis>& vantages,
                      std::string* doubt) {
  const Claim* fwd = nullptr;
  const Claim* ret = nullptr;
  for (const Claim& c : group) {
    if (c.anomaly->direction == Direction::kForward && !fwd) fwd = &c;
    if (c.anomaly->direction == Direction::kReturn && !ret) ret = &c;
  }
  if (!ret || !fwd) return SeenDirection(group);
  // Vantages whose two traces tell which one only reflects the other vote.
  if (const Direction d = VoteOfVantages(group, ReflectionDirection);
      d != Direction::kBoth) {
    return d;
  }
  const VantageAnalysis& v = vantages[fwd->vantage];
  if (v.ret) {
    HostSet fwd_hosts, ret_hosts;
    AddHosts(*v.forward.trace, fwd_hosts);
    AddHosts(*v.ret->trace, ret_hosts);
    const bool fwd_unique =
        !ret_hosts.contains(HostAt(*fwd, fwd->anomaly->hops.front()));
    const bool ret_unique =
        !fwd_hosts.contains(HostAt(*ret, ret->anomaly->hops.front()));
    if (fwd_unique != ret_unique) {
      return fwd_unique ? Direction::kForward : Direction::kReturn;
    }
  }
  for (const Direction d :
       {VoteOfVantages(group, RttSumDirection), SharedOnsetDirection(group)}) {
    if (d != Direction::kBoth) return d;
  }
  const double fwd_share = OnsetShare(*fwd);
  const double ret_share = OnsetShare(*ret);
  if (fwd_share == ret_share) {
    *doubt =
        " Both directions' traces show it from as far along their paths, so "
        "which way is at fault stays open; the outbound path is named.";
    return Direction::kForward;
  }
  const bool ret_later = ret_share > fwd_share;
  const Claim& later = ret_later ? *ret : *fwd;
  const Claim& earlier = ret_later ? *fwd : *ret;
  auto where = [](const Claim& c) {
    return absl::StrFormat("hop %d of %d",
                           c.trace->trace->hops[c.anomaly->hops.front()].ttl,
                           c.trace->Destination().ttl);
  };
  *doubt = absl::StrCat(
      " Both directions' traces show it and neither settles which way is at "
      "fault; the ",
      ret_later ? "return" : "outbound", " trace's onset (", where(later),
      ") lies further along its path than the ",
      ret_later ? "outbound" : "return", " trace's (", where(earlier),
      "), where replies crossing a fault on the other way start to show it, "
      "so the ",
      ret_later ? "outbound" : "return", " path is the likelier one.");
  return ret_later ? Direction::kForward : Direction::kReturn;
}

Finding MakeFinding(FindingKind kind, Location location,
                    const std::vector<Claim>& group,
                    const std::vector<VantageAnalysis>& vantages,
                    std::vector<std::string> hops) {
  Finding f;
  f.kind = kind;
  f.location = location;
  f.hops = std::move(hops);
  bool fwd = false, ret = false;
  // Each piece of evidence once, with the vantages it stands for: the
  // claims one pool of vantages backs (PoolSharedLoss) share theirs, and
  // count once towards the confidence.
  struct Told {
    std::string what;
    std::vector<std::string> names;
    double confidence;
  };
  std::vector<Told> told;
  for (const Claim& c : group) {
    const std::string& name = vantages[c.vantage].vantage->name;
    if (std::find(f.vantages.begin(), f.vantages.end(), name) ==
        f.vantages.end()) {
      f.vantages.push_back(name);
    }
    const bool forward = c.anomaly->direction == Direction::kForward;
    (forward ? fwd : ret) = true;
    std::string what =
        absl::StrCat(forward ? " to the server: " : " from the server: ",
                     c.anomaly->evidence);
    auto it = std::find_if(told.begin(), told.end(),
                           [&](const Told& t) { return t.what == what; });
    if (it == told.end()) {
      told.push_back({std::move(what), {name}, c.anomaly->confidence});
    } else if (it->names.back() != name) {
      it->names.push_back(name);
    }
  }
  double miss = 1;
  std::vector<std::string> evidence;
  for (const Told& t : told) {
    miss *= 1 - t.confidence;
    evidence.push_back(absl::StrCat(JoinNames(t.names), t.what));
  }
  f.direction = fwd && ret ? Direction::kBoth
                : fwd      ? Direction::kForward
                           : Direction::kReturn;
  f.confidence = std::min(0.999, 1 - miss);
  const Anomaly& primary = *Primary(group).anomaly;
  f.loss_pct = primary.loss * 100;
  f.added_ms = primary.added_ms;
  f.evidence = absl::StrCat(absl::StrJoin(evidence, "; "), ".");
  return f;
}

// The rise of `fwd`'s Avg across the server end (its destination's over the
// hop in front of the server's two links), or nullopt where that hop gave
// too few replies.
std::optional<double> ServerEndRise(const TraceAnalysis& fwd) {
  const int front = fwd.destination_index - rules::kServerHops;
  if (front < 0) return std::nullopt;
  const Hop& hop = fwd.trace->hops[front];
  if (hop.received < rules::kMinRepliesForLatency) return std::nullopt;
  return fwd.Destination().avg_ms - hop.avg_ms;
}

// Whether the vantages that reach the server cleanly (their forward traces;
// none of their claims at the server end) clear it of the claims that may
// lie at the server end: for loss, their destinations must have
// lost clearly less (a two-proportion z of kExonerateZ) than the claiming
// vantages' — one clean vantage among many lossy ones is sampling luck —
// and some claiming vantage's loss must be more than luck at their rate
// (kSharedLossRate); for latency they must be at least as many as the
// claiming vantages, and the rise their own round trips show across the
// server end must be, in the median, under kPersistentShare of theirs
// (kSharedServerStep).
bool ServerExonerated(const std::vector<VantageAnalysis>& vantages,
                      const std::vector<Claim>& claims, FindingKind kind) {
  int claiming = 0, clean = 0;
  int claim_lost = 0, claim_sent = 0, clean_lost = 0, clean_sent = 0;
  std::vector<bool> counted(vantages.size(), false);
  std::vector<const Hop*> claim_dests;
  std::vector<double> claim_added, clean_rise;
  for (const Claim& c : claims) {
    const bool server_end =
        c.end == PathEnd::kServer || !c.anomaly->server_segment.empty();
    if (!server_end || counted[c.vantage]) continue;
    counted[c.vantage] = true;
    ++claiming;
    if (kind == FindingKind::kLatency) {
      claim_added.push_back(c.anomaly->added_ms);
    }
    const Hop& dest = c.trace->Destination();
    claim_dests.push_back(&dest);
    claim_lost += dest.Lost();
    claim_sent += dest.sent;
  }
  for (size_t v = 0; v < vantages.size(); ++v) {
    // A vantage whose forward trace reached the server without an anomaly
    // of this kind crossed the server's links both ways, whatever its
    // return trace shows (rules.h, kExonerateZ).
    const TraceAnalysis& fwd = vantages[v].forward;
    const bool fwd_claim =
        std::any_of(fwd.anomalies.begin(), fwd.anomalies.end(),
                    [&](const Anomaly& a) { return a.kind == kind; });
    if (!fwd.reached || counted[v] || fwd_claim) continue;
    ++clean;
    if (kind == FindingKind::kLatency) {
      if (const auto rise = ServerEndRise(fwd)) clean_rise.push_back(*rise);
    }
    const Hop& dest = fwd.Destination();
    clean_lost += dest.Lost();
    clean_sent += dest.sent;
  }
  if (claiming == 0 || clean == 0) return false;
  if (kind == FindingKind::kLatency) {
    return clean >= claiming &&
           (clean_rise.empty() ||
            Median(clean_rise) < rules::kPersistentShare * Median(claim_added));
  }
  // Vantages picked as clean for their low loss are the lucky draws when
  // every vantage loses: together they must show clearly less loss, even at
  // the top of their interval, than kPersistentShare of the claimed rate.
  if (WilsonInterval(clean_lost, clean_sent, rules::kWilsonZ).high >=
      rules::kPersistentShare * claim_lost / claim_sent) {
    return false;
  }
  // Nor do they where the claiming vantages' losses could be the unlucky
  // draws, among this many vantages, of the rate the clean ones show
  // (rules.h, kSharedLossRate).
  const double shared = std::max(rules::kBackgroundLoss,
                                 static_cast<double>(clean_lost) / clean_sent);
  if (std::none_of(
          claim_dests.begin(), claim_dests.end(), [&](const Hop* dest) {
            return vantages.size() *
                       BinomialTailAtLeast(dest->Lost(), dest->sent, shared) <=
                   rules::kFalseAlarmRate;
          })) {
    return false;
  }
  return TwoProportionZ(clean_lost, clean_sent, claim_lost, claim_sent) >=
         rules::kExonerateZ;
}

// True when the other direction's round trip, which crosses the same two
// one-way paths, reached its destination without significant loss and
// clearly less than `t`'s destination lost (a two-proportion z of `z`):
// `t`'s loss is not on the links both round trips cross. Where the loss
// shows at the destination alone, it is the destination host's ICMP
// handling; hops in front of it that lose too show forwarding loss on
// routes the other round trip need not take (ECMP).
bool Contradicted(const TraceAnalysis& t, const TraceAnalysis* other,
                  double z = rules::kExonerateZ) {
  if (other == nullptr || !other->reached || !t.reached) return false;
  const Hop& clean = other->Destination();
  const Hop& dest = t.Destination();
  return WilsonInterval(clean.Lost(), clean.sent, rules::kWilsonZ).low <=
             rules::kHarmlessLoss &&
         ClearlyBelow(clean, dest) &&
         TwoProportionZ(clean.Lost(), clean.sent, dest.Lost(), dest.sent) >= z;
}

// True when `a`, persistent latency of `t` at the client end that only
// queueing made a fault (less than rules::kLatencyStepMs), is not in the
// other direction's round trip, which crosses the client's links both ways
// too: its destination's StDev is below kPersistentShare of `t`'s (rules.h,
// kQueueingBothWays).
bool QueueingUnseen(const Anomaly& a, const TraceAnalysis& t,
                    const TraceAnalysis* other) {
  if (!a.persistent || a.kind != FindingKind::kLatency ||
      a.end != PathEnd::kClient || a.added_ms >= rules::kLatencyStepMs ||
      other == nullptr || !other->reached || !t.reached) {
    return false;
  }
  const Hop& mine = t.Destination();
  const Hop& theirs = other->Destination();
  return theirs.received >= rules::kMinRepliesForLatency &&
         theirs.stdev_ms < rules::kPersistentShare * mine.stdev_ms;
}

// The persistent anomaly of `other`, a return trace, that explains `a`, a
// forward trace's persistent anomaly at (or possibly at) the server end: of
// the same kind and size (loss not clearly below, at least kPersistentShare
// of the added latency), starting in the middle or at the client end behind
// a hop beyond the server end that answered cleanly, so the return trace's
// server side is clean. A fault on the
// server side would show on the return trace from the server end on or not
// at all (a probe beside the server does not cross the server's own link):
// the forward trace's late onset is its replies crossing the return path's
// fault (rules.h, kReflectedOnset). Null if there is none.
const Anomaly* ReflectedBy(const Anomaly& a, const TraceAnalysis& t,
                           const TraceAnalysis* other) {
  if (other == nullptr || t.direction != Direction::kForward || !a.persistent ||
      (a.end != PathEnd::kServer && a.server_segment.empty()))
    return nullptr;
  for (const Anomaly& b : other->anomalies) {
    if (!b.persistent || b.kind != a.kind || b.end == PathEnd::kServer ||
        !b.server_segment.empty() || b.before < 0) {
      continue;
    }
    // The clean hop in front of the onset is the server end's far end or
    // lies beyond it; a latency claim needs its RTTs to show it clean.
    const int hops = static_cast<int>(other->trace->hops.size());
    if ((other->mirrored ? hops - 1 - b.before : b.before) <
            rules::kServerHops - 1 ||
        (a.kind == FindingKind::kLatency &&
         other->trace->hops[b.before].received <
             rules::kMinRepliesForLatency)) {
      continue;
    }
    if (a.kind == FindingKind::kLoss) {
      const Hop& fwd = t.Destination();
      const Hop& ret = other->Destination();
      if (ClearlyBelow(ret, fwd)) continue;
    } else if (b.added_ms < rules::kPersistentShare * a.added_ms) {
      continue;
    }
    return &b;
  }
  return nullptr;
}

// True when `a`, a return trace's persistent loss at the server end whose
// onset rate limiting leaves open up to the middle, lies in the middle
// (rules.h, kShownMiddleOnset): `forward`, the same vantage's forward trace,
// shows the loss from a hop in the middle where rate limiting does not
// explain it (onset_shown), behind a hop that answered, and clear of the
// server end by one more hop.
bool ServerEndUnshown(const Anomaly& a, const TraceAnalysis* forward) {
  if (a.middle_segment.empty() || forward == nullptr) return false;
  return std::any_of(forward->anomalies.begin(), forward->anomalies.end(),
                     [&](const Anomaly& b) {
                       return b.persistent && b.kind == a.kind &&
                              b.onset_shown && b.end == PathEnd::kMiddle &&
                              b.server_segment.empty() && b.before >= 0 &&
                              forward->destination_index - b.hops.front() >
                                  rules::kServerHops;
                     });
}

// True when `a`, a return trace's persistent anomaly at the client end,
// is a fault further out (rules.h, kReflectedOnset): `forward`, the same
// vantage's forward trace, shows the same kind persistently from a hop in
// the middle or at the server end, behind a hop that answered cleanly at or
// beyond the client's last hop (hop 1; hop 2, the access line's far end,
// behind a home router, unless `a` starts at the client right behind its
// router). A fault on the client's own links would show on every forward
// hop beyond them, whose probes and replies all cross them.
bool ClientEndCleared(const Anomaly& a, const TraceAnalysis& t,
                      const TraceAnalysis* forward) {
  if (forward == nullptr || t.direction != Direction::kReturn ||
      !a.persistent || a.end != PathEnd::kClient || a.before < 0) {
    return false;
  }
  // Where `a` starts at the client itself, right behind a hop that answered
  // cleanly (its router, across the line), the line is clean and hop 1
  // clears the rest, home router or not.
  const bool client_alone = a.hops.size() == 1 &&
                            a.hops.front() == t.destination_index &&
                            NextHop(t, a.before) == t.destination_index;
  const int client_hops = forward->home_router && !client_alone
                              ? rules::kClientPrivateHops
                              : rules::kClientHops;
  return std::any_of(forward->anomalies.begin(), forward->anomalies.end(),
                     [&](const Anomaly& b) {
                       return b.persistent && b.kind == a.kind &&
                              b.end != PathEnd::kClient &&
                              b.before + 1 >= client_hops;
                     });
}

// True when `a`, persistent loss of `t` at the client end, is not on the
// client's links (rules.h, kClientEndBothWays): the other direction's round
// trip, which crosses them both ways too, reached its destination clean and
// with clearly less loss (Contradicted, by a z of kClientEndZ).
bool ClientEndContradicted(const Anomaly& a, const TraceAnalysis& t,
                           const TraceAnalysis* other) {
  return a.persistent && a.kind == FindingKind::kLoss &&
         a.end == PathEnd::kClient && a.before >= 0 &&
         Contradicted(t, other, rules::kClientEndZ);
}

// True when `a`, persistent latency of `t`, a return trace, at the client
// end, is not on the client's links (rules.h, kClientEndBothWays): the
// forward round trip, which crosses them both ways too, reached its
// destination faster by at least kPersistentShare of the rise.
bool ClientEndFaster(const Anomaly& a, const TraceAnalysis& t,
                     const TraceAnalysis* forward) {
  if (!a.persistent || a.kind != FindingKind::kLatency ||
      t.direction != Direction::kReturn || a.end != PathEnd::kClient ||
      a.before < 0 || forward == nullptr || !forward->reached || !t.reached) {
    return false;
  }
  const Hop& theirs = forward->Destination();
  return theirs.received >= rules::kMinRepliesForLatency &&
         t.Destination().avg_ms - theirs.avg_ms >=
             rules::kPersistentShare * a.added_ms;
}

// Persistent loss that both traces of a vantage show, where each may start
// at the client end (rules.h, kClientOverlap): the client's own links are
// the one place both allow. Moves both there.
void ClientOverlap(VantageAnalysis& va) {
  if (!va.ret) return;
  Anomaly* f = PersistentLoss(va.forward);
  Anomaly* r = PersistentLoss(*va.ret);
  if (f == nullptr || r == nullptr) return;
  auto may = [](const Anomaly& a) {
    return a.end == PathEnd::kClient || !a.client_segment.empty();
  };
  if (!may(*f) || !may(*r) ||
      (f->end == PathEnd::kClient && r->end == PathEnd::kClient)) {
    return;
  }
  for (Anomaly* a : {f, r}) {
    if (a->end == PathEnd::kClient) continue;
    a->end = PathEnd::kClient;
    a->segment = a->client_segment;
    a->server_segment.clear();
  }
}

// True when anomaly `b` of trace `t` covers a hop on the links at `end`
// of the path (within kClientPrivateHops links of it): a stretch that runs
// into the client's links from the middle shows loss there too.
bool TouchesEnd(const TraceAnalysis& t, const Anomaly& b, PathEnd end) {
  const bool prober_side =
      (end == PathEnd::kClient) == (t.direction == Direction::kForward);
  const int size = static_cast<int>(t.trace->hops.size());
  return std::any_of(b.hops.begin(), b.hops.end(), [&](int i) {
    return prober_side ? i < rules::kClientPrivateHops
                       : i >= size - 1 - rules::kClientPrivateHops;
  });
}

// Forward claims in the middle that silent hops in front of their onset
// leave free to start on the client's links, where clean vantages cross
// every hop of their stretch: the loss enters on the vantage's own links
// in front of those routers, the client's the ones in view (rules.h,
// kCrossedClientEnd). Moves them to the client end.
void CrossedClientEnds(const HostSet& clean, std::vector<Claim>& claims) {
  if (clean.empty()) return;
  for (Claim& c : claims) {
    if (c.end == PathEnd::kMiddle &&
        c.anomaly->direction == Direction::kForward &&
        !c.anomaly->client_segment.empty() && Uncrossed(c, clean).empty()) {
      c.end = PathEnd::kClient;
    }
  }
}

// A vantage's client-end claims are one fault with other vantages' claims
// where the vantage's paths share a router that no clean vantage crosses
// with another vantage's client-end paths or with the segment another
// vantage's claim names: one fault on that shared stretch, not several
// clients' own links failing alike at once, nor a client's link failing
// beside an ISP fault (rules.h, kSharedClientEnd). Moves them to the middle.
void SharedClientEnds(const std::vector<VantageAnalysis>& vantages,
                      const HostSet& clean, std::vector<Claim>& claims) {
  // Per vantage with claims: the routers that may carry its fault.
  absl::flat_hash_map<int, HostSet> hosts_of;
  absl::flat_hash_set<int> client_vantages;
  for (const Claim& c : claims) {
    HostSet& hosts = hosts_of[c.vantage];
    if (c.end != PathEnd::kClient) {
      for (const std::string& h : Segment(c)) hosts.insert(h);
    } else if (client_vantages.insert(c.vantage).second) {
      const VantageAnalysis& va = vantages[c.vantage];
      AddHosts(*va.forward.trace, hosts);
      if (va.ret) AddHosts(*va.ret->trace, hosts);
    }
  }
  absl::flat_hash_map<std::string, int> sharing;  // Host: vantages crossing.
  for (auto& [v, hosts] : hosts_of) {
    absl::erase_if(hosts, [&](const std::string& h) {
      return h == kNoResponseHost || IsPrivateAddress(h) || clean.contains(h);
    });
    for (const std::string& h : hosts) ++sharing[h];
  }
  for (Claim& c : claims) {
    if (c.end != PathEnd::kClient) continue;
    const HostSet& hosts = hosts_of[c.vantage];
    if (std::any_of(hosts.begin(), hosts.end(),
                    [&](const std::string& h) { return sharing[h] > 1; })) {
      c.end = PathEnd::kMiddle;
    }
  }
}

}  // namespace

void DismissRouterArtifacts(std::vector<VantageAnalysis>& vantages) {
  absl::flat_hash_map<std::string, absl::flat_hash_set<int>> seen_at;
  for (int v = 0; v < static_cast<int>(vantages.size()); ++v) {
    auto note = [&](const TraceAnalysis& t) {
      for (const Artifact& a : t.artifacts) seen_at[a.hop].insert(v);
    };
    note(vantages[v].forward);
    if (vantages[v].ret) note(*vantages[v].ret);
  }
  // Routers in transient stretches of several vantages: they drop or delay
  // replies for all of them while every destination stays clean.
  for (int v = 0; v < static_cast<int>(vantages.size()); ++v) {
    auto note = [&](const TraceAnalysis& t) {
      for (const Anomaly& a : t.anomalies) {
        if (a.persistent) continue;
        for (int i : a.hops) {
          const std::string& host = t.trace->hops[i].host;
          if (!IsPrivateAddress(host)) seen_at[host].insert(v);
        }
      }
    };
    note(vantages[v].forward);
    if (vantages[v].ret) note(*vantages[v].ret);
  }
  auto elsewhere = [&](const std::string& host, int v) {
    auto it = seen_at.find(host);
    return it != seen_at.end() &&
           (it->second.size() > 1 || !it->second.contains(v));
  };
  // A transient stretch of slow replies is a fault only at an end of the
  // path where the other direction's trace shows latency too (the
  // article's example 3); elsewhere it is routers slow to answer. A lossy
  // one at an end of the path must show in the other direction's trace too
  // where there is one (the article's example 1 shows it both ways): seen
  // one way only it is a slow router beside a deprioritising one.
  auto confirmed = [](const Anomaly& a, const TraceAnalysis* other) {
    if (a.end == PathEnd::kMiddle || other == nullptr) return false;
    return std::any_of(
        other->anomalies.begin(), other->anomalies.end(),
        [&](const Anomaly& b) {
          return b.kind == a.kind &&
                 (b.end == a.end || (a.kind == FindingKind::kLoss &&
                                     TouchesEnd(*other, b, a.end)));
        });
  };
  for (VantageAnalysis& va : vantages) ClientOverlap(va);
  for (int v = 0; v < static_cast<int>(vantages.size()); ++v) {
    VantageAnalysis& va = vantages[v];
    auto dismiss = [&](TraceAnalysis& t, const TraceAnalysis* other) {
      std::vector<Anomaly> kept;
      for (Anomaly& a : t.anomalies) {
        const bool shared =
            !a.persistent &&
            std::any_of(a.hops.begin(), a.hops.end(), [&](int i) {
              return elsewhere(t.trace->hops[i].host, v);
            });
        const bool unconfirmed =
            !a.persistent &&
            (a.kind == FindingKind::kLatency ||
             (a.end != PathEnd::kMiddle && other != nullptr)) &&
            !confirmed(a, other);
        const bool contradicted = a.persistent &&
                                  a.kind == FindingKind::kLoss &&
                                  t.direction == Direction::kReturn &&
                                  a.hops.size() == 1 && Contradicted(t, other);
        const bool cleared = ClientEndCleared(a, t, other);
        const bool faster = ClientEndFaster(a, t, other);
        // A rise right behind a hop that answered cannot start further out
        // on the return path, nor one the forward round trip lacks: replies
        // crossing a forward fault (rules.h, kReplyRoute).
        if (faster || (cleared && a.kind == FindingKind::kLatency &&
                       NextHop(t, a.before) == a.hops.front())) {
          a.reflects = true;
        }
        if (cleared || faster || ClientEndContradicted(a, t, other)) {
          a.end = PathEnd::kMiddle;
          a.segment = {a.before, a.hops.front()};
        }
        if (ServerEndUnshown(a, other)) {
          a.end = PathEnd::kMiddle;
          a.segment = a.middle_segment;
        }
        if (const Anomaly* b = ReflectedBy(a, t, other)) {
          if (a.end != PathEnd::kServer) {
            a.server_segment.clear();  // The middle onset stands.
          } else {
            const Hop& onset = other->trace->hops[b->hops.front()];
            t.artifacts.push_back(
                {"", t.direction, t.trace->hops[a.hops.front()].host,
                 absl::StrCat(
                     a.kind == FindingKind::kLoss ? "loss" : "added latency",
                     " that starts at the server end toward the server, "
                     "but the trace from the server side is clean up to ",
                     onset.host,
                     ": replies crossing the return path's fault, not the "
                     "server")});
            continue;
          }
        }
        if (QueueingUnseen(a, t, other)) {
          t.artifacts.push_back(
              {"", t.direction, t.trace->hops[a.hops.front()].host,
               absl::StrFormat(
                   "Avg rises by %.0f ms with jitter at the client's end, but "
                   "the other direction's round trip, which crosses the "
                   "client's links both ways too, shows no such jitter: "
                   "replies taking routes of different lengths, not "
                   "congestion",
                   a.added_ms)});
          continue;
        }
        if (contradicted) {
          const Hop& dest = t.Destination();
          t.artifacts.push_back(
              {"", t.direction, dest.host,
               absl::StrFormat(
                   "%.0f%% loss toward the client from the server side, but "
                   "the client's own round trip to the server, which "
                   "crosses the same links, loses clearly less: the client "
                   "answers few echo requests (ICMP policy), not a fault",
                   dest.loss_pct)});
          continue;
        }
        if (!shared && !unconfirmed) {
          kept.push_back(std::move(a));
          continue;
        }
        for (int i : a.hops) {
          const Hop& hop = t.trace->hops[i];
          t.artifacts.push_back(
              {"", t.direction, hop.host,
               absl::StrCat(
                   "hop ", hop.ttl,
                   a.kind == FindingKind::kLoss ? " loses replies"
                                                : " answers slowly",
                   " that later hops do not",
                   shared ? ", as these routers do for other vantages whose "
                            "destinations stay clean"
                          : ", and the other direction does not confirm it",
                   ": how the routers handle ICMP, not forwarding")});
        }
      }
      t.anomalies = std::move(kept);
    };
    // Both directions judged on the anomalies as found, before dismissal.
    const TraceAnalysis forward = va.forward;
    dismiss(va.forward, va.ret ? &*va.ret : nullptr);
    if (va.ret) dismiss(*va.ret, &forward);
  }
}

std::vector<Finding> Localize(const std::vector<VantageAnalysis>& vantages,
                              FindingKind kind) {
  const int count = static_cast<int>(vantages.size());
  std::vector<Claim> claims;
  std::vector<bool> affected(count, false);
  for (int v = 0; v < count; ++v) {
    auto collect = [&](const TraceAnalysis& t) {
      for (const Anomaly& a : t.anomalies) {
        if (a.kind != kind) continue;
        claims.push_back({v, &t, &a, a.end});
        affected[v] = true;
      }
    };
    collect(vantages[v].forward);
    if (vantages[v].ret) collect(*vantages[v].ret);
  }
  if (claims.empty()) return {};

  // Vantages that reach the server without any anomaly of this kind: what
  // their paths cross is exonerated, the server side included.
  HostSet clean_hosts;
  int clean_count = 0;
  for (int v = 0; v < count; ++v) {
    if (affected[v] || !vantages[v].forward.reached) continue;
    ++clean_count;
    AddHosts(*vantages[v].forward.trace, clean_hosts);
    if (vantages[v].ret) AddHosts(*vantages[v].ret->trace, clean_hosts);
  }
  std::vector<std::string> clean_names;
  for (int v = 0; v < count; ++v) {
    if (!affected[v] && vantages[v].forward.reached) {
      clean_names.push_back(vantages[v].vantage->name);
    }
  }
  CrossedClientEnds(clean_hosts, claims);
  if (ServerExonerated(vantages, claims, kind)) {
    for (Claim& c : claims) {
      if (c.end == PathEnd::kServer) c.end = PathEnd::kMiddle;
    }
  } else if (count >= 2) {
    // Where rate limiting hides whether a vantage's loss starts in the
    // middle or at the server end, and no clean vantage clears the server
    // side, that side, which all vantages share, explains them all.
    for (Claim& c : claims) {
      if (!c.anomaly->server_segment.empty()) c.end = PathEnd::kServer;
    }
  }

  SharedClientEnds(vantages, clean_hosts, claims);

  std::vector<Finding> findings;
  // Client side: one finding per vantage. Server side: one for all.
  for (int v = 0; v < count; ++v) {
    std::vector<Claim> group;
    for (const Claim& c : claims) {
      if (c.vantage == v && c.end == PathEnd::kClient) group.push_back(c);
    }
    if (group.empty()) continue;
    findings.push_back(MakeFinding(kind, Location::kClient, group, vantages,
                                   UnionOfHops(group, Segment)));
  }
  std::vector<Claim> server;
  for (const Claim& c : claims) {
    if (c.end == PathEnd::kServer) server.push_back(c);
  }
  if (!server.empty()) {
    findings.push_back(MakeFinding(kind, Location::kServer, server, vantages,
                                   UnionOfHops(server, Segment)));
  }

  // Middle: group vantages whose segments overlap (one fault seen by
  // several vantages), each vantage's own claims always together.
  std::vector<Claim> middle;
  for (const Claim& c : claims) {
    if (c.end == PathEnd::kMiddle) middle.push_back(c);
  }
  // Where no vantage reaches the server cleanly, every vantage with a claim
  // on the shared path (the middle or the server end) counts for each
  // middle group (rules.h, kIspNeedsCleanVantage).
  absl::flat_hash_set<int> on_path;
  if (clean_count == 0) {
    for (const Claim& c : claims) {
      if (c.end != PathEnd::kClient) on_path.insert(c.vantage);
    }
  }
  const bool all_on_path = static_cast<int>(on_path.size()) == count;
  std::vector<int> group_of(middle.size());
  std::iota(group_of.begin(), group_of.end(), 0);
  std::function<int(int)> root = [&](int i) {
    return group_of[i] == i ? i : group_of[i] = root(group_of[i]);
  };
  for (size_t i = 0; i < middle.size(); ++i) {
    for (size_t j = i + 1; j < middle.size(); ++j) {
      if (middle[i].vantage == middle[j].vantage ||
          Intersects(Segment(middle[i]), Segment(middle[j]))) {
        group_of[root(j)] = root(i);
      }
    }
  }
  for (size_t i = 0; i < middle.size(); ++i) {
    if (root(i) != static_cast<int>(i)) continue;
    std::vector<Claim> group;
    absl::flat_hash_set<int> group_vantages;
    for (size_t j = 0; j < middle.size(); ++j) {
      if (root(j) == static_cast<int>(i)) {
        group.push_back(middle[j]);
        group_vantages.insert(middle[j].vantage);
      }
    }
    // Only some vantages affected: their ISP or route. All of them: the
    // path toward the server, in the direction the traces point to (where
    // they cannot tell, the likelier one, marked open).
    Location location = Location::kIsp;
    std::string doubt;
    if (static_cast<int>(group_vantages.size()) == count || all_on_path) {
      location = DirectionOf(group, vantages, &doubt) == Direction::kReturn
                     ? Location::kReturnPath
                     : Location::kForwardPath;
    }
    Finding f =
        MakeFinding(kind, location, group, vantages,
                    UnionOfHops(group, [&](const Claim& c) {
                      return Tomography(c, vantages[c.vantage], clean_hosts);
                    }));
    f.direction_open = !doubt.empty();
    absl::StrAppend(&f.evidence, doubt,
                    CrossedStretchNote(group, vantages, clean_hosts));
    if (!clean_names.empty()) {
      absl::StrAppend(&f.evidence, " ", absl::StrJoin(clean_names, ", "),
                      clean_names.size() == 1 ? " reaches" : " reach",
                      " the same server without it, so the server side is "
                      "not at fault.");
    }
    findings.push_back(std::move(f));
  }
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) {
                     return a.confidence > b.confidence;
                   });
  return findings;
}

}  // namespace grid::diagnosis
