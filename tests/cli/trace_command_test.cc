// `grid trace` and the target policy: the real binary refuses a target the
// policy forbids in one line with exit status 2, before any packet is sent.
// Only loopback-class targets are used, so nothing could leave the machine.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace grid::cli {
namespace {

struct Result {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

Result GridTrace(const std::string& args) {
  Result r;
  FILE* p = popen(
      (std::string(GRID_BINARY) + " trace -c 1 " + args + " 2>&1").c_str(),
      "r");
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
    r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(TraceCommand, RefusesForbiddenTargetsInOneLine) {
  Result r = GridTrace("127.0.0.1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "grid trace: target 127.0.0.1 refused: loopback address (allow "
            "with --allow-target 127.0.0.0/8)\n");
  r = GridTrace("::1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "grid trace: target ::1 refused: loopback address (allow with "
            "--allow-target ::1/128)\n");
  // --allow-private does not open loopback; a name shows its address.
  r = GridTrace("--allow-private localhost -4");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "grid trace: target localhost (127.0.0.1) refused: loopback "
            "address (allow with --allow-target 127.0.0.0/8)\n");
  r = GridTrace("0.0.0.0");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "grid trace: target 0.0.0.0 refused: unspecified address (allow "
            "with --allow-target 0.0.0.0/32)\n");
}

TEST(TraceCommand, BadAllowTargetNamesTheFlag) {
  Result r = GridTrace("--allow-target 127.0.0.0/33 127.0.0.1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out.rfind("grid trace: --allow-target: bad CIDR", 0), 0u)
      << r.out;
}

TEST(TraceCommand, AllowTargetTakesOneCidrNeverTheTarget) {
  // The allowlist lifts the policy; the probe engine itself still cannot
  // trace loopback, which it says.
  Result r = GridTrace(
      "--allow-target 198.18.0.0/15 --allow-target "
      "127.0.0.0/8 127.0.0.1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "grid trace: 127.0.0.1 is not a unicast address\n");
}

}  // namespace
}  // namespace grid::cli
