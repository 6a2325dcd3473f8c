// Finds out why TLS to the coordinator fails, for a one-line error: gRPC
// only says that the channel could not connect. Does the handshake itself
// with OpenSSL, with the same CA, client certificate and expected name as
// the gRPC channel.
#ifndef GRID_COMMON_TLS_HANDSHAKE_CHECK_H_
#define GRID_COMMON_TLS_HANDSHAKE_CHECK_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/tls/credentials.h"

namespace grid::tls {

// OK if a TLS handshake with `address` (HOST:PORT, [IPV6]:PORT) succeeds and
// the server accepts our certificate. Unavailable if nothing accepts TCP
// there; Unauthenticated with the reason ("the coordinator's certificate is
// not signed by our --tls-ca", "... is not valid for NAME", "the coordinator
// refused our certificate ...") otherwise.
absl::Status CheckHandshake(const std::string& address, const TlsMaterial& tls,
                            absl::Duration timeout = absl::Seconds(5));

}  // namespace grid::tls

#endif  // GRID_COMMON_TLS_HANDSHAKE_CHECK_H_
