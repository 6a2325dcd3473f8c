// Who made an operator request, for the per-operator rate limit: the peer's
// authenticated identity (the TLS client certificate's common name, else the
// identity gRPC reports) when there is one, else the peer's IP address.
#ifndef GRID_COORDINATOR_OPERATOR_IDENTITY_H_
#define GRID_COORDINATOR_OPERATOR_IDENTITY_H_

#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"

namespace grid::coordinator {

// "cn:NAME" for an authenticated client certificate's common name, "id:ID"
// for another authenticated identity, else the peer's IP address.
std::string OperatorIdentity(const grpc::ServerContext& context);

// The address part of a gRPC peer URI: "ipv4:198.18.0.1:5000" ->
// "198.18.0.1", "ipv6:[2001:2::1]:5000" -> "2001:2::1"; other forms
// ("unix:/path") are returned whole.
std::string PeerHost(absl::string_view peer);

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_OPERATOR_IDENTITY_H_
