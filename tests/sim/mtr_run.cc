#include "tests/sim/mtr_run.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "tests/sim/hop_stats.h"
#include "tests/sim/random_util.h"
#include "tests/sim/rate_limiter.h"

namespace grid::sim {
namespace {

constexpr int kMultipathFlows = 8;  // Distinct flows tried in per-probe mode.
constexpr double kHostReplyMs = 0.05;  // Echo reply generation on a host.

using Leg = std::vector<const LinkDirection*>;

// Who answers a probe of one TTL on one flow, and how the answer travels.
struct Responder {
  NodeId node = 0;
  bool is_target = false;
  Leg forward;                 // Links the probe crosses to get here.
  const Leg* reply = nullptr;  // Links the reply crosses back to the prober.
  std::string address;         // Source address of the reply.
};

struct TracePlan {
  NodeId prober = 0;
  NodeId target = 0;
  int hops = 0;                               // TTLs probed per cycle: 1..hops.
  std::vector<std::vector<Responder>> flows;  // [flow][ttl - 1].
  double start_s = 0;
  size_t first_probe = 0;  // Offset of this trace's probes.
};

enum class ProbeState : uint8_t { kLost, kArrived, kAnswered };

struct Probe {
  double arrival_s = 0;  // At the responder.
  double forward_ms = 0;
  uint8_t flow = 0;
  ProbeState state = ProbeState::kLost;
};

// Crosses `leg`; returns false if a link dropped the packet, else adds the
// delay to *ms.
inline bool Cross(const Leg& leg, Rng& rng, double* ms) {
  for (const LinkDirection* d : leg) {
    const double drop = d->loss + d->background_loss;
    if (drop > 0 && Uniform01(rng) < drop) return false;
    *ms += d->delay_ms + ExponentialMean(rng, d->jitter_ms);
    // Congestion: the extra delay varies from 0.4x to 1.6x its mean.
    if (d->extra_ms > 0) *ms += d->extra_ms * (0.4 + 1.2 * Uniform01(rng));
  }
  return true;
}

class Planner {
 public:
  Planner(const Network& network, const Routing& routing)
      : network_(network), routing_(routing) {}

  absl::StatusOr<TracePlan> Plan(const TraceRequest& request,
                                 bool per_probe_flows) {
    TracePlan plan;
    plan.prober = request.prober;
    plan.target = request.target;
    if (request.prober == request.target) {
      return absl::InvalidArgumentError(absl::StrCat(
          "trace from ", network_.node(request.prober).name, " to itself"));
    }
    GRID_ASSIGN_OR_RETURN(auto paths,
                          ProbePaths(routing_, request, per_probe_flows));
    for (const std::vector<DirectedLink>& path : paths) {
      std::vector<Responder> responders;
      Leg forward;
      for (size_t h = 0; h < path.size(); ++h) {
        const DirectedLink& step = path[h];
        forward.push_back(&network_.Direction(step.link, step.from));
        Responder r;
        r.node = step.to;
        r.is_target = step.to == request.target;
        r.forward = forward;
        GRID_ASSIGN_OR_RETURN(auto reply, ReplyRoute(step.to, request.prober));
        r.reply = &reply->leg;
        if (r.is_target) {
          r.address = network_.HostAddress(step.to);
        } else {
          switch (network_.node(step.to).icmp.reply_address) {
            case ReplyAddress::kIncoming:
              r.address = network_.InterfaceAddress(step.link, step.to);
              break;
            case ReplyAddress::kOutgoing:
              r.address = network_.InterfaceAddress(reply->first_link, step.to);
              break;
            case ReplyAddress::kLoopback:
              r.address = network_.node(step.to).loopback;
              break;
          }
        }
        responders.push_back(std::move(r));
      }
      plan.flows.push_back(std::move(responders));
    }
    plan.hops = static_cast<int>(paths.front().size());
    return plan;
  }

 private:
  struct ReplyPath {
    Leg leg;
    LinkId first_link = 0;
  };

  absl::StatusOr<const ReplyPath*> ReplyRoute(NodeId from, NodeId prober) {
    auto key = std::make_pair(from, prober);
    auto it = replies_.find(key);
    if (it != replies_.end()) return &it->second;
    GRID_ASSIGN_OR_RETURN(std::vector<DirectedLink> path,
                          routing_.Path(from, prober, ReplyFlow(from, prober)));
    ReplyPath reply;
    for (const DirectedLink& step : path) {
      reply.leg.push_back(&network_.Direction(step.link, step.from));
    }
    reply.first_link = path.front().link;
    return &replies_.emplace(key, std::move(reply)).first->second;
  }

  const Network& network_;
  const Routing& routing_;
  // std::map: stable addresses for the Leg pointers handed out.
  std::map<std::pair<NodeId, NodeId>, ReplyPath> replies_;
};

}  // namespace

absl::StatusOr<std::vector<std::vector<DirectedLink>>> ProbePaths(
    const Routing& routing, const TraceRequest& request, bool per_probe_flows) {
  const uint64_t base = MixHash(static_cast<uint64_t>(request.prober),
                                static_cast<uint64_t>(request.target));
  const int want = per_probe_flows ? kMultipathFlows : 1;
  std::vector<std::vector<DirectedLink>> paths;
  for (int k = 0; k < want; ++k) {
    uint64_t flow = k == 0 ? base : MixHash(base, k);
    GRID_ASSIGN_OR_RETURN(std::vector<DirectedLink> path,
                          routing.Path(request.prober, request.target, flow));
    if (path.empty()) {
      return absl::InvalidArgumentError("trace from a host to itself");
    }
    // Keep flows as long as the first so every TTL row means one depth.
    if (!paths.empty() && path.size() != paths.front().size()) continue;
    paths.push_back(std::move(path));
  }
  return paths;
}

namespace {

absl::Status CheckOptions(const MtrRunOptions& options) {
  if (!(options.interval_s > 0) || options.interval_s > 3600) {
    return absl::InvalidArgumentError(absl::StrCat(
        "interval must be in (0, 3600] s, got ", options.interval_s));
  }
  if (options.checkpoints.empty()) {
    return absl::InvalidArgumentError("no checkpoints (cycle counts) given");
  }
  int previous = 0;
  for (int c : options.checkpoints) {
    if (c <= previous || c > 100000) {
      return absl::InvalidArgumentError(
          absl::StrCat("checkpoints must ascend within 1..100000, got ", c,
                       " after ", previous));
    }
    previous = c;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<std::vector<diagnosis::Trace>>> SimulateMtr(
    const Network& network, const Routing& routing,
    absl::Span<const TraceRequest> requests, const MtrRunOptions& options) {
  GRID_RETURN_IF_ERROR(CheckOptions(options));
  const int cycles = options.checkpoints.back();
  Rng setup_rng(MixHash(options.seed, 0x5e7u));

  // Plan every run: paths, responders, reply routes, start offsets.
  Planner planner(network, routing);
  std::vector<TracePlan> plans;
  size_t total = 0;
  for (const TraceRequest& request : requests) {
    GRID_ASSIGN_OR_RETURN(TracePlan plan,
                          planner.Plan(request, options.per_probe_flows));
    plan.start_s = Uniform01(setup_rng) * options.interval_s;
    plan.first_probe = total;
    total += static_cast<size_t>(cycles) * plan.hops;
    plans.push_back(std::move(plan));
  }
  std::vector<Probe> probes(total);

  // Phase 1: probes travel out; record who they reach and when.
  for (size_t t = 0; t < plans.size(); ++t) {
    const TracePlan& plan = plans[t];
    Rng rng(MixHash(options.seed, 2 * t + 1));
    const double gap = std::min(0.025, options.interval_s / (plan.hops + 1));
    for (int c = 0; c < cycles; ++c) {
      for (int h = 0; h < plan.hops; ++h) {
        Probe& p =
            probes[plan.first_probe + static_cast<size_t>(c) * plan.hops + h];
        p.flow = static_cast<uint8_t>((static_cast<size_t>(c) * plan.hops + h) %
                                      plan.flows.size());
        const Responder& r = plan.flows[p.flow][h];
        double ms = 0;
        if (!Cross(r.forward, rng, &ms)) continue;
        p.forward_ms = ms;
        p.arrival_s =
            plan.start_s + c * options.interval_s + h * gap + ms / 1000;
        p.state = ProbeState::kArrived;
      }
    }
  }

  // Phase 2: responders decide. Limiters need the probes of all runs in
  // order of arrival; routers without one decide each probe alone.
  struct Arrival {
    double at;
    size_t probe;
    uint32_t trace;
  };
  auto control_drop = [&](uint32_t trace, size_t index, double p) {
    // Drawn from the probe's identity, not a shared stream, so a shorter
    // run makes the same choices for the probes it has.
    uint64_t h = MixHash(MixHash(options.seed, 0xc0117u + trace), index);
    return static_cast<double>(h >> 11) * 0x1.0p-53 < p;
  };
  std::vector<Arrival> arrivals;
  for (size_t t = 0; t < plans.size(); ++t) {
    const TracePlan& plan = plans[t];
    for (size_t i = 0; i < static_cast<size_t>(cycles) * plan.hops; ++i) {
      Probe& p = probes[plan.first_probe + i];
      if (p.state != ProbeState::kArrived) continue;
      const Responder& r = plan.flows[p.flow][i % plan.hops];
      const IcmpBehaviour& icmp = network.node(r.node).icmp;
      if (r.is_target) {
        p.state = ProbeState::kAnswered;
      } else if (!icmp.answers) {
        continue;
      } else if (icmp.per_dest_rate > 0 || icmp.global_rate > 0) {
        arrivals.push_back(
            {p.arrival_s, plan.first_probe + i, static_cast<uint32_t>(t)});
      } else if (icmp.drop_prob == 0 ||
                 !control_drop(static_cast<uint32_t>(t), i, icmp.drop_prob)) {
        p.state = ProbeState::kAnswered;
      }
    }
  }
  std::sort(arrivals.begin(), arrivals.end(),
            [](const Arrival& x, const Arrival& y) {
              return x.at != y.at ? x.at < y.at : x.probe < y.probe;
            });
  std::vector<std::optional<IcmpLimiter>> limiters(network.num_nodes());
  for (const Arrival& a : arrivals) {
    const TracePlan& plan = plans[a.trace];
    Probe& p = probes[a.probe];
    const size_t index = a.probe - plan.first_probe;  // cycle * hops + ttl-1
    const Responder& r = plan.flows[p.flow][index % plan.hops];
    const IcmpBehaviour& icmp = network.node(r.node).icmp;
    std::optional<IcmpLimiter>& limiter = limiters[r.node];
    if (!limiter) limiter.emplace(icmp);
    if (!limiter->Allow(plan.prober, a.at)) continue;
    if (icmp.drop_prob > 0 && control_drop(a.trace, index, icmp.drop_prob)) {
      continue;
    }
    p.state = ProbeState::kAnswered;
  }

  // Phase 3: replies travel back; mtr's statistics per TTL.
  std::vector<std::vector<diagnosis::Trace>> out(options.checkpoints.size());
  for (size_t t = 0; t < plans.size(); ++t) {
    const TracePlan& plan = plans[t];
    Rng rng(MixHash(options.seed, 2 * t + 2));
    std::vector<HopAccumulator> acc(plan.hops);
    size_t next_checkpoint = 0;
    for (int c = 0; c < cycles; ++c) {
      for (int h = 0; h < plan.hops; ++h) {
        const Probe& p =
            probes[plan.first_probe + static_cast<size_t>(c) * plan.hops + h];
        if (p.state != ProbeState::kAnswered) {
          acc[h].AddLost();
          continue;
        }
        const Responder& r = plan.flows[p.flow][h];
        double ms = p.forward_ms;
        if (r.is_target) {
          ms += kHostReplyMs;
        } else {
          const IcmpBehaviour& icmp = network.node(r.node).icmp;
          ms += icmp.gen_delay_ms + ExponentialMean(rng, icmp.slow_mean_ms);
        }
        if (!Cross(*r.reply, rng, &ms)) {
          acc[h].AddLost();
          continue;
        }
        acc[h].AddReply(r.address, ms);
      }
      while (next_checkpoint < options.checkpoints.size() &&
             options.checkpoints[next_checkpoint] == c + 1) {
        diagnosis::Trace trace;
        trace.source = network.HostAddress(plan.prober);
        trace.destination = network.HostAddress(plan.target);
        for (int h = 0; h < plan.hops; ++h) {
          trace.hops.push_back(acc[h].ToHop(h + 1, options.jitter_fields));
        }
        out[next_checkpoint].push_back(std::move(trace));
        ++next_checkpoint;
      }
    }
  }
  return out;
}

}  // namespace grid::sim
