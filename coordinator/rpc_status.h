// The one mapping between absl::Status and grpc::Status (codes have the
// same numbers; messages are kept). gRPC handlers and clients use only these.
#ifndef GRID_COORDINATOR_RPC_STATUS_H_
#define GRID_COORDINATOR_RPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace grid::coordinator {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_RPC_STATUS_H_
