#include "diagnosis/pooling.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "diagnosis/rules.h"
#include "diagnosis/statistics.h"

namespace grid::diagnosis {
namespace {

// Destination probes of a set of traces, summed.
struct Pool {
  int vantages = 0;
  int lost = 0;
  int sent = 0;

  void Add(const TraceAnalysis& t) {
    const Hop& dest = t.Destination();
    ++vantages;
    lost += dest.Lost();
    sent += dest.sent;
  }
  double Rate() const {
    return sent == 0 ? 0 : static_cast<double>(lost) / sent;
  }
};

// The hops of `t` strictly between its client end and its server end:
// [first, second).
std::pair<int, int> Middle(const TraceAnalysis& t) {
  const int n = static_cast<int>(t.trace->hops.size());
  if (t.direction == Direction::kForward) {
    return {rules::kClientPrivateHops, n - rules::kServerHops};
  }
  return {rules::kServerHops, n - rules::kClientPrivateHops};
}

// The trace of `v` that pools in `direction`: a return trace only when
// walked from the server end (not mirrored). nullptr if none.
TraceAnalysis* TraceOf(VantageAnalysis& v, Direction direction) {
  if (direction == Direction::kForward) return &v.forward;
  return v.ret && !v.ret->mirrored ? &*v.ret : nullptr;
}

// A persistent loss anomaly of trace `t` from hop `onset` on, located on
// the link into it, backed by `pool`.
Anomaly PooledLoss(const TraceAnalysis& t, int onset, const Pool& pool,
                   const std::string& evidence) {
  Anomaly a;
  a.kind = FindingKind::kLoss;
  a.direction = t.direction;
  a.persistent = true;
  a.end = PathEnd::kMiddle;
  for (int i = onset; i <= t.destination_index; ++i) {
    if (t.trace->hops[i].Responded()) a.hops.push_back(i);
  }
  for (int i = onset - 1; i >= 0 && a.before < 0; --i) {
    if (t.trace->hops[i].Responded()) a.before = i;
  }
  if (a.before >= 0) a.segment.push_back(a.before);
  a.segment.push_back(onset);
  const Hop& dest = t.Destination();
  a.lost = dest.Lost();
  a.sent = dest.sent;
  a.loss = pool.Rate();
  a.confidence = rules::kTransientWeight *
                 ConfidenceAbove(pool.lost, pool.sent, rules::kHarmlessLoss);
  a.evidence = evidence;
  return a;
}

// PoolSharedLoss() for the traces of one direction.
void PoolDirection(std::vector<VantageAnalysis>& vantages,
                   Direction direction) {
  // Vantages whose traces reached their destination without persistent
  // loss of their own, and, per middle router, those of them crossing it
  // (ascending), and those routers in the order first crossed: along the
  // first crossing vantage's path, which ties of candidates go by.
  std::vector<int> open;
  absl::flat_hash_map<std::string, std::vector<int>> crossing;
  std::vector<std::string> routers;
  for (int v = 0; v < static_cast<int>(vantages.size()); ++v) {
    TraceAnalysis* t = TraceOf(vantages[v], direction);
    if (t == nullptr || !t->reached || PersistentLoss(*t) != nullptr) continue;
    open.push_back(v);
    const auto [begin, end] = Middle(*t);
    for (int i = begin; i < end; ++i) {
      const Hop& hop = t->trace->hops[i];
      if (!hop.Responded() || IsPrivateAddress(hop.host)) continue;
      std::vector<int>& list = crossing[hop.host];
      if (list.empty()) routers.push_back(hop.host);
      if (list.empty() || list.back() != v) list.push_back(v);
    }
  }
  // Candidates: routers that at least kMinPooledVantages, but not all, of
  // them cross.
  std::vector<const decltype(crossing)::value_type*> tested;
  for (const std::string& router : routers) {
    const auto& entry = *crossing.find(router);
    const int size = static_cast<int>(entry.second.size());
    if (size >= rules::kMinPooledVantages &&
        size < static_cast<int>(open.size())) {
      tested.push_back(&entry);
    }
  }
  // The candidate that separates the two pools most clearly.
  const decltype(crossing)::value_type* best = nullptr;
  double best_z = 0;
  Pool best_in, best_out;
  for (const auto* entry : tested) {
    Pool in, out;
    for (int v : open) {
      const bool crosses =
          std::binary_search(entry->second.begin(), entry->second.end(), v);
      (crosses ? in : out).Add(*TraceOf(vantages[v], direction));
    }
    if (in.Rate() <= rules::kHarmlessLoss) continue;
    const double luck = std::max(rules::kBackgroundLoss, out.Rate());
    if (tested.size() * BinomialTailAtLeast(in.lost, in.sent, luck) >
        rules::kFalseAlarmRate) {
      continue;
    }
    const double z = TwoProportionZ(out.lost, out.sent, in.lost, in.sent);
    if (z >= rules::kExonerateZ && z > best_z) {
      best = entry;
      best_z = z;
      best_in = in;
      best_out = out;
    }
  }
  if (best == nullptr) return;
  const std::string evidence = absl::StrFormat(
      "the %d vantages crossing %s lost %d of %d probes %s together "
      "(%.1f%%), the %d others %d of %d: too few for one trace to show, "
      "together more than luck",
      best_in.vantages, best->first, best_in.lost, best_in.sent,
      direction == Direction::kForward ? "to the server" : "from the server",
      best_in.Rate() * 100, best_out.vantages, best_out.lost, best_out.sent);
  for (int v : best->second) {
    TraceAnalysis& t = *TraceOf(vantages[v], direction);
    const auto [begin, end] = Middle(t);
    for (int i = begin; i < end; ++i) {
      if (t.trace->hops[i].host == best->first) {
        t.anomalies.push_back(PooledLoss(t, i, best_in, evidence));
        break;
      }
    }
  }
}

}  // namespace

void PoolSharedLoss(std::vector<VantageAnalysis>& vantages) {
  PoolDirection(vantages, Direction::kForward);
  PoolDirection(vantages, Direction::kReturn);
}

}  // namespace grid::diagnosis
