// A small certificate authority for a grid deployment (`grid certs`): makes
// the CA, then the coordinator's server certificate and the probes' and
// operators' client certificates it signs. EC P-256 keys, SHA-256
// signatures; key files are written with mode 0600.
//
// Layout: the CA directory holds ca.crt and ca.key; each issued pair goes to
// an output directory as tls.crt, tls.key and a copy of ca.crt, so the
// directory serves as GRID_TLS_DIR and as a Kubernetes TLS Secret.
#ifndef GRID_COMMON_TLS_CERTS_H_
#define GRID_COMMON_TLS_CERTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace grid::tls {

enum class Role { kCoordinator, kProbe, kOperator };

// The Subject OU of a role's certificates (roles.h).
const char* RoleName(Role role);

struct CaOptions {
  std::string dir;               // REQUIRED; created if missing.
  std::string name = "grid CA";  // Subject CN.
  int days = 3650;               // Validity (>= 1).
};

// Writes dir/ca.crt and dir/ca.key. AlreadyExists if either exists (a CA is
// never overwritten); InvalidArgument for bad options.
absl::Status InitCa(const CaOptions& options);

struct IssueOptions {
  std::string ca_dir;   // Holds ca.crt and ca.key. REQUIRED.
  std::string out_dir;  // Created if missing. REQUIRED.
  Role role = Role::kProbe;
  // Subject CN: a probe's name (a trailing '*' allows every name with that
  // prefix), an operator's name; for the coordinator the first host if
  // empty. At most 64 bytes.
  std::string name;
  // The coordinator's DNS names and IP addresses (subjectAltName).
  // REQUIRED (>= 1) for kCoordinator, ignored otherwise.
  std::vector<std::string> hosts;
  int days = 365;      // Validity (>= 1).
  bool force = false;  // Replace an existing tls.crt/tls.key.
};

// Writes out_dir/tls.crt, tls.key and ca.crt. The certificate's extended
// key usage is serverAuth for the coordinator and clientAuth otherwise, so
// no probe certificate can stand in for the coordinator. AlreadyExists if
// tls.crt or tls.key exists and !force; NotFound/InvalidArgument for a
// missing or broken CA.
absl::Status IssueCert(const IssueOptions& options);

}  // namespace grid::tls

#endif  // GRID_COMMON_TLS_CERTS_H_
