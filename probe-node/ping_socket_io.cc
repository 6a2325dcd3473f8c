#include "probe-node/ping_socket_io.h"

// The libc networking headers must come before the kernel's.
#include <netinet/in.h>
// clang-format off
#include <errno.h>
#include <linux/errqueue.h>
// clang-format on
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "probe-node/byte_reader.h"
#include "probe-node/checksum.h"
#include "probe-node/socket_util.h"

namespace grid::probe {
namespace {

struct Flow {
  Fd fd;
  IpAddress source;
  IpAddress destination;
};

absl::StatusOr<Fd> PingSocket(bool v4) {
  Fd fd(socket(
      v4 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
      v4 ? static_cast<int>(IPPROTO_ICMP) : static_cast<int>(IPPROTO_ICMPV6)));
  if (!fd.valid()) {
    return ErrnoStatus(errno,
                       absl::StrCat("ICMP datagram socket (IPv", v4 ? 4 : 6,
                                    "; see net.ipv4.ping_group_range)"));
  }
  return fd;
}

// Wraps an ICMP message in an IP header from `src` to `dst`, fixing the
// ICMP checksum (with the IPv6 pseudo-header).
std::vector<uint8_t> Wrap(const IpAddress& src, const IpAddress& dst,
                          uint8_t ttl, std::vector<uint8_t> icmp) {
  auto m = absl::MakeSpan(icmp);
  StoreU16(m, 2, 0);
  uint32_t sum = ChecksumPartial(icmp);
  if (!src.is_v4()) {
    sum += PseudoHeaderSum(src, dst, kProtoIcmpV6,
                           static_cast<uint32_t>(icmp.size()));
  }
  StoreU16(m, 2, ChecksumFinish(sum));
  std::vector<uint8_t> out(src.is_v4() ? 20 : 40, 0);
  auto h = absl::MakeSpan(out);
  if (src.is_v4()) {
    h[0] = 0x45;
    StoreU16(h, 2, static_cast<uint16_t>(20 + icmp.size()));
    h[8] = ttl;
    h[9] = kProtoIcmp;
    std::copy(src.bytes().begin(), src.bytes().end(), h.begin() + 12);
    std::copy(dst.bytes().begin(), dst.bytes().end(), h.begin() + 16);
    StoreU16(h, 10, ChecksumFinish(ChecksumPartial(out)));
  } else {
    h[0] = 0x60;
    StoreU16(h, 4, static_cast<uint16_t>(icmp.size()));
    h[6] = kProtoIcmpV6;
    h[7] = ttl;
    std::copy(src.bytes().begin(), src.bytes().end(), h.begin() + 8);
    std::copy(dst.bytes().begin(), dst.bytes().end(), h.begin() + 24);
  }
  out.insert(out.end(), icmp.begin(), icmp.end());
  return out;
}

class PingSocketIo : public PacketIo {
 public:
  explicit PingSocketIo(Clock* clock) : clock_(clock), buffer_(65536) {}

  absl::Status Open() {
    epoll_ = Fd(epoll_create1(EPOLL_CLOEXEC));
    if (!epoll_.valid()) return ErrnoStatus(errno, "epoll_create1");
    // Fail early, with the reason, when ping sockets are not allowed.
    absl::StatusOr<Fd> v4 = PingSocket(true);
    absl::StatusOr<Fd> v6 = PingSocket(false);
    if (!v4.ok() && !v6.ok()) return v4.status();
    v4_ok_ = v4.ok();
    v6_ok_ = v6.ok();
    return absl::OkStatus();
  }

  absl::StatusOr<IpAddress> SourceFor(const IpAddress& destination) override {
    return LookupSource(destination);
  }

  absl::StatusOr<uint16_t> OpenFlow(ProbeMethod method,
                                    const IpAddress& destination,
                                    uint16_t) override {
    if (method != ProbeMethod::kIcmpEcho) {
      return absl::FailedPreconditionError(kPingSocketLimitations);
    }
    const bool v4 = destination.is_v4();
    GRID_ASSIGN_OR_RETURN(Fd fd, PingSocket(v4));
    sockaddr_storage any;
    const socklen_t len =
        ToSockaddr(v4 ? IpAddress() : IpAddress::V6({}), &any);
    if (bind(fd.get(), reinterpret_cast<sockaddr*>(&any), len) != 0) {
      return ErrnoStatus(errno, "bind ICMP datagram socket");
    }
    sockaddr_storage bound;
    socklen_t bound_len = sizeof(bound);
    if (getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound),
                    &bound_len) != 0) {
      return ErrnoStatus(errno, "getsockname");
    }
    const uint16_t ident =
        ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    const int level = v4 ? IPPROTO_IP : IPPROTO_IPV6;
    GRID_RETURN_IF_ERROR(SetIntOption(
        fd.get(), level, v4 ? IP_RECVERR : IPV6_RECVERR, 1, "RECVERR"));
    GRID_RETURN_IF_ERROR(SetIntOption(
        fd.get(), level, v4 ? IP_RECVTTL : IPV6_RECVHOPLIMIT, 1, "RECVTTL"));
    GRID_RETURN_IF_ERROR(SetIntOption(fd.get(), SOL_SOCKET, SO_TIMESTAMPNS, 1,
                                      "SO_TIMESTAMPNS"));
    GRID_ASSIGN_OR_RETURN(IpAddress source, LookupSource(destination));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd.get();
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd.get(), &ev) != 0) {
      return ErrnoStatus(errno, "epoll_ctl");
    }
    const int raw = fd.get();
    flows_[{v4, ident}] = raw;
    sockets_.emplace(raw, Flow{std::move(fd), source, destination});
    return ident;
  }

  void CloseFlow(ProbeMethod, const IpAddress& destination,
                 uint16_t flow) override {
    auto it = flows_.find({destination.is_v4(), flow});
    if (it == flows_.end()) return;
    epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, it->second, nullptr);
    sockets_.erase(it->second);
    flows_.erase(it);
  }

  absl::StatusOr<SendReceipt> Send(const IpAddress& destination,
                                   absl::Span<const uint8_t> packet) override {
    const bool v4 = destination.is_v4();
    const size_t header = v4 ? 20 : 40;
    if (packet.size() < header + 8) {
      return absl::InvalidArgumentError("probe too short for ICMP");
    }
    const uint16_t ident = LoadU16(packet, header + 4);
    auto it = flows_.find({v4, ident});
    if (it == flows_.end()) {
      return absl::FailedPreconditionError(
          absl::StrCat("no ICMP datagram socket for identifier ", ident));
    }
    const int fd = it->second;
    const int ttl = v4 ? packet[8] : packet[7];
    GRID_RETURN_IF_ERROR(SetIntOption(fd, v4 ? IPPROTO_IP : IPPROTO_IPV6,
                                      v4 ? IP_TTL : IPV6_UNICAST_HOPS, ttl,
                                      "TTL"));
    sockaddr_storage ss;
    const socklen_t len = ToSockaddr(destination, &ss);
    SendReceipt receipt;
    receipt.time = absl::Now();
    const auto icmp = packet.subspan(header);
    if (sendto(fd, icmp.data(), icmp.size(), 0,
               reinterpret_cast<sockaddr*>(&ss), len) < 0) {
      return ErrnoStatus(errno,
                         absl::StrCat("send to ", destination.ToString()));
    }
    return receipt;
  }

  absl::Status Wait(absl::Time deadline,
                    std::vector<IoEvent>* events) override {
    GRID_ASSIGN_OR_RETURN(std::vector<ReadyFd> ready,
                          EpollWaitUntil(epoll_.get(), *clock_, deadline));
    for (const ReadyFd& r : ready) {
      auto it = sockets_.find(r.fd);
      if (it == sockets_.end()) continue;
      Drain(it->second, /*error_queue=*/false, events);
      Drain(it->second, /*error_queue=*/true, events);
    }
    return absl::OkStatus();
  }

  std::string Limitations() const override { return kPingSocketLimitations; }

  bool Supports(ProbeMethod method, IpFamily family) const override {
    return method == ProbeMethod::kIcmpEcho &&
           (family == IpFamily::kV4 ? v4_ok_ : v6_ok_);
  }

 private:
  void Drain(const Flow& flow, bool error_queue, std::vector<IoEvent>* events) {
    const bool v4 = flow.destination.is_v4();
    alignas(cmsghdr) char control[512];
    while (true) {
      sockaddr_storage from{};
      iovec iov{buffer_.data(), buffer_.size()};
      msghdr msg{};
      msg.msg_name = &from;
      msg.msg_namelen = sizeof(from);
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof(control);
      const ssize_t n = recvmsg(
          flow.fd.get(), &msg, MSG_DONTWAIT | (error_queue ? MSG_ERRQUEUE : 0));
      if (n < 0) return;
      IoEvent e;
      e.time = absl::Now();
      int ttl = 0;
      std::optional<sock_extended_err> err;
      IpAddress offender;
      for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr;
           c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
          timespec ts;
          memcpy(&ts, CMSG_DATA(c), sizeof(ts));
          e.time = absl::TimeFromTimespec(ts);
        } else if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
                   (c->cmsg_level == IPPROTO_IPV6 &&
                    c->cmsg_type == IPV6_HOPLIMIT)) {
          memcpy(&ttl, CMSG_DATA(c), sizeof(ttl));
        } else if ((c->cmsg_level == IPPROTO_IP &&
                    c->cmsg_type == IP_RECVERR) ||
                   (c->cmsg_level == IPPROTO_IPV6 &&
                    c->cmsg_type == IPV6_RECVERR)) {
          sock_extended_err ee;
          memcpy(&ee, CMSG_DATA(c), sizeof(ee));
          err = ee;
          sockaddr_storage off{};
          const auto* sa = reinterpret_cast<const sockaddr*>(SO_EE_OFFENDER(
              reinterpret_cast<sock_extended_err*>(CMSG_DATA(c))));
          memcpy(&off, sa, v4 ? sizeof(sockaddr_in) : sizeof(sockaddr_in6));
          offender = FromSockaddr(off);
        }
      }
      std::vector<uint8_t> payload(buffer_.begin(),
                                   buffer_.begin() + static_cast<size_t>(n));
      if (!error_queue) {
        e.packet = Wrap(FromSockaddr(from), flow.source,
                        static_cast<uint8_t>(ttl), std::move(payload));
      } else {
        if (!err || (err->ee_origin != SO_EE_ORIGIN_ICMP &&
                     err->ee_origin != SO_EE_ORIGIN_ICMP6)) {
          continue;
        }
        e.packet = RebuildError(flow, *err, offender, payload);
      }
      events->push_back(std::move(e));
    }
  }

  // An ICMP error as the router sent it: its header, then the probe's IP
  // header (rebuilt) and the quoted ICMP message the kernel returned.
  static std::vector<uint8_t> RebuildError(const Flow& flow,
                                           const sock_extended_err& err,
                                           const IpAddress& offender,
                                           const std::vector<uint8_t>& quote) {
    const bool v4 = flow.destination.is_v4();
    std::vector<uint8_t> icmp(8, 0);
    icmp[0] = err.ee_type;
    icmp[1] = err.ee_code;
    if (err.ee_info != 0) {
      StoreU32(absl::MakeSpan(icmp), 4, err.ee_info);
    }
    std::vector<uint8_t> inner(v4 ? 20 : 40, 0);
    auto h = absl::MakeSpan(inner);
    if (v4) {
      h[0] = 0x45;
      StoreU16(h, 2, static_cast<uint16_t>(20 + quote.size()));
      h[8] = 1;
      h[9] = kProtoIcmp;
      std::copy(flow.source.bytes().begin(), flow.source.bytes().end(),
                h.begin() + 12);
      std::copy(flow.destination.bytes().begin(),
                flow.destination.bytes().end(), h.begin() + 16);
    } else {
      h[0] = 0x60;
      StoreU16(h, 4, static_cast<uint16_t>(quote.size()));
      h[6] = kProtoIcmpV6;
      h[7] = 1;
      std::copy(flow.source.bytes().begin(), flow.source.bytes().end(),
                h.begin() + 8);
      std::copy(flow.destination.bytes().begin(),
                flow.destination.bytes().end(), h.begin() + 24);
    }
    icmp.insert(icmp.end(), inner.begin(), inner.end());
    icmp.insert(icmp.end(), quote.begin(), quote.end());
    return Wrap(offender, flow.source, 0, std::move(icmp));
  }

  Clock* clock_;
  std::vector<uint8_t> buffer_;
  Fd epoll_;
  bool v4_ok_ = false;
  bool v6_ok_ = false;
  std::map<std::pair<bool, uint16_t>, int> flows_;  // (v4, ident) -> fd
  absl::flat_hash_map<int, Flow> sockets_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<PacketIo>> OpenPingSocketIo(Clock* clock) {
  auto io = std::make_unique<PingSocketIo>(clock);
  GRID_RETURN_IF_ERROR(io->Open());
  return std::unique_ptr<PacketIo>(std::move(io));
}

}  // namespace grid::probe
