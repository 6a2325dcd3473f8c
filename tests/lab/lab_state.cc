// The lab state file (<state_dir>/<prefix>.json): enough to attach to a
// running lab from another process and to tear it down by name.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "nlohmann/json.hpp"
#include "tests/lab/lab.h"
#include "tests/lab/topology_json.h"

namespace grid::lab {

using nlohmann::json;

std::string Lab::StatePath() const {
  return options_.state_dir + "/" + prefix_ + ".json";
}

std::string Lab::HelperLogPath() const {
  return options_.state_dir + "/" + prefix_ + ".delay.log";
}

absl::Status Lab::SaveState() const {
  if (down_) return absl::OkStatus();
  mkdir(options_.state_dir.c_str(), 0755);
  json j;
  j["prefix"] = prefix_;
  j["topology"] = TopologyToJson(topo_.spec);
  j["next_fault"] = next_fault_;
  j["next_queue"] = next_queue_;
  j["faults"] = json::array();
  for (const auto& [id, a] : faults_) {
    json fj = {{"id", id}, {"fault", FaultToJson(a.fault)}};
    fj["rules"] = json::array();
    for (const Applied::Rule& r : a.rules) {
      fj["rules"].push_back(
          {{"node", r.node}, {"program", r.program}, {"spec", r.spec}});
    }
    fj["helpers"] = json::array();
    for (const Applied::Helper& h : a.helpers) {
      fj["helpers"].push_back(
          {{"node", h.node}, {"pid", h.pid}, {"queue", h.queue}});
    }
    fj["saved_sysctls"] = a.saved_sysctls;
    j["faults"].push_back(fj);
  }
  const std::string path = StatePath();
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp);
    f << j.dump(2) << "\n";
    if (!f) return absl::InternalError("cannot write lab state " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::InternalError("cannot write lab state " + path);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Lab>> Lab::Attach(const std::string& prefix,
                                                 LabOptions options) {
  const std::string path = options.state_dir + "/" + prefix + ".json";
  std::ifstream f(path);
  if (!f)
    return absl::NotFoundError("no running lab '" + prefix + "' (" + path +
                               ")");
  std::stringstream ss;
  ss << f.rdbuf();
  json j = json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("topology")) {
    return absl::DataLossError("corrupt lab state " + path);
  }
  GRID_ASSIGN_OR_RETURN(Topology t, TopologyFromJson(j["topology"]));
  GRID_ASSIGN_OR_RETURN(ResolvedTopology topo, Resolve(t));
  std::unique_ptr<Lab> lab(
      new Lab(std::move(topo), prefix, std::move(options)));
  lab->owned_ = false;
  // The state file is our own output; a type mismatch means corruption.
  try {
    lab->next_fault_ = j.value("next_fault", 1);
    if (j.contains("next_queue")) {
      lab->next_queue_ = j["next_queue"].get<std::map<std::string, int>>();
    }
    for (const json& fj : j.value("faults", json::array())) {
      Applied a;
      GRID_ASSIGN_OR_RETURN(a.fault, FaultFromJson(fj.at("fault"), path));
      for (const json& r : fj.at("rules")) {
        a.rules.push_back({r.at("node").get<std::string>(),
                           r.at("program").get<std::string>(),
                           r.at("spec").get<std::vector<std::string>>()});
      }
      for (const json& h : fj.at("helpers")) {
        a.helpers.push_back({h.at("node").get<std::string>(),
                             h.at("pid").get<pid_t>(),
                             h.at("queue").get<int>()});
      }
      a.saved_sysctls =
          fj.at("saved_sysctls").get<std::map<std::string, std::string>>();
      lab->faults_[fj.at("id").get<int>()] = std::move(a);
    }
  } catch (const json::exception& e) {
    lab->down_ = true;
    return absl::DataLossError(
        absl::StrCat("corrupt lab state ", path, ": ", e.what()));
  }
  return lab;
}

absl::Status Lab::Destroy(const std::string& prefix, LabOptions options) {
  auto lab = Attach(prefix, options);
  if (lab.ok()) {
    (*lab)->TakeOwnership();
    return (*lab)->Down();
  }
  if (!absl::IsNotFound(lab.status())) return lab.status();
  // No state file: every "<prefix>-*" namespace.
  const std::vector<std::string> names = ListNetns(prefix + "-");
  if (names.empty()) {
    return absl::NotFoundError("no lab '" + prefix +
                               "' (no state, no namespaces)");
  }
  std::string cmds;
  for (const std::string& ns : names) {
    (void)KillNetnsProcesses(ns);
    absl::StrAppend(&cmds, "netns del ", ns, "\n");
  }
  GRID_ASSIGN_OR_RETURN(RunResult r,
                        RunProcess({"ip", "-force", "-batch", "-"}, -1,
                                   RunOptions{absl::Seconds(30), cmds}));
  if (r.exit_code != 0) return absl::InternalError("ip netns del: " + r.err);
  return absl::OkStatus();
}

}  // namespace grid::lab
