// Small OpenSSL helpers shared by grid's TLS code: owning pointers, PEM
// parsing and the last OpenSSL error as text. Internal to grid_tls.
#ifndef GRID_COMMON_TLS_X509_H_
#define GRID_COMMON_TLS_X509_H_

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace grid::tls {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// The first certificate in `pem`; InvalidArgument naming `what` if none.
absl::StatusOr<X509Ptr> ParseCert(const std::string& pem,
                                  const std::string& what);
// Every certificate in `pem` (at least one).
absl::StatusOr<std::vector<X509Ptr>> ParseCerts(const std::string& pem,
                                                const std::string& what);
// A private key (any PEM form OpenSSL reads, unencrypted).
absl::StatusOr<PkeyPtr> ParseKey(const std::string& pem,
                                 const std::string& what);

// The subject's first OU and CN ("" where absent).
struct CertSubject {
  std::string organizational_unit;
  std::string common_name;
};
CertSubject SubjectOf(X509* cert);

// The reason OpenSSL gave for its last failure (and clears its queue).
std::string OpenSslError();

}  // namespace grid::tls

#endif  // GRID_COMMON_TLS_X509_H_
