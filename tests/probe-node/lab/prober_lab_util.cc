#include "tests/probe-node/lab/prober_lab_util.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "diagnosis/reports/reports.h"

namespace grid::probe::lab_test {

lab::Topology Chain() {
  return lab::TopologyBuilder()
      .Host("X")
      .Router("r1")
      .Router("r2")
      .Router("r3")
      .Host("S")
      .Link("X", "r1")
      .Link("r1", "r2")
      .Link("r2", "r3")
      .Link("r3", "S")
      .Ipv6()
      .Build();
}

lab::Topology Ecmp() {
  const std::map<std::string, std::string> l4_hash = {
      {"net.ipv4.fib_multipath_hash_policy", "1"},
      {"net.ipv6.fib_multipath_hash_policy", "1"}};
  return lab::TopologyBuilder()
      .Host("X")
      .Router("r1", l4_hash)
      .Router("ea")
      .Router("eb")
      .Router("r2")
      .Host("S")
      .Link("X", "r1")
      .Link("r1", "ea")
      .Link("r1", "eb")
      .Link("ea", "r2")
      .Link("eb", "r2")
      .Link("r2", "S")
      .Route("r1", "S", {"ea", "eb"})
      .Ipv6()
      .Build();
}

absl::Status WarmUp(lab::Lab& lab, const std::string& from) {
  for (const lab::NodeSpec& node : lab.topology().spec.nodes) {
    if (node.name == from) continue;
    for (const std::string& addr : lab.Addresses(node.name)) {
      bool answered = false;
      for (int attempt = 0; attempt < 5 && !answered; ++attempt) {
        GRID_ASSIGN_OR_RETURN(
            lab::PingResult p,
            lab.Ping(from, addr,
                     {.count = 2, .interval_s = 0.01, .timeout_s = 2}));
        answered = p.received > 0;
      }
      if (!answered) {
        return absl::UnavailableError(
            absl::StrCat(addr, " (", node.name, ") does not answer pings"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<TraceResult>> TraceFrom(
    lab::Lab& lab, const std::string& node,
    const std::vector<TraceRequest>& requests, ProberOptions options) {
  GRID_ASSIGN_OR_RETURN(lab::ScopedNetns inside, lab.Enter(node));
  options.drop_capabilities = false;
  GRID_ASSIGN_OR_RETURN(std::unique_ptr<Prober> prober,
                        Prober::Create(options));
  return prober->Run(requests);
}

TraceRequest Request(const std::string& address, TraceOptions options) {
  return TraceRequest{*IpAddress::Parse(address), address, options};
}

std::vector<std::string> Hosts(const TraceResult& result) {
  return Hosts(ToDiagnosisTrace(result));
}

std::vector<std::string> Hosts(const diagnosis::Trace& trace) {
  std::vector<std::string> out;
  for (const auto& h : trace.hops) out.push_back(h.host);
  return out;
}

absl::StatusOr<diagnosis::Trace> ParseMtrJson(const std::string& text,
                                              const std::string& what) {
  return diagnosis::ReadReportAs(diagnosis::ReportFormat::kMtrJson, text, what);
}

}  // namespace grid::probe::lab_test
