#include "bench/accuracy/benchmark.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bench/accuracy/baselines.h"
#include "tests/sim/routing.h"

namespace grid::accuracy {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

absl::Status CheckOptions(const BenchmarkOptions& o) {
  if (o.scenarios < 1 || o.scenarios > 10'000'000) {
    return absl::InvalidArgumentError(
        absl::StrCat("--scenarios must be 1..10000000, got ", o.scenarios));
  }
  if (o.threads < 1 || o.threads > 256) {
    return absl::InvalidArgumentError(
        absl::StrCat("--threads must be 1..256, got ", o.threads));
  }
  if (o.cycles.empty()) {
    return absl::InvalidArgumentError("--cycles needs at least one count");
  }
  for (size_t i = 0; i < o.cycles.size(); ++i) {
    if (o.cycles[i] < 1 || o.cycles[i] > 10000 ||
        (i > 0 && o.cycles[i] <= o.cycles[i - 1])) {
      return absl::InvalidArgumentError(
          "--cycles must be ascending counts within 1..10000");
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<Method> AllMethods() {
  return {
      {"grid engine", [](auto v) { return diagnosis::Diagnose(v); }},
      {"naive mtr", [](auto v) { return NaiveMtr(v); }},
      {"007 voting", [](auto v) { return LinkVoting007(v); }},
      {"tomography", [](auto v) { return BooleanTomography(v); }},
  };
}

uint64_t ScenarioSeed(uint64_t seed, int index) {
  return sim::MixHash(seed, static_cast<uint64_t>(index));
}

absl::StatusOr<BenchmarkResult> RunBenchmark(
    const BenchmarkOptions& options, const std::vector<Method>& methods) {
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
  // Bad scenario options fail every scenario alike: report them as such.
  if (auto probe = sim::GenerateScenario(0, options.scenario); !probe.ok()) {
    return probe.status();
  }
  BenchmarkResult result;
  for (const Method& m : methods) result.methods.push_back(m.name);
  result.cycles = options.cycles;
  result.records.resize(options.scenarios);
  result.method_seconds.assign(methods.size(), 0);

  std::atomic<int> next{0};
  std::mutex mu;  // Guards first_error, method_seconds, simulate_seconds.
  absl::Status first_error;
  auto worker = [&] {
    std::vector<double> seconds(methods.size(), 0);
    double simulate = 0;
    for (int k = next++; k < options.scenarios; k = next++) {
      ScenarioRecord& r = result.records[k];
      r.index = k;
      r.seed = ScenarioSeed(options.seed, k);
      Clock::time_point t0 = Clock::now();
      auto scenario = sim::GenerateScenario(r.seed, options.scenario);
      absl::StatusOr<std::vector<std::vector<diagnosis::VantageTraces>>>
          traces =
              scenario.ok() ? sim::SimulateScenario(*scenario, options.cycles)
                            : scenario.status();
      simulate += Seconds(Clock::now() - t0);
      if (!traces.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first_error.ok()) {
          first_error = absl::InternalError(
              absl::StrCat("scenario ", k, " (seed ", r.seed,
                           "): ", traces.status().message()));
        }
        continue;
      }
      r.truth = scenario->truth;
      r.vantages = static_cast<int>(scenario->topology.vantages.size());
      r.has_return = scenario->topology.server_probe >= 0;
      r.interval_s = scenario->run.interval_s;
      r.outcomes.resize(options.cycles.size());
      for (size_t c = 0; c < options.cycles.size(); ++c) {
        for (size_t m = 0; m < methods.size(); ++m) {
          Clock::time_point start = Clock::now();
          diagnosis::Diagnosis d = methods[m].run((*traces)[c]);
          seconds[m] += Seconds(Clock::now() - start);
          r.outcomes[c].push_back(Score(r.truth, d));
        }
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    for (size_t m = 0; m < methods.size(); ++m) {
      result.method_seconds[m] += seconds[m];
    }
    result.simulate_seconds += simulate;
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < options.threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  if (!first_error.ok()) return first_error;

  // Tally in scenario order, so the figures never depend on threading.
  result.tallies.assign(options.cycles.size(),
                        std::vector<Tally>(methods.size()));
  for (const ScenarioRecord& r : result.records) {
    for (size_t c = 0; c < options.cycles.size(); ++c) {
      for (size_t m = 0; m < methods.size(); ++m) {
        result.tallies[c][m].Add(r.truth, r.outcomes[c][m]);
      }
    }
  }
  return result;
}

}  // namespace grid::accuracy
