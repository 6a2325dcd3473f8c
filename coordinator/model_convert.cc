#include "coordinator/model_convert.h"

namespace grid::coordinator {
namespace {

// Engine value (0-based) <-> proto value (engine + 1, 0 = UNSPECIFIED).
template <typename Engine>
int ToWire(Engine e) {
  return static_cast<int>(e) + 1;
}

// `max` is the highest valid engine value; out of range gives `fallback`.
template <typename Engine>
Engine FromWire(int wire, int max, Engine fallback) {
  if (wire < 1 || wire > max + 1) return fallback;
  return static_cast<Engine>(wire - 1);
}

}  // namespace

v1::HopSummary ToProto(const diagnosis::Hop& hop) {
  v1::HopSummary out;
  out.set_ttl(static_cast<uint32_t>(hop.ttl));
  out.set_host(hop.host);
  for (const std::string& h : hop.other_hosts) out.add_other_hosts(h);
  out.set_sent(static_cast<uint32_t>(hop.sent));
  out.set_received(static_cast<uint32_t>(hop.received));
  out.set_loss_pct(hop.loss_pct);
  out.set_last_ms(hop.last_ms);
  out.set_avg_ms(hop.avg_ms);
  out.set_best_ms(hop.best_ms);
  out.set_worst_ms(hop.worst_ms);
  out.set_stdev_ms(hop.stdev_ms);
  out.set_stdev_estimated(hop.stdev_estimated);
  if (hop.jitter_avg_ms) out.set_jitter_avg_ms(*hop.jitter_avg_ms);
  if (hop.jitter_max_ms) out.set_jitter_max_ms(*hop.jitter_max_ms);
  return out;
}

diagnosis::Hop FromProto(const v1::HopSummary& hop) {
  diagnosis::Hop out;
  out.ttl = static_cast<int>(hop.ttl());
  out.host = hop.host().empty() ? diagnosis::kNoResponseHost : hop.host();
  out.other_hosts.assign(hop.other_hosts().begin(), hop.other_hosts().end());
  out.sent = static_cast<int>(hop.sent());
  out.received = static_cast<int>(hop.received());
  out.loss_pct = hop.loss_pct();
  out.last_ms = hop.last_ms();
  out.avg_ms = hop.avg_ms();
  out.best_ms = hop.best_ms();
  out.worst_ms = hop.worst_ms();
  out.stdev_ms = hop.stdev_ms();
  out.stdev_estimated = hop.stdev_estimated();
  if (hop.has_jitter_avg_ms()) out.jitter_avg_ms = hop.jitter_avg_ms();
  if (hop.has_jitter_max_ms()) out.jitter_max_ms = hop.jitter_max_ms();
  return out;
}

v1::TraceSummary ToProto(const diagnosis::Trace& trace) {
  v1::TraceSummary out;
  out.set_source(trace.source);
  out.set_destination(trace.destination);
  for (const diagnosis::Hop& h : trace.hops) *out.add_hops() = ToProto(h);
  return out;
}

diagnosis::Trace FromProto(const v1::TraceSummary& trace) {
  diagnosis::Trace out;
  out.source = trace.source();
  out.destination = trace.destination();
  for (const v1::HopSummary& h : trace.hops()) out.hops.push_back(FromProto(h));
  return out;
}

v1::VantageTraces ToProto(const diagnosis::VantageTraces& vantage) {
  v1::VantageTraces out;
  out.set_name(vantage.name);
  *out.mutable_forward() = ToProto(vantage.forward);
  if (vantage.ret) *out.mutable_return_trace() = ToProto(*vantage.ret);
  return out;
}

diagnosis::VantageTraces FromProto(const v1::VantageTraces& vantage) {
  diagnosis::VantageTraces out;
  out.name = vantage.name();
  out.forward = FromProto(vantage.forward());
  if (vantage.has_return_trace()) out.ret = FromProto(vantage.return_trace());
  return out;
}

std::vector<diagnosis::VantageTraces> VantagesFromProto(
    const google::protobuf::RepeatedPtrField<v1::VantageTraces>& vantages) {
  std::vector<diagnosis::VantageTraces> out;
  out.reserve(vantages.size());
  for (const v1::VantageTraces& v : vantages) out.push_back(FromProto(v));
  return out;
}

v1::Direction ToProto(diagnosis::Direction direction) {
  return static_cast<v1::Direction>(ToWire(direction));
}

diagnosis::Direction FromProto(v1::Direction direction) {
  return FromWire(direction, static_cast<int>(diagnosis::Direction::kBoth),
                  diagnosis::Direction::kBoth);
}

v1::Diagnosis ToProto(const diagnosis::Diagnosis& d) {
  v1::Diagnosis out;
  out.set_verdict(static_cast<v1::Verdict>(ToWire(d.verdict)));
  out.set_summary(d.summary);
  for (const diagnosis::Finding& f : d.findings) {
    v1::Finding* pf = out.add_findings();
    pf->set_kind(static_cast<v1::FindingKind>(ToWire(f.kind)));
    pf->set_location(static_cast<v1::Location>(ToWire(f.location)));
    pf->set_direction(ToProto(f.direction));
    for (const std::string& v : f.vantages) pf->add_vantages(v);
    for (const std::string& h : f.hops) pf->add_hops(h);
    pf->set_confidence(f.confidence);
    pf->set_evidence(f.evidence);
    pf->set_loss_pct(f.loss_pct);
    pf->set_added_ms(f.added_ms);
  }
  for (const diagnosis::Artifact& a : d.artifacts) {
    v1::Artifact* pa = out.add_artifacts();
    pa->set_vantage(a.vantage);
    pa->set_direction(ToProto(a.direction));
    pa->set_hop(a.hop);
    pa->set_note(a.note);
  }
  return out;
}

diagnosis::Diagnosis FromProto(const v1::Diagnosis& d) {
  diagnosis::Diagnosis out;
  out.verdict =
      FromWire(d.verdict(), static_cast<int>(diagnosis::Verdict::kInconclusive),
               diagnosis::Verdict::kInconclusive);
  out.summary = d.summary();
  for (const v1::Finding& pf : d.findings()) {
    diagnosis::Finding f;
    f.kind =
        FromWire(pf.kind(), static_cast<int>(diagnosis::FindingKind::kLatency),
                 diagnosis::FindingKind::kLoss);
    f.location = FromWire(pf.location(),
                          static_cast<int>(diagnosis::Location::kReturnPath),
                          diagnosis::Location::kForwardPath);
    f.direction = FromProto(pf.direction());
    f.vantages.assign(pf.vantages().begin(), pf.vantages().end());
    f.hops.assign(pf.hops().begin(), pf.hops().end());
    f.confidence = pf.confidence();
    f.evidence = pf.evidence();
    f.loss_pct = pf.loss_pct();
    f.added_ms = pf.added_ms();
    out.findings.push_back(std::move(f));
  }
  for (const v1::Artifact& pa : d.artifacts()) {
    out.artifacts.push_back(
        {pa.vantage(), FromProto(pa.direction()), pa.hop(), pa.note()});
  }
  return out;
}

}  // namespace grid::coordinator
