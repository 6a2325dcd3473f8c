// The probe benchmark: grid's prober and scamper (same packets-per-second
// budget, same lab, same run) trace 1,000 destinations of a /22 that the
// lab's server namespace answers for, with 1 and with 10 cycles. Prints wall
// time, CPU time, probes per second and hops found. Needs root. See
// bench/README.md.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "CLI/CLI.hpp"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "bench/probe/bench_run.h"
#include "tests/lab/lab.h"

namespace grid::bench {
namespace {

constexpr char kPrefix[] = "198.18.64.0/22";
constexpr int kHopsPerPath = 4;  // r1, r2, r3, the destination.

lab::Topology BenchTopology() {
  const std::map<std::string, std::string> fast_icmp = {
      {"net.ipv4.icmp_msgs_per_sec", "1000000"},
      {"net.ipv4.icmp_msgs_burst", "1000000"}};
  return lab::TopologyBuilder()
      .Host("X", fast_icmp)
      .Router("r1", fast_icmp)
      .Router("r2", fast_icmp)
      .Router("r3", fast_icmp)
      .Host("S", fast_icmp)
      .Link("X", "r1")
      .Link("r1", "r2")
      .Link("r2", "r3")
      .Link("r3", "S")
      .Route("r1", kPrefix, {"r2"})
      .Route("r2", kPrefix, {"r3"})
      .Route("r3", kPrefix, {"S"})
      .Build();
}

struct Row {
  std::string tool;
  int cycles;
  Measured m;
  SweepSummary s;
};

void PrintRow(const Row& r, int destinations) {
  const double wall = absl::ToDoubleSeconds(r.m.wall);
  std::cout << absl::StrFormat(
      "%-7d %-8s %8.2f %7.2f %6.2f %6.2f %8d %9.0f %8d/%-8d %8d\n", r.cycles,
      r.tool, wall, absl::ToDoubleSeconds(r.m.cpu),
      absl::ToDoubleSeconds(r.m.user), absl::ToDoubleSeconds(r.m.sys),
      r.s.probes, wall > 0 ? r.s.probes / wall : 0, r.s.hops,
      static_cast<int64_t>(destinations) * kHopsPerPath, r.s.reached);
}

int Bench(int destinations, double pps, const std::vector<int>& cycles,
          const std::string& method, double interval) {
  if (absl::Status s = lab::Lab::Available(); !s.ok()) {
    std::cerr << "probe bench: " << s.message() << "\n";
    return 2;
  }
  auto lab = lab::Lab::Up(BenchTopology(), lab::Lab::UniquePrefix("pbench"));
  if (!lab.ok()) {
    std::cerr << "probe bench: " << lab.status().message() << "\n";
    return 2;
  }
  lab::Lab& l = **lab;
  if (auto r =
          l.Exec("S", {"ip", "route", "add", "local", kPrefix, "dev", "lo"});
      !r.ok()) {
    std::cerr << "probe bench: " << r.status().message() << "\n";
    return 2;
  }
  // Neighbour discovery before measuring.
  (void)l.Ping("X", "198.18.64.1", {.count = 3, .interval_s = 0.01});

  const std::string targets = absl::StrCat("/tmp/", l.prefix(), ".targets");
  {
    std::ofstream f(targets);
    for (int i = 1; i <= destinations; ++i) {
      f << "198.18." << 64 + i / 256 << "." << i % 256 << "\n";
    }
  }
  char self[4096] = {};
  if (readlink("/proc/self/exe", self, sizeof(self) - 1) < 0) return 2;
  const std::string ns = l.Namespace("X");
  const std::string pps_text = absl::StrCat(pps);
  const std::string scamper_method =
      method == "udp" ? "udp-paris" : (method == "tcp" ? "tcp" : "icmp-paris");

  std::cout << absl::StrFormat(
      "probe benchmark: %d destinations in %s (%d hops each), %s, %s packets "
      "per second, grid -i %g\n",
      destinations, kPrefix, kHopsPerPath, method, pps_text, interval);
  std::cout << "cycles  tool         wall_s   cpu_s  user_s  sys_s   probes  "
               "probes/s  hops found/expected  reached\n";
  int status = 0;
  for (int c : cycles) {
    Row grid{"grid", c, {}, {}};
    auto g = RunMeasured({"ip", "netns", "exec", ns, self, "--worker",
                          "--targets", targets, "--worker-cycles",
                          std::to_string(c), "--pps", pps_text, "--method",
                          method, "--interval", absl::StrCat(interval)});
    if (!g.ok() || g->exit_code != 0) {
      std::cerr << "grid run failed: "
                << (g.ok() ? g->err : std::string(g.status().message()))
                << "\n";
      status = 1;
    } else if (auto s = ParseSummary(g->out); s.ok()) {
      grid.m = *g;
      grid.s = *s;
      PrintRow(grid, destinations);
    }

    const std::string out = absl::StrCat("/tmp/", l.prefix(), ".scamper");
    std::string trace = absl::StrCat("trace -P ", scamper_method, " -q ", c);
    if (c > 1) absl::StrAppend(&trace, " -Q");
    if (method == "tcp") absl::StrAppend(&trace, " -d 80");
    auto sc =
        RunMeasured({"ip", "netns", "exec", ns, "scamper", "-p", pps_text, "-O",
                     "json", "-o", out, "-c", trace, "-f", targets});
    if (!sc.ok() || sc->exit_code != 0) {
      std::cerr << "scamper run failed: "
                << (sc.ok() ? sc->err : std::string(sc.status().message()))
                << "\n";
      status = 1;
    } else if (auto s = ReadScamperJson(out); s.ok()) {
      PrintRow(Row{"scamper", c, *sc, *s}, destinations);
    } else {
      std::cerr << s.status().message() << "\n";
      status = 1;
    }
    unlink(out.c_str());
  }
  unlink(targets.c_str());
  return status;
}

}  // namespace
}  // namespace grid::bench

int main(int argc, char** argv) {
  CLI::App app{"grid probe benchmark: grid vs scamper on a namespace lab"};
  int destinations = 1000;
  double pps = 1000;
  std::string cycles_text = "1,10";
  std::string method = "icmp";
  bool worker = false;
  std::string targets;
  int worker_cycles = 1;
  double interval = 1.0;
  app.add_option("--destinations", destinations,
                 "Destinations to trace (1..1022, default 1000)")
      ->check(CLI::Range(1, 1022));
  app.add_option("--pps", pps, "Packets per second for both tools (1000)");
  app.add_option("--cycles", cycles_text, "Cycle counts to run (1,10)");
  app.add_option("--method", method, "icmp, udp or tcp")
      ->check(CLI::IsMember({"icmp", "udp", "tcp"}));
  app.add_option("--interval", interval,
                 "grid's -i: seconds per cycle (default 1, as mtr)")
      ->check(CLI::Range(0.0, 60.0));
  app.add_flag("--worker", worker, "(internal) run grid's sweep");
  app.add_option("--targets", targets, "(internal) targets file");
  app.add_option("--worker-cycles", worker_cycles, "(internal) cycles");
  CLI11_PARSE(app, argc, argv);
  if (worker) {
    auto s = grid::bench::RunGridSweep(targets, worker_cycles, pps, method,
                                       absl::Seconds(interval));
    if (!s.ok()) {
      std::cerr << s.status().message() << "\n";
      return 1;
    }
    std::cout << grid::bench::FormatSummary(*s);
    return 0;
  }
  std::vector<int> cycles;
  for (absl::string_view c : absl::StrSplit(cycles_text, ',')) {
    int n = 0;
    if (!absl::SimpleAtoi(c, &n) || n < 1) {
      std::cerr << "--cycles: bad count \"" << c << "\"\n";
      return 2;
    }
    cycles.push_back(n);
  }
  return grid::bench::Bench(destinations, pps, cycles, method, interval);
}
