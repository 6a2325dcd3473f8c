// Result helpers of prober.h: option checks, names, and the conversion to the
// shared diagnosis::Trace model.
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "probe-node/prober.h"

namespace grid::probe {

absl::Status ValidateTraceOptions(const TraceOptions& o) {
  auto bad = [](absl::string_view what) {
    return absl::InvalidArgumentError(what);
  };
  if (o.cycles < 1) {
    return bad(absl::StrCat("cycles must be at least 1, got ", o.cycles));
  }
  if (o.interval < absl::ZeroDuration()) {
    return bad("interval must not be negative");
  }
  if (o.max_ttl < 1 || o.max_ttl > 255) {
    return bad(absl::StrCat("max-ttl must be 1..255, got ", o.max_ttl));
  }
  if (o.first_ttl < 1 || o.first_ttl > o.max_ttl) {
    return bad(absl::StrCat("first-ttl must be 1..max-ttl (", o.max_ttl,
                            "), got ", o.first_ttl));
  }
  if (o.packet_size < 0 || o.packet_size > 1500) {
    return bad(
        absl::StrCat("packet size must be 0..1500 bytes, got ", o.packet_size));
  }
  if (o.timeout <= absl::ZeroDuration()) {
    return bad("timeout must be positive");
  }
  if (o.max_unknown < 0) {
    return bad(
        absl::StrCat("max-unknown must not be negative, got ", o.max_unknown));
  }
  return absl::OkStatus();
}

const char* StopReasonName(StopReason reason) {
  switch (reason) {
    case StopReason::kReached:
      return "reached";
    case StopReason::kUnreachable:
      return "unreachable";
    case StopReason::kMaxTtl:
      return "max-ttl";
    case StopReason::kGapLimit:
      return "gap-limit";
    case StopReason::kError:
      return "error";
  }
  return "?";
}

diagnosis::Trace ToDiagnosisTrace(const TraceResult& result) {
  diagnosis::Trace trace;
  trace.source = result.source.ToString();
  trace.destination = result.request.target.empty()
                          ? result.request.destination.ToString()
                          : result.request.target;
  for (const HopResult& h : result.hops) {
    diagnosis::Hop hop;
    hop.ttl = h.ttl;
    if (h.responders.empty()) {
      hop.host = diagnosis::kNoResponseHost;
    } else {
      hop.host = h.responders[0].ToString();
      for (size_t i = 1; i < h.responders.size(); ++i) {
        hop.other_hosts.push_back(h.responders[i].ToString());
      }
    }
    hop.sent = h.sent;
    hop.received = h.received;
    hop.loss_pct = h.loss_pct;
    hop.last_ms = h.last_usec / 1000.0;
    hop.avg_ms = h.avg_usec / 1000.0;
    hop.best_ms = h.best_usec / 1000.0;
    hop.worst_ms = h.worst_usec / 1000.0;
    hop.stdev_ms = h.stdev_usec / 1000.0;
    if (h.received > 0) {
      hop.jitter_avg_ms = h.javg_usec / 1000.0;
      hop.jitter_max_ms = h.jmax_usec / 1000.0;
    }
    trace.hops.push_back(std::move(hop));
  }
  return trace;
}

}  // namespace grid::probe
