// What operator tools (the `grid` CLI) need to talk to the coordinator:
// where it is, a stub, and failures worded as one line.
#ifndef GRID_COORDINATOR_OPERATOR_CLIENT_H_
#define GRID_COORDINATOR_OPERATOR_CLIENT_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/tls/credentials.h"
#include "grid/v1/operator.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace grid::coordinator {

// The coordinator's HOST:PORT: `flag` if given, else $GRID_COORDINATOR.
// InvalidArgument saying what to set if neither is, or if it is malformed.
absl::StatusOr<std::string> ResolveCoordinator(const std::string& flag);

// A stub for `address` over TLS with `tls` (plaintext for nullopt), after
// checking within `connect_timeout` that the coordinator answers:
// Unavailable "cannot reach the coordinator at ..." otherwise, or
// Unauthenticated saying why TLS with it fails.
absl::StatusOr<std::unique_ptr<v1::OperatorService::Stub>> ConnectOperator(
    const std::string& address, const std::optional<tls::TlsMaterial>& tls,
    absl::Duration connect_timeout = absl::Seconds(5));

// A failed call as one line for the user; connection failures name the
// address.
std::string DescribeRpcError(const grpc::Status& status,
                             const std::string& address);

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_OPERATOR_CLIENT_H_
