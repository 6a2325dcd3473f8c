#include "tests/probe-node/testing/sim_network.h"

#include <algorithm>

#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tests/probe-node/testing/reply_builder.h"

namespace grid::probe::testing {

SimNetwork::SimNetwork(FakeClock* clock, IpAddress source4, IpAddress source6)
    : clock_(clock), source4_(source4), source6_(source6) {}

void SimNetwork::AddPath(const IpAddress& destination, SimPath path) {
  paths_[destination] = std::move(path);
}

absl::StatusOr<IpAddress> SimNetwork::SourceFor(const IpAddress& destination) {
  if (!paths_.count(destination)) {
    return absl::UnavailableError(
        absl::StrCat("no route to ", destination.ToString()));
  }
  return destination.is_v4() ? source4_ : source6_;
}

absl::StatusOr<uint16_t> SimNetwork::OpenFlow(ProbeMethod, const IpAddress&,
                                              uint16_t wanted) {
  return wanted;
}

// What ECMP routers hash: addresses, protocol (IPv6: flow label) and the
// ports for UDP/TCP; for ICMP the first 8 bytes (type, code, checksum,
// identifier and sequence field), stricter than most routers.
uint64_t SimNetwork::FlowHash(absl::Span<const uint8_t> p) const {
  const bool v4 = (p[0] >> 4) == 4;
  const size_t h = v4 ? 20 : 40;
  std::vector<uint8_t> fields;
  if (v4) {
    fields.assign(p.begin() + 9, p.begin() + 10);
    fields.insert(fields.end(), p.begin() + 12, p.begin() + 20);
  } else {
    fields.assign(p.begin() + 1, p.begin() + 4);  // Flow label.
    fields.insert(fields.end(), p.begin() + 6, p.begin() + 7);
    fields.insert(fields.end(), p.begin() + 8, p.begin() + 40);
  }
  const uint8_t proto = v4 ? p[9] : p[6];
  const size_t n = (proto == 1 || proto == 58) ? 8 : 4;
  fields.insert(fields.end(), p.begin() + h, p.begin() + h + n);
  return absl::HashOf(fields);
}

void SimNetwork::Schedule(absl::Time when, IoEvent event, const IpAddress& dst,
                          bool is_reply) {
  event.time = when;
  pending_.emplace(when, Pending{when, std::move(event), dst, is_reply});
}

absl::StatusOr<SendReceipt> SimNetwork::Send(const IpAddress& destination,
                                             absl::Span<const uint8_t> packet) {
  const absl::Time now = clock_->Now();
  std::vector<uint8_t> probe(packet.begin(), packet.end());
  const bool v4 = (probe[0] >> 4) == 4;
  const int ttl = v4 ? probe[8] : probe[7];
  sent_.push_back(SentProbe{now, destination, ttl, probe});
  SendReceipt receipt{now, 0};
  absl::Time sent_at = now;
  if (tx_delay_) {
    receipt.tx_id = next_tx_id_++;
    sent_at = now + *tx_delay_;
    IoEvent tx;
    tx.type = IoEvent::Type::kTxTimestamp;
    tx.tx_id = receipt.tx_id;
    Schedule(sent_at, tx, destination, false);
  }
  auto path_it = paths_.find(destination);
  if (path_it == paths_.end()) return receipt;
  const SimPath& path = path_it->second;
  const uint64_t hash = FlowHash(packet);

  IoEvent reply;
  absl::Duration rtt;
  const size_t hop_index = static_cast<size_t>(ttl - 1);
  if (hop_index < path.hops.size()) {
    // Walk the hops before it: an unreachable router stops the probe.
    for (size_t i = 0; i < hop_index; ++i) {
      if (path.hops[i].unreachable_code) return receipt;
    }
    const SimHop& hop = path.hops[hop_index];
    const IpAddress router = hop.routers[hash % hop.routers.size()];
    const int n = ++hop_counts_[{destination, ttl}];
    if (hop.silent || (hop.drop_every > 0 && n % hop.drop_every == 0)) {
      return receipt;
    }
    if (hop.icmp_rate > 0) {
      auto it = limits_.find(router);
      if (it == limits_.end()) {
        it = limits_
                 .emplace(router,
                          TokenBucket(hop.icmp_rate, hop.icmp_burst, sent_at))
                 .first;
      }
      if (!it->second.TryTake(sent_at)) return receipt;
    }
    SetTtl(probe, 1);  // As the router saw it.
    ErrorOptions o;
    if (hop.unreachable_code) {
      o.type = v4 ? 3 : 1;
      o.code = *hop.unreachable_code;
    } else {
      o.type = v4 ? 11 : 3;
    }
    o.ttl = static_cast<uint8_t>(64 - ttl);
    reply.packet = MakeIcmpError(probe, router, o);
    rtt = hop.rtt;
  } else {
    for (const SimHop& h : path.hops) {
      if (h.unreachable_code) return receipt;
    }
    const int n = ++hop_counts_[{destination, 0}];
    if (path.destination_silent || (path.destination_drop_every > 0 &&
                                    n % path.destination_drop_every == 0)) {
      return receipt;
    }
    const uint8_t reply_ttl =
        static_cast<uint8_t>(64 - static_cast<int>(path.hops.size()));
    const uint8_t proto = v4 ? probe[9] : probe[6];
    if (proto == 1 || proto == 58) {
      reply.packet = MakeEchoReply(probe, reply_ttl);
    } else if (proto == 6) {
      reply.packet = MakeTcpReply(probe, /*open=*/false, reply_ttl);
    } else {
      ErrorOptions o;
      o.type = v4 ? 3 : 1;
      o.code = v4 ? 3 : 4;
      o.ttl = reply_ttl;
      reply.packet = MakeIcmpError(probe, destination, o);
    }
    rtt = path.destination_rtt;
  }
  Schedule(sent_at + rtt, std::move(reply), destination, true);
  if (noise_) {
    IoEvent junk;
    junk.packet = probe;  // Our own probe echoed back: not a reply.
    Schedule(sent_at + rtt / 2, std::move(junk), destination, false);
  }
  ++in_flight_[destination];
  max_concurrent_ =
      std::max(max_concurrent_, static_cast<int>(in_flight_.size()));
  return receipt;
}

absl::Status SimNetwork::Wait(absl::Time deadline,
                              std::vector<IoEvent>* events) {
  if (pending_.empty() || pending_.begin()->first > deadline) {
    clock_->Set(std::max(clock_->Now(), deadline));
    return absl::OkStatus();
  }
  const absl::Time t = std::max(clock_->Now(), pending_.begin()->first);
  clock_->Set(t);
  while (!pending_.empty() && pending_.begin()->first <= t) {
    Pending p = std::move(pending_.begin()->second);
    pending_.erase(pending_.begin());
    if (p.is_reply) {
      auto it = in_flight_.find(p.destination);
      if (it != in_flight_.end() && --it->second <= 0) in_flight_.erase(it);
    }
    events->push_back(std::move(p.event));
  }
  return absl::OkStatus();
}

}  // namespace grid::probe::testing
