#include "cli/coordinator_flags.h"

#include "common/status_macros.h"
#include "common/tls/tls_flags.h"
#include "coordinator/operator_client.h"
#include "grpc/support/log.h"

namespace grid::cli {

void AddCoordinatorFlags(CLI::App& cmd, CoordinatorFlags* flags) {
  cmd.add_option("--coordinator", flags->coordinator,
                 "HOST:PORT of the coordinator (default $GRID_COORDINATOR)");
  tls::AddTlsFlags(cmd, tls::TlsSide::kClient, &flags->tls);
}

absl::StatusOr<OperatorConnection> ConnectToCoordinator(
    const CoordinatorFlags& flags) {
  // gRPC would log handshake failures on stderr; the error we return says
  // what failed in one line.
  gpr_set_log_function([](gpr_log_func_args*) {});
  OperatorConnection c;
  GRID_ASSIGN_OR_RETURN(c.address,
                        coordinator::ResolveCoordinator(flags.coordinator));
  GRID_ASSIGN_OR_RETURN(const std::optional<tls::TlsMaterial> tls,
                        tls::LoadTls(tls::WithEnvironment(flags.tls),
                                     tls::TlsSource::kFlagsOrEnvironment));
  GRID_ASSIGN_OR_RETURN(c.stub, coordinator::ConnectOperator(c.address, tls));
  return c;
}

}  // namespace grid::cli
