// `grid trace` (the real binary) against mtr on the same path at the same
// time, under injected loss and delay; IPv6; and the unprivileged fallback.
// Needs root (skips otherwise); ctest label "lab".
#include <cmath>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "diagnosis/reports/reports.h"
#include "gmock/gmock.h"
#include "tests/lab/lab_test_util.h"
#include "tests/probe-node/lab/prober_lab_util.h"

namespace grid::probe::lab_test {
namespace {

using ::testing::HasSubstr;

const char* Grid() { return GRID_BINARY; }

struct Pair {
  diagnosis::Trace grid;
  diagnosis::Trace mtr;
};

// Runs grid and mtr side by side in `node` toward `dst` with the same
// cycles and interval, both writing mtr JSON.
absl::StatusOr<Pair> RunBoth(lab::Lab& l, const std::string& node,
                             const std::string& dst, int cycles,
                             double interval, const std::string& family) {
  const std::string c = std::to_string(cycles);
  const std::string i = absl::StrCat(interval);
  const std::string script = absl::StrCat(
      "d=$(mktemp -d); ", Grid(), " trace --allow-private ", family,
      " --json -c ", c, " -i ", i, " --router-pps 0 --pps 1000 ", dst,
      " > $d/grid & ", "mtr -n ", family, " --json -c ", c, " -i ", i, " ", dst,
      " > $d/mtr; wait $! || { echo grid failed >&2; exit 1; }; "
      "cat $d/grid; echo '<<>>'; cat $d/mtr; rm -r $d");
  auto run = l.Run(node, {"sh", "-c", script},
                   {.timeout = absl::Seconds(cycles * interval * 3 + 60)});
  if (!run.ok()) return run.status();
  if (run->exit_code != 0) {
    return absl::InternalError(absl::StrCat("runs failed: ", run->err));
  }
  std::vector<std::string> parts = absl::StrSplit(run->out, "<<>>\n");
  if (parts.size() != 2) {
    return absl::InternalError(absl::StrCat("bad output: ", run->out));
  }
  Pair p;
  auto g = ParseMtrJson(parts[0], "grid --json");
  if (!g.ok()) return g.status();
  auto m = ParseMtrJson(parts[1], "mtr --json");
  if (!m.ok()) return m.status();
  p.grid = *std::move(g);
  p.mtr = *std::move(m);
  return p;
}

// 10% loss from r2 toward r3 (so at r3 and beyond, as real forwarding loss
// shows) and 20 ms each way on r1-r2 (so +40 ms from hop 2 on).
TEST(TraceVsMtr, SameHopsLossAndLatencyUnderFaults) {
  GRID_LAB_REQUIRE();
  auto lab = lab::Lab::Up(Chain(), lab::Lab::UniquePrefix("pl-mtr"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  lab::Lab& l = **lab;
  ASSERT_TRUE(WarmUp(l, "X").ok());
  ASSERT_TRUE(l.AddFault(lab::Fault::Loss("r2", "r3", 0.10).From("r2")).ok());
  ASSERT_TRUE(l.AddFault(lab::Fault::Delay("r1", "r2", 20)).ok());
  auto p = RunBoth(l, "X", *l.Address("S"), 100, 0.1, "-4");
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(Hosts(p->grid), Hosts(p->mtr));
  ASSERT_EQ(p->grid.hops.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    const diagnosis::Hop& g = p->grid.hops[i];
    const diagnosis::Hop& m = p->mtr.hops[i];
    SCOPED_TRACE(absl::StrCat("hop ", i + 1, " ", g.host, ": grid loss ",
                              g.loss_pct, " avg ", g.avg_ms, ", mtr loss ",
                              m.loss_pct, " avg ", m.avg_ms));
    EXPECT_EQ(g.sent, 100);
    // Two samples of 100 at p = 0.1: their difference has sd 4.2%.
    EXPECT_LE(std::abs(g.loss_pct - m.loss_pct), 15);
    EXPECT_LE(std::abs(g.avg_ms - m.avg_ms), 3);
    if (i < 2) {
      EXPECT_EQ(g.loss_pct, 0);
    } else {
      EXPECT_GT(g.loss_pct, 1);
      EXPECT_LT(g.loss_pct, 25);
    }
    if (i >= 1) {
      EXPECT_GT(g.avg_ms, 39);
      EXPECT_LT(g.avg_ms, 50);
    }
  }
}

TEST(TraceVsMtr, Ipv6PathMatches) {
  GRID_LAB_REQUIRE();
  auto lab = lab::Lab::Up(Chain(), lab::Lab::UniquePrefix("pl-mtr6"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  lab::Lab& l = **lab;
  ASSERT_TRUE(WarmUp(l, "X").ok());
  auto p = RunBoth(l, "X", *l.Address6("S"), 10, 0.1, "-6");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(Hosts(p->grid), Hosts(p->mtr));
  ASSERT_EQ(p->grid.hops.size(), 4u);
  EXPECT_EQ(p->grid.hops.back().host, *l.Address6("S"));
  for (const auto& h : p->grid.hops) EXPECT_EQ(h.loss_pct, 0) << h.host;
}

TEST(TraceCli, ReportAndCsvLayoutsReadBack) {
  GRID_LAB_REQUIRE();
  auto lab = lab::Lab::Up(Chain(), lab::Lab::UniquePrefix("pl-cli"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  lab::Lab& l = **lab;
  ASSERT_TRUE(WarmUp(l, "X").ok());
  for (const char* flag : {"--report", "--csv", "--report-wide"}) {
    for (const char* proto : {"udp", "tcp"}) {
      auto run =
          l.Run("X", {Grid(), "trace", "--allow-private", flag, "--proto",
                      proto, "-c", "3", "-i", "0.1", *l.Address("S")});
      ASSERT_TRUE(run.ok()) << run.status();
      ASSERT_EQ(run->exit_code, 0) << run->err;
      auto t = diagnosis::ReadReport(run->out, flag);
      ASSERT_TRUE(t.ok()) << t.status() << "\n" << run->out;
      ASSERT_EQ(t->hops.size(), 4u) << run->out;
      EXPECT_EQ(t->hops.back().host, *l.Address("S")) << run->out;
      EXPECT_EQ(t->hops.back().sent, 3);
    }
  }
}

TEST(TraceCli, BadTargetsAreOneLineAndExitTwo) {
  GRID_LAB_REQUIRE();
  auto lab = lab::Lab::Up(Chain(), lab::Lab::UniquePrefix("pl-bad"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  lab::Lab& l = **lab;
  ASSERT_TRUE(WarmUp(l, "X").ok());
  for (const char* target : {"no-such-host.invalid", "224.0.0.1", "0.0.0.0",
                             "ff02::1", "198.18.255.255.1"}) {
    auto run =
        l.Run("X", {Grid(), "trace", "--allow-private", "-c", "1", target});
    ASSERT_TRUE(run.ok()) << run.status();
    EXPECT_EQ(run->exit_code, 2) << target;
    EXPECT_EQ(std::count(run->err.begin(), run->err.end(), '\n'), 1)
        << run->err;
    EXPECT_THAT(run->err, HasSubstr("grid trace: ")) << target;
    EXPECT_TRUE(run->out.empty()) << run->out;
  }
}

// Without CAP_NET_RAW (uid 65534, no capabilities) but inside
// net.ipv4.ping_group_range, grid falls back to ICMP datagram sockets, says
// what is lost, and still traces; UDP needs raw sockets and fails clearly.
TEST(TraceCli, UnprivilegedFallbackToPingSockets) {
  GRID_LAB_REQUIRE();
  auto lab = lab::Lab::Up(Chain(), lab::Lab::UniquePrefix("pl-ping"));
  ASSERT_TRUE(lab.ok()) << lab.status();
  lab::Lab& l = **lab;
  ASSERT_TRUE(WarmUp(l, "X").ok());
  ASSERT_TRUE(
      l.SetSysctl("X", "net.ipv4.ping_group_range", "0 2147483647").ok());
  const std::vector<std::string> nobody = {"setpriv",
                                           "--reuid=65534",
                                           "--regid=65534",
                                           "--clear-groups",
                                           "--inh-caps=-all",
                                           "--bounding-set=-all",
                                           "--"};
  for (const std::string& dst : {*l.Address("S"), *l.Address6("S")}) {
    std::vector<std::string> argv = nobody;
    for (const char* a :
         {"trace", "--allow-private", "--json", "-c", "3", "-i", "0.2"}) {
      argv.push_back(a);
    }
    argv.insert(argv.begin() + static_cast<long>(nobody.size()), Grid());
    argv.push_back(dst);
    auto run = l.Run("X", argv);
    ASSERT_TRUE(run.ok()) << run.status();
    ASSERT_EQ(run->exit_code, 0) << run->err;
    EXPECT_THAT(run->err, HasSubstr("raw sockets refused"));
    auto t = ParseMtrJson(run->out, "grid --json");
    ASSERT_TRUE(t.ok()) << t.status();
    ASSERT_EQ(t->hops.size(), 4u) << run->out;
    EXPECT_EQ(t->hops.back().host, dst);
    for (const auto& h : t->hops) EXPECT_EQ(h.loss_pct, 0) << h.host;
  }
  std::vector<std::string> udp = nobody;
  for (const char* a :
       {"trace", "--allow-private", "--proto", "udp", "-c", "1"}) {
    udp.push_back(a);
  }
  udp.insert(udp.begin() + static_cast<long>(nobody.size()), Grid());
  udp.push_back(*l.Address("S"));
  auto run = l.Run("X", udp);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 2);
  EXPECT_THAT(run->err, HasSubstr("raw sockets"));
}

}  // namespace
}  // namespace grid::probe::lab_test
