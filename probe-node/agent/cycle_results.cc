#include "probe-node/agent/cycle_results.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "coordinator/model_convert.h"

namespace grid::probe::agent {
namespace {

// Slack on top of the probe timeout before an unanswered probe counts as
// settled, so a reply at the edge is not cut off.
constexpr absl::Duration kSettleSlack = absl::Milliseconds(100);

}  // namespace

v1::ReplyKind ToProto(ReplyKind kind) {
  switch (kind) {
    case ReplyKind::kTimeExceeded:
      return v1::REPLY_KIND_TIME_EXCEEDED;
    case ReplyKind::kEchoReply:
      return v1::REPLY_KIND_ECHO_REPLY;
    case ReplyKind::kTcpSynAck:
      return v1::REPLY_KIND_TCP_SYN_ACK;
    case ReplyKind::kTcpReset:
      return v1::REPLY_KIND_TCP_RST;
    case ReplyKind::kDestinationUnreachable:
    case ReplyKind::kPacketTooBig:
    case ReplyKind::kParameterProblem:
      return v1::REPLY_KIND_UNREACHABLE;
  }
  return v1::REPLY_KIND_UNSPECIFIED;
}

absl::StatusOr<TraceRequest> ToTraceRequest(const v1::JobSpec& spec) {
  TraceRequest r;
  absl::StatusOr<IpAddress> dst = IpAddress::Parse(spec.target());
  if (!dst.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("target \"", spec.target(), "\" is not an IP address"));
  }
  if (!dst->IsUnicast()) {
    return absl::InvalidArgumentError(
        absl::StrCat("target ", spec.target(), " cannot be traced"));
  }
  r.destination = *dst;
  r.target = dst->ToString();
  TraceOptions& o = r.options;
  switch (spec.method()) {
    case v1::PROBE_METHOD_UNSPECIFIED:
    case v1::PROBE_METHOD_ICMP:
      o.method = ProbeMethod::kIcmpEcho;
      break;
    case v1::PROBE_METHOD_UDP:
      o.method = ProbeMethod::kUdp;
      break;
    case v1::PROBE_METHOD_TCP:
      o.method = ProbeMethod::kTcpSyn;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("unknown probe method ", spec.method()));
  }
  if (spec.cycles() == 0) {
    return absl::InvalidArgumentError("a job needs at least one cycle");
  }
  o.cycles = static_cast<int>(std::min<uint32_t>(spec.cycles(), 1 << 20));
  o.interval = absl::Milliseconds(spec.interval_ms());
  o.max_ttl = spec.max_ttl() == 0
                  ? 30
                  : static_cast<int>(std::min(spec.max_ttl(), 256u));
  o.first_ttl = spec.first_ttl() == 0
                    ? 1
                    : static_cast<int>(std::min(spec.first_ttl(), 256u));
  if (spec.packet_size() != 0) {
    o.packet_size = static_cast<int>(std::min(spec.packet_size(), 65536u));
  }
  if (spec.timeout_ms() != 0) o.timeout = absl::Milliseconds(spec.timeout_ms());
  if (spec.port() > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("port must be 0..65535, got ", spec.port()));
  }
  o.port = static_cast<uint16_t>(spec.port());
  if (spec.tos() > 255) {
    return absl::InvalidArgumentError(
        absl::StrCat("tos must be 0..255, got ", spec.tos()));
  }
  o.tos = static_cast<uint8_t>(spec.tos());
  if (absl::Status s = ValidateTraceOptions(o); !s.ok()) return s;
  return r;
}

std::vector<v1::CycleResult> CompleteCycles(const v1::JobSpec& spec,
                                            const std::string& probe_name,
                                            const TraceResult& result,
                                            int first_cycle, bool final) {
  // Probes by cycle, in send order; and the prober's "now".
  std::map<int, std::vector<const ProbeRecord*>> by_cycle;
  absl::Time latest = absl::InfinitePast();
  absl::Time first_sent = absl::InfiniteFuture();
  for (const ProbeRecord& p : result.probes) {
    latest = std::max(latest, p.sent);
    first_sent = std::min(first_sent, p.sent);
    if (p.cycle >= first_cycle && p.cycle < result.cycles_done) {
      by_cycle[p.cycle].push_back(&p);
    }
  }
  const absl::Duration settle = result.request.options.timeout + kSettleSlack;
  std::vector<v1::CycleResult> out;
  for (int c = first_cycle; c < result.cycles_done; ++c) {
    const std::vector<const ProbeRecord*>& probes = by_cycle[c];
    if (!final) {
      const bool settled =
          std::all_of(probes.begin(), probes.end(), [&](const ProbeRecord* p) {
            return p->answered || latest - p->sent >= settle;
          });
      if (!settled) break;
    }
    v1::CycleResult r;
    r.set_job_id(spec.job_id());
    r.set_probe_name(probe_name);
    r.set_direction(spec.direction());
    r.set_cycle(static_cast<uint32_t>(c));
    r.set_source_address(result.source.ToString());
    r.set_target(spec.target());
    r.set_flow_id(probes.empty() ? result.first_flow_id : probes[0]->flow_id);
    if (!probes.empty()) {
      r.set_started_unix_ms(
          absl::ToUnixMillis(result.start + (probes[0]->sent - first_sent)));
    }
    std::map<int, v1::TtlResult> ttls;
    for (const ProbeRecord* p : probes) {
      v1::TtlResult& t = ttls[p->ttl];
      t.set_ttl(static_cast<uint32_t>(p->ttl));
      const uint32_t index = t.probes_sent();
      t.set_probes_sent(index + 1);
      if (!p->answered) continue;
      v1::Reply* reply = t.add_replies();
      reply->set_probe_index(index);
      reply->set_from(p->responder.ToString());
      reply->set_rtt_ms(p->rtt_usec / 1000.0);
      reply->set_reply_ttl(p->reply_ttl);
      reply->set_kind(ToProto(p->kind));
      reply->set_icmp_type(p->icmp_type);
      reply->set_icmp_code(p->icmp_code);
      if (p->quoted_ttl) reply->set_quoted_ttl(*p->quoted_ttl);
      for (const MplsLabel& m : p->mpls) {
        v1::MplsLabel* l = reply->add_mpls_labels();
        l->set_label(m.label);
        l->set_traffic_class(m.traffic_class);
        l->set_bottom_of_stack(m.bottom_of_stack);
        l->set_ttl(m.ttl);
      }
      if (p->responder == result.request.destination)
        r.set_reached_target(true);
    }
    for (auto& [ttl, t] : ttls) *r.add_ttls() = std::move(t);
    out.push_back(std::move(r));
  }
  return out;
}

v1::JobDone MakeJobDone(const v1::JobSpec& spec, const TraceResult& result,
                        int cycles_sent) {
  v1::JobDone d;
  d.set_job_id(spec.job_id());
  if (result.stop_reason == StopReason::kError) {
    d.set_status(v1::JOB_STATUS_FAILED);
    d.set_error(result.status.ok() ? "the trace could not run"
                                   : std::string(result.status.message()));
  } else {
    d.set_status(v1::JOB_STATUS_DONE);
  }
  d.set_cycles_completed(static_cast<uint32_t>(cycles_sent));
  d.set_source_address(result.source.ToString());
  *d.mutable_summary() = coordinator::ToProto(ToDiagnosisTrace(result));
  return d;
}

}  // namespace grid::probe::agent
