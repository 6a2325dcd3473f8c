#include "probe-node/agent/source_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace grid::probe::agent {

absl::StatusOr<std::string> SourceAddressToward(absl::string_view target) {
  const std::string t(target);
  sockaddr_storage dst{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&dst);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&dst);
  if (inet_pton(AF_INET, t.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(33434);
    len = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, t.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(33434);
    len = sizeof(sockaddr_in6);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", target, "\" is not an IP address"));
  }
  const int fd = socket(dst.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("socket: ", std::strerror(errno)));
  }
  sockaddr_storage src{};
  socklen_t src_len = sizeof(src);
  if (connect(fd, reinterpret_cast<sockaddr*>(&dst), len) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&src), &src_len) != 0) {
    const int err = errno;
    close(fd);
    return absl::UnavailableError(
        absl::StrCat("no route to ", target, ": ", std::strerror(err)));
  }
  close(fd);
  char buf[INET6_ADDRSTRLEN] = {};
  const void* addr =
      src.ss_family == AF_INET
          ? static_cast<const void*>(
                &reinterpret_cast<sockaddr_in*>(&src)->sin_addr)
          : static_cast<const void*>(
                &reinterpret_cast<sockaddr_in6*>(&src)->sin6_addr);
  inet_ntop(src.ss_family, addr, buf, sizeof(buf));
  return std::string(buf);
}

}  // namespace grid::probe::agent
