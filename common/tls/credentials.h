// TLS for grid's gRPC connections: what the --tls-* flags (and, for the
// CLI, GRID_TLS_* variables) name, loaded and checked once at start-up, and
// the gRPC credentials built from it. The coordinator requires and verifies
// client certificates; clients verify the coordinator against their CA.
#ifndef GRID_COMMON_TLS_CREDENTIALS_H_
#define GRID_COMMON_TLS_CREDENTIALS_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"

namespace grid::tls {

// What the user asked for (flags, possibly completed by the environment).
struct TlsFlags {
  std::string cert;         // --tls-cert FILE: our certificate (PEM).
  std::string key;          // --tls-key FILE: its private key (PEM).
  std::string ca;           // --tls-ca FILE: the CA that signs the peers.
  std::string server_name;  // --tls-server-name NAME (clients only).
  bool insecure = false;    // --insecure: plaintext, no authentication.
};

// Loaded TLS material. Thread-compatible value.
struct TlsMaterial {
  std::string cert_pem;
  std::string key_pem;
  std::string ca_pem;
  // The name the coordinator's certificate must carry instead of the host
  // dialled (clients only; empty = the host dialled).
  std::string server_name;
};

// Where the user's settings came from, for the wording of errors.
enum class TlsSource { kFlags, kFlagsOrEnvironment };

// nullopt for --insecure, else the checked material: the three files are
// readable PEM, the key belongs to the certificate and it has not expired.
// Errors (InvalidArgument, one line naming the flag and file): neither TLS
// nor --insecure, both, or only some of the three files.
absl::StatusOr<std::optional<TlsMaterial>> LoadTls(
    const TlsFlags& flags, TlsSource source = TlsSource::kFlags);

// Fills what the flags leave unset from the environment: GRID_TLS_CERT,
// GRID_TLS_KEY, GRID_TLS_CA, GRID_TLS_SERVER_NAME, GRID_TLS_DIR (DIR/tls.crt,
// DIR/tls.key, DIR/ca.crt; the individual variables win) and
// GRID_INSECURE=1. Nothing is taken from the environment for files when
// --insecure is given, nor --insecure when any file is.
TlsFlags WithEnvironment(TlsFlags flags);

// Server credentials: TLS requiring a client certificate signed by the
// material's CA, or plaintext for nullopt.
std::shared_ptr<grpc::ServerCredentials> ServerCredentials(
    const std::optional<TlsMaterial>& tls);

// Channel credentials for dialling the coordinator; sets the expected
// server name on `args` when the material overrides it.
std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(
    const std::optional<TlsMaterial>& tls, grpc::ChannelArguments* args);

// The role (Subject OU) and name (Subject CN) a certificate carries (see
// roles.h); InvalidArgument if `pem` is not a certificate.
struct CertIdentity {
  std::string role;
  std::string name;
};
absl::StatusOr<CertIdentity> IdentityOfPem(const std::string& pem);

}  // namespace grid::tls

#endif  // GRID_COMMON_TLS_CREDENTIALS_H_
