// ShowScenario (report.h): one scenario in detail, for finding out why a
// method got it wrong.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/accuracy/report.h"
#include "bench/accuracy/scoring.h"
#include "common/status_macros.h"

namespace grid::accuracy {
namespace {

constexpr size_t kMaxVantagesShown = 6;
constexpr size_t kMaxListed = 12;

std::string Capped(const std::vector<std::string>& v) {
  std::vector<std::string> head(v.begin(),
                                v.begin() + std::min(v.size(), kMaxListed));
  std::string s = absl::StrJoin(head, " ");
  if (v.size() > kMaxListed) absl::StrAppend(&s, " ... (", v.size(), ")");
  return s;
}

// Address -> router name, for reading traces.
std::map<std::string, std::string> AddressBook(const sim::Network& net) {
  std::map<std::string, std::string> book;
  for (const sim::Node& n : net.nodes()) {
    book.emplace(n.loopback, n.name);
    for (sim::LinkId l : n.links) {
      book.emplace(net.InterfaceAddress(l, n.id), n.name);
    }
  }
  return book;
}

void PrintTrace(const std::string& title, const diagnosis::Trace& t,
                const std::map<std::string, std::string>& book,
                std::ostream& out) {
  out << "  " << title << "\n";
  out << absl::StrFormat("    %-34s %6s %5s %7s %7s %7s %7s %6s\n", "host",
                         "Loss%", "Snt", "Last", "Avg", "Best", "Wrst",
                         "StDev");
  for (const diagnosis::Hop& h : t.hops) {
    auto it = book.find(h.host);
    std::string host = h.host;
    if (it != book.end()) absl::StrAppend(&host, " (", it->second, ")");
    if (!h.other_hosts.empty())
      absl::StrAppend(&host, " +", h.other_hosts.size());
    out << absl::StrFormat(
        "%3d. %-34s %5.1f%% %5d %7.1f %7.1f %7.1f %7.1f %6.1f\n", h.ttl, host,
        h.loss_pct, h.sent, h.last_ms, h.avg_ms, h.best_ms, h.worst_ms,
        h.stdev_ms);
  }
}

std::string Verdicts(const std::vector<diagnosis::Verdict>& v) {
  std::vector<std::string> names;
  for (diagnosis::Verdict x : v) names.emplace_back(diagnosis::VerdictName(x));
  return absl::StrJoin(names, ", ");
}

}  // namespace

absl::Status ShowScenario(const BenchmarkOptions& options, int index,
                          const std::vector<std::string>& vantages,
                          const std::vector<Method>& methods,
                          std::ostream& out) {
  if (index < 0)
    return absl::InvalidArgumentError("--show needs an index >= 0");
  const uint64_t seed = ScenarioSeed(options.seed, index);
  GRID_ASSIGN_OR_RETURN(sim::Scenario s,
                        sim::GenerateScenario(seed, options.scenario));
  const int cycles = options.cycles.back();
  GRID_ASSIGN_OR_RETURN(auto runs, sim::SimulateScenario(s, {cycles}));
  const std::vector<diagnosis::VantageTraces>& traces = runs.front();
  const sim::Topology& topo = s.topology;
  const sim::Network& net = topo.network;
  const auto book = AddressBook(net);
  // The vantages asked for first, then affected, blamed and clean ones.
  std::vector<size_t> shown;
  auto show = [&](size_t v) {
    if (std::find(shown.begin(), shown.end(), v) == shown.end()) {
      shown.push_back(v);
    }
  };
  for (const std::string& name : vantages) {
    auto it = std::find_if(
        traces.begin(), traces.end(),
        [&](const diagnosis::VantageTraces& t) { return t.name == name; });
    if (it == traces.end()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("scenario %d has no vantage %s (it has v001..v%03d)",
                          index, name, traces.size()));
    }
    show(it - traces.begin());
  }

  const char* probe = topo.server_probe < 0              ? "none"
                      : topo.server_probe == topo.server ? "on the server"
                                                         : "beside the server";
  out << absl::StrFormat(
      "scenario %d (generator seed %d): class %s, %d vantages, server probe "
      "%s, -i %.1f s, %d cycles, %s, jitter fields %s\n",
      index, seed, sim::ScenarioClassName(s.truth.scenario_class),
      topo.vantages.size(), probe, s.run.interval_s, cycles,
      s.run.per_probe_flows ? "per-probe flows" : "one flow per trace",
      s.run.jitter_fields ? "yes" : "no");
  out << "truth: " << diagnosis::VerdictName(s.truth.primary)
      << "; accepted: " << Verdicts(s.truth.acceptable)
      << (s.truth.minor ? "; minor (scored apart)" : "") << "\n";
  std::set<std::string> affected;
  for (const sim::FaultTruth& f : s.truth.faults) {
    const sim::Link& l = net.link(f.fault.link);
    std::string dirs = f.fault.a_to_b && f.fault.b_to_a ? "<->"
                       : f.fault.a_to_b                 ? "->"
                                                        : "<-";
    out << absl::StrFormat(
        "fault: %s on %s (%s) %s %s (%s): %s%s\n", FaultSize(f.fault),
        net.node(l.a).name, l.addr_a, dirs, net.node(l.b).name, l.addr_b,
        diagnosis::VerdictName(f.label), f.minor ? " (minor)" : "");
    out << "  affected: " << Capped(f.affected) << "\n";
    out << "  segment: " << Capped(f.segment_hosts) << "\n";
    affected.insert(f.affected.begin(), f.affected.end());
  }

  // Then affected vantages, then those the engine blames (its primary
  // finding's vantages: a false alarm's evidence), then a few clean ones for
  // contrast.
  std::set<std::string> blamed;
  if (!methods.empty()) {
    diagnosis::Diagnosis d = methods.front().run(traces);
    if (!d.findings.empty()) {
      blamed.insert(d.findings.front().vantages.begin(),
                    d.findings.front().vantages.end());
    }
  }
  for (const std::set<std::string>* group : {&affected, &blamed}) {
    for (size_t v = 0;
         v < traces.size() && shown.size() < kMaxVantagesShown - 2; ++v) {
      if (group->contains(traces[v].name)) show(v);
    }
  }
  for (size_t v = 0; v < traces.size() && shown.size() < kMaxVantagesShown;
       ++v) {
    if (!affected.contains(traces[v].name) && !blamed.contains(traces[v].name))
      show(v);
  }
  for (size_t v : shown) {
    const diagnosis::VantageTraces& vt = traces[v];
    out << "\n"
        << vt.name << (affected.contains(vt.name) ? " (affected)" : "") << "\n";
    PrintTrace("forward", vt.forward, book, out);
    if (vt.ret) PrintTrace("return", *vt.ret, book, out);
  }
  if (shown.size() < traces.size()) {
    out << "\n(" << traces.size() - shown.size()
        << " more vantages not shown)\n";
  }

  for (const Method& m : methods) {
    diagnosis::Diagnosis d = m.run(traces);
    out << "\n"
        << m.name << ": " << diagnosis::VerdictName(d.verdict)
        << (std::count(s.truth.acceptable.begin(), s.truth.acceptable.end(),
                       d.verdict)
                ? " (right)"
                : " (wrong)")
        << "\n";
    for (size_t i = 0; i < d.findings.size() && i < 3; ++i) {
      const diagnosis::Finding& f = d.findings[i];
      out << absl::StrFormat(
          "  finding %d: %s %s %s, confidence %.2f, vantages [%s], hops [%s]\n"
          "    %s\n",
          i + 1, diagnosis::FindingKindName(f.kind),
          diagnosis::LocationName(f.location),
          diagnosis::DirectionName(f.direction), f.confidence,
          Capped(f.vantages), Capped(f.hops), f.evidence);
    }
    if (!d.summary.empty()) out << "  summary: " << d.summary << "\n";
    if (!d.artifacts.empty()) {
      out << "  artifacts: " << d.artifacts.size() << " dismissed\n";
      for (const auto& a : d.artifacts) {
        out << "    " << a.vantage << " " << a.hop << ": " << a.note << "\n";
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace grid::accuracy
