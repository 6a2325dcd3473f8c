#include "tests/lab/netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "tests/lab/process.h"

namespace grid::lab {
namespace {

absl::Status Errno(const std::string& what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

std::string SysctlPath(const std::string& key) {
  return "/proc/sys/" + absl::StrReplaceAll(key, {{".", "/"}});
}

}  // namespace

std::string NetnsPath(const std::string& name) { return "/run/netns/" + name; }

absl::StatusOr<NetnsFd> NetnsFd::Open(const std::string& name) {
  const int fd = open(NetnsPath(name).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("open namespace " + name);
  return NetnsFd(fd);
}

NetnsFd& NetnsFd::operator=(NetnsFd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

NetnsFd::~NetnsFd() {
  if (fd_ >= 0) close(fd_);
}

absl::StatusOr<ScopedNetns> ScopedNetns::Enter(const std::string& name) {
  const int saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (saved < 0) return Errno("open own namespace");
  auto target = NetnsFd::Open(name);
  if (!target.ok()) {
    close(saved);
    return target.status();
  }
  if (setns(target->get(), CLONE_NEWNET) != 0) {
    absl::Status s = Errno("setns " + name);
    close(saved);
    return s;
  }
  return ScopedNetns(saved);
}

ScopedNetns::~ScopedNetns() {
  if (saved_ < 0) return;
  // Failing to return would leave the thread in a lab namespace: that breaks
  // an internal invariant, so stop hard rather than go on silently.
  if (setns(saved_, CLONE_NEWNET) != 0) std::abort();
  close(saved_);
}

std::vector<std::string> ListNetns(const std::string& prefix) {
  std::vector<std::string> out;
  DIR* d = opendir("/run/netns");
  if (!d) return out;
  while (dirent* e = readdir(d)) {
    const std::string n = e->d_name;
    if (n == "." || n == "..") continue;
    if (absl::StartsWith(n, prefix)) out.push_back(n);
  }
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

bool NetnsExists(const std::string& name) {
  struct stat st;
  return stat(NetnsPath(name).c_str(), &st) == 0;
}

std::vector<pid_t> PidsInNetns(const std::string& name) {
  std::vector<pid_t> out;
  struct stat target;
  if (stat(NetnsPath(name).c_str(), &target) != 0) return out;
  DIR* d = opendir("/proc");
  if (!d) return out;
  while (dirent* e = readdir(d)) {
    int pid = 0;
    if (!absl::SimpleAtoi(e->d_name, &pid) || pid <= 0) continue;
    struct stat st;
    const std::string p = absl::StrCat("/proc/", pid, "/ns/net");
    if (stat(p.c_str(), &st) != 0) continue;
    if (st.st_ino == target.st_ino && st.st_dev == target.st_dev) {
      out.push_back(pid);
    }
  }
  closedir(d);
  return out;
}

absl::Status KillNetnsProcesses(const std::string& name) {
  absl::Status first;
  for (pid_t pid : PidsInNetns(name)) {
    if (pid == getpid()) continue;
    absl::Status s = TerminateProcess(pid, absl::Seconds(1));
    if (first.ok()) first = s;
  }
  return first;
}

absl::Status WriteSysctl(const std::string& key, const std::string& value) {
  const std::string path = SysctlPath(key);
  std::ofstream f(path);
  if (!f) return absl::NotFoundError("no sysctl " + key + " (" + path + ")");
  f << value << "\n";
  f.close();
  if (!f) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot set ", key, "=", value));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadSysctl(const std::string& key) {
  std::ifstream f(SysctlPath(key));
  if (!f) return absl::NotFoundError("no sysctl " + key);
  std::stringstream ss;
  ss << f.rdbuf();
  return std::string(absl::StripAsciiWhitespace(ss.str()));
}

}  // namespace grid::lab
