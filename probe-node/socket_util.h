// Small helpers over the sockets API shared by the socket-based PacketIos:
// an owned file descriptor, sockaddr conversion, route lookup of the source
// address, and the epoll wait with a deadline.
#ifndef GRID_PROBE_NODE_SOCKET_UTIL_H_
#define GRID_PROBE_NODE_SOCKET_UTIL_H_

#include <sys/socket.h>
#include <unistd.h>

#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "probe-node/clock.h"
#include "probe-node/ip_address.h"

namespace grid::probe {

// Owns a file descriptor; closes it on destruction. Movable.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      Reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  ~Fd() { Reset(); }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void Reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// An errno as a Status: "what: strerror" with a matching code
// (EPERM/EACCES -> PermissionDenied).
absl::Status ErrnoStatus(int err, absl::string_view what);

// Fills a sockaddr for `addr` (port 0); returns its length.
socklen_t ToSockaddr(const IpAddress& addr, sockaddr_storage* out);
IpAddress FromSockaddr(const sockaddr_storage& ss);

// The source address the kernel picks toward `destination` (connects a
// UDP socket; sends nothing).
absl::StatusOr<IpAddress> LookupSource(const IpAddress& destination);

// Waits on `epoll_fd` until `deadline` of `clock`; returns the ready fds
// (and whether each has an error-queue event pending). When the deadline is
// at most `coalesce` away it sleeps until then and returns whatever is
// ready, rather than waking for each event. When the deadline is
// at most `coalesce` away it sleeps until then and returns whatever is
// ready, rather than waking for each event.
struct ReadyFd {
  int fd;
  bool error_queue;
};
absl::StatusOr<std::vector<ReadyFd>> EpollWaitUntil(
    int epoll_fd, Clock& clock, absl::Time deadline,
    absl::Duration coalesce = absl::ZeroDuration());

// Sets an int socket option; the error names the option.
absl::Status SetIntOption(int fd, int level, int name, int value,
                          absl::string_view what);

}  // namespace grid::probe

#endif  // GRID_PROBE_NODE_SOCKET_UTIL_H_
