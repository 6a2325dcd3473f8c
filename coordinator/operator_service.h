// OperatorService (grid/v1/operator.proto): thin gRPC glue over the
// coordinator's runs and registry (sync API: one thread per call).
#ifndef GRID_COORDINATOR_OPERATOR_SERVICE_H_
#define GRID_COORDINATOR_OPERATOR_SERVICE_H_

#include <atomic>
#include <functional>

#include "common/rate_limit.h"
#include "coordinator/services.h"
#include "grid/v1/operator.grpc.pb.h"

namespace grid::coordinator {

class OperatorServiceImpl final : public v1::OperatorService::Service {
 public:
  // `stopping` is read to refuse new work during shutdown. The rate limits
  // are services.options.rate_limits, on `now` (a test's clock).
  OperatorServiceImpl(Services services, const std::atomic<bool>* stopping,
                      std::function<absl::Time()> now = absl::Now)
      : services_(services),
        stopping_(stopping),
        limiter_(services.options.rate_limits, std::move(now)) {}

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
  // Admission of a diagnose or trace toward `target`: the target policy
  // first (InvalidArgument, PermissionDenied), then the rate limits
  // (ResourceExhausted).
  absl::Status Admit(const grpc::ServerContext& context,
                     const std::string& target);

  const Services services_;
  const std::atomic<bool>* stopping_;
  common::RequestLimiter limiter_;
};

// GetHistory's logic, for the handler and tests.
absl::StatusOr<v1::GetHistoryResponse> History(storage::Storage& storage,
                                               const v1::GetHistoryRequest& r);

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_OPERATOR_SERVICE_H_
