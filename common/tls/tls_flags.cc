#include "common/tls/tls_flags.h"

namespace grid::tls {

void AddTlsFlags(CLI::App& app, TlsSide side, TlsFlags* flags) {
  const bool server = side == TlsSide::kServer;
  app.add_option("--tls-cert", flags->cert,
                 server ? "This coordinator's certificate (PEM)"
                        : "Our client certificate (PEM)")
      ->group("TLS");
  app.add_option("--tls-key", flags->key, "Its private key (PEM)")
      ->group("TLS");
  app.add_option("--tls-ca", flags->ca,
                 server ? "CA that signs probe and operator certificates"
                        : "CA that signed the coordinator's certificate")
      ->group("TLS");
  if (!server) {
    app.add_option("--tls-server-name", flags->server_name,
                   "Name the coordinator's certificate must carry (default: "
                   "the host dialled)")
        ->group("TLS");
  }
  app.add_flag("--insecure", flags->insecure,
               "Plaintext without authentication (development only)")
      ->group("TLS");
}

}  // namespace grid::tls
