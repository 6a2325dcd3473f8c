// `grid trace` and the target policy: the real binary refuses a target the
// policy forbids in one line with exit status 2, before any packet is sent.
// Only loopback-class targets are used, so nothing could leave the machine.
#include <gtest/gtest.h>

#include <string>

#include "tests/cli/run_grid.h"

namespace grid::cli {
namespace {

TEST(TraceCommand, RefusesForbiddenTargetsInOneLine) {
  const struct {
    const char* args;
    const char* out;
  } cases[] = {
      {"127.0.0.1",
       "grid trace: target 127.0.0.1 refused: loopback address (allow with "
       "--allow-target 127.0.0.0/8)\n"},
      {"::1",
       "grid trace: target ::1 refused: loopback address (allow with "
       "--allow-target ::1/128)\n"},
      // --allow-private does not open loopback; a name shows its address.
      {"--allow-private localhost -4",
       "grid trace: target localhost (127.0.0.1) refused: loopback address "
       "(allow with --allow-target 127.0.0.0/8)\n"},
      {"0.0.0.0",
       "grid trace: target 0.0.0.0 refused: unspecified address (allow with "
       "--allow-target 0.0.0.0/32)\n"},
      {"--allow-target 127.0.0.0/33 127.0.0.1",
       "grid trace: --allow-target: bad CIDR \"127.0.0.0/33\": prefix length "
       "must be 0..32\n"},
      // One CIDR per flag, never the TARGET. The allowlist lifts the
      // policy; the probe engine itself still cannot trace loopback.
      {"--allow-target 198.18.0.0/15 --allow-target 127.0.0.0/8 127.0.0.1",
       "grid trace: 127.0.0.1 is not a unicast address\n"},
  };
  for (const auto& c : cases) {
    const Result r = Grid(std::string("trace -c 1 ") + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_EQ(r.out, c.out) << c.args;
  }
}

}  // namespace
}  // namespace grid::cli
