#include "diagnosis/trace_analysis.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "diagnosis/rules.h"
#include "diagnosis/statistics.h"

namespace grid::diagnosis {
namespace {

double LossOf(const Hop& hop) {
  return hop.sent > 0 ? static_cast<double>(hop.Lost()) / hop.sent : 0;
}

// True when background loss could not have lost `lost` of `sent` probes in
// any of `traces` traces (rules.h, kMinLostProbes, kFalseAlarmRate).
bool BeyondLuck(int lost, int sent, int traces) {
  return lost >= rules::kMinLostProbes &&
         traces * BinomialTailAtLeast(lost, sent, rules::kBackgroundLoss) <=
             rules::kFalseAlarmRate;
}

}  // namespace

bool SignificantLoss(int lost, int sent, int traces) {
  return static_cast<double>(lost) / sent > rules::kHarmlessLoss &&
         BeyondLuck(lost, sent, traces);
}

int TraceCount(absl::Span<const VantageTraces> vantages) {
  int traces = 0;
  for (const VantageTraces& v : vantages) traces += v.ret ? 2 : 1;
  return traces;
}

bool ClearlyBelow(const Hop& hop, const Hop& dest) {
  if (LossOf(hop) >= rules::kPersistentShare * LossOf(dest)) return false;
  return TwoProportionZ(hop.Lost(), hop.sent, dest.Lost(), dest.sent) >=
         rules::kOnsetZ;
}

namespace {

// True when `hop` lost clearly more than `dest`: ICMP rate limiting on top,
// which hides whether the forwarding loss starts before or after it.
bool ClearlyAbove(const Hop& hop, const Hop& dest) {
  return TwoProportionZ(dest.Lost(), dest.sent, hop.Lost(), hop.sent) >=
         rules::kOnsetZ;
}

// Adds the probes of `hop` to `pool`, a Hop that only counts probes.
void AddProbes(const Hop& hop, Hop& pool) {
  pool.sent += hop.sent;
  pool.received += hop.received;
}

bool LatencyUsable(const Hop& hop) {
  return hop.received >= rules::kMinRepliesForLatency;
}

std::string Pct(double fraction) {
  return absl::StrFormat("%.0f%%", fraction * 100);
}

// The hops of one trace in the order the analysis walks them: from the
// prober outward, so RTTs grow along `order`. `order` ends at the
// destination (or the last hop that answered, when it did not).
class Walk {
 public:
  Walk(const Trace& trace, Direction direction, bool mirrored, bool home_router)
      : trace_(trace),
        client_first_((direction == Direction::kForward) != mirrored),
        home_router_(home_router) {
    const int count = static_cast<int>(trace.hops.size());
    for (int i = 0; i < count; ++i)
      order_.push_back(mirrored ? count - 1 - i : i);
    while (!order_.empty() && !hop(order_.size() - 1).Responded()) {
      order_.pop_back();
    }
  }

  int size() const { return static_cast<int>(order_.size()); }
  bool ClientFirst() const { return client_first_; }
  int index(int pos) const { return order_[pos]; }
  const Hop& hop(int pos) const { return trace_.hops[order_[pos]]; }

  // Which end of the path the link into position `pos` belongs to.
  PathEnd EndAt(int pos) const {
    const int n = size();
    const bool private_hop = IsPrivateAddress(hop(pos).host);
    if (client_first_) {
      // Behind a home router (BehindHomeRouter) the access line, seen at
      // hop 2, is the client's too.
      const bool home_router = home_router_ || private_hop;
      if (pos < rules::kClientHops ||
          (pos < rules::kClientPrivateHops && home_router)) {
        return PathEnd::kClient;
      }
      return pos >= n - rules::kServerHops ? PathEnd::kServer
                                           : PathEnd::kMiddle;
    }
    if (pos >= n - rules::kClientHops ||
        (pos >= n - rules::kClientPrivateHops &&
         (private_hop || home_router_))) {
      return PathEnd::kClient;
    }
    return pos < rules::kServerHops ? PathEnd::kServer : PathEnd::kMiddle;
  }

  // Label like "hop 4 (203.0.113.5)".
  std::string Label(int pos) const {
    return absl::StrCat("hop ", hop(pos).ttl, " (", hop(pos).host, ")");
  }

  std::string RangeLabel(int first, int last) const {
    if (first == last) return Label(first);
    if (hop(first).ttl > hop(last).ttl) std::swap(first, last);
    return absl::StrCat("hops ", hop(first).ttl, "-", hop(last).ttl, " (",
                        hop(first).host, " to ", hop(last).host, ")");
  }

 private:
  const Trace& trace_;
  bool client_first_;
  bool home_router_;
  std::vector<int> order_;
};

// Jitter test per position, against the path's own median StDev.
std::vector<bool> JitterFlags(const Walk& walk) {
  std::vector<double> stdevs;
  for (int pos = 0; pos < walk.size(); ++pos) {
    if (LatencyUsable(walk.hop(pos))) stdevs.push_back(walk.hop(pos).stdev_ms);
  }
  const double limit =
      std::max(rules::kJitterMinMs, rules::kJitterFactor * Median(stdevs));
  std::vector<bool> flags(walk.size());
  for (int pos = 0; pos < walk.size(); ++pos) {
    flags[pos] =
        LatencyUsable(walk.hop(pos)) && walk.hop(pos).stdev_ms >= limit;
  }
  return flags;
}

int PreviousResponding(const Walk& walk, int pos) {
  for (int p = pos - 1; p >= 0; --p) {
    if (walk.hop(p).Responded()) return p;
  }
  return -1;
}

// Runs of consecutive positions satisfying `pred` among [0, limit); silent
// hops neither extend nor break a run.
template <typename Pred>
std::vector<std::vector<int>> Runs(const Walk& walk, int limit, Pred pred) {
  std::vector<std::vector<int>> runs;
  std::vector<int> run;
  for (int pos = 0; pos < limit; ++pos) {
    if (!walk.hop(pos).Responded()) continue;
    if (pred(pos)) {
      run.push_back(pos);
    } else if (!run.empty()) {
      runs.push_back(std::move(run));
      run.clear();
    }
  }
  if (!run.empty()) runs.push_back(std::move(run));
  return runs;
}

class Analyser {
 public:
  Analyser(const Walk& walk, int traces, const Hop* other_destination,
           TraceAnalysis& out)
      : walk_(walk),
        traces_(traces),
        other_destination_(other_destination),
        out_(out),
        jitter_(JitterFlags(walk)) {}

  void FindLoss() {
    const int n = walk_.size();
    const Hop& own = walk_.hop(n - 1);
    out_.destination_loss = LossOf(own);
    const std::optional<Hop> both = BothRoundTrips(own);
    const Hop& dest = both ? *both : own;
    int onset = n;  // Position where persistent loss starts, n for none.
    if (out_.reached && SignificantLoss(dest.Lost(), dest.sent, traces_)) {
      // The latest position the loss can start at: the earliest hop that
      // shows the destination's loss, not hidden under rate limiting.
      int latest = n - 1;
      // The loss the stretch shows: the destination's, or less where a hop
      // in front of it loses clearly less but still significantly (the loss
      // starts there and grows, or sampling put it below).
      const Hop* shown = &dest;
      for (int pos = n - 1; pos >= 0; --pos) {
        const Hop& hop = walk_.hop(pos);
        if (!hop.Responded()) continue;
        if (ClearlyBelow(hop, *shown)) {
          if (!SignificantLoss(hop.Lost(), hop.sent, traces_)) {
            if (!SamplingDip(pos, *shown)) break;
            continue;
          }
          shown = &hop;
        }
        onset = pos;
        if (!ClearlyAbove(hop, *shown)) latest = pos;
      }
      // The walk may stop too late, at a hop sampling put low (rules.h,
      // kLikeliestOnset); `latest` stays where it stopped.
      onset = std::min(onset, LikeliestOnset());
      Anomaly a = Stretch(FindingKind::kLoss, onset, n - 1, true);
      if (walk_.EndAt(latest) == PathEnd::kServer &&
          a.end != PathEnd::kServer) {
        a.server_segment =
            Stretch(FindingKind::kLoss, latest, n - 1, true).segment;
      }
      a.onset_shown = onset == latest && !ClearlyBelow(walk_.hop(onset), dest);
      for (int pos = 0; pos < onset && a.onset_shown; ++pos) {
        const Hop& hop = walk_.hop(pos);
        a.onset_shown = !hop.Responded() || ClearlyBelow(hop, walk_.hop(onset));
      }
      if (!walk_.ClientFirst() && a.end == PathEnd::kServer &&
          walk_.EndAt(latest) == PathEnd::kMiddle) {
        a.middle_segment =
            Stretch(FindingKind::kLoss, latest, n - 1, true).segment;
      }
      // On a return walk the server end lies first: silent hops there in
      // front of the onset leave the loss free to start at the server end
      // (rules.h, kSilentServerEnd), on the link behind the last hop that
      // answered.
      const int answered = PreviousResponding(walk_, onset);
      if (!walk_.ClientFirst() && a.end != PathEnd::kServer &&
          answered + 1 < onset &&
          walk_.EndAt(answered + 1) == PathEnd::kServer) {
        if (answered >= 0) a.server_segment.push_back(walk_.index(answered));
        a.server_segment.push_back(walk_.index(onset));
      }
      // The client end lies first on a forward walk: the earliest position
      // the loss can start at is just behind the last hop that answered
      // clearly below it. On a return walk it lies last: `latest`.
      const int client_side = walk_.ClientFirst() ? answered + 1 : latest;
      if (walk_.EndAt(client_side) == PathEnd::kClient &&
          a.end != PathEnd::kClient) {
        // The client's hops on the link(s) the loss may start on.
        const int from = walk_.ClientFirst() ? 0 : client_side;
        const int to = walk_.ClientFirst() ? client_side : n - 1;
        for (int pos = from; pos <= to; ++pos) {
          if (walk_.hop(pos).Responded() &&
              walk_.EndAt(pos) == PathEnd::kClient) {
            a.client_segment.push_back(walk_.index(pos));
          }
        }
      }
      a.lost = dest.Lost();
      a.sent = dest.sent;
      a.loss = LossOf(dest);
      a.confidence = ConfidenceAbove(a.lost, a.sent, rules::kHarmlessLoss);
      if (both) a.confidence *= rules::kTransientWeight;
      a.evidence = absl::StrFormat(
          both ? "loss starts at %s (%s) and persists to the destination; "
                 "with the other direction's destination it lost %d of %d "
                 "probes (%s): too few for one trace to show, together more "
                 "than luck"
               : "loss starts at %s (%s) and persists to the destination, "
                 "which lost %d of %d probes (%s)",
          walk_.Label(onset), Pct(LossOf(walk_.hop(onset))), a.lost, a.sent,
          Pct(a.loss));
      out_.anomalies.push_back(std::move(a));
    } else if (out_.reached) {
      onset = HopPooledLoss();
    }
    const int limit = std::min(onset, n - 1);
    const auto runs = Runs(walk_, limit, [&](int pos) {
      return LossOf(walk_.hop(pos)) > rules::kHarmlessLoss;
    });
    for (const auto& run : runs) {
      TransientLoss(run, runs.size() == 1 && StandsOut(run));
    }
  }

  void FindLatency() {
    const int n = walk_.size();
    // floor[pos]: the lowest Avg at or beyond pos, what later hops prove the
    // path achieves.
    const std::vector<double> floor = LeastBeyond(&Hop::avg_ms);
    if (out_.reached && LatencyUsable(walk_.hop(n - 1))) PersistentStep(floor);
    const auto runs = Runs(walk_, n - 1, [&](int pos) {
      return LatencyUsable(walk_.hop(pos)) &&
             walk_.hop(pos).avg_ms - floor[pos + 1] >= rules::kInflationMs;
    });
    for (const auto& run : runs) {
      TransientLatency(run, floor, runs.size() == 1 && StandsOut(run));
    }
  }

 private:
  // Per position, the least `field` of the hops at or beyond it that gave
  // a usable RTT (infinity where none did), one more entry for the end.
  std::vector<double> LeastBeyond(double Hop::*field) const {
    const int n = walk_.size();
    std::vector<double> least(n + 1, std::numeric_limits<double>::infinity());
    for (int pos = n - 1; pos >= 0; --pos) {
      least[pos] = least[pos + 1];
      if (LatencyUsable(walk_.hop(pos))) {
        least[pos] = std::min(least[pos], walk_.hop(pos).*field);
      }
    }
    return least;
  }

  Anomaly Stretch(FindingKind kind, int first, int last, bool persistent) {
    Anomaly a;
    a.kind = kind;
    a.direction = out_.direction;
    a.persistent = persistent;
    a.end = walk_.EndAt(first);
    for (int pos = first; pos <= last; ++pos) {
      if (walk_.hop(pos).Responded()) a.hops.push_back(walk_.index(pos));
      a.worst_stdev_ms = std::max(a.worst_stdev_ms, walk_.hop(pos).stdev_ms);
    }
    const int before = PreviousResponding(walk_, first);
    a.before = before < 0 ? -1 : walk_.index(before);
    if (!persistent) {
      a.segment = a.hops;
    } else if (a.end == PathEnd::kMiddle) {
      if (a.before >= 0) a.segment.push_back(a.before);
      a.segment.push_back(a.hops.front());
    } else {
      for (int pos = first; pos <= last; ++pos) {
        if (walk_.hop(pos).Responded() && walk_.EndAt(pos) == a.end) {
          a.segment.push_back(walk_.index(pos));
        }
      }
    }
    return a;
  }

  // The probes of `dest` and the other trace's destination pooled, where
  // `dest` alone shows no significant loss but both together do and
  // neither shows clearly less (rules.h, kRoundTripPooledLoss).
  std::optional<Hop> BothRoundTrips(const Hop& dest) const {
    if (other_destination_ == nullptr ||
        SignificantLoss(dest.Lost(), dest.sent, traces_)) {
      return std::nullopt;
    }
    Hop both;
    AddProbes(dest, both);
    AddProbes(*other_destination_, both);
    if (!SignificantLoss(both.Lost(), both.sent, traces_) ||
        ClearlyBelow(dest, both) || ClearlyBelow(*other_destination_, both)) {
      return std::nullopt;
    }
    return both;
  }

  // Persistent loss too weak for the destination alone to show, shown by
  // the hops behind its onset together (rules.h, kHopPooledLoss). Returns
  // the onset's position, or the walk's size for none.
  int HopPooledLoss() {
    const int n = walk_.size();
    if (walk_.hop(n - 1).Lost() < rules::kMinLostProbes) return n;
    const std::vector<int> kept = HopsNotLimitingReplies();
    const int m = static_cast<int>(kept.size());
    const std::vector<Hop> from = PooledFrom(kept);
    // The likeliest split; the first kept hop where none qualifies.
    const int onset = std::max(0, LikeliestSplit(kept, from));
    // Significant among all the splits of all the traces; every hop from
    // the onset on shows it; and not one hop's doing.
    const Hop& pool = from[onset];
    const int tests = traces_ * m;
    if (!SignificantLoss(pool.Lost(), pool.sent, tests) ||
        !AllShow(kept, from, onset)) {
      return n;
    }
    const Hop* worst = &walk_.hop(kept[onset]);
    for (int j = onset; j < m; ++j) {
      const Hop& hop = walk_.hop(kept[j]);
      if (hop.Lost() > worst->Lost()) worst = &hop;
    }
    if (!BeyondLuck(pool.Lost() - worst->Lost(), pool.sent - worst->sent,
                    tests)) {
      return n;
    }
    const int first = kept[onset];
    Anomaly a = Stretch(FindingKind::kLoss, first, n - 1, true);
    const Hop& dest = walk_.hop(n - 1);
    a.lost = dest.Lost();
    a.sent = dest.sent;
    a.loss = LossOf(pool);
    a.confidence =
        rules::kTransientWeight *
        ConfidenceAbove(pool.Lost(), pool.sent, rules::kHarmlessLoss);
    a.evidence = absl::StrFormat(
        "loss starts at %s and persists to the destination: the %d hops "
        "from there on lost %d of %d probes together (%s), the destination "
        "%d of %d; too few for one hop to show, together more than luck",
        walk_.Label(first), m - onset, pool.Lost(), pool.sent, Pct(a.loss),
        a.lost, a.sent);
    out_.anomalies.push_back(std::move(a));
    return first;
  }

  // The onset of the likeliest split of the hops not limiting replies
  // where every hop behind it shows the loss (rules.h, kLikeliestOnset), or
  // the walk's size.
  int LikeliestOnset() const {
    const std::vector<int> kept = HopsNotLimitingReplies();
    const std::vector<Hop> from = PooledFrom(kept);
    const int j = LikeliestSplit(kept, from);
    return j >= 0 && AllShow(kept, from, j) ? kept[j] : walk_.size();
  }

  // from[j]: the probes of hops kept[j..] pooled (from[kept.size()] empty).
  std::vector<Hop> PooledFrom(const std::vector<int>& kept) const {
    std::vector<Hop> from(kept.size() + 1);
    for (int j = static_cast<int>(kept.size()) - 1; j >= 0; --j) {
      from[j] = from[j + 1];
      AddProbes(walk_.hop(kept[j]), from[j]);
    }
    return from;
  }

  // The split of the hops at positions `kept` that explains their losses
  // best (binomial likelihood) with the hops in front losing clearly less
  // than those behind: the index into `kept` of the first hop behind it, or
  // -1 where no split has the hops in front losing clearly less.
  int LikeliestSplit(const std::vector<int>& kept,
                     const std::vector<Hop>& from) const {
    auto log_likelihood = [](const Hop& h) {
      return BinomialLogLikelihood(h.Lost(), h.sent);
    };
    int split = -1;
    double best_gain = 0;
    Hop front;
    for (int j = 1; j < static_cast<int>(kept.size()); ++j) {
      AddProbes(walk_.hop(kept[j - 1]), front);
      if (!ClearlyBelow(front, from[j])) continue;
      const double gain = log_likelihood(front) + log_likelihood(from[j]) -
                          log_likelihood(from[0]);
      if (gain > best_gain) {
        best_gain = gain;
        split = j;
      }
    }
    return split;
  }

  // True when no hop kept[j..] loses ClearlyBelow their pool, from[j].
  bool AllShow(const std::vector<int>& kept, const std::vector<Hop>& from,
               int j) const {
    return std::none_of(kept.begin() + j, kept.end(), [&](int pos) {
      return ClearlyBelow(walk_.hop(pos), from[j]);
    });
  }

  // The positions of the answering hops, ascending, but for those that
  // lose far more than the hops behind them (z of rules::kDipZ): rate
  // limiting on top.
  std::vector<int> HopsNotLimitingReplies() const {
    const int n = walk_.size();
    std::vector<int> kept = {n - 1};
    Hop behind;
    AddProbes(walk_.hop(n - 1), behind);
    for (int pos = n - 2; pos >= 0; --pos) {
      const Hop& hop = walk_.hop(pos);
      if (!hop.Responded() ||
          TwoProportionZ(behind.Lost(), behind.sent, hop.Lost(), hop.sent) >=
              rules::kDipZ) {
        continue;
      }
      AddProbes(hop, behind);
      kept.push_back(pos);
    }
    std::reverse(kept.begin(), kept.end());
    return kept;
  }

  // True when the hop at `pos`, which lost clearly less than `shown`, is a
  // sampling dip inside the lossy stretch rather than its start (rules.h,
  // kDipZ): not far below, and the hops in front of it that are not
  // rate-limited beyond `shown`, pooled, do not lose clearly less (false
  // where there are none).
  bool SamplingDip(int pos, const Hop& shown) const {
    const Hop& hop = walk_.hop(pos);
    if (TwoProportionZ(hop.Lost(), hop.sent, shown.Lost(), shown.sent) >=
        rules::kDipZ) {
      return false;
    }
    Hop front;
    for (int p = 0; p < pos; ++p) {
      const Hop& in_front = walk_.hop(p);
      if (!in_front.Responded() || ClearlyAbove(in_front, shown)) continue;
      AddProbes(in_front, front);
    }
    return front.sent > 0 && !ClearlyBelow(front, shown);
  }

  // True when the rest of the path answers well enough for `run` to stand
  // out: it covers at most half of the answering hops, and at least
  // rules::kMinCleanHops other hops besides the destination answered.
  bool StandsOut(const std::vector<int>& run) const {
    int answering = 0;
    for (int pos = 0; pos + 1 < walk_.size(); ++pos) {
      if (walk_.hop(pos).Responded()) ++answering;
    }
    const int others = answering - static_cast<int>(run.size());
    return others >= rules::kMinCleanHops &&
           static_cast<int>(run.size()) * 2 <= answering + 1;
  }

  bool AnyJitter(const std::vector<int>& run) const {
    return std::any_of(run.begin(), run.end(),
                       [&](int pos) { return jitter_[pos]; });
  }

  // `alone`: the only lossy stretch of the path (see rules.h).
  void TransientLoss(const std::vector<int>& run, bool alone) {
    int lost = 0;
    int sent = 0;
    for (int pos : run) {
      lost += walk_.hop(pos).Lost();
      sent += walk_.hop(pos).sent;
    }
    const bool each = std::all_of(run.begin(), run.end(), [&](int pos) {
      return LossOf(walk_.hop(pos)) >= rules::kMinTransientHopLoss;
    });
    if (alone && each &&
        static_cast<int>(run.size()) >= rules::kMinTransientRun &&
        AnyJitter(run) && SignificantLoss(lost, sent, traces_) &&
        lost <= rules::kMaxTransientLoss * sent) {
      Anomaly a = Stretch(FindingKind::kLoss, run.front(), run.back(), false);
      a.lost = lost;
      a.sent = sent;
      a.loss = static_cast<double>(lost) / sent;
      a.confidence = rules::kTransientWeight *
                     ConfidenceAbove(lost, sent, rules::kHarmlessLoss);
      a.evidence = absl::StrFormat(
          "%s lose %d of %d probes (%s) with jitter (StDev up to %.1f ms), "
          "although later hops do not",
          walk_.RangeLabel(run.front(), run.back()), lost, sent, Pct(a.loss),
          a.worst_stdev_ms);
      out_.anomalies.push_back(std::move(a));
      return;
    }
    for (int pos : run) {
      const Hop& hop = walk_.hop(pos);
      out_.artifacts.push_back(
          {"", out_.direction, hop.host,
           absl::StrFormat(
               "%s loss at hop %d only: later hops%s answer without it, so "
               "this router rate-limits or deprioritises ICMP replies; "
               "forwarded traffic is not affected",
               Pct(LossOf(hop)), hop.ttl,
               out_.reached ? ", including the destination," : "")});
    }
  }

  void PersistentStep(const std::vector<double>& floor) {
    const int n = walk_.size();
    double previous = 0;  // The prober itself.
    int previous_pos = -1;
    int onset = -1;
    std::vector<double> quiet;  // StDevs of the usable hops before `pos`.
    // The least StDev at or beyond each position: the spread later hops
    // prove the path itself to have (rules.h, kSlowHomeRouterSpread).
    const std::vector<double> spread = LeastBeyond(&Hop::stdev_ms);
    // The rise of the floor at `pos` over `from` at `from_pos`; hops in
    // between that gave no usable RTT each add ordinary growth.
    auto step_at = [&](int pos, double from, int from_pos) {
      return floor[pos] - from - rules::kPerHopGrowthMs * (pos - from_pos - 1);
    };
    // A step into `pos` from `from_pos` that is a fault: on its own, or with
    // queueing beyond the quiet hops in front.
    auto qualifies = [&](int pos, double step, int from_pos) {
      return step >= rules::kLatencyStepMs ||
             (step >= rules::kJitteryLatencyStepMs &&
              Queueing(pos, from_pos, Median(quiet)));
    };
    for (int pos = 0; pos < n; ++pos) {
      const Hop& hop = walk_.hop(pos);
      if (!LatencyUsable(hop)) continue;
      if (qualifies(pos, step_at(pos, previous, previous_pos), previous_pos)) {
        onset = pos;
        break;
      }
      previous = floor[pos];
      previous_pos = pos;
      const bool client_end =
          walk_.ClientFirst() && walk_.EndAt(pos) == PathEnd::kClient;
      quiet.push_back(client_end ? spread[pos] : hop.stdev_ms);
    }
    if (onset < 0) return;
    // A step that qualifies only with queueing starts the rise unless a
    // later step that qualifies too is much larger (rules.h, kDominantStep).
    if (floor[onset] - previous < rules::kLatencyStepMs) {
      double prev = floor[onset];
      int prev_pos = onset;
      for (int pos = onset + 1; pos < n; ++pos) {
        if (!LatencyUsable(walk_.hop(pos))) continue;
        const double step = step_at(pos, prev, prev_pos);
        if (step >= rules::kDominantStep * (floor[onset] - previous) &&
            qualifies(pos, step, prev_pos)) {
          previous = prev;
          previous_pos = prev_pos;
          onset = pos;
          break;
        }
        prev = floor[pos];
        prev_pos = pos;
      }
    }
    const Hop& dest = walk_.hop(n - 1);
    Anomaly a = Stretch(FindingKind::kLatency, onset, n - 1, true);
    a.added_ms = floor[n - 1] - previous;
    const Hop* base = previous_pos < 0 ? nullptr : &walk_.hop(previous_pos);
    a.confidence = ConfidenceDifferenceAbove(
        a.added_ms, rules::kJitteryLatencyStepMs / 2, dest.stdev_ms,
        dest.received, base ? base->stdev_ms : 0, base ? base->received : 1);
    const int shared = ReplyRoute(previous_pos, a);
    a.evidence = absl::StrFormat(
        "Avg rises by %.0f ms at %s (from %.1f to %.1f ms) and stays up to the "
        "destination (Avg %.1f ms, StDev %.1f ms)",
        floor[onset] - previous, walk_.Label(onset), previous,
        walk_.hop(onset).avg_ms, dest.avg_ms, dest.stdev_ms);
    if (shared >= 0) {
      absl::StrAppend(
          &a.evidence,
          absl::StrFormat(
              "; %s answers as late (Best %.1f ms) while %s does not (Best "
              "%.1f ms): replies on their way back are delayed",
              walk_.Label(shared), walk_.hop(shared).best_ms,
              walk_.Label(previous_pos), walk_.hop(previous_pos).best_ms));
    }
    out_.anomalies.push_back(std::move(a));
  }

  // Marks `a`, a persistent rise whose last usable hop in front is at
  // `previous_pos`, as reflecting (rules.h, kReplyRoute) where a hop in the
  // middle in front of that hop has its Best raised by about as much as the
  // destination's (which rises by kJitteryLatencyStepMs at least): that
  // hop's probes and replies never cross the link into the rise, so the
  // delay lies on the route back that its replies and the destination's
  // share. Its segment becomes the link into that hop. Returns that hop's
  // position, or -1 where there is none.
  int ReplyRoute(int previous_pos, Anomaly& a) const {
    if (previous_pos < 0) return -1;
    const double base = walk_.hop(previous_pos).best_ms;
    const double rise = walk_.hop(walk_.size() - 1).best_ms - base;
    if (rise < rules::kJitteryLatencyStepMs) return -1;
    const double least =
        std::max(rules::kJitteryLatencyStepMs, rules::kReplyRouteShare * rise);
    for (int pos = 0; pos < previous_pos; ++pos) {
      const Hop& hop = walk_.hop(pos);
      if (!LatencyUsable(hop) || walk_.EndAt(pos) != PathEnd::kMiddle ||
          hop.best_ms - base < least) {
        continue;
      }
      a.reflects = true;
      a.end = PathEnd::kMiddle;
      a.segment.clear();
      const int prev = PreviousResponding(walk_, pos);
      if (prev >= 0) a.segment.push_back(walk_.index(prev));
      a.segment.push_back(walk_.index(pos));
      return pos;
    }
    return -1;
  }

  // Queueing at `pos` (see rules.h): jitter that the link into it adds —
  // StDev beyond the previous usable hop's, `prev` (-1: the prober) — at
  // least kQueueingMinMs and kJitterFactor times the quiet hops' `quiet`,
  // at `pos` and at the destination, and not much less at any usable hop in
  // between. Where `pos` or a hop after it answered over several routes
  // (ECMP), probes mixed paths of different lengths from there on, so the
  // spread needs kEcmpQueueingMinMs at least.
  bool Queueing(int pos, int prev, double quiet) const {
    const double base = prev < 0 ? 0 : walk_.hop(prev).stdev_ms;
    auto added = [&](int p) {
      const double sd = walk_.hop(p).stdev_ms;
      return std::sqrt(std::max(0.0, sd * sd - base * base));
    };
    double limit =
        std::max(rules::kQueueingMinMs, rules::kJitterFactor * quiet);
    const int n = walk_.size();
    for (int p = pos; p < n; ++p) {
      if (!walk_.hop(p).other_hosts.empty()) {
        limit = std::max(limit, rules::kEcmpQueueingMinMs);
        break;
      }
    }
    if (added(pos) < limit || added(n - 1) < limit) return false;
    for (int p = pos + 1; p < n - 1; ++p) {
      if (LatencyUsable(walk_.hop(p)) &&
          added(p) < rules::kPersistentShare * limit) {
        return false;
      }
    }
    return true;
  }

  // `alone`: the only slow stretch of the path (see rules.h).
  void TransientLatency(const std::vector<int>& run,
                        const std::vector<double>& floor, bool alone) {
    double inflation = 0;
    for (int pos : run) {
      inflation = std::max(inflation, walk_.hop(pos).avg_ms - floor[pos + 1]);
    }
    if (static_cast<int>(run.size()) >= rules::kMinTransientRun &&
        AnyJitter(run)) {
      Anomaly a =
          Stretch(FindingKind::kLatency, run.front(), run.back(), false);
      a.added_ms = inflation;
      const Hop& worst = walk_.hop(run.front());
      a.confidence =
          rules::kTransientWeight *
          ConfidenceDifferenceAbove(inflation, rules::kInflationMs / 2,
                                    worst.stdev_ms, worst.received, 0, 1);
      a.evidence = absl::StrFormat(
          "%s answer up to %.0f ms slower than later hops, with jitter (StDev "
          "up to %.1f ms)",
          walk_.RangeLabel(run.front(), run.back()), inflation,
          a.worst_stdev_ms);
      out_.anomalies.push_back(std::move(a));
      return;
    }
    for (int pos : run) {
      const Hop& hop = walk_.hop(pos);
      if (InLossStretch(walk_.index(pos)) || ShowsReplyRoute(walk_.index(pos)))
        continue;
      out_.artifacts.push_back(
          {"", out_.direction, hop.host,
           absl::StrFormat(
               "Avg %.1f ms at hop %d, but later hops answer in %.1f ms: this "
               "router is slow to generate ICMP replies; forwarded traffic "
               "is not delayed",
               hop.avg_ms, hop.ttl, floor[pos + 1])});
    }
  }

  // True when hop `index` is the hop whose replies show a persistent rise
  // to lie on the route back (ReplyRoute): late as a fault, not slow.
  bool ShowsReplyRoute(int index) const {
    return std::any_of(out_.anomalies.begin(), out_.anomalies.end(),
                       [&](const Anomaly& a) {
                         return a.kind == FindingKind::kLatency && a.reflects &&
                                a.segment.back() == index;
                       });
  }

  bool InLossStretch(int index) const {
    for (const Anomaly& a : out_.anomalies) {
      if (a.kind == FindingKind::kLoss &&
          std::find(a.hops.begin(), a.hops.end(), index) != a.hops.end()) {
        return true;
      }
    }
    return false;
  }

  const Walk& walk_;
  const int traces_;
  const Hop* other_destination_;  // See AnalyseTrace; nullptr for none.
  TraceAnalysis& out_;
  std::vector<bool> jitter_;
};

}  // namespace

bool IsMirroredReturn(const Trace& forward, const Trace& ret) {
  if (ret.hops.empty()) return false;
  if (!forward.hops.empty() &&
      ret.hops.front().host == forward.hops.back().host) {
    return true;
  }
  std::vector<double> rtts;
  for (const Hop& hop : ret.hops) {
    if (LatencyUsable(hop)) rtts.push_back(hop.best_ms);
  }
  return rtts.size() >= 3 && KendallTauAgainstIndex(rtts) < rules::kMirroredTau;
}

bool BehindHomeRouter(const Trace& forward, const Trace* ret) {
  if (forward.hops.empty()) return false;
  const Hop& first = forward.hops[0];
  if (!first.Responded() || IsPrivateAddress(first.host)) return true;
  // A public first hop is the client's router where the hop behind it,
  // short of the destination, lies an access line away (rules.h, kLanMs).
  if (forward.hops.size() < 3) return false;
  // The hop behind it: hop 2, or where rate limiting or silence left it too
  // few replies, the first after it with enough, short of the destination.
  size_t behind = 1;
  while (behind + 2 < forward.hops.size() &&
         !LatencyUsable(forward.hops[behind])) {
    ++behind;
  }
  const Hop& line_end = forward.hops[behind];
  const double line_ms = line_end.best_ms - first.best_ms;
  if (!LatencyUsable(first) || !LatencyUsable(line_end) ||
      first.best_ms > rules::kLanMs || line_ms < rules::kAccessLineMs) {
    return false;
  }
  // Answering the server's probe from the same address, it is a home
  // router whatever the line does (rules.h, kLanMs).
  if (ret != nullptr &&
      std::any_of(ret->hops.begin(), ret->hops.end(),
                  [&](const Hop& hop) { return hop.host == first.host; })) {
    return true;
  }
  // Otherwise the line must be steady. Its spread: the least StDev at or
  // behind that hop, as a router slow to answer spreads its own replies only
  // (kSlowHomeRouterSpread).
  double spread = line_end.stdev_ms;
  for (size_t i = behind + 1; i < forward.hops.size(); ++i) {
    if (LatencyUsable(forward.hops[i])) {
      spread = std::min(spread, forward.hops[i].stdev_ms);
    }
  }
  return line_ms < rules::kLatencyStepMs && spread < rules::kQueueingMinMs;
}

TraceAnalysis AnalyseTrace(const Trace& trace, Direction direction,
                           bool mirrored, bool home_router, int traces,
                           const Hop* other_destination) {
  TraceAnalysis out;
  out.trace = &trace;
  out.direction = direction;
  out.mirrored = mirrored;
  out.home_router = home_router || (direction == Direction::kForward &&
                                    BehindHomeRouter(trace));
  Walk walk(trace, direction, mirrored, out.home_router);
  if (walk.size() == 0) return out;  // Nothing answered at all.
  out.destination_index = walk.index(walk.size() - 1);
  out.reached = out.destination_index ==
                (out.mirrored ? 0 : static_cast<int>(trace.hops.size()) - 1);
  Analyser analyser(walk, traces, out.reached ? other_destination : nullptr,
                    out);
  analyser.FindLoss();
  analyser.FindLatency();
  return out;
}

Anomaly* PersistentLoss(TraceAnalysis& t) {
  for (Anomaly& a : t.anomalies) {
    if (a.persistent && a.kind == FindingKind::kLoss) return &a;
  }
  return nullptr;
}

bool IsPrivateAddress(const std::string& host) {
  in_addr v4;
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    const uint32_t a = ntohl(v4.s_addr);
    auto in = [a](uint32_t net, int bits) {
      return (a >> (32 - bits)) == (net >> (32 - bits));
    };
    return in(0x0A000000, 8) || in(0xAC100000, 12) || in(0xC0A80000, 16) ||
           in(0x64400000, 10) || in(0xA9FE0000, 16);
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    return (v6.s6_addr[0] & 0xfe) == 0xfc ||
           (v6.s6_addr[0] == 0xfe && (v6.s6_addr[1] & 0xc0) == 0x80);
  }
  return false;
}

bool LinkMates(const std::string& a, const std::string& b) {
  in_addr a4, b4;
  if (inet_pton(AF_INET, a.c_str(), &a4) == 1 &&
      inet_pton(AF_INET, b.c_str(), &b4) == 1) {
    const uint32_t x = ntohl(a4.s_addr), y = ntohl(b4.s_addr);
    return x != y && (x >> 2) == (y >> 2) && (x & 3) != 0 && (x & 3) != 3 &&
           (y & 3) != 0 && (y & 3) != 3;
  }
  in6_addr a6, b6;
  if (inet_pton(AF_INET6, a.c_str(), &a6) == 1 &&
      inet_pton(AF_INET6, b.c_str(), &b6) == 1) {
    return std::equal(a6.s6_addr, a6.s6_addr + 15, b6.s6_addr) &&
           (a6.s6_addr[15] ^ b6.s6_addr[15]) == 1;
  }
  return false;
}

}  // namespace grid::diagnosis
