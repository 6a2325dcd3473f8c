// grid's coordinator: the gRPC server probes dial into (ProbeService) and
// operators call (OperatorService), over one RocksDB store. Public header of
// the grid_coordinator library; `grid-coordinator` only parses flags and
// calls Start() and Wait().
//
// Thread-safe. Shutdown() ends every probe session and running call.
#ifndef GRID_COORDINATOR_COORDINATOR_H_
#define GRID_COORDINATOR_COORDINATOR_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/tls/credentials.h"
#include "coordinator/job_spec.h"
#include "storage/storage.h"

namespace grid::coordinator {

struct CoordinatorOptions {
  // HOST:PORT to listen on; port 0 picks a free port (see port()).
  // REQUIRED.
  std::string listen;
  // Directory of the RocksDB store. REQUIRED.
  std::string data_dir;
  // TLS: the server's certificate and key, and the CA whose client
  // certificates are required on every call (probes: role grid-probe, named
  // as their Hello; operators: role grid-operator). nullopt: plaintext
  // without authentication (--insecure).
  std::optional<tls::TlsMaterial> tls;
  // What an acknowledged result survives. Default: a process crash.
  storage::Durability durability = storage::Durability::kProcessCrash;
  // How long results, jobs and diagnoses are kept. Default 30 days.
  absl::Duration retention = absl::Hours(24 * 30);
  // How often retention runs. Default 1 hour.
  absl::Duration retention_interval = absl::Hours(1);
  // Probes send a heartbeat this often; a session silent for three
  // intervals is dropped. Default 5 s.
  absl::Duration heartbeat_interval = absl::Seconds(5);
  // Defaults and limits of diagnoses and traces.
  SchedulerOptions scheduler;
};

class Coordinator {
 public:
  // Opens the store and starts serving. Errors: InvalidArgument for bad
  // options, Unavailable if the address cannot be bound or the store is
  // locked, and the store's own errors.
  static absl::StatusOr<std::unique_ptr<Coordinator>> Start(
      const CoordinatorOptions& options);
  virtual ~Coordinator() = default;

  // The port actually bound.
  virtual int port() const = 0;
  // Blocks until Shutdown().
  virtual void Wait() = 0;
  // Stops serving (idempotent). Running diagnoses get `deadline` to end.
  virtual void Shutdown(absl::Duration deadline = absl::Seconds(2)) = 0;
};

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_COORDINATOR_H_
