// `grid certs`: a first deployment's CA and certificates (common/tls/
// certs.h): `init` makes the CA, `coordinator`, `probe` and `operator`
// issue a key pair into an output directory (tls.crt, tls.key, ca.crt).
#ifndef GRID_CLI_CERTS_COMMAND_H_
#define GRID_CLI_CERTS_COMMAND_H_

#include "CLI/CLI.hpp"

namespace grid::cli {

// Registers `certs` on `app`; *exit_code gets 0, or 2 on errors.
void AddCertsCommand(CLI::App& app, int* exit_code);

}  // namespace grid::cli

#endif  // GRID_CLI_CERTS_COMMAND_H_
