#include "coordinator/operator_service.h"

#include "common/status_macros.h"
#include "coordinator/diagnose_run.h"
#include "coordinator/errors.h"
#include "coordinator/ip_prefix.h"
#include "coordinator/label_selector.h"
#include "coordinator/operator_identity.h"
#include "coordinator/rpc_status.h"
#include "coordinator/trace_run.h"

namespace grid::coordinator {

absl::StatusOr<v1::GetHistoryResponse> History(storage::Storage& storage,
                                               const v1::GetHistoryRequest& r) {
  GRID_ASSIGN_OR_RETURN(const std::string target, CanonicalTarget(r.target()));
  storage::HistoryQuery q;
  if (r.since_unix_ms() != 0) q.since = absl::FromUnixMillis(r.since_unix_ms());
  if (r.until_unix_ms() != 0) q.until = absl::FromUnixMillis(r.until_unix_ms());
  q.limit = r.limit() == 0 ? 100 : r.limit();
  GRID_ASSIGN_OR_RETURN(std::vector<v1::DiagnosisRecord> records,
                        storage.History(target, q));
  v1::GetHistoryResponse out;
  for (v1::DiagnosisRecord& d : records) *out.add_diagnoses() = std::move(d);
  return out;
}

absl::Status OperatorServiceImpl::Admit(const grpc::ServerContext& context,
                                        const std::string& target) {
  if (stopping_->load()) return ShuttingDown();
  GRID_ASSIGN_OR_RETURN(const std::string canonical,
                        services_.options.target_policy.CheckTarget(target));
  return limiter_.Admit(OperatorIdentity(context), canonical);
}

grpc::Status OperatorServiceImpl::Diagnose(
    grpc::ServerContext* context, const v1::DiagnoseRequest* request,
    grpc::ServerWriter<v1::DiagnoseEvent>* writer) {
  if (absl::Status s = Admit(*context, request->target()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  // A client that went away does not stop the diagnosis: it is stored.
  return ToGrpcStatus(
      RunDiagnosis(services_, *request, [&](const v1::DiagnoseEvent& e) {
        if (!context->IsCancelled()) writer->Write(e);
      }).status());
}

grpc::Status OperatorServiceImpl::ListProbes(
    grpc::ServerContext* context, const v1::ListProbesRequest* request,
    v1::ListProbesResponse* response) {
  absl::StatusOr<LabelSelector> selector =
      LabelSelector::Parse(request->probe_selector());
  if (!selector.ok()) return ToGrpcStatus(selector.status());
  absl::StatusOr<std::vector<v1::ProbeInfo>> probes =
      services_.registry->List(*selector, request->connected_only());
  if (!probes.ok()) return ToGrpcStatus(probes.status());
  for (v1::ProbeInfo& p : *probes) *response->add_probes() = std::move(p);
  return grpc::Status::OK;
}

grpc::Status OperatorServiceImpl::GetHistory(
    grpc::ServerContext* context, const v1::GetHistoryRequest* request,
    v1::GetHistoryResponse* response) {
  absl::StatusOr<v1::GetHistoryResponse> r =
      History(*services_.storage, *request);
  if (!r.ok()) return ToGrpcStatus(r.status());
  *response = *std::move(r);
  return grpc::Status::OK;
}

grpc::Status OperatorServiceImpl::Trace(
    grpc::ServerContext* context, const v1::TraceRequest* request,
    grpc::ServerWriter<v1::TraceEvent>* writer) {
  if (absl::Status s = Admit(*context, request->target()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  return ToGrpcStatus(
      RunTrace(services_, *request, [&](const v1::TraceEvent& e) {
        if (!context->IsCancelled()) writer->Write(e);
      }).status());
}

}  // namespace grid::coordinator
