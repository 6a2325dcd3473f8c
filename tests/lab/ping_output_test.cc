#include "gtest/gtest.h"
#include "tests/lab/lab.h"

namespace grid::lab {
namespace {

TEST(PingOutput, ParsesSummary) {
  auto r = ParsePingOutput(
      "PING 198.18.0.2 (198.18.0.2) 56(84) bytes of data.\n\n"
      "--- 198.18.0.2 ping statistics ---\n"
      "40 packets transmitted, 31 received, 22.5% packet loss, time 622ms\n"
      "rtt min/avg/max/mdev = 40.038/41.059/43.065/0.505 ms\n");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->transmitted, 40);
  EXPECT_EQ(r->received, 31);
  EXPECT_DOUBLE_EQ(r->min_ms, 40.038);
  EXPECT_DOUBLE_EQ(r->avg_ms, 41.059);
  EXPECT_DOUBLE_EQ(r->max_ms, 43.065);
  EXPECT_NEAR(r->loss(), 0.225, 1e-9);
}

TEST(PingOutput, AllLost) {
  auto r = ParsePingOutput(
      "3 packets transmitted, 0 received, 100% packet loss, time 2041ms\n");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->received, 0);
  EXPECT_EQ(r->max_ms, 0);
  EXPECT_DOUBLE_EQ(r->loss(), 1.0);
}

TEST(PingOutput, WithErrors) {
  auto r = ParsePingOutput(
      "5 packets transmitted, 4 received, +1 errors, 20% packet loss, time "
      "4ms\n"
      "rtt min/avg/max/mdev = 0.1/0.2/0.3/0.01 ms\n");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->transmitted, 5);
  EXPECT_EQ(r->received, 4);
  EXPECT_EQ(r->errors, 1);
}

TEST(PingOutput, RejectsGarbage) {
  EXPECT_FALSE(ParsePingOutput("").ok());
  EXPECT_FALSE(ParsePingOutput("ping: connect: Network is unreachable\n").ok());
  EXPECT_FALSE(
      ParsePingOutput(
          "1 packets transmitted, 1 received\nrtt min/avg/max/mdev = x\n")
          .ok());
}

}  // namespace
}  // namespace grid::lab
