#include "coordinator/peer_identity.h"

#include "absl/strings/match.h"
#include "common/tls/credentials.h"
#include "coordinator/errors.h"

namespace grid::coordinator {

absl::StatusOr<PeerIdentity> IdentityOf(const grpc::AuthContext* context) {
  if (context == nullptr || !context->IsPeerAuthenticated()) {
    return NoClientCertificate();
  }
  const std::vector<grpc::string_ref> pem =
      context->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (pem.empty()) return NoClientCertificate();
  absl::StatusOr<tls::CertIdentity> id =
      tls::IdentityOfPem(std::string(pem.front().data(), pem.front().size()));
  if (!id.ok()) return NoClientCertificate();
  return PeerIdentity{id->role, id->name};
}

absl::StatusOr<PeerIdentity> RequireRole(const grpc::AuthContext* context,
                                         absl::string_view role,
                                         absl::string_view what) {
  absl::StatusOr<PeerIdentity> id = IdentityOf(context);
  if (!id.ok()) return id.status();
  if (id->role != role) return WrongRole(id->role, id->name, what, role);
  return id;
}

absl::Status MayRegisterAs(const PeerIdentity& id, absl::string_view name) {
  const std::string& cn = id.name;
  if (cn == name) return absl::OkStatus();
  if (!cn.empty() && cn.back() == '*' &&
      absl::StartsWith(name, absl::string_view(cn).substr(0, cn.size() - 1))) {
    return absl::OkStatus();
  }
  return NameNotCertified(cn, name);
}

}  // namespace grid::coordinator
