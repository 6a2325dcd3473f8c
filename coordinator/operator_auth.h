// OperatorService behind a role check: every call must come with a verified
// client certificate of role grid-operator, else it ends with
// UNAUTHENTICATED or PERMISSION_DENIED before reaching `inner`. Used when
// the coordinator runs with TLS.
#ifndef GRID_COORDINATOR_OPERATOR_AUTH_H_
#define GRID_COORDINATOR_OPERATOR_AUTH_H_

#include "grid/v1/operator.grpc.pb.h"

namespace grid::coordinator {

class OperatorAuthService final : public v1::OperatorService::Service {
 public:
  // `inner` is borrowed and outlives this service.
  explicit OperatorAuthService(v1::OperatorService::Service* inner)
      : inner_(inner) {}

  grpc::Status Diagnose(grpc::ServerContext* context,
                        const v1::DiagnoseRequest* request,
                        grpc::ServerWriter<v1::DiagnoseEvent>* writer) override;
  grpc::Status ListProbes(grpc::ServerContext* context,
                          const v1::ListProbesRequest* request,
                          v1::ListProbesResponse* response) override;
  grpc::Status GetHistory(grpc::ServerContext* context,
                          const v1::GetHistoryRequest* request,
                          v1::GetHistoryResponse* response) override;
  grpc::Status Trace(grpc::ServerContext* context,
                     const v1::TraceRequest* request,
                     grpc::ServerWriter<v1::TraceEvent>* writer) override;

 private:
  v1::OperatorService::Service* const inner_;
};

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_OPERATOR_AUTH_H_
