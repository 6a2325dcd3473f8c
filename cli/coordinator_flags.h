// What every `grid` command that talks to a coordinator shares: where it is
// (--coordinator, $GRID_COORDINATOR) and how to authenticate (--tls-cert,
// --tls-key, --tls-ca, --tls-server-name or --insecure; GRID_TLS_CERT,
// GRID_TLS_KEY, GRID_TLS_CA, GRID_TLS_SERVER_NAME, GRID_TLS_DIR,
// GRID_INSECURE=1).
#ifndef GRID_CLI_COORDINATOR_FLAGS_H_
#define GRID_CLI_COORDINATOR_FLAGS_H_

#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "common/tls/credentials.h"
#include "grid/v1/operator.grpc.pb.h"

namespace grid::cli {

struct CoordinatorFlags {
  std::string coordinator;
  tls::TlsFlags tls;
};

// Registers the flags on `cmd`, storing into *flags.
void AddCoordinatorFlags(CLI::App& cmd, CoordinatorFlags* flags);

struct OperatorConnection {
  std::string address;  // HOST:PORT, for error messages.
  std::unique_ptr<v1::OperatorService::Stub> stub;
};

// Resolves the address and TLS settings (flags, then environment) and
// connects. Errors are one line: nothing given, bad files, unreachable, TLS
// refused.
absl::StatusOr<OperatorConnection> ConnectToCoordinator(
    const CoordinatorFlags& flags);

}  // namespace grid::cli

#endif  // GRID_CLI_COORDINATOR_FLAGS_H_
