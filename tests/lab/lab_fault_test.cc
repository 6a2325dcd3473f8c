// Namespace tests of fault injection: loss share, delay, ICMP rate limit,
// removal while the lab is up.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "tests/lab/lab_test_util.h"

namespace grid::lab {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(LossFault, DropsRoughlyTheConfiguredShare) {
  GRID_LAB_REQUIRE();
  auto lab = Lab::Up(LineTopology(), Lab::UniquePrefix("t-loss"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  Lab& l = **lab;
  const std::string b = *l.Address("B");
  // One direction only: packets r sends to B.
  auto id = l.AddFault(Fault::Loss("r", "B", 0.3).From("r"));
  ASSERT_TRUE(id.ok()) << id.status();
  auto rules = l.Exec("B", {"iptables", "-t", "mangle", "-S", "PREROUTING"});
  ASSERT_TRUE(rules.ok());
  EXPECT_THAT(*rules, HasSubstr("-i r "));
  // iptables prints the probability as stored: 0.29999999981.
  EXPECT_THAT(*rules, ::testing::ContainsRegex("--probability 0\\.(3|2999)"));
  EXPECT_THAT(*l.Exec("r", {"iptables", "-t", "mangle", "-S"}),
              Not(HasSubstr("statistic")));
  // 400 samples: sd of the share is 0.023, so [0.2, 0.4] is > 4 sd wide.
  auto p = l.Ping("A", b, {.count = 400, .interval_s = 0.002});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_GT(p->loss(), 0.2);
  EXPECT_LT(p->loss(), 0.4);
  std::printf("loss 0.3 one way: measured %.3f over %d pings\n", p->loss(),
              p->transmitted);

  // Both directions compound: 1 - 0.8^2 = 0.36 end to end.
  ASSERT_TRUE(l.RemoveFault(*id).ok());
  ASSERT_TRUE(l.AddFault(Fault::Loss("A", "r", 0.2)).ok());
  p = l.Ping("A", b, {.count = 400, .interval_s = 0.002});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_GT(p->loss(), 0.26);
  EXPECT_LT(p->loss(), 0.46);
  std::printf("loss 0.2 both ways: measured %.3f over %d pings\n", p->loss(),
              p->transmitted);

  ASSERT_TRUE(l.ClearFaults().ok());
  EXPECT_THAT(*l.Exec("A", {"iptables", "-t", "mangle", "-S"}),
              Not(HasSubstr("grid-lab-fault")));
  p = l.Ping("A", b, {.count = 100, .interval_s = 0.002});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->received, 100);
}

TEST(DelayFault, AddsTheDelay) {
  GRID_LAB_REQUIRE();
  auto lab = Lab::Up(LineTopology(), Lab::UniquePrefix("t-delay"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  Lab& l = **lab;
  const std::string b = *l.Address("B");
  auto base = l.Ping("A", b, {.count = 10, .interval_s = 0.01});
  ASSERT_TRUE(base.ok());
  // Upper bounds leave room for a busy machine; they only catch a delay
  // applied twice or not removed.
  EXPECT_LT(base->max_ms, 25.0);

  // 30 ms each way on r-B: at least 60 ms round trip.
  auto id = l.AddFault(Fault::Delay("r", "B", 30));
  ASSERT_TRUE(id.ok()) << id.status();
  auto p = l.Ping("A", b, {.count = 20, .interval_s = 0.01});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->received, 20);  // nothing lost, even with 3 packets in flight
  EXPECT_GE(p->min_ms, 60.0);
  EXPECT_LT(p->max_ms, 110.0);
  std::printf("delay 30ms both ways: rtt min/avg/max %.2f/%.2f/%.2f ms\n",
              p->min_ms, p->avg_ms, p->max_ms);
  const auto helpers = PidsInNetns(l.Namespace("B"));
  ASSERT_EQ(helpers.size(), 1u);

  // Removing it stops the helpers and the delay.
  ASSERT_TRUE(l.RemoveFault(*id).ok());
  EXPECT_THAT(PidsInNetns(l.Namespace("B")), ::testing::IsEmpty());
  p = l.Ping("A", b, {.count = 10, .interval_s = 0.01});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->received, 10);
  EXPECT_LT(p->max_ms, 25.0);

  // One direction with jitter: 20 +- 5 ms, only on packets B sends.
  ASSERT_TRUE(l.AddFault(Fault::Delay("r", "B", 20, 5).From("B")).ok());
  p = l.Ping("A", b, {.count = 20, .interval_s = 0.01});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->received, 20);
  EXPECT_GE(p->min_ms, 15.0);
  EXPECT_LT(p->max_ms, 60.0);
  EXPECT_GT(p->max_ms - p->min_ms, 1.0);  // the jitter shows

  // Pings 2 ms apart, jitter span 10 ms: replies still come back in order.
  auto r = l.Exec("A", {"ping", "-n", "-c", "40", "-i", "0.002", b});
  ASSERT_TRUE(r.ok()) << r.status();
  std::vector<int> seqs;
  for (absl::string_view line : absl::StrSplit(*r, '\n')) {
    const size_t at = line.find("icmp_seq=");
    int seq = 0;
    if (at != absl::string_view::npos &&
        absl::SimpleAtoi(line.substr(at + 9, line.find(' ', at) - at - 9),
                         &seq)) {
      seqs.push_back(seq);
    }
  }
  EXPECT_EQ(seqs.size(), 40u);
  EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()))
      << "replies reordered:\n"
      << *r;
  std::printf("delay 20+-5ms one way: rtt min/avg/max %.2f/%.2f/%.2f ms\n",
              p->min_ms, p->avg_ms, p->max_ms);
}

TEST(DelayHelper, ExitsCleanlyOnSigterm) {
  GRID_LAB_REQUIRE();
  auto lab = Lab::Up(LineTopology(), Lab::UniquePrefix("t-helper"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  Lab& l = **lab;
  const std::string helper = GRID_LAB_DELAY;
  // SIGTERM after 0.5 s; --preserve-status passes the helper's own status.
  auto r = l.Run("B", {"timeout", "--preserve-status", "-s", "TERM", "0.5",
                       helper, "--queue", "9", "--delay-ms", "5"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 0) << r->err;
  EXPECT_EQ(r->out, "ready\n");
  // Bad flags are refused with a message.
  auto bad = l.Run(
      "B", {helper, "--queue", "9", "--delay-ms", "5", "--jitter-ms", "9"});
  ASSERT_TRUE(bad.ok());
  EXPECT_NE(bad->exit_code, 0);
  EXPECT_THAT(bad->err, HasSubstr("jitter"));
}

TEST(IcmpRateLimitFault, LimitsErrorsNotEchoReplies) {
  GRID_LAB_REQUIRE();
  auto lab = Lab::Up(LineTopology(), Lab::UniquePrefix("t-rl"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  Lab& l = **lab;
  const std::string b = *l.Address("B");
  // TTL 1: every probe expires at r, which answers with ICMP time exceeded.
  const std::vector<std::string> expire = {
      "ping", "-n", "-q", "-t", "1", "-c", "40", "-i", "0.01", "-W", "0.5", b};
  auto before = l.Run("A", expire);
  ASSERT_TRUE(before.ok());
  auto all = ParsePingOutput(before->out);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->errors, 40);

  auto id = l.AddFault(Fault::IcmpRateLimit("r", 1000, 1000, 50));
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*l.GetSysctl("r", "net.ipv4.icmp_ratelimit"), "1000");
  auto during = l.Run("A", expire);
  ASSERT_TRUE(during.ok());
  auto limited = ParsePingOutput(during->out);
  ASSERT_TRUE(limited.ok()) << limited.status();
  // A token bucket of ~6 then 1/s: far fewer than 40 answers in 0.4 s.
  EXPECT_LT(limited->errors, 15);
  std::printf("rate limit 1000ms: %d of 40 time-exceeded answered\n",
              limited->errors);
  // Echo replies from B pass r untouched.
  auto echo = l.Ping("A", b, {.count = 40, .interval_s = 0.01});
  ASSERT_TRUE(echo.ok());
  EXPECT_EQ(echo->received, 40);

  ASSERT_TRUE(l.RemoveFault(*id).ok());
  EXPECT_EQ(*l.GetSysctl("r", "net.ipv4.icmp_ratelimit"), "0");
  auto after = l.Run("A", expire);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(ParsePingOutput(after->out)->errors, 40);
}

TEST(Faults, FromTheTopologyAndCleared) {
  GRID_LAB_REQUIRE();
  Topology t = LineTopology();
  t.faults.push_back(Fault::Loss("A", "r", 1.0).From("A"));
  t.faults.push_back(Fault::IcmpRateLimit("r", 500, 100, 10));
  auto lab = Lab::Up(t, Lab::UniquePrefix("t-topofault"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  Lab& l = **lab;
  EXPECT_EQ(l.ActiveFaults().size(), 2u);
  auto p = l.Ping("A", *l.Address("B"),
                  {.count = 5, .interval_s = 0.01, .timeout_s = 0.2});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->received, 0);
  EXPECT_FALSE(l.AddFault(Fault::Loss("A", "B", 0.5)).ok());  // no such link
  EXPECT_TRUE(absl::IsNotFound(l.RemoveFault(99)));
  ASSERT_TRUE(l.ClearFaults().ok());
  EXPECT_TRUE(l.ActiveFaults().empty());
  p = l.Ping("A", *l.Address("B"), {.count = 5, .interval_s = 0.01});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->received, 5);
  EXPECT_EQ(*l.GetSysctl("r", "net.ipv4.icmp_ratelimit"), "0");
}

}  // namespace
}  // namespace grid::lab
