// Engine benchmark: Diagnose() over 1,000 vantages x 30 hops with forward
// and return traces (target: under 50 ms), beside a baseline that only
// reads every hop once (the memory-bound floor of any analysis).
//
// Usage: grid-engine-bench [--vantages N] [--hops H] [--runs R]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "diagnosis/diagnosis.h"
#include "diagnosis/trace.h"

namespace {

using grid::diagnosis::Hop;
using grid::diagnosis::Trace;
using grid::diagnosis::VantageTraces;

// A path of `hops` hops; every 7th vantage loses 15% from hop 4 on, every
// 11th has a rate-limited router at hop 3, so the engine does real work.
Trace MakeTrace(int vantage, int hops, bool ret, std::mt19937_64& rng) {
  std::normal_distribution<double> noise(0, 0.3);
  Trace t;
  for (int i = 1; i <= hops; ++i) {
    Hop h;
    h.ttl = i;
    const bool shared = ret ? i <= hops / 2 : i > hops / 2;
    h.host = shared ? absl::StrCat("198.19.", i, ".1")
                    : absl::StrCat("198.18.", vantage % 250, ".", i);
    h.sent = 100;
    double loss = 0;
    if (vantage % 7 == 0 && i >= 4) loss = 0.15;
    if (vantage % 11 == 0 && i == 3) loss = 0.4;
    h.received = static_cast<int>(h.sent * (1 - loss));
    h.loss_pct = 100.0 * (h.sent - h.received) / h.sent;
    h.avg_ms = 2.0 * i + noise(rng);
    h.best_ms = h.avg_ms - 0.5;
    h.worst_ms = h.avg_ms + 1.5;
    h.last_ms = h.avg_ms;
    h.stdev_ms = 0.4 + std::abs(noise(rng)) * 0.2;
    t.hops.push_back(h);
  }
  return t;
}

double Millis(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

int Flag(int argc, char** argv, const char* name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return std::atoi(argv[i + 1]);
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const int vantages = Flag(argc, argv, "--vantages", 1000);
  const int hops = Flag(argc, argv, "--hops", 30);
  const int runs = Flag(argc, argv, "--runs", 21);
  std::mt19937_64 rng(42);
  std::vector<VantageTraces> input;
  for (int v = 0; v < vantages; ++v) {
    input.push_back({absl::StrCat("v", v), MakeTrace(v, hops, false, rng),
                     MakeTrace(v, hops, true, rng)});
  }

  std::vector<double> engine_ms, baseline_ms;
  size_t findings = 0;
  double sink = 0;
  for (int r = 0; r < runs; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    grid::diagnosis::Diagnosis d = grid::diagnosis::Diagnose(input);
    auto t1 = std::chrono::steady_clock::now();
    for (const VantageTraces& v : input) {
      for (const Hop& h : v.forward.hops) sink += h.loss_pct + h.avg_ms;
      for (const Hop& h : v.ret->hops) sink += h.loss_pct + h.avg_ms;
    }
    auto t2 = std::chrono::steady_clock::now();
    engine_ms.push_back(Millis(t1 - t0));
    baseline_ms.push_back(Millis(t2 - t1));
    findings = d.findings.size();
  }
  std::sort(engine_ms.begin(), engine_ms.end());
  std::sort(baseline_ms.begin(), baseline_ms.end());
  auto pct = [](const std::vector<double>& v, double q) {
    return v[static_cast<size_t>(q * (v.size() - 1))];
  };
  std::printf(
      "engine benchmark: %d vantages x %d hops, forward + return, %d runs\n",
      vantages, hops, runs);
  std::printf("%-28s %10s %10s %10s\n", "", "median ms", "p90 ms", "min ms");
  std::printf("%-28s %10.2f %10.2f %10.2f\n", "Diagnose()", pct(engine_ms, 0.5),
              pct(engine_ms, 0.9), engine_ms.front());
  std::printf("%-28s %10.2f %10.2f %10.2f\n", "baseline: read every hop",
              pct(baseline_ms, 0.5), pct(baseline_ms, 0.9),
              baseline_ms.front());
  std::printf(
      "findings: %zu   target: median under 50 ms: %s   (checksum %.0f)\n",
      findings, pct(engine_ms, 0.5) < 50 ? "met" : "MISSED", sink);
  return 0;
}
