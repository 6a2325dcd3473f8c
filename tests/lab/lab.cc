#include "tests/lab/lab.h"

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <random>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/status_macros.h"

namespace grid::lab {
namespace {

// Namespace of the management bridge: node names cannot start with '-'.
constexpr char kMgmtSuffix[] = "--mgmt";

absl::Status Annotate(const absl::Status& s, const std::string& context) {
  if (s.ok()) return s;
  return absl::Status(s.code(), absl::StrCat(context, ": ", s.message()));
}

}  // namespace

Lab::Lab(ResolvedTopology topo, std::string prefix, LabOptions options)
    : topo_(std::move(topo)),
      prefix_(std::move(prefix)),
      options_(std::move(options)) {}

Lab::~Lab() {
  if (!owned_) return;
  absl::Status s = Down();
  if (!s.ok()) {
    std::fprintf(stderr, "grid-lab: teardown of %s: %s\n", prefix_.c_str(),
                 std::string(s.message()).c_str());
  }
}

std::string Lab::UniquePrefix(const std::string& base) {
  static std::atomic<int> counter{0};
  std::random_device rd;
  char rnd[8];
  std::snprintf(rnd, sizeof(rnd), "%04x", rd() & 0xffff);
  return absl::StrCat(base, "-", getpid(), "-", counter++, rnd);
}

absl::Status Lab::Available() {
  if (geteuid() != 0) {
    return absl::FailedPreconditionError("the lab needs root");
  }
  auto r = RunProcess({"ip", "netns", "list"});
  if (!r.ok()) return Annotate(r.status(), "ip netns");
  if (r->exit_code != 0) {
    return absl::FailedPreconditionError("`ip netns list` failed: " + r->err);
  }
  if (!FindProgram("iptables").ok()) {
    return absl::FailedPreconditionError("iptables is not installed");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Lab>> Lab::Up(const Topology& topology,
                                             const std::string& prefix,
                                             LabOptions options) {
  if (prefix.empty() || prefix.size() > 40 ||
      prefix.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
                               "VWXYZ0123456789_-") != std::string::npos) {
    return absl::InvalidArgumentError("lab prefix '" + prefix +
                                      "' must be 1-40 of [A-Za-z0-9_-]");
  }
  GRID_ASSIGN_OR_RETURN(ResolvedTopology topo, Resolve(topology));
  std::vector<Fault> faults = topo.spec.faults;
  topo.spec.faults.clear();  // the live set is Lab::faults_
  std::unique_ptr<Lab> lab(
      new Lab(std::move(topo), prefix, std::move(options)));
  for (const std::string& ns : lab->AllNamespaces()) {
    if (NetnsExists(ns)) {
      lab->down_ = true;  // nothing of ours to tear down
      return absl::AlreadyExistsError("namespace " + ns +
                                      " already exists: prefix in use");
    }
  }
  absl::Status s = lab->Build();
  for (size_t i = 0; s.ok() && i < faults.size(); ++i) {
    s = Annotate(lab->AddFault(faults[i]).status(),
                 absl::StrCat("faults[", i, "]"));
  }
  if (!s.ok()) {
    // The handle's destructor tears down whatever was made.
    return Annotate(s, "bringing up lab " + prefix);
  }
  return lab;
}

std::vector<std::string> Lab::AllNamespaces() const {
  std::vector<std::string> out;
  for (const NodeSpec& n : topo_.spec.nodes) out.push_back(Namespace(n.name));
  if (topo_.spec.management.enabled) out.push_back(prefix_ + kMgmtSuffix);
  return out;
}

std::string Lab::Namespace(const std::string& node) const {
  return prefix_ + "-" + node;
}

absl::Status Lab::Build() {
  GRID_RETURN_IF_ERROR(CreateNamespaces());
  GRID_RETURN_IF_ERROR(SaveState());  // from now on `grid-lab down` finds it
  GRID_RETURN_IF_ERROR(ApplySysctls());
  GRID_RETURN_IF_ERROR(CreateLinks());
  GRID_RETURN_IF_ERROR(CreateManagement());
  GRID_RETURN_IF_ERROR(ConfigureNodes());
  return WaitForLinks();
}

absl::Status Lab::WaitForLinks() const {
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  RunOptions opts;
  opts.timeout = options_.command_timeout;
  for (const std::string& ns : AllNamespaces()) {
    while (true) {
      GRID_ASSIGN_OR_RETURN(
          RunResult r,
          RunProcess({"ip", "-n", ns, "-o", "link", "show"}, -1, opts));
      if (r.exit_code != 0) {
        return absl::InternalError(
            absl::StrCat("ip -n ", ns, " -o link show failed: ", r.err));
      }
      std::string down;
      for (absl::string_view line :
           absl::StrSplit(r.out, '\n', absl::SkipEmpty())) {
        if (!absl::StrContains(line, "LOOPBACK") &&
            !absl::StrContains(line, "state UP")) {
          down = std::string(line);
          break;
        }
      }
      if (down.empty()) break;
      if (absl::Now() > deadline) {
        return absl::DeadlineExceededError(absl::StrCat(
            "namespace ", ns, ": a link is not up after 5 s: ", down));
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Lab::RunIpBatch(const std::string& node,
                                            const std::string& commands) const {
  std::vector<std::string> argv = {"ip"};
  if (!node.empty()) {
    argv.push_back("-n");
    argv.push_back(node);
  }
  argv.insert(argv.end(), {"-batch", "-"});
  RunOptions opts;
  opts.timeout = options_.command_timeout;
  opts.stdin_data = commands;
  GRID_ASSIGN_OR_RETURN(RunResult r, RunProcess(argv, -1, opts));
  if (r.exit_code != 0) {
    return absl::InternalError(absl::StrCat(JoinArgv(argv), " failed: ", r.err,
                                            "\ncommands were:\n", commands));
  }
  return r.out;
}

absl::Status Lab::CreateNamespaces() {
  std::string cmds;
  for (const std::string& ns : AllNamespaces()) {
    absl::StrAppend(&cmds, "netns add ", ns, "\n");
  }
  return RunIpBatch("", cmds).status();
}

absl::Status Lab::ApplySysctls() {
  for (const NodeSpec& n : topo_.spec.nodes) {
    for (const auto& [k, v] : topo_.SysctlsFor(n)) {
      GRID_RETURN_IF_ERROR(Annotate(SetSysctl(n.name, k, v), "node " + n.name));
    }
  }
  if (topo_.spec.management.enabled) {
    GRID_ASSIGN_OR_RETURN(ScopedNetns in,
                          ScopedNetns::Enter(prefix_ + kMgmtSuffix));
    GRID_RETURN_IF_ERROR(WriteSysctl("net.ipv6.conf.all.disable_ipv6", "1"));
    GRID_RETURN_IF_ERROR(
        WriteSysctl("net.ipv6.conf.default.disable_ipv6", "1"));
  }
  return absl::OkStatus();
}

absl::Status Lab::CreateLinks() {
  if (topo_.links.empty()) return absl::OkStatus();
  std::string cmds;
  for (const ResolvedLink& l : topo_.links) {
    absl::StrAppend(&cmds, "link add name ", l.a.ifname, " netns ",
                    Namespace(l.a.node), " type veth peer name ", l.b.ifname,
                    " netns ", Namespace(l.b.node), "\n");
  }
  return RunIpBatch("", cmds).status();
}

absl::Status Lab::CreateManagement() {
  if (!topo_.spec.management.enabled) return absl::OkStatus();
  const std::string mgmt_ns = prefix_ + kMgmtSuffix;
  std::string root_cmds,
      bridge_cmds = "link add br0 type bridge\nlink set br0 up\n";
  for (size_t i = 0; i < topo_.spec.nodes.size(); ++i) {
    const std::string port = absl::StrCat("m", i);
    absl::StrAppend(&root_cmds, "link add name mgmt netns ",
                    Namespace(topo_.spec.nodes[i].name),
                    " type veth peer name ", port, " netns ", mgmt_ns, "\n");
    absl::StrAppend(&bridge_cmds, "link set ", port, " master br0\nlink set ",
                    port, " up\n");
  }
  GRID_RETURN_IF_ERROR(RunIpBatch("", root_cmds).status());
  return RunIpBatch(mgmt_ns, bridge_cmds).status();
}

absl::Status Lab::ConfigureNodes() {
  // Pass 1: addresses and links up on every node; pass 2: routes, which
  // need the next hops on-link.
  for (const NodeSpec& n : topo_.spec.nodes) {
    std::string cmds = "link set lo up\n";
    for (const ResolvedLink* l : topo_.LinksOf(n.name)) {
      const Endpoint& e = l->Side(n.name);
      absl::StrAppend(&cmds, "addr add ", e.addr4, "/", l->subnet4.len, " dev ",
                      e.ifname, "\n");
      if (!e.addr6.empty()) {
        absl::StrAppend(&cmds, "addr add ", e.addr6, "/", l->subnet6.len,
                        " dev ", e.ifname, " nodad\n");
      }
      absl::StrAppend(&cmds, "link set ", e.ifname, " up\n");
    }
    if (topo_.spec.management.enabled) {
      absl::StrAppend(&cmds, "addr add ", topo_.mgmt_addr.at(n.name), "/",
                      topo_.mgmt_subnet.len, " dev mgmt\nlink set mgmt up\n");
    }
    GRID_RETURN_IF_ERROR(Annotate(RunIpBatch(Namespace(n.name), cmds).status(),
                                  "node " + n.name));
  }
  for (const NodeSpec& n : topo_.spec.nodes) {
    std::string cmds;
    for (const ResolvedRoute& r : topo_.routes) {
      if (r.node != n.name) continue;
      const std::string dst = r.dst != "default"     ? r.dst
                              : r.family == AF_INET6 ? "::/0"
                                                     : "0.0.0.0/0";
      absl::StrAppend(&cmds, "route replace ", dst);
      if (r.via.size() == 1) {
        absl::StrAppend(&cmds, " via ", r.via[0]);
      } else {
        for (const std::string& v : r.via)
          absl::StrAppend(&cmds, " nexthop via ", v);
      }
      cmds += "\n";
    }
    if (cmds.empty()) continue;
    GRID_RETURN_IF_ERROR(Annotate(RunIpBatch(Namespace(n.name), cmds).status(),
                                  "routes of node " + n.name));
  }
  return absl::OkStatus();
}

absl::Status Lab::Down() {
  if (down_) return absl::OkStatus();
  down_ = true;
  absl::Status result;
  for (pid_t pid : spawned_) {
    absl::Status s = TerminateProcess(pid, absl::Seconds(1));
    if (result.ok()) result = s;
  }
  spawned_.clear();
  // Delay helpers and anything else still running in the namespaces go
  // with them (by namespace membership, so a stale pid is never hit).
  faults_.clear();
  std::string cmds;
  for (const std::string& ns : AllNamespaces()) {
    if (!NetnsExists(ns)) continue;
    absl::Status s = KillNetnsProcesses(ns);
    if (result.ok()) result = s;
    absl::StrAppend(&cmds, "netns del ", ns, "\n");
  }
  if (!cmds.empty()) {
    auto r = RunProcess({"ip", "-force", "-batch", "-"}, -1,
                        RunOptions{options_.command_timeout, cmds});
    if (!r.ok() && result.ok()) result = r.status();
  }
  std::vector<std::string> left;
  for (const std::string& ns : AllNamespaces()) {
    if (NetnsExists(ns)) left.push_back(ns);
  }
  if (!left.empty() && result.ok()) {
    result = absl::InternalError("namespaces left behind: " +
                                 absl::StrJoin(left, " "));
  }
  std::remove(StatePath().c_str());
  std::remove(HelperLogPath().c_str());
  return result;
}

absl::StatusOr<std::string> Lab::Address(const std::string& node) const {
  if (!topo_.FindNode(node))
    return absl::NotFoundError("no node '" + node + "'");
  const auto links = topo_.LinksOf(node);
  if (links.empty())
    return absl::NotFoundError("node '" + node + "' has no links");
  return links[0]->Side(node).addr4;
}

absl::StatusOr<std::string> Lab::Address6(const std::string& node) const {
  GRID_RETURN_IF_ERROR(Address(node).status());
  if (!topo_.spec.ipv6) return absl::FailedPreconditionError("IPv6 is off");
  return topo_.LinksOf(node)[0]->Side(node).addr6;
}

absl::StatusOr<std::string> Lab::AddressOn(const std::string& node,
                                           const std::string& peer) const {
  GRID_ASSIGN_OR_RETURN(const ResolvedLink* l, topo_.FindLink(node, peer, ""));
  return l->Side(node).addr4;
}

absl::StatusOr<std::string> Lab::Address6On(const std::string& node,
                                            const std::string& peer) const {
  if (!topo_.spec.ipv6) return absl::FailedPreconditionError("IPv6 is off");
  GRID_ASSIGN_OR_RETURN(const ResolvedLink* l, topo_.FindLink(node, peer, ""));
  return l->Side(node).addr6;
}

std::vector<std::string> Lab::Addresses(const std::string& node) const {
  std::vector<std::string> out;
  for (const ResolvedLink* l : topo_.LinksOf(node)) {
    out.push_back(l->Side(node).addr4);
    if (!l->Side(node).addr6.empty()) out.push_back(l->Side(node).addr6);
  }
  return out;
}

absl::StatusOr<std::string> Lab::Interface(const std::string& node,
                                           const std::string& peer) const {
  GRID_ASSIGN_OR_RETURN(const ResolvedLink* l, topo_.FindLink(node, peer, ""));
  return l->Side(node).ifname;
}

absl::StatusOr<std::string> Lab::ManagementAddress(
    const std::string& node) const {
  if (!topo_.spec.management.enabled) {
    return absl::FailedPreconditionError("the lab has no management network");
  }
  auto it = topo_.mgmt_addr.find(node);
  if (it == topo_.mgmt_addr.end())
    return absl::NotFoundError("no node '" + node + "'");
  return it->second;
}

bool Lab::IsManagementAddress(const std::string& addr) const {
  if (!topo_.spec.management.enabled) return false;
  auto a = ParseAddress(addr);
  return a.ok() && Contains(topo_.mgmt_subnet, *a);
}

absl::StatusOr<RunResult> Lab::Run(const std::string& node,
                                   const std::vector<std::string>& argv,
                                   const RunOptions& options) const {
  if (!topo_.FindNode(node)) {
    return absl::NotFoundError("no node '" + node + "' in lab " + prefix_);
  }
  GRID_ASSIGN_OR_RETURN(NetnsFd fd, NetnsFd::Open(Namespace(node)));
  return RunProcess(argv, fd.get(), options);
}

absl::StatusOr<std::string> Lab::Exec(const std::string& node,
                                      const std::vector<std::string>& argv,
                                      const RunOptions& options) const {
  GRID_ASSIGN_OR_RETURN(RunResult r, Run(node, argv, options));
  if (r.exit_code != 0) {
    return absl::InternalError(absl::StrCat("on ", node, ": '", JoinArgv(argv),
                                            "' exited ", r.exit_code, ": ",
                                            r.err));
  }
  return r.out;
}

absl::StatusOr<pid_t> Lab::Spawn(const std::string& node,
                                 const std::vector<std::string>& argv,
                                 const SpawnOptions& options) {
  if (!topo_.FindNode(node)) {
    return absl::NotFoundError("no node '" + node + "' in lab " + prefix_);
  }
  GRID_ASSIGN_OR_RETURN(NetnsFd fd, NetnsFd::Open(Namespace(node)));
  GRID_ASSIGN_OR_RETURN(Spawned s, SpawnProcess(argv, fd.get(), options));
  spawned_.push_back(s.pid);
  return s.pid;
}

absl::Status Lab::Kill(pid_t pid) {
  auto it = std::find(spawned_.begin(), spawned_.end(), pid);
  if (it == spawned_.end()) {
    return absl::NotFoundError(
        absl::StrCat("pid ", pid, " was not spawned by this lab"));
  }
  spawned_.erase(it);
  return TerminateProcess(pid);
}

absl::StatusOr<ScopedNetns> Lab::Enter(const std::string& node) const {
  if (!topo_.FindNode(node)) {
    return absl::NotFoundError("no node '" + node + "' in lab " + prefix_);
  }
  return ScopedNetns::Enter(Namespace(node));
}

absl::Status Lab::SetSysctl(const std::string& node, const std::string& key,
                            const std::string& value) const {
  GRID_ASSIGN_OR_RETURN(ScopedNetns in, Enter(node));
  return WriteSysctl(key, value);
}

absl::StatusOr<std::string> Lab::GetSysctl(const std::string& node,
                                           const std::string& key) const {
  GRID_ASSIGN_OR_RETURN(ScopedNetns in, Enter(node));
  return ReadSysctl(key);
}

absl::StatusOr<PingResult> Lab::Ping(const std::string& node,
                                     const std::string& target,
                                     const PingOptions& o) const {
  if (!ParseAddress(target).ok()) {
    return absl::InvalidArgumentError("ping target '" + target +
                                      "' is not an address");
  }
  RunOptions ro;
  ro.timeout = absl::Seconds(o.count * o.interval_s + o.timeout_s + 10);
  GRID_ASSIGN_OR_RETURN(
      RunResult r,
      Run(node,
          {"ping", "-n", "-q", "-c", std::to_string(o.count), "-i",
           absl::StrCat(o.interval_s), "-W", absl::StrCat(o.timeout_s), target},
          ro));
  // ping exits 1 when replies are missing; that is a result.
  if (r.exit_code > 1) {
    return absl::InternalError(absl::StrCat("ping ", target, " from ", node,
                                            " failed: ", r.err, r.out));
  }
  return ParsePingOutput(r.out);
}

}  // namespace grid::lab
