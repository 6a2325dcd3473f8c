#include "common/tls/credentials.h"

#include <openssl/x509.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "common/tls/files.h"
#include "common/tls/x509.h"

namespace grid::tls {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

std::string Describe(X509* cert) {
  const CertSubject s = SubjectOf(cert);
  return absl::StrCat("\"", s.common_name, "\"",
                      s.organizational_unit.empty()
                          ? ""
                          : absl::StrCat(" (", s.organizational_unit, ")"));
}

}  // namespace

absl::StatusOr<std::optional<TlsMaterial>> LoadTls(const TlsFlags& flags,
                                                   TlsSource source) {
  const bool env = source == TlsSource::kFlagsOrEnvironment;
  std::vector<std::string> given, missing;
  for (const auto& [flag, value] :
       {std::pair<const char*, const std::string*>{"--tls-cert", &flags.cert},
        {"--tls-key", &flags.key},
        {"--tls-ca", &flags.ca}}) {
    (value->empty() ? missing : given).push_back(flag);
  }
  if (flags.insecure) {
    if (!given.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--insecure and ", absl::StrJoin(given, ", "),
          " contradict each other: use TLS or plaintext, not both"));
    }
    return std::nullopt;
  }
  if (given.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "TLS is required: give --tls-cert FILE --tls-key FILE --tls-ca FILE",
        env ? " (or set GRID_TLS_DIR)" : "",
        " (`grid certs` makes them), or --insecure",
        env ? " (GRID_INSECURE=1)" : "",
        " for plaintext without authentication"));
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("TLS needs ", absl::StrJoin(missing, " and "),
                     " too (given: ", absl::StrJoin(given, ", "), ")"));
  }
  TlsMaterial m;
  m.server_name = flags.server_name;
  const std::string cert_what = "--tls-cert " + flags.cert;
  const std::string key_what = "--tls-key " + flags.key;
  const std::string ca_what = "--tls-ca " + flags.ca;
  GRID_ASSIGN_OR_RETURN(m.cert_pem, ReadTextFile(flags.cert, cert_what));
  GRID_ASSIGN_OR_RETURN(m.key_pem, ReadTextFile(flags.key, key_what));
  GRID_ASSIGN_OR_RETURN(m.ca_pem, ReadTextFile(flags.ca, ca_what));
  GRID_ASSIGN_OR_RETURN(X509Ptr cert, ParseCert(m.cert_pem, cert_what));
  GRID_ASSIGN_OR_RETURN(PkeyPtr key, ParseKey(m.key_pem, key_what));
  GRID_RETURN_IF_ERROR(ParseCerts(m.ca_pem, ca_what).status());
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    OpenSslError();  // Clears the queue.
    return absl::InvalidArgumentError(
        absl::StrCat(key_what, " is not the key of ", cert_what));
  }
  if (X509_cmp_current_time(X509_get0_notAfter(cert.get())) < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(cert_what, ": the certificate ", Describe(cert.get()),
                     " has expired (issue a new one with `grid certs`)"));
  }
  return m;
}

TlsFlags WithEnvironment(TlsFlags flags) {
  const bool any_file =
      !flags.cert.empty() || !flags.key.empty() || !flags.ca.empty();
  if (!flags.insecure && !any_file) {
    const std::string dir = Env("GRID_TLS_DIR");
    auto fill = [&](std::string& field, const char* var, const char* file) {
      field = Env(var);
      if (field.empty() && !dir.empty()) field = absl::StrCat(dir, "/", file);
    };
    fill(flags.cert, "GRID_TLS_CERT", "tls.crt");
    fill(flags.key, "GRID_TLS_KEY", "tls.key");
    fill(flags.ca, "GRID_TLS_CA", "ca.crt");
    const bool from_env =
        !flags.cert.empty() || !flags.key.empty() || !flags.ca.empty();
    if (!from_env) flags.insecure = Env("GRID_INSECURE") == "1";
  }
  if (flags.server_name.empty()) {
    flags.server_name = Env("GRID_TLS_SERVER_NAME");
  }
  return flags;
}

std::shared_ptr<grpc::ServerCredentials> ServerCredentials(
    const std::optional<TlsMaterial>& tls) {
  if (!tls) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions o(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  o.pem_root_certs = tls->ca_pem;
  o.pem_key_cert_pairs.push_back({tls->key_pem, tls->cert_pem});
  return grpc::SslServerCredentials(o);
}

std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(
    const std::optional<TlsMaterial>& tls, grpc::ChannelArguments* args) {
  if (!tls) return grpc::InsecureChannelCredentials();
  if (!tls->server_name.empty()) {
    args->SetSslTargetNameOverride(tls->server_name);
  }
  grpc::SslCredentialsOptions o;
  o.pem_root_certs = tls->ca_pem;
  o.pem_private_key = tls->key_pem;
  o.pem_cert_chain = tls->cert_pem;
  return grpc::SslCredentials(o);
}

absl::StatusOr<CertIdentity> IdentityOfPem(const std::string& pem) {
  GRID_ASSIGN_OR_RETURN(X509Ptr cert, ParseCert(pem, "the peer's certificate"));
  const CertSubject s = SubjectOf(cert.get());
  return CertIdentity{s.organizational_unit, s.common_name};
}

}  // namespace grid::tls
