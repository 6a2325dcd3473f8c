#include "bench/accuracy/report.h"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/accuracy/scoring.h"

namespace grid::accuracy {
namespace {

using diagnosis::Verdict;

constexpr int kGroupWidth = 20;  // One method's column group.

std::string Pct(const Rate& r) {
  if (r.n == 0) return "-";
  return absl::StrFormat("%.1f%%", 100 * r.Value());
}

std::string Header(const BenchmarkResult& r, const std::string& first) {
  std::string line = absl::StrFormat("%-24s", first);
  for (const std::string& m : r.methods) {
    absl::StrAppend(&line, absl::StrFormat("| %-*s", kGroupWidth - 2, m));
  }
  return line;
}

void PrintClassTable(const BenchmarkResult& r, size_t c, std::ostream& out) {
  const std::vector<Tally>& t = r.tallies[c];
  out << Header(r, "verdict (support)") << "\n";
  std::string sub = absl::StrFormat("%-24s", "");
  for (size_t m = 0; m < r.methods.size(); ++m) {
    absl::StrAppend(&sub, absl::StrFormat("| %-5s %-5s %-6s", "P", "R", "F1"));
  }
  out << sub << "\n";
  for (int v = 0; v < kNumVerdicts; ++v) {
    const auto verdict = static_cast<Verdict>(v);
    if (verdict == Verdict::kInconclusive) continue;
    std::string line = absl::StrFormat(
        "%-24s", absl::StrCat(std::string(diagnosis::VerdictName(verdict)),
                              " (", t[0].Support(verdict), ")"));
    for (const Tally& x : t) {
      absl::StrAppend(&line,
                      absl::StrFormat("| %.3f %.3f %.3f ", x.Precision(verdict),
                                      x.Recall(verdict), x.F1(verdict)));
    }
    out << line << "\n";
  }
}

void Row(const BenchmarkResult& r, size_t c, const std::string& name,
         const std::function<std::string(const Tally&)>& cell,
         std::ostream& out) {
  std::string line = absl::StrFormat("%-24s", name);
  for (const Tally& t : r.tallies[c]) {
    absl::StrAppend(&line, absl::StrFormat("| %-*s", kGroupWidth - 2, cell(t)));
  }
  out << line << "\n";
}

std::string RateCell(const Rate& x) {
  return absl::StrFormat("%s (%d/%d)", Pct(x), x.hits, x.n);
}

// A table of `rows` rows: row i is named name(i) and shows rate(t, i), a
// Rate of each method's Tally.
void PrintRates(const BenchmarkResult& r, size_t c, const std::string& title,
                int rows, const std::function<std::string(int)>& name,
                const std::function<const Rate&(const Tally&, int)>& rate,
                std::ostream& out) {
  out << Header(r, title) << "\n";
  for (int i = 0; i < rows; ++i) {
    Row(
        r, c, name(i), [&](const Tally& t) { return RateCell(rate(t, i)); },
        out);
  }
}

void PrintSummary(const BenchmarkResult& r, size_t c, std::ostream& out) {
  auto rate = [](Rate Tally::*field) {
    return [field](const Tally& t) { return RateCell(t.*field); };
  };
  Row(
      r, c, "macro-F1",
      [](const Tally& t) { return absl::StrFormat("%.3f", t.MacroF1()); }, out);
  Row(r, c, "accuracy", rate(&Tally::main), out);
  Row(r, c, "segment, loss >= 2%", rate(&Tally::segment_loss), out);
  Row(r, c, "segment, latency", rate(&Tally::segment_latency), out);
  Row(r, c, "segment, loss, 2 hops", rate(&Tally::segment_strict), out);
  Row(r, c, "segment + verdict", rate(&Tally::segment_and_verdict), out);
  Row(
      r, c, "hops named, mean",
      [](const Tally& t) {
        const int64_t n = t.segment_and_verdict.n;
        return absl::StrFormat("%.2f", n == 0 ? 0.0 : 1.0 * t.hops_named / n);
      },
      out);
  Row(r, c, "artifact FP rate", rate(&Tally::artifact_alarms), out);
  Row(r, c, "no-fault false alarms", rate(&Tally::no_fault_alarms), out);
  Row(r, c, "unused-link alarms", rate(&Tally::unused_link_alarms), out);
  Row(r, c, "two faults: either", rate(&Tally::two_faults), out);
  Row(r, c, "direction open: right", rate(&Tally::direction_open), out);
  Row(r, c, "minor: called healthy", rate(&Tally::minor_healthy), out);
  Row(r, c, "minor: called the fault", rate(&Tally::minor_fault), out);
  Row(r, c, "inconclusive", rate(&Tally::inconclusive), out);
}

void PrintByScenarioClass(const BenchmarkResult& r, size_t c,
                          std::ostream& out) {
  PrintRates(
      r, c, "scenario class: right", sim::kNumScenarioClasses,
      [](int k) {
        return std::string(
            sim::ScenarioClassName(static_cast<sim::ScenarioClass>(k)));
      },
      [](const Tally& t, int k) -> const Rate& { return t.by_class[k]; }, out);
}

void PrintBySize(const BenchmarkResult& r, size_t c, std::ostream& out) {
  PrintRates(
      r, c, "single fault: right", kNumSizeBands,
      [](int band) { return std::string(SizeBandName(band)); },
      [](const Tally& t, int band) -> const Rate& { return t.by_size[band]; },
      out);
}

void PrintReturnFaults(const BenchmarkResult& r, size_t c, std::ostream& out) {
  PrintRates(
      r, c, "return-path fault: right", kNumReturnViews,
      [](int view) { return std::string(ReturnViewName(view)); },
      [](const Tally& t, int view) -> const Rate& {
        return t.return_faults[view];
      },
      out);
}

void PrintConfusion(const BenchmarkResult& r, size_t c, size_t m,
                    std::ostream& out) {
  const Tally& t = r.tallies[c][m];
  out << "confusion, " << r.methods[m] << ", " << r.cycles[c]
      << " cycles (rows: truth, columns: verdict)\n";
  std::string head = absl::StrFormat("%-9s", "");
  for (int v = 0; v < kNumVerdicts; ++v) {
    absl::StrAppend(
        &head, absl::StrFormat("%9s", ShortVerdict(static_cast<Verdict>(v))));
  }
  out << head << "\n";
  for (int a = 0; a < kNumVerdicts; ++a) {
    if (t.Support(static_cast<Verdict>(a)) == 0) continue;
    std::string line =
        absl::StrFormat("%-9s", ShortVerdict(static_cast<Verdict>(a)));
    for (int p = 0; p < kNumVerdicts; ++p) {
      absl::StrAppend(&line, absl::StrFormat("%9d", t.confusion[a][p]));
    }
    out << line << "\n";
  }
}

// The most frequent (truth -> verdict) mistakes of method `m` at the
// largest cycle count, with example scenario indices for --show.
void PrintMistakes(const BenchmarkResult& r, size_t m, int examples,
                   std::ostream& out) {
  const size_t c = r.cycles.size() - 1;
  std::map<std::pair<int, int>, std::vector<int>> mistakes;
  for (const ScenarioRecord& rec : r.records) {
    const Outcome& o = rec.outcomes[c][m];
    if (o.correct || rec.truth.minor) continue;
    mistakes[{static_cast<int>(rec.truth.primary), static_cast<int>(o.verdict)}]
        .push_back(rec.index);
  }
  std::vector<std::pair<std::pair<int, int>, std::vector<int>>> sorted(
      mistakes.begin(), mistakes.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) {
                     return a.second.size() > b.second.size();
                   });
  out << "most frequent mistakes of " << r.methods[m] << " at " << r.cycles[c]
      << " cycles (truth -> verdict: count, e.g. --show INDEX):\n";
  for (size_t i = 0; i < sorted.size() && i < 30; ++i) {
    const auto& [pair, indices] = sorted[i];
    std::vector<int> shown(
        indices.begin(),
        indices.begin() + std::min<size_t>(examples, indices.size()));
    out << absl::StrFormat(
        "  %-20s -> %-20s %5d  e.g. %s\n",
        diagnosis::VerdictName(static_cast<Verdict>(pair.first)),
        diagnosis::VerdictName(static_cast<Verdict>(pair.second)),
        indices.size(), absl::StrJoin(shown, " "));
  }
}

}  // namespace

const char* ShortVerdict(Verdict v) {
  switch (v) {
    case Verdict::kHealthy:
      return "healthy";
    case Verdict::kClientLoss:
      return "cli_loss";
    case Verdict::kClientLatency:
      return "cli_lat";
    case Verdict::kServerLoss:
      return "srv_loss";
    case Verdict::kServerLatency:
      return "srv_lat";
    case Verdict::kIspRouting:
      return "isp";
    case Verdict::kForwardPathLoss:
      return "fwd_loss";
    case Verdict::kReturnPathLoss:
      return "ret_loss";
    case Verdict::kForwardPathLatency:
      return "fwd_lat";
    case Verdict::kReturnPathLatency:
      return "ret_lat";
    case Verdict::kInconclusive:
      return "inconcl";
  }
  return "?";
}

void PrintReport(const BenchmarkOptions& options, const BenchmarkResult& r,
                 const ReportOptions& report, std::ostream& out) {
  int minor = 0;
  std::array<int, sim::kNumScenarioClasses> classes{};
  for (const ScenarioRecord& rec : r.records) {
    minor += rec.truth.minor;
    classes[static_cast<int>(rec.truth.scenario_class)]++;
  }
  out << absl::StrFormat(
      "grid-accuracy: %d scenarios, seed %d, vantages %d..%d, cycles %s\n",
      options.scenarios, options.seed, options.scenario.min_vantages,
      options.scenario.max_vantages, absl::StrJoin(options.cycles, ","));
  std::string mix;
  for (int k = 0; k < sim::kNumScenarioClasses; ++k) {
    absl::StrAppend(
        &mix, k ? ", " : "",
        std::string(sim::ScenarioClassName(static_cast<sim::ScenarioClass>(k))),
        " ", classes[k]);
  }
  out << "scenario classes: " << mix
      << "; minor faults (scored apart): " << minor << "\n";
  std::string timing =
      absl::StrFormat("time: simulation %.1f s", r.simulate_seconds);
  for (size_t m = 0; m < r.methods.size(); ++m) {
    absl::StrAppend(&timing, absl::StrFormat(", %s %.1f s", r.methods[m],
                                             r.method_seconds[m]));
  }
  out << timing << "\n";

  for (size_t c = 0; c < r.cycles.size(); ++c) {
    out << "\n=== " << r.cycles[c] << " cycles ===\n";
    PrintClassTable(r, c, out);
    out << "\n" << Header(r, "") << "\n";
    PrintSummary(r, c, out);
  }

  out << "\n=== accuracy against cycles: macro-F1 / accuracy / segment (loss) "
         "===\n";
  out << Header(r, "cycles") << "\n";
  for (size_t c = 0; c < r.cycles.size(); ++c) {
    Row(
        r, c, std::to_string(r.cycles[c]),
        [](const Tally& t) {
          return absl::StrFormat("%.3f %s %s", t.MacroF1(), Pct(t.main),
                                 Pct(t.segment_loss));
        },
        out);
  }

  out << "\n=== by scenario class, " << r.cycles.back() << " cycles ===\n";
  PrintByScenarioClass(r, r.cycles.size() - 1, out);

  out << "\n=== by fault size, single faults ===\n";
  for (size_t c = 0; c < r.cycles.size(); ++c) {
    out << r.cycles[c] << " cycles\n";
    PrintBySize(r, c, out);
  }

  out << "\n=== return-path faults by the return trace, " << r.cycles.back()
      << " cycles ===\n";
  PrintReturnFaults(r, r.cycles.size() - 1, out);

  if (report.confusion) {
    for (size_t c = 0; c < r.cycles.size(); ++c) {
      for (size_t m = 0; m < r.methods.size(); ++m) {
        out << "\n";
        PrintConfusion(r, c, m, out);
      }
    }
  }
  if (report.examples > 0 && report.mistakes_of >= 0 &&
      report.mistakes_of < static_cast<int>(r.methods.size())) {
    out << "\n";
    PrintMistakes(r, report.mistakes_of, report.examples, out);
  }
}

void WriteOutcomes(const BenchmarkResult& r, std::ostream& out) {
  const size_t c = r.cycles.size() - 1;
  out << "index\tclass\tminor\tfaults\ttruth";
  for (const std::string& m : r.methods) {
    out << "\t" << m << "\tright\tsegment";
  }
  out << "\n";
  for (const ScenarioRecord& rec : r.records) {
    out << rec.index << "\t" << sim::ScenarioClassName(rec.truth.scenario_class)
        << "\t" << rec.truth.minor << "\t";
    std::vector<std::string> faults;
    for (const sim::FaultTruth& f : rec.truth.faults) {
      faults.push_back(FaultSize(f.fault));
    }
    out << (faults.empty() ? "-" : absl::StrJoin(faults, ", ")) << "\t"
        << diagnosis::VerdictName(rec.truth.primary);
    for (const Outcome& o : rec.outcomes[c]) {
      out << "\t" << diagnosis::VerdictName(o.verdict) << "\t" << o.correct
          << "\t" << (o.scored_segment ? (o.segment_correct ? "1" : "0") : "-");
    }
    out << "\n";
  }
}

}  // namespace grid::accuracy
