#include "common/tls/x509.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "absl/strings/str_cat.h"

namespace grid::tls {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

BioPtr ReadBio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

std::string Field(X509_NAME* name, int nid) {
  const int i = X509_NAME_get_index_by_NID(name, nid, -1);
  if (i < 0) return "";
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
  unsigned char* utf8 = nullptr;
  const int n = ASN1_STRING_to_UTF8(&utf8, data);
  if (n < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), n);
  OPENSSL_free(utf8);
  return out;
}

}  // namespace

std::string OpenSslError() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof(buf));
  return buf;
}

absl::StatusOr<std::vector<X509Ptr>> ParseCerts(const std::string& pem,
                                                const std::string& what) {
  BioPtr bio = ReadBio(pem);
  std::vector<X509Ptr> certs;
  while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(x);
  }
  ERR_clear_error();  // The end of the input reads as an error.
  if (certs.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " holds no PEM certificate"));
  }
  return certs;
}

absl::StatusOr<X509Ptr> ParseCert(const std::string& pem,
                                  const std::string& what) {
  absl::StatusOr<std::vector<X509Ptr>> certs = ParseCerts(pem, what);
  if (!certs.ok()) return certs.status();
  return std::move(certs->front());
}

absl::StatusOr<PkeyPtr> ParseKey(const std::string& pem,
                                 const std::string& what) {
  BioPtr bio = ReadBio(pem);
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " holds no unencrypted PEM private key (", OpenSslError(), ")"));
  }
  return key;
}

CertSubject SubjectOf(X509* cert) {
  X509_NAME* name = X509_get_subject_name(cert);
  return {Field(name, NID_organizationalUnitName), Field(name, NID_commonName)};
}

}  // namespace grid::tls
