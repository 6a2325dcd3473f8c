// A simulated network behind the PacketIo interface, on a FakeClock: paths of
// routers that answer probes the way real hosts do (time exceeded, echo
// reply, port unreachable, TCP RST), with per-hop delay, deterministic loss,
// ICMP rate limiting, ECMP that hashes the fields real routers hash, and
// optional kernel transmit timestamps. It stands in for the network only:
// the prober's own packet builder, parser and scheduler run unchanged.
#ifndef GRID_TESTS_PROBE_NODE_TESTING_SIM_NETWORK_H_
#define GRID_TESTS_PROBE_NODE_TESTING_SIM_NETWORK_H_

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "probe-node/clock.h"
#include "probe-node/packet_io.h"
#include "probe-node/token_bucket.h"

namespace grid::probe::testing {

struct SimHop {
  // The router's address; with several, ECMP picks one per flow hash.
  std::vector<IpAddress> routers;
  absl::Duration rtt = absl::Milliseconds(1);  // Round trip to this hop.
  // Drop the reply to every `drop_every`-th probe reaching this hop
  // (counting from 1); 0 = never.
  int drop_every = 0;
  bool silent = false;  // Never answers (but forwards).
  // Answers with destination unreachable of this code instead of time
  // exceeded, and forwards nothing.
  std::optional<uint8_t> unreachable_code;
  // ICMP rate limit: replies per second and burst (0 = unlimited).
  double icmp_rate = 0;
  double icmp_burst = 6;
};

struct SimPath {
  std::vector<SimHop> hops;  // Routers before the destination.
  absl::Duration destination_rtt = absl::Milliseconds(5);
  bool destination_silent = false;
  int destination_drop_every = 0;
};

struct SentProbe {
  absl::Time time;
  IpAddress destination;
  int ttl;
  std::vector<uint8_t> bytes;
};

class SimNetwork : public PacketIo {
 public:
  SimNetwork(FakeClock* clock, IpAddress source4, IpAddress source6);

  void AddPath(const IpAddress& destination, SimPath path);
  // Makes Send return transmit ids and report kernel timestamps `delay`
  // after the user-space send time.
  void EnableTxTimestamps(absl::Duration delay) { tx_delay_ = delay; }
  // Also delivers an unrelated packet with every reply (must be ignored).
  void set_inject_noise(bool on) { noise_ = on; }

  absl::StatusOr<IpAddress> SourceFor(const IpAddress& destination) override;
  absl::StatusOr<uint16_t> OpenFlow(ProbeMethod method,
                                    const IpAddress& destination,
                                    uint16_t wanted) override;
  absl::StatusOr<SendReceipt> Send(const IpAddress& destination,
                                   absl::Span<const uint8_t> packet) override;
  absl::Status Wait(absl::Time deadline, std::vector<IoEvent>* events) override;

  const std::vector<SentProbe>& sent() const { return sent_; }
  // The most destinations that had unanswered probes at one time.
  int max_concurrent_destinations() const { return max_concurrent_; }

 private:
  struct Pending {
    absl::Time when;
    IoEvent event;
    IpAddress destination;  // For concurrency accounting.
    bool is_reply;
  };
  void Schedule(absl::Time when, IoEvent event, const IpAddress& dst,
                bool is_reply);
  uint64_t FlowHash(absl::Span<const uint8_t> packet) const;

  FakeClock* clock_;
  IpAddress source4_, source6_;
  std::map<IpAddress, SimPath> paths_;
  std::map<std::pair<IpAddress, int>, int> hop_counts_;  // Probes per hop.
  absl::flat_hash_map<IpAddress, TokenBucket> limits_;
  std::multimap<absl::Time, Pending> pending_;
  std::map<IpAddress, int> in_flight_;
  int max_concurrent_ = 0;
  std::optional<absl::Duration> tx_delay_;
  uint32_t next_tx_id_ = 1;
  bool noise_ = false;
  std::vector<SentProbe> sent_;
};

}  // namespace grid::probe::testing

#endif  // GRID_TESTS_PROBE_NODE_TESTING_SIM_NETWORK_H_
