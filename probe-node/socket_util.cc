#include "probe-node/socket_util.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace grid::probe {

absl::Status ErrnoStatus(int err, absl::string_view what) {
  const std::string msg = absl::StrCat(what, ": ", strerror(err));
  switch (err) {
    case EPERM:
    case EACCES:
      return absl::PermissionDeniedError(msg);
    case ENETUNREACH:
    case EHOSTUNREACH:
    case EADDRNOTAVAIL:
      return absl::UnavailableError(msg);
    case EINVAL:
    case EAFNOSUPPORT:
      return absl::InvalidArgumentError(msg);
    default:
      return absl::InternalError(msg);
  }
}

socklen_t ToSockaddr(const IpAddress& addr, sockaddr_storage* out) {
  memset(out, 0, sizeof(*out));
  if (addr.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(out);
    sin->sin_family = AF_INET;
    memcpy(&sin->sin_addr, addr.bytes().data(), 4);
    return sizeof(sockaddr_in);
  }
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(out);
  sin6->sin6_family = AF_INET6;
  memcpy(&sin6->sin6_addr, addr.bytes().data(), 16);
  return sizeof(sockaddr_in6);
}

IpAddress FromSockaddr(const sockaddr_storage& ss) {
  if (ss.ss_family == AF_INET) {
    const auto* sin = reinterpret_cast<const sockaddr_in*>(&ss);
    return IpAddress::FromBytes(absl::MakeConstSpan(
        reinterpret_cast<const uint8_t*>(&sin->sin_addr), 4));
  }
  const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&ss);
  return IpAddress::FromBytes(absl::MakeConstSpan(
      reinterpret_cast<const uint8_t*>(&sin6->sin6_addr), 16));
}

absl::StatusOr<IpAddress> LookupSource(const IpAddress& destination) {
  Fd fd(socket(destination.is_v4() ? AF_INET : AF_INET6,
               SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP));
  if (!fd.valid()) return ErrnoStatus(errno, "UDP socket for route lookup");
  sockaddr_storage ss;
  socklen_t len = ToSockaddr(destination, &ss);
  reinterpret_cast<sockaddr_in*>(&ss)->sin_port = htons(33434);
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    return ErrnoStatus(errno,
                       absl::StrCat("no route to ", destination.ToString()));
  }
  sockaddr_storage local;
  socklen_t local_len = sizeof(local);
  if (getsockname(fd.get(), reinterpret_cast<sockaddr*>(&local), &local_len) !=
      0) {
    return ErrnoStatus(errno, "getsockname");
  }
  return FromSockaddr(local);
}

absl::StatusOr<std::vector<ReadyFd>> EpollWaitUntil(int epoll_fd, Clock& clock,
                                                    absl::Time deadline,
                                                    absl::Duration coalesce) {
  constexpr int kMaxEvents = 64;
  epoll_event events[kMaxEvents];
  const absl::Duration until = deadline - clock.Now();
  if (until > absl::ZeroDuration() && until <= coalesce) {
    timespec ts = absl::ToTimespec(until);
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
    deadline = clock.Now();  // Then only collect what is ready.
  }
  while (true) {
    const absl::Duration left =
        std::max(absl::ZeroDuration(), deadline - clock.Now());
    const timespec ts = absl::ToTimespec(left);
    const int n = epoll_pwait2(epoll_fd, events, kMaxEvents, &ts, nullptr);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "epoll_pwait2");
    }
    std::vector<ReadyFd> ready;
    ready.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      ready.push_back(
          ReadyFd{events[i].data.fd, (events[i].events & EPOLLERR) != 0});
    }
    return ready;
  }
}

absl::Status SetIntOption(int fd, int level, int name, int value,
                          absl::string_view what) {
  if (setsockopt(fd, level, name, &value, sizeof(value)) != 0) {
    return ErrnoStatus(errno, absl::StrCat("setsockopt ", what));
  }
  return absl::OkStatus();
}

}  // namespace grid::probe
