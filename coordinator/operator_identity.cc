#include "coordinator/operator_identity.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpc/grpc_security_constants.h"
#include "grpcpp/security/auth_context.h"

namespace grid::coordinator {

std::string PeerHost(absl::string_view peer) {
  absl::string_view rest;
  if (absl::StartsWith(peer, "ipv4:")) {
    rest = peer.substr(5);
    const size_t colon = rest.rfind(':');
    return std::string(
        colon == absl::string_view::npos ? rest : rest.substr(0, colon));
  }
  if (absl::StartsWith(peer, "ipv6:")) {
    rest = peer.substr(5);
    // "[addr]:port", or URI-escaped "%5Baddr%5D:port" (newer gRPC).
    for (const auto& [open, close] :
         {std::pair<absl::string_view, absl::string_view>{"[", "]"},
          {"%5B", "%5D"}}) {
      if (!absl::StartsWith(rest, open)) continue;
      const size_t end = rest.find(close);
      if (end != absl::string_view::npos) {
        return std::string(rest.substr(open.size(), end - open.size()));
      }
    }
    return std::string(rest);
  }
  return std::string(peer);
}

std::string OperatorIdentity(const grpc::ServerContext& context) {
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth != nullptr && auth->IsPeerAuthenticated()) {
    const std::vector<grpc::string_ref> cn =
        auth->FindPropertyValues(GRPC_X509_CN_PROPERTY_NAME);
    if (!cn.empty()) {
      return absl::StrCat("cn:", std::string(cn[0].data(), cn[0].size()));
    }
    const std::vector<grpc::string_ref> id = auth->GetPeerIdentity();
    if (!id.empty()) {
      return absl::StrCat("id:", std::string(id[0].data(), id[0].size()));
    }
  }
  return PeerHost(context.peer());
}

}  // namespace grid::coordinator
