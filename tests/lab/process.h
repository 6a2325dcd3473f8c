// Running programs, optionally inside a network namespace: synchronous runs
// with captured output and a timeout, and background processes.
// Thread-compatible; safe to call from a multithreaded process (the child
// only makes async-signal-safe calls between fork and exec).
#ifndef GRID_TESTS_LAB_PROCESS_H_
#define GRID_TESTS_LAB_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace grid::lab {

struct RunOptions {
  absl::Duration timeout = absl::Seconds(60);  // then SIGKILL + error
  std::string stdin_data = {};                 // fed to the child's stdin
};

struct RunResult {
  int exit_code = 0;  // exit status, or 128+signal if killed by one
  std::string out;    // stdout
  std::string err;    // stderr
};

// Runs argv (argv[0] looked up in PATH) to completion. `netns_fd` >= 0
// makes the child join that network namespace first. Fails only if the
// program cannot be started or times out; a non-zero exit is a result.
absl::StatusOr<RunResult> RunProcess(const std::vector<std::string>& argv,
                                     int netns_fd = -1,
                                     const RunOptions& options = {});

struct SpawnOptions {
  std::string stdout_path;      // empty: inherit (or capture, below)
  std::string stderr_path;      // empty: inherit
  bool capture_stdout = false;  // stdout to a pipe (Spawned::stdout_fd)
  bool new_session = false;     // setsid(): survive the parent's terminal
};

struct Spawned {
  pid_t pid = -1;
  int stdout_fd = -1;  // read end when capture_stdout; caller closes it
};

absl::StatusOr<Spawned> SpawnProcess(const std::vector<std::string>& argv,
                                     int netns_fd = -1,
                                     const SpawnOptions& options = {});

// Reads from `fd` until a line equal to `line` arrives, EOF, or `timeout`.
absl::Status WaitForLine(int fd, const std::string& line,
                         absl::Duration timeout);

// SIGTERM, then SIGKILL after `grace`; reaps the process if it is our
// child. OK if the process is already gone.
absl::Status TerminateProcess(pid_t pid,
                              absl::Duration grace = absl::Seconds(2));

// Resolves a program name through PATH ("ip" -> "/usr/sbin/ip").
absl::StatusOr<std::string> FindProgram(const std::string& name);

// Shell-like rendering of argv for error messages.
std::string JoinArgv(const std::vector<std::string>& argv);

}  // namespace grid::lab

#endif  // GRID_TESTS_LAB_PROCESS_H_
