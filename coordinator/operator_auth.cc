#include "coordinator/operator_auth.h"

#include "common/tls/roles.h"
#include "coordinator/peer_identity.h"
#include "coordinator/rpc_status.h"

namespace grid::coordinator {
namespace {

absl::Status Check(grpc::ServerContext* context) {
  return RequireRole(context->auth_context().get(), tls::kOperatorRole,
                     "use the operator API")
      .status();
}

}  // namespace

grpc::Status OperatorAuthService::Diagnose(
    grpc::ServerContext* context, const v1::DiagnoseRequest* request,
    grpc::ServerWriter<v1::DiagnoseEvent>* writer) {
  if (absl::Status s = Check(context); !s.ok()) return ToGrpcStatus(s);
  return inner_->Diagnose(context, request, writer);
}

grpc::Status OperatorAuthService::ListProbes(
    grpc::ServerContext* context, const v1::ListProbesRequest* request,
    v1::ListProbesResponse* response) {
  if (absl::Status s = Check(context); !s.ok()) return ToGrpcStatus(s);
  return inner_->ListProbes(context, request, response);
}

grpc::Status OperatorAuthService::GetHistory(
    grpc::ServerContext* context, const v1::GetHistoryRequest* request,
    v1::GetHistoryResponse* response) {
  if (absl::Status s = Check(context); !s.ok()) return ToGrpcStatus(s);
  return inner_->GetHistory(context, request, response);
}

grpc::Status OperatorAuthService::Trace(
    grpc::ServerContext* context, const v1::TraceRequest* request,
    grpc::ServerWriter<v1::TraceEvent>* writer) {
  if (absl::Status s = Check(context); !s.ok()) return ToGrpcStatus(s);
  return inner_->Trace(context, request, writer);
}

}  // namespace grid::coordinator
