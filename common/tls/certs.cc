#include "common/tls/certs.h"

#include <arpa/inet.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "common/tls/files.h"
#include "common/tls/roles.h"
#include "common/tls/x509.h"

namespace grid::tls {
namespace {

constexpr int kMaxCommonName = 64;  // RFC 5280 ub-common-name.
constexpr int kMaxDays = 100 * 366;

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};

absl::Status OpenSslFailure(const std::string& step) {
  return absl::InternalError(absl::StrCat(step, ": ", OpenSslError()));
}

absl::StatusOr<PkeyPtr> NewKey() {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return OpenSslFailure("generating an EC P-256 key");
  return key;
}

absl::Status AddName(X509_NAME* name, const char* field,
                     const std::string& value) {
  if (!X509_NAME_add_entry_by_txt(
          name, field, MBSTRING_UTF8,
          reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0)) {
    return OpenSslFailure(absl::StrCat("setting the subject's ", field));
  }
  return absl::OkStatus();
}

// A certificate for `key` with subject O=grid[, OU=ou], CN=cn, a random
// serial and `days` of validity from an hour ago (clock skew), not yet
// signed or extended.
absl::StatusOr<X509Ptr> NewCert(EVP_PKEY* key, const std::string& ou,
                                const std::string& cn, int days) {
  X509Ptr cert(X509_new());
  if (!cert || !X509_set_version(cert.get(), 2)) {
    return OpenSslFailure("creating a certificate");
  }
  std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(BN_new(), BN_free);
  if (!serial ||
      !BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) ||
      !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()))) {
    return OpenSslFailure("choosing a serial number");
  }
  if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) ||
      !X509_time_adj_ex(X509_getm_notAfter(cert.get()), days, 0, nullptr)) {
    return OpenSslFailure("setting the validity");
  }
  X509_NAME* name = X509_get_subject_name(cert.get());
  GRID_RETURN_IF_ERROR(AddName(name, "O", "grid"));
  if (!ou.empty()) GRID_RETURN_IF_ERROR(AddName(name, "OU", ou));
  GRID_RETURN_IF_ERROR(AddName(name, "CN", cn));
  if (!X509_set_pubkey(cert.get(), key)) return OpenSslFailure("set_pubkey");
  return cert;
}

// Adds extensions as OpenSSL's configuration syntax writes them, e.g.
// {NID_basic_constraints, "critical,CA:TRUE"}, then signs with `ca_key`.
absl::Status ExtendAndSign(
    X509* cert, X509* issuer, EVP_PKEY* ca_key,
    const std::vector<std::pair<int, std::string>>& extensions) {
  if (!X509_set_issuer_name(cert, X509_get_subject_name(issuer))) {
    return OpenSslFailure("setting the issuer");
  }
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  for (const auto& [nid, value] : extensions) {
    X509_EXTENSION* ext =
        X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (ext == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bad certificate extension \"", value, "\": ", OpenSslError()));
    }
    const int added = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    if (!added) return OpenSslFailure("adding an extension");
  }
  if (X509_sign(cert, ca_key, EVP_sha256()) <= 0) {
    return OpenSslFailure("signing the certificate");
  }
  return absl::OkStatus();
}

std::string CertPem(X509* cert) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, n);
}

std::string KeyPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr,
                           nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, n);
}

absl::Status CheckDays(int days) {
  if (days < 1 || days > kMaxDays) {
    return absl::InvalidArgumentError(
        absl::StrCat("--days ", days, ": expected 1..", kMaxDays));
  }
  return absl::OkStatus();
}

absl::Status CheckName(const std::string& name, const std::string& what,
                       bool allow_prefix) {
  if (name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, " is required"));
  }
  if (name.size() > kMaxCommonName) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " \"", name, "\": at most ", kMaxCommonName, " bytes"));
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = name[i];
    if (c < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " \"", name, "\": control characters"));
    }
    if (c == '*' && !(allow_prefix && i + 1 == name.size())) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, " \"", name,
          "\": '*' may only end a probe name (a prefix for many probes)"));
    }
  }
  return absl::OkStatus();
}

// "DNS:name" or "IP:address" for each host.
absl::StatusOr<std::string> SubjectAltNames(
    const std::vector<std::string>& hosts) {
  std::vector<std::string> names;
  for (const std::string& h : hosts) {
    unsigned char buf[16];
    if (inet_pton(AF_INET, h.c_str(), buf) == 1 ||
        inet_pton(AF_INET6, h.c_str(), buf) == 1) {
      names.push_back(absl::StrCat("IP:", h));
      continue;
    }
    const bool ok =
        !h.empty() && h.size() <= 253 &&
        std::all_of(h.begin(), h.end(), [](char c) {
          return absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '*';
        });
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--host \"", h, "\": expected a DNS name or an IP address"));
    }
    names.push_back(absl::StrCat("DNS:", h));
  }
  if (names.empty()) {
    return absl::InvalidArgumentError(
        "--host NAME_OR_IP is required (each name clients dial the "
        "coordinator by)");
  }
  return absl::StrJoin(names, ",");
}

absl::Status MakeDir(const std::string& dir, const std::string& what) {
  if (dir.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, " DIR is required"));
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::PermissionDeniedError(
        absl::StrCat(what, " ", dir, ": cannot create: ", ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace

const char* RoleName(Role role) {
  switch (role) {
    case Role::kCoordinator:
      return kCoordinatorRole;
    case Role::kProbe:
      return kProbeRole;
    case Role::kOperator:
      return kOperatorRole;
  }
  return "";
}

absl::Status InitCa(const CaOptions& o) {
  GRID_RETURN_IF_ERROR(CheckDays(o.days));
  GRID_RETURN_IF_ERROR(CheckName(o.name, "the CA's name", false));
  const std::string crt = o.dir + "/ca.crt", key_path = o.dir + "/ca.key";
  for (const std::string& p : {crt, key_path}) {
    if (std::filesystem::exists(p)) {
      return absl::AlreadyExistsError(
          absl::StrCat(p,
                       " exists: refusing to replace a CA (every "
                       "certificate it signed would stop working)"));
    }
  }
  GRID_RETURN_IF_ERROR(MakeDir(o.dir, "--dir"));
  GRID_ASSIGN_OR_RETURN(PkeyPtr key, NewKey());
  GRID_ASSIGN_OR_RETURN(X509Ptr cert, NewCert(key.get(), "", o.name, o.days));
  GRID_RETURN_IF_ERROR(
      ExtendAndSign(cert.get(), cert.get(), key.get(),
                    {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                     {NID_key_usage, "critical,keyCertSign,cRLSign"},
                     {NID_subject_key_identifier, "hash"}}));
  GRID_RETURN_IF_ERROR(WriteFileWithMode(key_path, KeyPem(key.get()), 0600,
                                         /*overwrite=*/false));
  return WriteFileWithMode(crt, CertPem(cert.get()), 0644, false);
}

absl::Status IssueCert(const IssueOptions& o) {
  GRID_RETURN_IF_ERROR(CheckDays(o.days));
  if (o.ca_dir.empty()) {
    return absl::InvalidArgumentError("--dir DIR (the CA's) is required");
  }
  std::string name = o.name;
  std::string extended_usage = "clientAuth";
  std::vector<std::pair<int, std::string>> extensions = {
      {NID_basic_constraints, "critical,CA:FALSE"},
      {NID_key_usage, "critical,digitalSignature,keyAgreement"},
      {NID_subject_key_identifier, "hash"},
      {NID_authority_key_identifier, "keyid:always"}};
  if (o.role == Role::kCoordinator) {
    GRID_ASSIGN_OR_RETURN(const std::string sans, SubjectAltNames(o.hosts));
    extensions.push_back({NID_subject_alt_name, sans});
    extended_usage = "serverAuth";
    if (name.empty()) name = o.hosts.front();
  }
  extensions.push_back({NID_ext_key_usage, extended_usage});
  GRID_RETURN_IF_ERROR(CheckName(name, "--name", o.role == Role::kProbe));

  const std::string ca_crt = o.ca_dir + "/ca.crt";
  GRID_ASSIGN_OR_RETURN(const std::string ca_pem,
                        ReadTextFile(ca_crt, "the CA certificate"));
  GRID_ASSIGN_OR_RETURN(const std::string ca_key_pem,
                        ReadTextFile(o.ca_dir + "/ca.key", "the CA key"));
  GRID_ASSIGN_OR_RETURN(X509Ptr ca, ParseCert(ca_pem, ca_crt));
  GRID_ASSIGN_OR_RETURN(PkeyPtr ca_key,
                        ParseKey(ca_key_pem, o.ca_dir + "/ca.key"));
  if (X509_check_private_key(ca.get(), ca_key.get()) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(o.ca_dir, "/ca.key does not belong to ", ca_crt));
  }

  GRID_ASSIGN_OR_RETURN(PkeyPtr key, NewKey());
  GRID_ASSIGN_OR_RETURN(X509Ptr cert,
                        NewCert(key.get(), RoleName(o.role), name, o.days));
  GRID_RETURN_IF_ERROR(
      ExtendAndSign(cert.get(), ca.get(), ca_key.get(), extensions));

  GRID_RETURN_IF_ERROR(MakeDir(o.out_dir, "--out"));
  const std::string out = o.out_dir + "/";
  if (!o.force) {
    for (const char* f : {"tls.crt", "tls.key"}) {
      if (std::filesystem::exists(out + f)) {
        return absl::AlreadyExistsError(absl::StrCat(
            out, f, " exists (use --force to replace it, or another --out)"));
      }
    }
  }
  GRID_RETURN_IF_ERROR(
      WriteFileWithMode(out + "tls.key", KeyPem(key.get()), 0600, true));
  GRID_RETURN_IF_ERROR(
      WriteFileWithMode(out + "tls.crt", CertPem(cert.get()), 0644, true));
  return WriteFileWithMode(out + "ca.crt", ca_pem, 0644, true);
}

}  // namespace grid::tls
