// grid's network lab: real IP networks of network namespaces, declared as
// data (topology.h, or JSON via topology_json.h), with faults (loss, delay,
// ICMP rate limiting) injected and removed while the lab runs.
//
//   auto lab = Lab::Up(TopologyBuilder().Host("X").Router("r").Host("S")
//                          .Link("X", "r").Link("r", "S").Build(),
//                      Lab::UniquePrefix("mytest"));
//   if (!lab.ok()) ...;
//   auto ping = (*lab)->Ping("X", *(*lab)->Address("S"));
//   auto id = (*lab)->AddFault(Fault::Loss("r", "S", 0.2));
//
// Every node is the namespace "<prefix>-<node>". The handle owns the lab:
// its destructor always tears everything down (processes in the
// namespaces, then the namespaces), also when a test fails midway. A Lab is
// not thread-safe; use it from one thread (Enter() affects that thread).
#ifndef GRID_TESTS_LAB_LAB_H_
#define GRID_TESTS_LAB_LAB_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/lab/netns.h"
#include "tests/lab/process.h"
#include "tests/lab/resolve.h"
#include "tests/lab/topology.h"

namespace grid::lab {

struct LabOptions {
  // The grid-lab-delay binary. Default: $GRID_LAB_DELAY, else the path the
  // build configured, else next to the running executable.
  std::string delay_helper;
  // Where the state file goes (lets `grid-lab` attach and `down` clean up),
  // and the delay helpers' log "<prefix>.delay.log".
  std::string state_dir = "/run/grid-lab";
  // Timeout for each command the lab runs while setting up.
  absl::Duration command_timeout = absl::Seconds(30);
};

// Summary of one ping run (iputils ping).
struct PingResult {
  int transmitted = 0;
  int received = 0;
  int errors = 0;  // ICMP errors received instead (e.g. time exceeded)
  double min_ms = 0, avg_ms = 0, max_ms = 0;  // 0 if nothing came back
  double loss() const {
    return transmitted ? 1.0 - double(received) / transmitted : 1.0;
  }
};

struct PingOptions {
  int count = 5;
  double interval_s = 0.05;  // below 0.2 needs root
  double timeout_s = 1;      // per reply
};

using FaultId = int;

class Lab {
 public:
  // Creates every namespace, link, address, route and sysctl, then injects
  // topology.faults. On any error, everything made so far is torn down and
  // the error says what failed and where. `prefix` must not be in use.
  static absl::StatusOr<std::unique_ptr<Lab>> Up(const Topology& topology,
                                                 const std::string& prefix,
                                                 LabOptions options = {});

  // Reconnects to a lab brought up by another process (grid-lab up) from
  // its state file. The returned handle does not own the lab (Release()d)
  // unless TakeOwnership() is called.
  static absl::StatusOr<std::unique_ptr<Lab>> Attach(const std::string& prefix,
                                                     LabOptions options = {});

  // Tears down a lab by name: the processes inside and the namespaces of
  // its state file, or every "<prefix>-*" namespace if there is none.
  static absl::Status Destroy(const std::string& prefix,
                              LabOptions options = {});

  // A prefix no other run uses: "<base>-<pid>-<counter><random>".
  static std::string UniquePrefix(const std::string& base = "glab");

  // OK if labs can run here: root, `ip netns` works, iptables present.
  static absl::Status Available();

  ~Lab();  // Down() unless Release()d
  Lab(const Lab&) = delete;
  Lab& operator=(const Lab&) = delete;

  // Tears everything down now; later calls are no-ops.
  absl::Status Down();
  // Leaves the lab running after this handle is gone.
  void Release() { owned_ = false; }
  void TakeOwnership() { owned_ = true; }

  const std::string& prefix() const { return prefix_; }
  // The resolved topology; its spec.faults is empty (see ActiveFaults()).
  const ResolvedTopology& topology() const { return topo_; }
  // "<prefix>-<node>".
  std::string Namespace(const std::string& node) const;

  // Addresses. Address() is the node's primary address: on its first link
  // (declaration order). AddressOn() is its address on the link to `peer`.
  absl::StatusOr<std::string> Address(const std::string& node) const;
  absl::StatusOr<std::string> Address6(const std::string& node) const;
  absl::StatusOr<std::string> AddressOn(const std::string& node,
                                        const std::string& peer) const;
  absl::StatusOr<std::string> Address6On(const std::string& node,
                                         const std::string& peer) const;
  // Every data-plane address of `node` (valid trace targets).
  std::vector<std::string> Addresses(const std::string& node) const;
  // The interface of `node` on its link to `peer`.
  absl::StatusOr<std::string> Interface(const std::string& node,
                                        const std::string& peer) const;
  // Management network (if enabled): never a trace target.
  absl::StatusOr<std::string> ManagementAddress(const std::string& node) const;
  bool IsManagementAddress(const std::string& addr) const;

  // Runs argv inside `node`'s namespace and waits. A non-zero exit is a
  // result, not an error.
  absl::StatusOr<RunResult> Run(const std::string& node,
                                const std::vector<std::string>& argv,
                                const RunOptions& options = {}) const;
  // Like Run, but a non-zero exit is an error (with stderr); returns stdout.
  absl::StatusOr<std::string> Exec(const std::string& node,
                                   const std::vector<std::string>& argv,
                                   const RunOptions& options = {}) const;
  // Starts argv in the background inside `node`. The lab terminates it at
  // teardown at the latest.
  absl::StatusOr<pid_t> Spawn(const std::string& node,
                              const std::vector<std::string>& argv,
                              const SpawnOptions& options = {});
  // Terminates a process started by Spawn.
  absl::Status Kill(pid_t pid);
  // Moves the calling thread into `node`'s namespace until the guard dies.
  absl::StatusOr<ScopedNetns> Enter(const std::string& node) const;

  // Pings `target` from `node` (IPv6 if the target is).
  absl::StatusOr<PingResult> Ping(const std::string& node,
                                  const std::string& target,
                                  const PingOptions& options = {}) const;

  // Sysctl in `node`'s namespace.
  absl::Status SetSysctl(const std::string& node, const std::string& key,
                         const std::string& value) const;
  absl::StatusOr<std::string> GetSysctl(const std::string& node,
                                        const std::string& key) const;

  // Faults while the lab is up.
  absl::StatusOr<FaultId> AddFault(const Fault& fault);
  absl::Status RemoveFault(FaultId id);
  absl::Status ClearFaults();
  std::map<FaultId, Fault> ActiveFaults() const;

 private:
  // How an active fault was realised, to undo it.
  struct Applied {
    Fault fault;
    // Rules as (node, iptables program, rule spec without -A/-D).
    struct Rule {
      std::string node, program;
      std::vector<std::string> spec;
    };
    std::vector<Rule> rules;
    struct Helper {
      std::string node;
      pid_t pid = -1;
      int queue = 0;
    };
    std::vector<Helper> helpers;
    std::map<std::string, std::string> saved_sysctls;  // rate limit
  };

  Lab(ResolvedTopology topo, std::string prefix, LabOptions options);

  absl::Status Build();
  absl::Status CreateNamespaces();
  absl::Status ApplySysctls();
  absl::Status CreateLinks();
  absl::Status ConfigureNodes();
  // Waits until every link of every node is operationally up: until the
  // kernel's link watcher gets to a new link (up to a second), it drops
  // what is sent over it.
  absl::Status WaitForLinks() const;
  absl::Status CreateManagement();
  absl::StatusOr<std::string> RunIpBatch(const std::string& node,
                                         const std::string& commands) const;
  absl::Status ApplyFault(FaultId id, Applied& applied);
  absl::Status UndoFault(Applied& applied);
  absl::Status StartDelayHelper(const std::string& node, const Fault& fault,
                                Applied& applied);
  std::string DelayHelperPath() const;
  std::string StatePath() const;
  std::string HelperLogPath() const;  // delay helpers' stderr
  absl::Status SaveState() const;
  std::vector<std::string> AllNamespaces() const;

  ResolvedTopology topo_;
  std::string prefix_;
  LabOptions options_;
  bool owned_ = true;
  bool down_ = false;
  std::map<FaultId, Applied> faults_;
  FaultId next_fault_ = 1;
  std::map<std::string, int> next_queue_;  // node -> next NFQUEUE number
  std::vector<pid_t> spawned_;
};

// Parses iputils ping's summary ("N packets transmitted, M received", "rtt
// min/avg/max/mdev = ...").
absl::StatusOr<PingResult> ParsePingOutput(const std::string& out);

}  // namespace grid::lab

#endif  // GRID_TESTS_LAB_LAB_H_
