#include "coordinator/operator_client.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "coordinator/host_port.h"

namespace grid::coordinator {

absl::StatusOr<std::string> ResolveCoordinator(const std::string& flag) {
  if (!flag.empty()) return CheckHostPort(flag, "--coordinator");
  const char* env = std::getenv("GRID_COORDINATOR");
  if (env == nullptr || *env == '\0') {
    return absl::InvalidArgumentError(
        "no coordinator given: use --coordinator HOST:PORT or set "
        "GRID_COORDINATOR");
  }
  return CheckHostPort(env, "$GRID_COORDINATOR");
}

absl::StatusOr<std::unique_ptr<v1::OperatorService::Stub>> ConnectOperator(
    const std::string& address, absl::Duration connect_timeout) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
      address, grpc::InsecureChannelCredentials(), args);
  // Fail at the first refused attempt rather than retrying until the
  // timeout; wait up to the timeout for a slow network.
  const auto deadline = absl::ToChronoTime(absl::Now() + connect_timeout);
  grpc_connectivity_state state = channel->GetState(/*try_to_connect=*/true);
  while (state != GRPC_CHANNEL_READY) {
    if (state == GRPC_CHANNEL_TRANSIENT_FAILURE ||
        state == GRPC_CHANNEL_SHUTDOWN ||
        !channel->WaitForStateChange(state, deadline)) {
      return absl::UnavailableError(
          absl::StrCat("cannot reach the coordinator at ", address,
                       " (is grid-coordinator running there?)"));
    }
    state = channel->GetState(/*try_to_connect=*/true);
  }
  return v1::OperatorService::NewStub(channel);
}

std::string DescribeRpcError(const grpc::Status& status,
                             const std::string& address) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      return absl::StrCat("lost the coordinator at ", address, ": ",
                          status.error_message());
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::StrCat("the coordinator at ", address,
                          " did not answer in time");
    case grpc::StatusCode::UNIMPLEMENTED:
      return absl::StrCat("the server at ", address,
                          " is not a grid coordinator (or a different "
                          "version)");
    default:
      return status.error_message();
  }
}

}  // namespace grid::coordinator
