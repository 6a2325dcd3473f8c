// The TLS flags every grid process that speaks gRPC shares:
// --tls-cert FILE --tls-key FILE --tls-ca FILE [--tls-server-name NAME]
// or --insecure.
#ifndef GRID_COMMON_TLS_TLS_FLAGS_H_
#define GRID_COMMON_TLS_TLS_FLAGS_H_

#include "CLI/CLI.hpp"
#include "common/tls/credentials.h"

namespace grid::tls {

enum class TlsSide {
  kServer,  // grid-coordinator: no --tls-server-name.
  kClient,  // grid-probe and the CLI.
};

// Registers the flags on `app`, storing into *flags (which must outlive
// parsing).
void AddTlsFlags(CLI::App& app, TlsSide side, TlsFlags* flags);

}  // namespace grid::tls

#endif  // GRID_COMMON_TLS_TLS_FLAGS_H_
