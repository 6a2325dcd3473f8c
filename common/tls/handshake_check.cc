#include "common/tls/handshake_check.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/tls/x509.h"

namespace grid::tls {
namespace {

struct SslCtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
};

// A connected TCP socket, closed by the destructor.
class Socket {
 public:
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  absl::Status Connect(const std::string& host, const std::string& port,
                       absl::Duration timeout);
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

absl::Status Socket::Connect(const std::string& host, const std::string& port,
                             absl::Duration timeout) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot resolve ", host));
  }
  const int ms = static_cast<int>(absl::ToInt64Milliseconds(timeout));
  for (addrinfo* a = res; a != nullptr; a = a->ai_next) {
    fd_ = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                 a->ai_protocol);
    if (fd_ < 0) continue;
    int err = connect(fd_, a->ai_addr, a->ai_addrlen) == 0 ? 0 : errno;
    if (err == EINPROGRESS) {
      pollfd p{fd_, POLLOUT, 0};
      socklen_t len = sizeof(err);
      err = poll(&p, 1, ms) == 1 &&
                    getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) == 0
                ? err
                : ETIMEDOUT;
    }
    if (err == 0) break;
    close(fd_);
    fd_ = -1;
  }
  freeaddrinfo(res);
  if (fd_ < 0) return absl::UnavailableError("cannot connect");
  // Blocking from here on, each read and write bounded by the timeout.
  timeval tv{ms / 1000, (ms % 1000) * 1000};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  const int flags = fcntl(fd_, F_GETFL);
  fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK);
  return absl::OkStatus();
}

// HOST and PORT of "HOST:PORT" or "[IPV6]:PORT".
std::pair<std::string, std::string> SplitHostPort(const std::string& address) {
  const size_t colon = address.rfind(':');
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return {host, colon == std::string::npos ? "" : address.substr(colon + 1)};
}

bool IsIp(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

absl::Status Refused(const std::string& why) {
  return absl::UnauthenticatedError(why);
}

// The reason a failed verification of the server's certificate gives.
absl::Status BadServerCertificate(long result, const std::string& name) {
  switch (result) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
      return Refused(
          "the coordinator's certificate is not signed by our CA (--tls-ca)");
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return Refused(
          absl::StrCat("the coordinator's certificate is not valid for ", name,
                       " (issue it with `grid certs coordinator --host ", name,
                       "`, or give the name it has with --tls-server-name)"));
    case X509_V_ERR_INVALID_PURPOSE:
      return Refused(
          "the coordinator's certificate is not a server certificate");
    default:
      return Refused(absl::StrCat("the coordinator's certificate was refused: ",
                                  X509_verify_cert_error_string(result)));
  }
}

absl::StatusOr<std::unique_ptr<SSL_CTX, SslCtxFree>> MakeContext(
    const TlsMaterial& tls) {
  std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return absl::InternalError(OpenSslError());
  GRID_ASSIGN_OR_RETURN(std::vector<X509Ptr> cas,
                        ParseCerts(tls.ca_pem, "--tls-ca"));
  X509_STORE* store = SSL_CTX_get_cert_store(ctx.get());
  for (X509Ptr& ca : cas) X509_STORE_add_cert(store, ca.get());
  GRID_ASSIGN_OR_RETURN(X509Ptr cert, ParseCert(tls.cert_pem, "--tls-cert"));
  GRID_ASSIGN_OR_RETURN(PkeyPtr key, ParseKey(tls.key_pem, "--tls-key"));
  if (SSL_CTX_use_certificate(ctx.get(), cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx.get(), key.get()) != 1) {
    return absl::InternalError(OpenSslError());
  }
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  static const unsigned char kAlpn[] = {2, 'h', '2'};
  SSL_CTX_set_alpn_protos(ctx.get(), kAlpn, sizeof(kAlpn));
  return ctx;
}

}  // namespace

absl::Status CheckHandshake(const std::string& address, const TlsMaterial& tls,
                            absl::Duration timeout) {
  const auto [host, port] = SplitHostPort(address);
  Socket socket;
  GRID_RETURN_IF_ERROR(socket.Connect(host, port, timeout));
  GRID_ASSIGN_OR_RETURN(auto ctx, MakeContext(tls));
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
  const std::string name = tls.server_name.empty() ? host : tls.server_name;
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl.get());
  if (IsIp(name)) {
    X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl.get(), name.c_str());
    X509_VERIFY_PARAM_set1_host(param, name.c_str(), 0);
  }
  SSL_set_fd(ssl.get(), socket.fd());
  ERR_clear_error();
  if (SSL_connect(ssl.get()) != 1) {
    const long verify = SSL_get_verify_result(ssl.get());
    if (verify != X509_V_OK) return BadServerCertificate(verify, name);
    return Refused(absl::StrCat("the TLS handshake failed (", OpenSslError(),
                                "): is it a grid coordinator with TLS?"));
  }
  // With TLS 1.3 the server judges our certificate after our side of the
  // handshake is done: an alert arrives instead of its first HTTP/2 frame.
  char byte;
  if (SSL_read(ssl.get(), &byte, 1) <= 0 && ERR_peek_error() != 0) {
    // An alert names the reason; a bare close does not.
    const std::string why = OpenSslError();
    return Refused(absl::StrCat(
        "the coordinator refused our certificate",
        absl::StrContains(why, "alert") ? absl::StrCat(" (", why, ")") : "",
        ": is it signed by the grid's CA, and not expired?"));
  }
  ERR_clear_error();
  return absl::OkStatus();
}

}  // namespace grid::tls
