// Streaming operator calls run on a background thread, so a test can play
// the probes while the call is in progress.
#ifndef GRID_TESTS_COORDINATOR_TESTING_OPERATOR_CALLS_H_
#define GRID_TESTS_COORDINATOR_TESTING_OPERATOR_CALLS_H_

#include <optional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "grid/v1/operator.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace grid::testing {

// Diagnose or Trace in the background; Event is DiagnoseEvent/TraceEvent.
template <typename Request, typename Event>
class AsyncCall {
 public:
  using Start = std::unique_ptr<grpc::ClientReader<Event>> (
      v1::OperatorService::Stub::*)(grpc::ClientContext*, const Request&);

  AsyncCall(v1::OperatorService::Stub& stub, Start start, Request request)
      : thread_([this, &stub, start, request] {
          std::unique_ptr<grpc::ClientReader<Event>> reader =
              (stub.*start)(&context_, request);
          Event e;
          while (reader->Read(&e)) {
            absl::MutexLock lock(&mu_);
            events_.push_back(e);
          }
          grpc::Status status = reader->Finish();
          absl::MutexLock lock(&mu_);
          status_ = status;
        }) {}
  ~AsyncCall() {
    context_.TryCancel();
    if (thread_.joinable()) thread_.join();
  }

  // Waits for the end of the call.
  grpc::Status Wait() {
    if (thread_.joinable()) thread_.join();
    absl::MutexLock lock(&mu_);
    return *status_;
  }
  std::vector<Event> events() {
    absl::MutexLock lock(&mu_);
    return events_;
  }
  // The last event, if the call ended with one.
  std::optional<Event> last() {
    absl::MutexLock lock(&mu_);
    if (events_.empty()) return std::nullopt;
    return events_.back();
  }

 private:
  grpc::ClientContext context_;
  absl::Mutex mu_;
  std::vector<Event> events_ ABSL_GUARDED_BY(mu_);
  std::optional<grpc::Status> status_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

using AsyncDiagnose = AsyncCall<v1::DiagnoseRequest, v1::DiagnoseEvent>;
using AsyncTrace = AsyncCall<v1::TraceRequest, v1::TraceEvent>;

inline std::unique_ptr<AsyncDiagnose> StartDiagnose(
    v1::OperatorService::Stub& stub, const v1::DiagnoseRequest& request) {
  return std::make_unique<AsyncDiagnose>(
      stub, &v1::OperatorService::Stub::Diagnose, request);
}

inline std::unique_ptr<AsyncTrace> StartTrace(v1::OperatorService::Stub& stub,
                                              const v1::TraceRequest& request) {
  return std::make_unique<AsyncTrace>(stub, &v1::OperatorService::Stub::Trace,
                                      request);
}

}  // namespace grid::testing

#endif  // GRID_TESTS_COORDINATOR_TESTING_OPERATOR_CALLS_H_
