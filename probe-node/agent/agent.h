// grid's probe agent: dials out to the coordinator, says Hello, sends
// heartbeats, runs the jobs it is given on a JobRunner, streams each
// complete cycle, keeps results until the coordinator acknowledges them and
// re-sends the unacknowledged ones after reconnecting (with exponential
// backoff). `grid-probe` only parses flags, builds the prober pool and calls
// Run().
//
// Thread-safe: Run() on one thread, Stop() from any.
#ifndef GRID_PROBE_NODE_AGENT_AGENT_H_
#define GRID_PROBE_NODE_AGENT_AGENT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/target_policy.h"
#include "common/tls/credentials.h"
#include "probe-node/agent/job_runner.h"

namespace grid::probe::agent {

struct AgentOptions {
  std::string coordinator;                    // HOST:PORT. REQUIRED.
  std::string name;                           // Stable probe name. REQUIRED.
  std::map<std::string, std::string> labels;  // --label KEY=VALUE.
  std::vector<std::string> serves;            // --serves CIDR.
  // TLS: this probe's client certificate (role grid-probe, named as
  // `name` or a prefix of it), and the CA to verify the coordinator by.
  // nullopt: plaintext (--insecure).
  std::optional<tls::TlsMaterial> tls;
  // Targets this probe agrees to probe (--allow-target, --allow-private),
  // whatever the coordinator asks: a job toward any other ends at once with
  // JobDone REJECTED. Default: global unicast only.
  common::TargetPolicyOptions target_policy;
  // Random per process when 0 (a restart is then visible to the
  // coordinator).
  uint64_t instance_id = 0;
  // Reconnect backoff: starts at min, doubles per failed attempt (with
  // +-20% jitter) up to max; back to min after a session was welcomed.
  absl::Duration min_backoff = absl::Milliseconds(500);
  absl::Duration max_backoff = absl::Seconds(30);
  // Progress lines on stderr (connects, disconnects, jobs).
  bool verbose = true;
};

class Agent {
 public:
  // Builds the runner through `make_runner`, giving it the agent's result
  // callbacks. InvalidArgument for bad options (each names the flag).
  static absl::StatusOr<std::unique_ptr<Agent>> Create(
      const AgentOptions& options,
      const std::function<std::unique_ptr<JobRunner>(JobCallbacks)>&
          make_runner);
  virtual ~Agent() = default;

  // Serves sessions until Stop(). Returns OK after Stop(), or the error
  // that retrying cannot fix (the coordinator refused our Hello as invalid
  // or our certificate's name or role).
  virtual absl::Status Run() = 0;
  virtual void Stop() = 0;

  virtual uint64_t instance_id() const = 0;
  // Welcomed and not yet disconnected.
  virtual bool connected() const = 0;
  // Results (cycles) not yet acknowledged.
  virtual size_t unacked_cycles() const = 0;
};

}  // namespace grid::probe::agent

#endif  // GRID_PROBE_NODE_AGENT_AGENT_H_
