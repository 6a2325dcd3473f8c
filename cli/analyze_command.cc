#include "cli/analyze_command.h"

#include <iostream>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "cli/exit_codes.h"
#include "cli/files.h"
#include "cli/render.h"
#include "common/status_macros.h"
#include "diagnosis/diagnosis.h"
#include "diagnosis/diagnosis_json.h"
#include "diagnosis/reports/reports.h"

namespace grid::cli {
namespace {

using diagnosis::Trace;
using diagnosis::VantageTraces;

struct AnalyzeArgs {
  std::vector<std::string> fwd;
  std::vector<std::string> ret;
  bool json = false;
};

// Splits "NAME=FILE"; `flag` names the option in errors.
absl::StatusOr<std::pair<std::string, std::string>> SplitSpec(
    const std::string& flag, const std::string& spec) {
  const size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " ", spec, ": expected NAME=FILE"));
  }
  return std::make_pair(spec.substr(0, eq), spec.substr(eq + 1));
}

absl::StatusOr<Trace> LoadReport(const std::string& path) {
  GRID_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return diagnosis::ReadReport(text, path);
}

int Run(const AnalyzeArgs& args) {
  absl::StatusOr<std::vector<VantageTraces>> vantages =
      LoadVantages(args.fwd, args.ret);
  if (!vantages.ok()) {
    std::cerr << "grid analyze: " << vantages.status().message() << "\n";
    return kExitError;
  }
  const diagnosis::Diagnosis d = diagnosis::Diagnose(*vantages);
  if (args.json) {
    std::cout << diagnosis::DiagnosisToJson(d, *vantages);
  } else {
    std::cout << RenderDiagnosis(d, *vantages, {.color = StdoutWantsColor()});
  }
  return ExitCodeFor(d.verdict);
}

}  // namespace

absl::StatusOr<std::vector<VantageTraces>> LoadVantages(
    const std::vector<std::string>& fwd, const std::vector<std::string>& ret) {
  std::vector<VantageTraces> vantages;
  auto find = [&](const std::string& name) -> VantageTraces* {
    for (VantageTraces& v : vantages) {
      if (v.name == name) return &v;
    }
    return nullptr;
  };
  for (const std::string& spec : fwd) {
    GRID_ASSIGN_OR_RETURN(auto name_file, SplitSpec("--fwd", spec));
    if (find(name_file.first)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--fwd ", spec, ": vantage ", name_file.first, " given twice"));
    }
    GRID_ASSIGN_OR_RETURN(Trace trace, LoadReport(name_file.second));
    vantages.push_back({name_file.first, std::move(trace), std::nullopt});
  }
  for (const std::string& spec : ret) {
    GRID_ASSIGN_OR_RETURN(auto name_file, SplitSpec("--ret", spec));
    VantageTraces* v = find(name_file.first);
    if (!v) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--ret ", spec, ": no --fwd report for vantage ", name_file.first));
    }
    if (v->ret) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--ret ", spec, ": vantage ", name_file.first, " given twice"));
    }
    GRID_ASSIGN_OR_RETURN(Trace trace, LoadReport(name_file.second));
    v->ret = std::move(trace);
  }
  return vantages;
}

void AddAnalyzeCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<AnalyzeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "analyze",
      "Diagnose from mtr/WinMTR reports (format detected automatically)");
  cmd->add_option("--fwd", args->fwd,
                  "NAME=FILE: a vantage's report toward the server")
      ->required()
      ->type_name("NAME=FILE");
  cmd->add_option("--ret", args->ret,
                  "NAME=FILE: the report from the server back to that vantage")
      ->type_name("NAME=FILE");
  cmd->add_flag("--json", args->json, "Print the diagnosis JSON");
  cmd->callback([args, exit_code] { *exit_code = Run(*args); });
}

}  // namespace grid::cli
