#include "probe-node/raw_socket_io.h"

// The libc networking headers must come before the kernel's.
#include <netinet/in.h>
// clang-format off
#include <netinet/icmp6.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <linux/icmp.h>
#include <linux/net_tstamp.h>
// clang-format on
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "probe-node/byte_reader.h"
#include "probe-node/probe_key.h"
#include "probe-node/socket_util.h"

namespace grid::probe {
namespace {

constexpr int kReceiveBuffer = 4 << 20;
constexpr uint32_t kV6TxBit = 0x80000000u;
// Replies carry kernel timestamps, so reading them can wait this long:
// waits shorter than this sleep and then read everything at once, instead
// of waking for every packet (fewer system calls under load).
constexpr absl::Duration kCoalesce = absl::Milliseconds(10);

// Buffers for receiving up to kBatch messages with one recvmmsg.
struct RecvBatch {
  static constexpr int kBatch = 32;
  static constexpr size_t kBufferSize = 4096;
  static constexpr size_t kControlSize = 256;
  std::array<std::array<uint8_t, kBufferSize>, kBatch> buffers;
  std::array<std::array<char, kControlSize>, kBatch> controls;
  std::array<sockaddr_storage, kBatch> names;
  std::array<iovec, kBatch> iovs;
  std::array<mmsghdr, kBatch> headers;

  // Receives what is queued (flags: 0 or MSG_ERRQUEUE); returns the count,
  // 0 when nothing is queued or on error.
  int Receive(int fd, int flags) {
    for (int i = 0; i < kBatch; ++i) {
      iovs[i] = iovec{buffers[i].data(), kBufferSize};
      msghdr& m = headers[i].msg_hdr;
      m = msghdr{};
      m.msg_name = &names[i];
      m.msg_namelen = sizeof(sockaddr_storage);
      m.msg_iov = &iovs[i];
      m.msg_iovlen = 1;
      m.msg_control = controls[i].data();
      m.msg_controllen = kControlSize;
      headers[i].msg_len = 0;
    }
    const int n =
        recvmmsg(fd, headers.data(), kBatch, flags | MSG_DONTWAIT, nullptr);
    return n < 0 ? 0 : n;
  }
};

struct FamilySockets {
  bool open = false;
  std::string error;  // Why the family is unavailable.
  Fd send;
  Fd icmp;
  Fd tcp;
  uint32_t sent = 0;  // Successful sends: the kernel's OPT_ID counter + 1.
};

absl::StatusOr<Fd> RawSocket(int family, int protocol) {
  Fd fd(socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol));
  if (!fd.valid()) {
    return ErrnoStatus(
        errno, absl::StrCat("raw socket (", family == AF_INET ? "IPv4" : "IPv6",
                            ", protocol ", protocol, ")"));
  }
  return fd;
}

absl::Status SetupReceive(int fd, int family) {
  GRID_RETURN_IF_ERROR(
      SetIntOption(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS"));
  // Best effort: the kernel caps it at net.core.rmem_max.
  SetIntOption(fd, SOL_SOCKET, SO_RCVBUF, kReceiveBuffer, "SO_RCVBUF")
      .IgnoreError();
  if (family == AF_INET6) {
    GRID_RETURN_IF_ERROR(SetIntOption(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1,
                                      "IPV6_RECVHOPLIMIT"));
    GRID_RETURN_IF_ERROR(SetIntOption(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1,
                                      "IPV6_RECVPKTINFO"));
  }
  return absl::OkStatus();
}

absl::Status OpenFamily(int family, bool tx_timestamps, FamilySockets& f) {
  const bool v4 = family == AF_INET;
  GRID_ASSIGN_OR_RETURN(f.send, RawSocket(family, IPPROTO_RAW));
  if (tx_timestamps) {
    const int ts_flags = SOF_TIMESTAMPING_TX_SOFTWARE |
                         SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_ID |
                         SOF_TIMESTAMPING_OPT_TSONLY;
    GRID_RETURN_IF_ERROR(SetIntOption(f.send.get(), SOL_SOCKET, SO_TIMESTAMPING,
                                      ts_flags, "SO_TIMESTAMPING"));
  }
  GRID_ASSIGN_OR_RETURN(
      f.icmp, RawSocket(family, v4 ? static_cast<int>(IPPROTO_ICMP)
                                   : static_cast<int>(IPPROTO_ICMPV6)));
  GRID_ASSIGN_OR_RETURN(f.tcp, RawSocket(family, IPPROTO_TCP));
  GRID_RETURN_IF_ERROR(SetupReceive(f.icmp.get(), family));
  GRID_RETURN_IF_ERROR(SetupReceive(f.tcp.get(), family));
  // Only the ICMP types that answer probes reach the prober.
  if (v4) {
    icmp_filter filter;
    filter.data = ~((1u << ICMP_ECHOREPLY) | (1u << ICMP_DEST_UNREACH) |
                    (1u << ICMP_TIME_EXCEEDED) | (1u << ICMP_PARAMETERPROB));
    if (setsockopt(f.icmp.get(), SOL_RAW, ICMP_FILTER, &filter,
                   sizeof(filter)) != 0) {
      return ErrnoStatus(errno, "setsockopt ICMP_FILTER");
    }
  } else {
    icmp6_filter filter;
    ICMP6_FILTER_SETBLOCKALL(&filter);
    ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
    ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &filter);
    ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &filter);
    ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &filter);
    ICMP6_FILTER_SETPASS(ICMP6_PARAM_PROB, &filter);
    if (setsockopt(f.icmp.get(), IPPROTO_ICMPV6, ICMP6_FILTER, &filter,
                   sizeof(filter)) != 0) {
      return ErrnoStatus(errno, "setsockopt ICMP6_FILTER");
    }
  }
  f.open = true;
  return absl::OkStatus();
}

class RawSocketIo : public PacketIo {
 public:
  RawSocketIo(Clock* clock, bool tx_timestamps)
      : clock_(clock), tx_timestamps_(tx_timestamps) {}

  absl::Status Open() {
    epoll_ = Fd(epoll_create1(EPOLL_CLOEXEC));
    if (!epoll_.valid()) return ErrnoStatus(errno, "epoll_create1");
    absl::Status s4 = OpenFamily(AF_INET, tx_timestamps_, v4_);
    absl::Status s6 = OpenFamily(AF_INET6, tx_timestamps_, v6_);
    if (!s4.ok() && !s6.ok()) return s4;
    if (!s4.ok()) v4_.error = std::string(s4.message());
    if (!s6.ok()) v6_.error = std::string(s6.message());
    for (FamilySockets* f : {&v4_, &v6_}) {
      if (!f->open) continue;
      GRID_RETURN_IF_ERROR(Watch(f->send.get(), 0));
      GRID_RETURN_IF_ERROR(Watch(f->icmp.get(), EPOLLIN));
      GRID_RETURN_IF_ERROR(Watch(f->tcp.get(), EPOLLIN));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<IpAddress> SourceFor(const IpAddress& destination) override {
    return LookupSource(destination);
  }

  absl::StatusOr<uint16_t> OpenFlow(ProbeMethod, const IpAddress&,
                                    uint16_t wanted) override {
    return wanted;
  }

  absl::StatusOr<SendReceipt> Send(const IpAddress& destination,
                                   absl::Span<const uint8_t> packet) override {
    FamilySockets& f = destination.is_v4() ? v4_ : v6_;
    if (!f.open) return absl::FailedPreconditionError(Limitations());
    sockaddr_storage ss;
    const socklen_t len = ToSockaddr(destination, &ss);
    SendReceipt receipt;
    receipt.time = absl::Now();
    if (sendto(f.send.get(), packet.data(), packet.size(), 0,
               reinterpret_cast<sockaddr*>(&ss), len) < 0) {
      return ErrnoStatus(errno,
                         absl::StrCat("send to ", destination.ToString()));
    }
    ++f.sent;
    if (tx_timestamps_) {
      receipt.tx_id = destination.is_v4() ? f.sent : (f.sent | kV6TxBit);
    }
    return receipt;
  }

  absl::Status Wait(absl::Time deadline,
                    std::vector<IoEvent>* events) override {
    GRID_ASSIGN_OR_RETURN(
        std::vector<ReadyFd> ready,
        EpollWaitUntil(epoll_.get(), *clock_, deadline, kCoalesce));
    for (const ReadyFd& r : ready) {
      if (r.fd == v4_.send.get() || r.fd == v6_.send.get()) {
        DrainTxTimestamps(r.fd, r.fd == v6_.send.get(), events);
      } else if (r.fd == v4_.icmp.get() || r.fd == v4_.tcp.get()) {
        DrainPackets(r.fd, AF_INET, 0, events);
      } else {
        DrainPackets(r.fd, AF_INET6,
                     r.fd == v6_.icmp.get() ? kProtoIcmpV6 : kProtoTcp, events);
      }
    }
    return absl::OkStatus();
  }

  std::string Limitations() const override {
    std::string out;
    if (!v4_.open) absl::StrAppend(&out, "IPv4 unavailable: ", v4_.error);
    if (!v6_.open) {
      absl::StrAppend(&out, out.empty() ? "" : "; ",
                      "IPv6 unavailable: ", v6_.error);
    }
    return out;
  }

  bool Supports(ProbeMethod, IpFamily family) const override {
    return family == IpFamily::kV4 ? v4_.open : v6_.open;
  }

 private:
  absl::Status Watch(int fd, uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) {
      return ErrnoStatus(errno, "epoll_ctl");
    }
    return absl::OkStatus();
  }

  // Reads every queued packet, kBatch per system call. IPv6 raw sockets
  // deliver the payload only: the header is rebuilt from the source,
  // PKTINFO and HOPLIMIT.
  void DrainPackets(int fd, int family, uint8_t v6_proto,
                    std::vector<IoEvent>* events) {
    while (true) {
      const int n = batch_.Receive(fd, 0);
      for (int i = 0; i < n; ++i) {
        const msghdr& msg = batch_.headers[i].msg_hdr;
        if (msg.msg_flags & MSG_TRUNC) continue;  // Not a probe reply.
        const size_t len = batch_.headers[i].msg_len;
        const uint8_t* data = batch_.buffers[i].data();
        IoEvent e;
        e.time = absl::Now();
        int hop_limit = 0;
        IpAddress local;
        for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr;
             c = CMSG_NXTHDR(const_cast<msghdr*>(&msg), c)) {
          if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            timespec ts;
            memcpy(&ts, CMSG_DATA(c), sizeof(ts));
            e.time = absl::TimeFromTimespec(ts);
          } else if (c->cmsg_level == IPPROTO_IPV6 &&
                     c->cmsg_type == IPV6_HOPLIMIT) {
            memcpy(&hop_limit, CMSG_DATA(c), sizeof(hop_limit));
          } else if (c->cmsg_level == IPPROTO_IPV6 &&
                     c->cmsg_type == IPV6_PKTINFO) {
            in6_pktinfo info;
            memcpy(&info, CMSG_DATA(c), sizeof(info));
            local = IpAddress::FromBytes(absl::MakeConstSpan(
                reinterpret_cast<const uint8_t*>(&info.ipi6_addr), 16));
          }
        }
        if (family == AF_INET) {
          e.packet.assign(data, data + len);
        } else {
          e.packet.assign(40, 0);
          auto h = absl::MakeSpan(e.packet);
          h[0] = 0x60;
          StoreU16(h, 4, static_cast<uint16_t>(len));
          h[6] = v6_proto;
          h[7] = static_cast<uint8_t>(hop_limit);
          const IpAddress src = FromSockaddr(batch_.names[i]);
          std::copy(src.bytes().begin(), src.bytes().end(), h.begin() + 8);
          std::copy(local.bytes().begin(), local.bytes().end(), h.begin() + 24);
          e.packet.insert(e.packet.end(), data, data + len);
        }
        events->push_back(std::move(e));
      }
      if (n < RecvBatch::kBatch) return;  // Drained (or an error).
    }
  }

  void DrainTxTimestamps(int fd, bool v6, std::vector<IoEvent>* events) {
    while (true) {
      const int n = batch_.Receive(fd, MSG_ERRQUEUE);
      for (int i = 0; i < n; ++i) {
        const msghdr& msg = batch_.headers[i].msg_hdr;
        std::optional<absl::Time> when;
        std::optional<uint32_t> id;
        for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr;
             c = CMSG_NXTHDR(const_cast<msghdr*>(&msg), c)) {
          if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING) {
            scm_timestamping ts;
            memcpy(&ts, CMSG_DATA(c), sizeof(ts));
            when = absl::TimeFromTimespec(ts.ts[0]);
          } else if ((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
                     (c->cmsg_level == SOL_IPV6 &&
                      c->cmsg_type == IPV6_RECVERR)) {
            sock_extended_err err;
            memcpy(&err, CMSG_DATA(c), sizeof(err));
            if (err.ee_origin == SO_EE_ORIGIN_TIMESTAMPING) id = err.ee_data;
          }
        }
        if (when && id) {
          IoEvent e;
          e.type = IoEvent::Type::kTxTimestamp;
          e.time = *when;
          e.tx_id = (*id + 1) | (v6 ? kV6TxBit : 0);
          events->push_back(std::move(e));
        }
      }
      if (n < RecvBatch::kBatch) return;
    }
  }

  Clock* clock_;
  const bool tx_timestamps_;
  RecvBatch batch_;
  Fd epoll_;
  FamilySockets v4_;
  FamilySockets v6_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<PacketIo>> OpenRawSocketIo(Clock* clock,
                                                          bool tx_timestamps) {
  auto io = std::make_unique<RawSocketIo>(clock, tx_timestamps);
  GRID_RETURN_IF_ERROR(io->Open());
  return std::unique_ptr<PacketIo>(std::move(io));
}

}  // namespace grid::probe
