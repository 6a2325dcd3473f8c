#include "cli/certs_command.h"

#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/exit_codes.h"
#include "common/tls/certs.h"

namespace grid::cli {
namespace {

int Report(const absl::Status& status, const std::string& done) {
  if (!status.ok()) {
    std::cerr << "grid certs: " << status.message() << "\n";
    return kExitError;
  }
  std::cout << done << "\n";
  return kExitHealthy;
}

// `grid certs coordinator|probe|operator`.
void AddIssue(CLI::App& certs, const char* name, tls::Role role,
              const char* description, int* exit_code) {
  auto o = std::make_shared<tls::IssueOptions>();
  o->role = role;
  CLI::App* cmd = certs.add_subcommand(name, description);
  cmd->add_option("--dir", o->ca_dir, "The CA's directory (ca.crt, ca.key)")
      ->required();
  cmd->add_option("--out", o->out_dir,
                  "Directory for tls.crt, tls.key and ca.crt")
      ->required();
  if (role == tls::Role::kCoordinator) {
    cmd->add_option("--host", o->hosts,
                    "DNS name or IP address clients dial (repeatable)")
        ->required();
    cmd->add_option("--name", o->name, "Subject CN (default: the first host)");
  } else {
    cmd->add_option("--name", o->name,
                    role == tls::Role::kProbe
                        ? "The probe's --name; PREFIX* covers every name "
                          "starting with PREFIX"
                        : "The operator's name")
        ->required();
  }
  cmd->add_option("--days", o->days, "Validity in days")->capture_default_str();
  cmd->add_flag("--force", o->force, "Replace an existing tls.crt/tls.key");
  cmd->callback([o, exit_code, role] {
    const std::string who =
        role == tls::Role::kCoordinator
            ? absl::StrCat("hosts ", absl::StrJoin(o->hosts, ", "))
            : absl::StrCat("\"", o->name, "\"");
    *exit_code = Report(
        tls::IssueCert(*o),
        absl::StrCat("wrote ", o->out_dir,
                     "/tls.crt, tls.key and ca.crt: ", tls::RoleName(role),
                     " certificate for ", who, ", valid ", o->days, " days"));
  });
}

}  // namespace

void AddCertsCommand(CLI::App& app, int* exit_code) {
  CLI::App* certs = app.add_subcommand(
      "certs", "Make a CA and the certificates of the grid's TLS");
  certs->require_subcommand(1);
  auto ca = std::make_shared<tls::CaOptions>();
  CLI::App* init = certs->add_subcommand("init", "Make the CA");
  init->add_option("--dir", ca->dir, "Directory for ca.crt and ca.key")
      ->required();
  init->add_option("--name", ca->name, "The CA's name")->capture_default_str();
  init->add_option("--days", ca->days, "Validity in days")
      ->capture_default_str();
  init->callback([ca, exit_code] {
    *exit_code = Report(tls::InitCa(*ca),
                        absl::StrCat("wrote ", ca->dir, "/ca.crt and ", ca->dir,
                                     "/ca.key (keep ca.key secret)"));
  });
  AddIssue(*certs, "coordinator", tls::Role::kCoordinator,
           "Issue the coordinator's server certificate", exit_code);
  AddIssue(*certs, "probe", tls::Role::kProbe,
           "Issue a probe's client certificate", exit_code);
  AddIssue(*certs, "operator", tls::Role::kOperator,
           "Issue an operator's client certificate (grid diagnose, ...)",
           exit_code);
}

}  // namespace grid::cli
