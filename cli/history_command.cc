#include "cli/history_command.h"

#include <iostream>
#include <memory>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "cli/coordinator_flags.h"
#include "cli/diagnose_command.h"
#include "cli/exit_codes.h"
#include "coordinator/ip_prefix.h"
#include "coordinator/model_convert.h"
#include "coordinator/operator_client.h"
#include "diagnosis/diagnosis.h"
#include "nlohmann/json.hpp"

namespace grid::cli {
namespace {

struct HistoryArgs {
  std::string target;
  CoordinatorFlags remote;
  int limit = 20;
  bool json = false;
};

int Fail(const std::string& message) {
  std::cerr << "grid history: " << message << "\n";
  return kExitError;
}

int Run(const HistoryArgs& args) {
  absl::StatusOr<std::string> target =
      coordinator::CanonicalTarget(args.target);
  if (!target.ok()) return Fail(std::string(target.status().message()));
  absl::StatusOr<OperatorConnection> remote = ConnectToCoordinator(args.remote);
  if (!remote.ok()) return Fail(std::string(remote.status().message()));
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  v1::GetHistoryRequest req;
  req.set_target(*target);
  req.set_limit(static_cast<uint32_t>(args.limit));
  v1::GetHistoryResponse resp;
  const grpc::Status status = remote->stub->GetHistory(&ctx, req, &resp);
  if (!status.ok())
    return Fail(coordinator::DescribeRpcError(status, remote->address));

  if (args.json) {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const v1::DiagnosisRecord& r : resp.diagnoses()) {
      j.push_back(nlohmann::ordered_json::parse(DiagnosisRecordJson(r)));
    }
    std::cout << j.dump(2) << "\n";
    return kExitHealthy;
  }
  if (resp.diagnoses_size() == 0) {
    std::cout << "No diagnoses of " << *target << " yet.\n";
    return kExitHealthy;
  }
  for (const v1::DiagnosisRecord& r : resp.diagnoses()) {
    const diagnosis::Diagnosis d = coordinator::FromProto(r.result());
    std::vector<std::string> vantages;
    for (const v1::VantageTraces& v : r.vantages()) {
      vantages.push_back(v.has_return_trace() ? v.name() + "(+return)"
                                              : v.name());
    }
    std::cout << absl::StrFormat(
        "%s  #%d  %-20s  vantages %s%s\n",
        absl::FormatTime("%Y-%m-%d %H:%M:%S",
                         absl::FromUnixMillis(r.started_unix_ms()),
                         absl::UTCTimeZone()),
        r.id(),
        r.has_result() ? std::string(diagnosis::VerdictName(d.verdict))
                       : "(unfinished)",
        vantages.empty() ? "-" : absl::StrJoin(vantages, " "),
        r.missing_probes_size() > 0
            ? absl::StrCat("; missing ", absl::StrJoin(r.missing_probes(), " "))
            : "");
    if (!d.summary.empty()) std::cout << "    " << d.summary << "\n";
  }
  return kExitHealthy;
}

}  // namespace

void AddHistoryCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<HistoryArgs>();
  CLI::App* cmd =
      app.add_subcommand("history", "Past diagnoses of TARGET, newest first");
  cmd->add_option("TARGET", args->target, "IP address of the server")
      ->required();
  AddCoordinatorFlags(*cmd, &args->remote);
  cmd->add_option("-n,--limit", args->limit, "At most this many (default 20)")
      ->check(CLI::Range(1, 10000));
  cmd->add_flag("--json", args->json, "Print JSON: one diagnosis JSON each");
  cmd->callback([args, exit_code] { *exit_code = Run(*args); });
}

}  // namespace grid::cli
