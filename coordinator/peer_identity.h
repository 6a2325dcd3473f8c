// Who is on the other end of a coordinator call, as its verified client
// certificate says (Subject OU = role, CN = name; common/tls/roles.h), and
// what that identity may do. Used only when the coordinator runs with TLS;
// with --insecure nobody is authenticated.
#ifndef GRID_COORDINATOR_PEER_IDENTITY_H_
#define GRID_COORDINATOR_PEER_IDENTITY_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/grpcpp.h"

namespace grid::coordinator {

struct PeerIdentity {
  std::string role;  // Subject OU.
  std::string name;  // Subject CN.
};

// The identity of the call's verified client certificate; Unauthenticated
// if it has none.
absl::StatusOr<PeerIdentity> IdentityOf(const grpc::AuthContext* context);

// The identity of the call if its role is `role`; Unauthenticated or
// PermissionDenied (`what` says what the caller tried, e.g. "use the
// operator API") otherwise.
absl::StatusOr<PeerIdentity> RequireRole(const grpc::AuthContext* context,
                                         absl::string_view role,
                                         absl::string_view what);

// OK if probe certificate `id` may register as `name`: its CN equals the
// name, or ends in '*' and the name starts with what precedes it
// (`k8s-eu-*` covers `k8s-eu-node1`). PermissionDenied otherwise.
absl::Status MayRegisterAs(const PeerIdentity& id, absl::string_view name);

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_PEER_IDENTITY_H_
