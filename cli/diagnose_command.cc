#include "cli/diagnose_command.h"

#include <unistd.h>

#include <iostream>
#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "cli/coordinator_flags.h"
#include "cli/exit_codes.h"
#include "cli/render.h"
#include "coordinator/errors.h"
#include "coordinator/ip_prefix.h"
#include "coordinator/label_selector.h"
#include "coordinator/model_convert.h"
#include "coordinator/operator_client.h"
#include "diagnosis/diagnosis_json.h"
#include "grid/v1/model.pb.h"
#include "grid/v1/operator.pb.h"
#include "nlohmann/json.hpp"

namespace grid::cli {
namespace {

struct DiagnoseArgs {
  std::string target;
  CoordinatorFlags remote;
  int cycles = 0;
  double interval_s = 0;
  std::string probes;
  std::string proto = "icmp";
  int port = 0;
  double deadline_s = 0;
  bool no_return = false;
  bool json = false;
  bool no_progress = false;
};

// One job's line in the live view.
struct JobLine {
  std::string vantage;
  v1::Direction direction = v1::DIRECTION_FORWARD;
  std::string probe;
  uint32_t done = 0, total = 0;
  std::string state = "waiting";
  std::string detail;
};

// Per-vantage progress on stderr, redrawn in place (a terminal only).
class LiveView {
 public:
  explicit LiveView(bool enabled) : enabled_(enabled) {}
  ~LiveView() { Clear(); }

  void Update(const v1::DiagnoseEvent& e) {
    if (e.has_started()) {
      for (const v1::ScheduledJob& j : e.started().jobs()) {
        JobLine& l = jobs_[j.job_id()];
        l.vantage = j.vantage();
        l.direction = j.direction();
        l.probe = j.probe_name();
        l.total = e.started().cycles();
      }
    } else if (e.has_progress()) {
      const v1::JobProgress& p = e.progress();
      JobLine& l = jobs_[p.job_id()];
      l.vantage = p.vantage();
      l.direction = p.direction();
      l.done = p.cycles_done();
      l.total = p.cycles_total();
      l.state = StateName(p.status());
      const v1::TraceSummary& s = p.summary();
      if (s.hops_size() > 0) {
        const v1::HopSummary& last = s.hops(s.hops_size() - 1);
        l.detail = absl::StrFormat("%d hops, last %s %.1f%% loss %.1f ms",
                                   s.hops_size(), last.host(), last.loss_pct(),
                                   last.avg_ms());
      }
    } else if (e.has_lost()) {
      JobLine& l = jobs_[e.lost().job_id()];
      if (l.vantage.empty()) l.vantage = e.lost().probe_name();
      l.state = StateName(e.lost().status());
      l.detail = e.lost().reason();
    }
    Draw();
  }

 private:
  static std::string StateName(v1::JobStatus s) {
    switch (s) {
      case v1::JOB_STATUS_PENDING:
        return "waiting";
      case v1::JOB_STATUS_RUNNING:
        return "running";
      case v1::JOB_STATUS_DONE:
        return "done";
      case v1::JOB_STATUS_CANCELLED:
        return "cancelled";
      case v1::JOB_STATUS_FAILED:
        return "failed";
      case v1::JOB_STATUS_REJECTED:
        return "rejected";
      case v1::JOB_STATUS_LOST:
        return "lost";
      default:
        return "?";
    }
  }

  void Clear() {
    if (!enabled_ || drawn_ == 0) return;
    std::cerr << absl::StrCat("\033[", drawn_, "A\033[J");
    drawn_ = 0;
  }

  void Draw() {
    if (!enabled_) return;
    Clear();
    std::string out;
    // Sorted by vantage, forward before return.
    std::map<std::pair<std::string, int>, const JobLine*> order;
    for (const auto& [id, l] : jobs_) {
      order[{l.vantage, static_cast<int>(l.direction)}] = &l;
    }
    for (const auto& [key, l] : order) {
      const int width = 20;
      const int filled =
          l->total ? static_cast<int>(width * l->done / l->total) : 0;
      absl::StrAppendFormat(
          &out, "  %-12s %-7s [%s%s] %4u/%-4u %-9s %s\n", l->vantage,
          l->direction == v1::DIRECTION_RETURN ? "return" : "forward",
          std::string(filled, '#'), std::string(width - filled, '.'), l->done,
          l->total, l->state, l->detail);
    }
    std::cerr << out << std::flush;
    drawn_ = static_cast<int>(order.size());
  }

  const bool enabled_;
  std::map<uint64_t, JobLine> jobs_;
  int drawn_ = 0;
};

int Fail(const std::string& message) {
  std::cerr << "grid diagnose: " << message << "\n";
  return kExitError;
}

absl::StatusOr<v1::ProbeMethod> ParseProto(const std::string& p) {
  if (p == "icmp") return v1::PROBE_METHOD_ICMP;
  if (p == "udp") return v1::PROBE_METHOD_UDP;
  if (p == "tcp") return v1::PROBE_METHOD_TCP;
  return absl::InvalidArgumentError(
      absl::StrCat("--proto ", p, ": expected icmp, udp or tcp"));
}

int Run(const DiagnoseArgs& args) {
  // Only the form is checked here; which targets may be probed is the
  // coordinator's policy, and its refusal is the one line printed.
  absl::StatusOr<coordinator::IpBytes> target =
      coordinator::IpBytes::Parse(args.target);
  if (!target.ok()) {
    return Fail(std::string(
        coordinator::InvalidTarget(args.target, target.status().message())
            .message()));
  }
  if (absl::StatusOr<coordinator::LabelSelector> s =
          coordinator::LabelSelector::Parse(args.probes);
      !s.ok()) {
    return Fail(std::string(s.status().message()));
  }
  absl::StatusOr<v1::ProbeMethod> method = ParseProto(args.proto);
  if (!method.ok()) return Fail(std::string(method.status().message()));
  absl::StatusOr<OperatorConnection> remote = ConnectToCoordinator(args.remote);
  if (!remote.ok()) return Fail(std::string(remote.status().message()));

  v1::DiagnoseRequest req;
  req.set_target(target->ToString());
  req.set_cycles(static_cast<uint32_t>(args.cycles));
  req.set_interval_ms(static_cast<uint32_t>(args.interval_s * 1000 + 0.5));
  req.set_probe_selector(args.probes);
  req.set_method(*method);
  req.set_port(static_cast<uint32_t>(args.port));
  req.set_deadline_ms(static_cast<uint32_t>(args.deadline_s * 1000 + 0.5));
  req.set_skip_return(args.no_return);

  grpc::ClientContext ctx;
  std::unique_ptr<grpc::ClientReader<v1::DiagnoseEvent>> reader =
      remote->stub->Diagnose(&ctx, req);
  std::optional<v1::DiagnosisRecord> result;
  std::vector<std::string> rejected;  // Jobs refused, with the reason.
  {
    LiveView live(!args.no_progress && isatty(STDERR_FILENO));
    v1::DiagnoseEvent e;
    while (reader->Read(&e)) {
      if (e.has_result()) {
        result = e.result();
      } else {
        if (e.has_lost() && e.lost().status() == v1::JOB_STATUS_REJECTED) {
          rejected.push_back(
              absl::StrCat(e.lost().probe_name(), ": ", e.lost().reason()));
        }
        live.Update(e);
      }
    }
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok()) {
    return Fail(coordinator::DescribeRpcError(status, remote->address));
  }
  if (!result) return Fail("the coordinator sent no result");

  const diagnosis::Diagnosis d = coordinator::FromProto(result->result());
  if (args.json) {
    std::cout << DiagnosisRecordJson(*result);
  } else {
    const std::vector<diagnosis::VantageTraces> vantages =
        coordinator::VantagesFromProto(result->vantages());
    std::cout << RenderDiagnosis(d, vantages, {.color = StdoutWantsColor()});
    if (result->missing_probes_size() > 0) {
      std::cout << "\nMissing (vanished or too late): "
                << absl::StrJoin(result->missing_probes(), ", ") << "\n";
    }
    for (const std::string& r : rejected)
      std::cout << "Rejected: " << r << "\n";
  }
  return ExitCodeFor(d.verdict);
}

}  // namespace

std::string DiagnosisRecordJson(const v1::DiagnosisRecord& record) {
  const std::vector<diagnosis::VantageTraces> vantages =
      coordinator::VantagesFromProto(record.vantages());
  nlohmann::ordered_json j =
      nlohmann::ordered_json::parse(diagnosis::DiagnosisToJson(
          coordinator::FromProto(record.result()), vantages));
  j["id"] = record.id();
  j["target"] = record.target();
  j["started_unix_ms"] = record.started_unix_ms();
  j["finished_unix_ms"] = record.finished_unix_ms();
  j["cycles"] = record.cycles();
  j["missing_probes"] = nlohmann::ordered_json::array();
  for (const std::string& m : record.missing_probes()) {
    j["missing_probes"].push_back(m);
  }
  return j.dump(2) + "\n";
}

void AddDiagnoseCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<DiagnoseArgs>();
  CLI::App* cmd = app.add_subcommand(
      "diagnose",
      "Trace TARGET from every suitable probe and back, then diagnose");
  cmd->add_option("TARGET", args->target, "IP address of the server")
      ->required();
  AddCoordinatorFlags(*cmd, &args->remote);
  cmd->add_option("-c,--cycles", args->cycles,
                  "Cycles per trace (default: the coordinator's, 10)")
      ->check(CLI::Range(1, 10000));
  cmd->add_option("-i,--interval", args->interval_s,
                  "Seconds between cycles (default: the coordinator's, 1)")
      ->check(CLI::Range(0.001, 3600.0));
  cmd->add_option("--probes", args->probes,
                  "Only probes with these labels: k=v,k2=v2");
  cmd->add_option("--proto", args->proto, "icmp, udp or tcp")
      ->capture_default_str();
  cmd->add_option("--port", args->port, "Destination port for udp/tcp")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--deadline", args->deadline_s,
                  "Seconds until probes not done are reported missing")
      ->check(CLI::Range(0.1, 86400.0));
  cmd->add_flag("--no-return", args->no_return,
                "Do not trace back from the target's side");
  cmd->add_flag("--json", args->json, "Print the diagnosis JSON");
  cmd->add_flag("--no-progress", args->no_progress,
                "No live progress on the terminal");
  cmd->callback([args, exit_code] { *exit_code = Run(*args); });
}

}  // namespace grid::cli
