// Named network namespaces (/run/netns/NAME, as `ip netns` makes them):
// entering one from the current thread, listing them and the processes in
// them, and reading/writing their sysctls.
#ifndef GRID_TESTS_LAB_NETNS_H_
#define GRID_TESTS_LAB_NETNS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace grid::lab {

std::string NetnsPath(const std::string& name);

// An open file descriptor on a named namespace. Move-only.
class NetnsFd {
 public:
  static absl::StatusOr<NetnsFd> Open(const std::string& name);
  NetnsFd() = default;
  NetnsFd(NetnsFd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  NetnsFd& operator=(NetnsFd&& o) noexcept;
  ~NetnsFd();
  int get() const { return fd_; }

 private:
  explicit NetnsFd(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Moves the calling thread into a namespace for its lifetime and back on
// destruction. Sockets opened meanwhile stay in that namespace. Must be
// destroyed on the thread that created it. Move-only.
class ScopedNetns {
 public:
  static absl::StatusOr<ScopedNetns> Enter(const std::string& name);
  ScopedNetns(ScopedNetns&& o) noexcept : saved_(o.saved_) { o.saved_ = -1; }
  ScopedNetns& operator=(ScopedNetns&&) = delete;
  ~ScopedNetns();

 private:
  explicit ScopedNetns(int saved) : saved_(saved) {}
  int saved_ = -1;  // the thread's previous namespace
};

// Names in /run/netns starting with `prefix` (all if empty), sorted.
std::vector<std::string> ListNetns(const std::string& prefix = "");
bool NetnsExists(const std::string& name);

// Processes whose network namespace is `name`.
std::vector<pid_t> PidsInNetns(const std::string& name);

// Terminates every process in namespace `name` (SIGTERM, then SIGKILL).
absl::Status KillNetnsProcesses(const std::string& name);

// Sysctls of the calling thread's namespace ("net.ipv4.ip_forward").
absl::Status WriteSysctl(const std::string& key, const std::string& value);
absl::StatusOr<std::string> ReadSysctl(const std::string& key);

}  // namespace grid::lab

#endif  // GRID_TESTS_LAB_NETNS_H_
