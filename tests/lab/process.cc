#include "tests/lab/process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace grid::lab {
namespace {

absl::Status Errno(const std::string& what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

// argv as a NULL-terminated char* array, built before fork.
struct CArgv {
  explicit CArgv(const std::vector<std::string>& argv) {
    for (const std::string& a : argv)
      ptrs.push_back(const_cast<char*>(a.c_str()));
    ptrs.push_back(nullptr);
  }
  std::vector<char*> ptrs;
};

// Child side after fork: join the namespace, wire fds, exec. Only
// async-signal-safe calls. Never returns.
// Failure codes the child writes to the status pipe.
constexpr char kSetnsFailed = 'n';
constexpr char kDupFailed = 'd';
constexpr char kExecFailed = 'e';

// Child side after fork: join the namespace, wire fds, exec. Only
// async-signal-safe calls. `status_fd` (close-on-exec) gets one failure
// byte, or closes at a successful exec. Never returns.
[[noreturn]] void ExecChild(const char* path, char* const* argv, int netns_fd,
                            int in_fd, int out_fd, int err_fd, bool setsid_,
                            int status_fd) {
  auto fail = [status_fd](char code) {
    if (write(status_fd, &code, 1) < 0) {
    }
    _exit(127);
  };
  if (setsid_) setsid();
  if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) != 0) fail(kSetnsFailed);
  if (in_fd >= 0 && dup2(in_fd, 0) < 0) fail(kDupFailed);
  if (out_fd >= 0 && dup2(out_fd, 1) < 0) fail(kDupFailed);
  if (err_fd >= 0 && dup2(err_fd, 2) < 0) fail(kDupFailed);
  // Restore default signal handling the parent may have changed.
  signal(SIGPIPE, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  execv(path, argv);
  fail(kExecFailed);
  _exit(127);  // not reached; fail() exits
}

// Parent side: waits until the child has exec'd (EOF) or failed (a byte).
absl::Status AwaitExec(int status_fd, pid_t pid, const std::string& what) {
  char code = 0;
  ssize_t n;
  while ((n = read(status_fd, &code, 1)) < 0 && errno == EINTR) {
  }
  close(status_fd);
  if (n <= 0) return absl::OkStatus();
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  switch (code) {
    case kSetnsFailed:
      return absl::InternalError("cannot enter the network namespace for '" +
                                 what + "'");
    case kExecFailed:
      return absl::NotFoundError("cannot execute '" + what + "'");
    default:
      return absl::InternalError("cannot set up file descriptors for '" + what +
                                 "'");
  }
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::string JoinArgv(const std::vector<std::string>& argv) {
  return absl::StrJoin(argv, " ");
}

absl::StatusOr<std::string> FindProgram(const std::string& name) {
  if (name.empty()) return absl::InvalidArgumentError("empty program name");
  if (name.find('/') != std::string::npos) {
    if (access(name.c_str(), X_OK) == 0) return name;
    return absl::NotFoundError(name + ": not an executable file");
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/sbin:/usr/bin:/sbin:/bin";
  // Namespaced tools (ip, iptables, sysctl) live in sbin, which a non-login
  // PATH may lack.
  dirs += ":/usr/local/sbin:/usr/sbin:/sbin";
  for (absl::string_view dir : absl::StrSplit(dirs, ':', absl::SkipEmpty())) {
    std::string candidate = absl::StrCat(dir, "/", name);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return absl::NotFoundError(
      absl::StrCat("program '", name, "' not found in PATH"));
}

absl::StatusOr<RunResult> RunProcess(const std::vector<std::string>& argv,
                                     int netns_fd, const RunOptions& options) {
  if (argv.empty()) return absl::InvalidArgumentError("empty command");
  auto path = FindProgram(argv[0]);
  if (!path.ok()) return path.status();
  CArgv cargv(argv);
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0) return Errno("pipe");
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]), close(in[1]);
    return Errno("pipe");
  }
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(in[0]), close(in[1]), close(out[0]), close(out[1]);
    return Errno("pipe");
  }
  int status[2];
  if (pipe2(status, O_CLOEXEC) != 0) {
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) close(fd);
    return Errno("pipe");
  }
  const pid_t pid = fork();
  if (pid < 0) {
    for (int fd :
         {in[0], in[1], out[0], out[1], err[0], err[1], status[0], status[1]}) {
      close(fd);
    }
    return Errno("fork");
  }
  if (pid == 0) {
    ExecChild(path->c_str(), cargv.ptrs.data(), netns_fd, in[0], out[1], err[1],
              false, status[1]);
  }
  close(status[1]);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (absl::Status s = AwaitExec(status[0], pid, JoinArgv(argv)); !s.ok()) {
    for (int fd : {in[1], out[0], err[0]}) close(fd);
    return s;
  }
  RunResult result;
  size_t written = 0;
  int in_fd = in[1];
  if (options.stdin_data.empty()) {
    close(in_fd);
    in_fd = -1;
  } else {
    fcntl(in_fd, F_SETFL, O_NONBLOCK);
  }
  const absl::Time deadline = absl::Now() + options.timeout;
  bool out_open = true, err_open = true, timed_out = false;
  char buf[16384];
  while (out_open || err_open) {
    pollfd fds[3];
    int n = 0;
    if (out_open) fds[n++] = {out[0], POLLIN, 0};
    if (err_open) fds[n++] = {err[0], POLLIN, 0};
    if (in_fd >= 0) fds[n++] = {in_fd, POLLOUT, 0};
    const int64_t ms = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (ms <= 0) {
      timed_out = true;
      break;
    }
    const int r = poll(fds, n, static_cast<int>(std::min<int64_t>(ms, 1000)));
    if (r < 0 && errno != EINTR) break;
    for (int i = 0; i < n && r > 0; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in_fd) {
        const ssize_t w = write(in_fd, options.stdin_data.data() + written,
                                options.stdin_data.size() - written);
        if (w > 0) written += w;
        if (w < 0 && errno != EAGAIN) written = options.stdin_data.size();
        if (written >= options.stdin_data.size()) {
          close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      const ssize_t got = read(fds[i].fd, buf, sizeof(buf));
      if (got > 0) {
        (fds[i].fd == out[0] ? result.out : result.err).append(buf, got);
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        (fds[i].fd == out[0] ? out_open : err_open) = false;
      }
    }
  }
  if (in_fd >= 0) close(in_fd);
  close(out[0]);
  close(err[0]);
  if (timed_out) kill(pid, SIGKILL);
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return absl::DeadlineExceededError(
        absl::StrCat("'", JoinArgv(argv), "' did not finish within ",
                     absl::FormatDuration(options.timeout),
                     "; output so far: ", result.out, result.err));
  }
  result.exit_code = DecodeStatus(wait_status);
  return result;
}

absl::StatusOr<Spawned> SpawnProcess(const std::vector<std::string>& argv,
                                     int netns_fd,
                                     const SpawnOptions& options) {
  if (argv.empty()) return absl::InvalidArgumentError("empty command");
  auto path = FindProgram(argv[0]);
  if (!path.ok()) return path.status();
  CArgv cargv(argv);
  int out_fd = -1, err_fd = -1, pipe_fds[2] = {-1, -1};
  int null_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  auto cleanup = [&] {
    for (int fd : {out_fd, err_fd, pipe_fds[1], null_in}) {
      if (fd >= 0) close(fd);
    }
  };
  if (options.capture_stdout) {
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return Errno("pipe");
    out_fd = pipe_fds[1];
    pipe_fds[1] = -1;
  } else if (!options.stdout_path.empty()) {
    out_fd = open(options.stdout_path.c_str(),
                  O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out_fd < 0) {
      cleanup();
      return Errno("open " + options.stdout_path);
    }
  }
  if (!options.stderr_path.empty()) {
    err_fd = open(options.stderr_path.c_str(),
                  O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (err_fd < 0) {
      cleanup();
      if (pipe_fds[0] >= 0) close(pipe_fds[0]);
      return Errno("open " + options.stderr_path);
    }
  }
  int status[2];
  if (pipe2(status, O_CLOEXEC) != 0) {
    cleanup();
    if (pipe_fds[0] >= 0) close(pipe_fds[0]);
    return Errno("pipe");
  }
  const pid_t pid = fork();
  if (pid < 0) {
    cleanup();
    for (int fd : {pipe_fds[0], status[0], status[1]}) {
      if (fd >= 0) close(fd);
    }
    return Errno("fork");
  }
  if (pid == 0) {
    ExecChild(path->c_str(), cargv.ptrs.data(), netns_fd, null_in, out_fd,
              err_fd, options.new_session, status[1]);
  }
  close(status[1]);
  cleanup();
  // On return the child runs the program, in the namespace.
  if (absl::Status s = AwaitExec(status[0], pid, JoinArgv(argv)); !s.ok()) {
    if (pipe_fds[0] >= 0) close(pipe_fds[0]);
    return s;
  }
  return Spawned{pid, pipe_fds[0]};
}

absl::Status WaitForLine(int fd, const std::string& line,
                         absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  std::string got;
  char buf[512];
  for (;;) {
    const size_t nl = got.find('\n');
    if (nl != std::string::npos) {
      if (got.substr(0, nl) == line) return absl::OkStatus();
      got.erase(0, nl + 1);
      continue;
    }
    const int64_t ms = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (ms <= 0) {
      return absl::DeadlineExceededError(absl::StrCat(
          "no '", line, "' within ", absl::FormatDuration(timeout)));
    }
    pollfd p{fd, POLLIN, 0};
    const int r = poll(&p, 1, static_cast<int>(ms));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n == 0)
      return absl::UnavailableError("process exited before '" + line + "'");
    if (n < 0 && errno != EINTR) return Errno("read");
    if (n > 0) got.append(buf, n);
  }
}

absl::Status TerminateProcess(pid_t pid, absl::Duration grace) {
  if (pid <= 0) return absl::InvalidArgumentError("bad pid");
  if (kill(pid, SIGTERM) != 0) {
    if (errno == ESRCH) {
      waitpid(pid, nullptr, WNOHANG);
      return absl::OkStatus();
    }
    return Errno(absl::StrCat("kill ", pid));
  }
  const absl::Time deadline = absl::Now() + grace;
  bool sent_kill = false;
  for (;;) {
    int status;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return absl::OkStatus();
    if (r < 0 && errno == ECHILD) {
      // Not our child (e.g. started by an earlier grid-lab run): poll.
      if (kill(pid, 0) != 0 && errno == ESRCH) return absl::OkStatus();
    }
    if (!sent_kill && absl::Now() > deadline) {
      kill(pid, SIGKILL);
      sent_kill = true;
    }
    if (sent_kill && absl::Now() > deadline + absl::Seconds(5)) {
      return absl::DeadlineExceededError(
          absl::StrCat("process ", pid, " survived SIGKILL"));
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
}

}  // namespace grid::lab
