#include "cli/probes_command.h"

#include <iostream>
#include <memory>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "cli/coordinator_flags.h"
#include "cli/exit_codes.h"
#include "coordinator/label_selector.h"
#include "coordinator/operator_client.h"
#include "nlohmann/json.hpp"

namespace grid::cli {
namespace {

struct ProbesArgs {
  CoordinatorFlags remote;
  std::string probes;
  bool connected = false;
  bool json = false;
};

int Fail(const std::string& message) {
  std::cerr << "grid probes: " << message << "\n";
  return kExitError;
}

std::string Time(int64_t unix_ms) {
  if (unix_ms == 0) return "-";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixMillis(unix_ms),
                          absl::UTCTimeZone());
}

std::string Labels(const v1::ProbeRecord& r) {
  std::map<std::string, std::string> sorted(r.labels().begin(),
                                            r.labels().end());
  return absl::StrJoin(sorted, ",", absl::PairFormatter("="));
}

nlohmann::ordered_json ProbeJson(const v1::ProbeInfo& p) {
  const v1::ProbeRecord& r = p.record();
  nlohmann::ordered_json j;
  j["name"] = r.name();
  j["connected"] = p.connected();
  j["labels"] = nlohmann::ordered_json::object();
  std::map<std::string, std::string> sorted(r.labels().begin(),
                                            r.labels().end());
  for (const auto& [k, v] : sorted) j["labels"][k] = v;
  j["serves"] = std::vector<std::string>(r.serves().begin(), r.serves().end());
  j["running_jobs"] = p.running_jobs();
  j["version"] = r.version();
  j["peer"] = r.peer();
  j["instance_id"] = std::to_string(r.instance_id());
  j["raw_sockets"] = r.capabilities().raw_sockets();
  j["first_seen"] = Time(r.first_seen_unix_ms());
  j["last_seen"] = Time(r.last_seen_unix_ms());
  return j;
}

int Run(const ProbesArgs& args) {
  if (auto s = coordinator::LabelSelector::Parse(args.probes); !s.ok()) {
    return Fail(std::string(s.status().message()));
  }
  absl::StatusOr<OperatorConnection> remote = ConnectToCoordinator(args.remote);
  if (!remote.ok()) return Fail(std::string(remote.status().message()));
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  v1::ListProbesRequest req;
  req.set_probe_selector(args.probes);
  req.set_connected_only(args.connected);
  v1::ListProbesResponse resp;
  const grpc::Status status = remote->stub->ListProbes(&ctx, req, &resp);
  if (!status.ok())
    return Fail(coordinator::DescribeRpcError(status, remote->address));
  if (resp.probes_size() == 0) {
    return Fail(args.probes.empty() && !args.connected
                    ? "no probes have connected to this coordinator"
                    : "no probes match");
  }
  if (args.json) {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const v1::ProbeInfo& p : resp.probes()) j.push_back(ProbeJson(p));
    std::cout << j.dump(2) << "\n";
    return kExitHealthy;
  }
  std::vector<std::vector<std::string>> rows = {
      {"NAME", "STATE", "JOBS", "LABELS", "SERVES", "LAST SEEN", "PEER"}};
  for (const v1::ProbeInfo& p : resp.probes()) {
    const v1::ProbeRecord& r = p.record();
    rows.push_back({r.name(), p.connected() ? "connected" : "gone",
                    std::to_string(p.running_jobs()), Labels(r),
                    absl::StrJoin(r.serves(), ","), Time(r.last_seen_unix_ms()),
                    r.peer()});
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      width[i] = std::max(width[i], row[i].size());
    }
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      absl::StrAppendFormat(&line, "%-*s", static_cast<int>(width[i] + 2),
                            row[i].empty() ? "-" : row[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << "\n";
  }
  return kExitHealthy;
}

}  // namespace

void AddProbesCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ProbesArgs>();
  CLI::App* cmd =
      app.add_subcommand("probes", "List the probes the coordinator knows");
  AddCoordinatorFlags(*cmd, &args->remote);
  cmd->add_option("--probes", args->probes,
                  "Only probes with these labels: k=v,k2=v2");
  cmd->add_flag("--connected", args->connected, "Only connected probes");
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([args, exit_code] { *exit_code = Run(*args); });
}

}  // namespace grid::cli
