// grid's probe engine: MTR-style traces (ICMP echo, UDP or TCP SYN; IPv4 or
// IPv6; Paris-style flows) run many at a time from one thread, with a global
// packets-per-second pacer and per-router pacing. Statistics per TTL are
// computed exactly as mtr computes them; results convert to the shared
// diagnosis::Trace model.
//
// Privileges: Prober::Create opens raw sockets (needs CAP_NET_RAW) and then
// drops every capability before it handles any packet. Where raw sockets are
// refused it falls back to unprivileged ICMP datagram sockets
// (net.ipv4.ping_group_range), ICMP only; Limitations() says what is lost.
#ifndef GRID_PROBE_NODE_PROBER_H_
#define GRID_PROBE_NODE_PROBER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "diagnosis/trace.h"
#include "probe-node/icmp_extensions.h"
#include "probe-node/ip_address.h"
#include "probe-node/probe_key.h"
#include "probe-node/reply_parser.h"

namespace grid::probe {

class PacketIo;
class Clock;

// How one trace probes; mtr's flags in parentheses.
struct TraceOptions {
  ProbeMethod method = ProbeMethod::kIcmpEcho;  // (-u, -T)
  int cycles = 10;                              // (-c) >= 1.
  // Each TTL is probed once per interval; the probes of one cycle are
  // spread evenly over it, as mtr does (-i). Zero: as fast as pacing allows.
  absl::Duration interval = absl::Seconds(1);
  int first_ttl = 1;     // (-f) 1..max_ttl.
  int max_ttl = 30;      // (-m) 1..255.
  int packet_size = 64;  // (-s) whole IP packet.
  // A probe unanswered for this long counts as lost.
  absl::Duration timeout = absl::Seconds(5);
  // UDP/TCP destination port; 0 picks 33434 (UDP) or 80 (TCP).
  uint16_t port = 0;
  // Paris mode (false) keeps one flow for the whole trace; true uses a new
  // flow identifier each cycle, to expose every ECMP path.
  bool vary_flow_per_cycle = false;
  // A cycle ends early once more than this many TTLs below the current one
  // have never answered (mtr --max-unknown).
  int max_unknown = 12;
  uint8_t tos = 0;  // (-Q)
};

// Checks ranges; the error names the option and the allowed range.
absl::Status ValidateTraceOptions(const TraceOptions& options);

struct TraceRequest {
  IpAddress destination;
  std::string target;  // As the user wrote it (name or address).
  TraceOptions options;
};

// One probe and what came back.
struct ProbeRecord {
  int ttl = 0;
  int cycle = 0;  // 0-based.
  uint16_t flow_id = 0;
  uint16_t sequence = 0;
  absl::Time sent;  // Wall-clock send time.
  bool answered = false;
  // When answered:
  IpAddress responder;
  int rtt_usec = 0;
  ReplyKind kind = ReplyKind::kTimeExceeded;
  uint8_t icmp_type = 0;
  uint8_t icmp_code = 0;
  uint8_t reply_ttl = 0;
  std::optional<uint8_t> quoted_ttl;
  std::vector<MplsLabel> mpls;
};

// One TTL, with mtr's figures (microsecond integers, as mtr keeps them).
struct HopResult {
  int ttl = 0;
  // Latest responder first, then every other responder seen (ECMP);
  // empty when nothing answered.
  std::vector<IpAddress> responders;
  int sent = 0;
  int received = 0;
  double loss_pct = 0;  // mtr Loss%.
  int last_usec = 0, avg_usec = 0, best_usec = 0, worst_usec = 0;
  int stdev_usec = 0, gmean_usec = 0;
  int jitter_usec = 0, javg_usec = 0, jmax_usec = 0, jinta = 0;
  // An unreachable code this hop returned (the trace ends there), e.g. !H.
  std::optional<uint8_t> unreachable_code;
  std::vector<MplsLabel> mpls;  // Labels of the latest reply that had any.
};

// DO NOT CHANGE THESE VALUES: they are carried in results.
enum class StopReason : uint8_t {
  kReached = 0,      // The destination answered.
  kUnreachable = 1,  // A router said the destination is unreachable.
  kMaxTtl = 2,       // Nothing answered from the destination up to max-ttl.
  kGapLimit = 3,     // Too many silent TTLs (max_unknown).
  kError = 4,        // Could not probe at all; see status.
};
const char* StopReasonName(StopReason reason);

struct TraceResult {
  TraceRequest request;
  IpAddress source;
  absl::Time start;  // Wall clock.
  int cycles_done = 0;
  uint16_t first_flow_id = 0;
  StopReason stop_reason = StopReason::kMaxTtl;
  absl::Status status;          // Not OK only with kError.
  std::vector<HopResult> hops;  // first_ttl up to the last hop to show.
  std::vector<ProbeRecord> probes;
};

// The shared model for report writers and the diagnosis engine. Hosts are
// addresses; extra responders go to other_hosts.
diagnosis::Trace ToDiagnosisTrace(const TraceResult& result);

struct ProberOptions {
  // Global limit on probes sent per second across all traces.
  double packets_per_second = 100;
  // At most this many traces run at once; the rest wait their turn.
  int max_concurrent_traces = 500;
  // Probes expected to make a known router send an ICMP error are limited
  // to this rate per router (0 = off), with this burst. The default matches
  // Linux's net.ipv4.icmp_ratelimit (1 per second, burst 6 per peer).
  double router_pps = 1.0;
  double router_burst = 6;
  // Take send times from the kernel (SO_TIMESTAMPING through the error
  // queue) rather than just before sendto. Receive times always come from
  // the kernel (SO_TIMESTAMPNS).
  bool kernel_tx_timestamps = true;
  // Allow falling back to ICMP datagram sockets when raw sockets are refused.
  bool allow_unprivileged = true;
  // Drop all capabilities after opening sockets (only tests turn it off).
  bool drop_capabilities = true;
};

// Called from the prober thread after a trace changes (a cycle finished, or
// the trace finished).
using ProgressCallback = std::function<void(const TraceResult&)>;

// Runs traces. Not thread-safe: one Run at a time.
class Prober {
 public:
  // Opens sockets for both address families, then drops capabilities.
  static absl::StatusOr<std::unique_ptr<Prober>> Create(
      const ProberOptions& options);
  // Runs over the given I/O and clock (tests, simulations).
  static std::unique_ptr<Prober> CreateWithIo(const ProberOptions& options,
                                              std::unique_ptr<PacketIo> io,
                                              Clock* clock);
  ~Prober();

  // Runs every request to completion, at most max_concurrent_traces at a
  // time; results in request order. A request that cannot run gets
  // StopReason::kError and a status saying why.
  std::vector<TraceResult> Run(const std::vector<TraceRequest>& requests,
                               const ProgressCallback& progress = nullptr);

  // What the fallback I/O cannot do, for the user; empty with raw sockets.
  std::string Limitations() const;

 private:
  Prober(const ProberOptions& options, std::unique_ptr<PacketIo> io,
         Clock* clock, std::unique_ptr<Clock> owned_clock);
  ProberOptions options_;
  std::unique_ptr<PacketIo> io_;
  std::unique_ptr<Clock> owned_clock_;
  Clock* clock_;
};

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_PROBER_H_
