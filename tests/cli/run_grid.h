// Runs the real `grid` binary (GRID_BINARY) as a user would, for the CLI
// tests.
#ifndef GRID_TESTS_CLI_RUN_GRID_H_
#define GRID_TESTS_CLI_RUN_GRID_H_

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace grid::cli {

struct Result {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

// `args` is a shell word list: "analyze --json --fwd X=file".
inline Result Grid(const std::string& args) {
  Result r;
  FILE* p =
      popen((std::string(GRID_BINARY) + " " + args + " 2>&1").c_str(), "r");
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
    r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace grid::cli

#endif  // GRID_TESTS_CLI_RUN_GRID_H_
