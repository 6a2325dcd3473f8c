// Lab fault injection: loss (iptables statistic DROP), delay (NFQUEUE +
// grid-lab-delay) and ICMP rate limiting (sysctls), all undoable.
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "tests/lab/lab.h"

namespace grid::lab {
namespace {

// Directions of a link fault as (sender, receiver) node pairs.
std::vector<std::pair<std::string, std::string>> Directions(
    const ResolvedLink& l, const Fault& f) {
  std::vector<std::pair<std::string, std::string>> out;
  if (f.from.empty() || f.from == l.a.node)
    out.emplace_back(l.a.node, l.b.node);
  if (f.from.empty() || f.from == l.b.node)
    out.emplace_back(l.b.node, l.a.node);
  return out;
}

std::string ExeDir() {
  char buf[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return ".";
  std::string p(buf, n);
  return p.substr(0, p.rfind('/'));
}

}  // namespace

std::string Lab::DelayHelperPath() const {
  if (!options_.delay_helper.empty()) return options_.delay_helper;
  if (const char* env = std::getenv("GRID_LAB_DELAY"); env && *env) return env;
#ifdef GRID_LAB_DELAY_PATH
  if (access(GRID_LAB_DELAY_PATH, X_OK) == 0) return GRID_LAB_DELAY_PATH;
#endif
  return ExeDir() + "/grid-lab-delay";
}

absl::StatusOr<FaultId> Lab::AddFault(const Fault& fault) {
  if (down_) return absl::FailedPreconditionError("the lab is down");
  GRID_RETURN_IF_ERROR(ValidateFault(topo_, fault));
  const FaultId id = next_fault_++;
  Applied applied;
  applied.fault = fault;
  absl::Status s = ApplyFault(id, applied);
  if (!s.ok()) {
    (void)UndoFault(applied);
    return absl::Status(s.code(),
                        absl::StrCat(fault.Describe(), ": ", s.message()));
  }
  faults_[id] = std::move(applied);
  GRID_RETURN_IF_ERROR(SaveState());
  return id;
}

absl::Status Lab::RemoveFault(FaultId id) {
  auto it = faults_.find(id);
  if (it == faults_.end()) {
    return absl::NotFoundError(absl::StrCat("no active fault ", id));
  }
  absl::Status s = UndoFault(it->second);
  faults_.erase(it);
  GRID_RETURN_IF_ERROR(SaveState());
  return s;
}

absl::Status Lab::ClearFaults() {
  absl::Status first;
  while (!faults_.empty()) {
    absl::Status s = RemoveFault(faults_.begin()->first);
    if (first.ok()) first = s;
  }
  return first;
}

std::map<FaultId, Fault> Lab::ActiveFaults() const {
  std::map<FaultId, Fault> out;
  for (const auto& [id, a] : faults_) out[id] = a.fault;
  return out;
}

absl::Status Lab::ApplyFault(FaultId id, Applied& applied) {
  const Fault& f = applied.fault;
  if (f.kind == FaultKind::kIcmpRateLimit) {
    std::map<std::string, std::string> want = {
        {"net.ipv4.icmp_ratelimit", std::to_string(f.ratelimit_ms)},
        {"net.ipv4.icmp_msgs_per_sec", std::to_string(f.msgs_per_sec)},
        {"net.ipv4.icmp_msgs_burst", std::to_string(f.msgs_burst)},
    };
    if (topo_.spec.ipv6) {
      want["net.ipv6.icmp.ratelimit"] = std::to_string(f.ratelimit_ms);
    }
    for (const auto& [k, v] : want) {
      GRID_ASSIGN_OR_RETURN(std::string old, GetSysctl(f.node, k));
      GRID_RETURN_IF_ERROR(SetSysctl(f.node, k, v));
      applied.saved_sysctls[k] = old;
    }
    return absl::OkStatus();
  }
  GRID_ASSIGN_OR_RETURN(const ResolvedLink* link,
                        topo_.FindLink(f.a, f.b, f.link));
  std::vector<std::string> programs = {"iptables"};
  if (topo_.spec.ipv6) programs.push_back("ip6tables");
  const std::string comment = absl::StrCat("grid-lab-fault-", id);
  for (const auto& [sender, receiver] : Directions(*link, f)) {
    std::vector<std::string> spec = {"PREROUTING", "-i",
                                     link->Side(receiver).ifname};
    if (f.kind == FaultKind::kLoss) {
      spec.insert(spec.end(),
                  {"-m", "statistic", "--mode", "random", "--probability",
                   absl::StrFormat("%.6f", f.probability), "-m", "comment",
                   "--comment", comment, "-j", "DROP"});
    } else {
      GRID_RETURN_IF_ERROR(StartDelayHelper(receiver, f, applied));
      spec.insert(spec.end(), {"-m", "comment", "--comment", comment, "-j",
                               "NFQUEUE", "--queue-num",
                               std::to_string(applied.helpers.back().queue)});
    }
    for (const std::string& program : programs) {
      std::vector<std::string> argv = {program, "-w", "-t", "mangle", "-A"};
      argv.insert(argv.end(), spec.begin(), spec.end());
      GRID_RETURN_IF_ERROR(Exec(receiver, argv).status());
      applied.rules.push_back({receiver, program, spec});
    }
  }
  return absl::OkStatus();
}

absl::Status Lab::StartDelayHelper(const std::string& node, const Fault& f,
                                   Applied& applied) {
  const std::string helper = DelayHelperPath();
  if (access(helper.c_str(), X_OK) != 0) {
    return absl::NotFoundError("delay helper " + helper +
                               " not found (set GRID_LAB_DELAY)");
  }
  const int queue = ++next_queue_[node];
  GRID_ASSIGN_OR_RETURN(NetnsFd fd, NetnsFd::Open(Namespace(node)));
  // Detached from the caller's terminal and stdio: it outlives a
  // `grid-lab fault` command, whose caller waits for its output to close.
  SpawnOptions so;
  so.capture_stdout = true;
  so.new_session = true;
  so.stderr_path = HelperLogPath();
  GRID_ASSIGN_OR_RETURN(
      Spawned s, SpawnProcess({helper, "--queue", std::to_string(queue),
                               "--delay-ms", std::to_string(f.delay_ms),
                               "--jitter-ms", std::to_string(f.jitter_ms),
                               "--seed", std::to_string(f.seed)},
                              fd.get(), so));
  applied.helpers.push_back({node, s.pid, queue});
  absl::Status ready = WaitForLine(s.stdout_fd, "ready", absl::Seconds(5));
  close(s.stdout_fd);
  if (!ready.ok()) {
    return absl::InternalError(absl::StrCat(
        "delay helper on ", node, " (queue ", queue,
        ") did not start: ", ready.message(), " (see ", HelperLogPath(), ")"));
  }
  return absl::OkStatus();
}

absl::Status Lab::UndoFault(Applied& applied) {
  absl::Status first;
  auto note = [&](const absl::Status& s) {
    if (first.ok() && !s.ok()) first = s;
  };
  // Rules first, so no packet is queued to a helper that is gone.
  for (const Applied::Rule& r : applied.rules) {
    std::vector<std::string> argv = {r.program, "-w", "-t", "mangle", "-D"};
    argv.insert(argv.end(), r.spec.begin(), r.spec.end());
    note(Exec(r.node, argv).status());
  }
  applied.rules.clear();
  for (const Applied::Helper& h : applied.helpers) {
    // A helper from another process (Attach) is only ours to kill if it is
    // still in the lab namespace.
    bool ours = false;
    for (pid_t p : PidsInNetns(Namespace(h.node))) ours = ours || p == h.pid;
    if (ours) note(TerminateProcess(h.pid));
  }
  applied.helpers.clear();
  for (const auto& [k, v] : applied.saved_sysctls) {
    note(SetSysctl(applied.fault.node, k, v));
  }
  applied.saved_sysctls.clear();
  return first;
}

}  // namespace grid::lab
