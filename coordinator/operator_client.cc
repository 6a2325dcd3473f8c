#include "coordinator/operator_client.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "common/tls/handshake_check.h"
#include "coordinator/host_port.h"

namespace grid::coordinator {
namespace {

// Unauthenticated saying why TLS with `address` fails, or OK (also when TLS
// works, when it is off, or when the coordinator cannot be reached).
absl::Status TlsFailure(const std::string& address,
                        const std::optional<tls::TlsMaterial>& tls,
                        absl::Duration timeout) {
  if (!tls) return absl::OkStatus();
  absl::Status s = tls::CheckHandshake(address, *tls, timeout);
  if (!absl::IsUnauthenticated(s)) return absl::OkStatus();
  return absl::UnauthenticatedError(absl::StrCat(
      "TLS with the coordinator at ", address, " failed: ", s.message()));
}

}  // namespace

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
    const std::string& address, const std::optional<tls::TlsMaterial>& tls,
    absl::Duration connect_timeout) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      tls::ChannelCredentials(tls, &args);
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(address, credentials, args);
  // Fail at the first refused attempt rather than retrying until the
  // timeout; wait up to the timeout for a slow network.
  const auto deadline = absl::ToChronoTime(absl::Now() + connect_timeout);
  grpc_connectivity_state state = channel->GetState(/*try_to_connect=*/true);
  while (state != GRPC_CHANNEL_READY) {
    if (state == GRPC_CHANNEL_TRANSIENT_FAILURE ||
        state == GRPC_CHANNEL_SHUTDOWN ||
        !channel->WaitForStateChange(state, deadline)) {
      // Say why if TLS is what fails.
      if (absl::Status s = TlsFailure(address, tls, connect_timeout); !s.ok()) {
        return s;
      }
      return absl::UnavailableError(
          absl::StrCat("cannot reach the coordinator at ", address,
                       " (is grid-coordinator running there?)"));
    }
    state = channel->GetState(/*try_to_connect=*/true);
  }
  // With TLS 1.3 the coordinator judges our certificate once the channel
  // is up; say so now rather than as a broken call.
  if (absl::Status s = TlsFailure(address, tls, connect_timeout); !s.ok()) {
    return s;
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
