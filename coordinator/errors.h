// The user-visible errors of the grid's coordinator protocol, in one place so
// that every component words them the same way (coordinator, probe agent,
// CLI). Each returns an absl::Status whose message is one line saying what
// was wrong and where.
#ifndef GRID_COORDINATOR_ERRORS_H_
#define GRID_COORDINATOR_ERRORS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace grid::coordinator {

// InvalidArgument: `target` is not an IP address (or cannot be probed).
absl::Status InvalidTarget(absl::string_view target, absl::string_view why);
// InvalidArgument: a label selector "k=v,k2=v2" that does not parse.
absl::Status InvalidSelector(absl::string_view selector, absl::string_view why);
// InvalidArgument: a --label KEY=VALUE or --serves CIDR that does not parse.
absl::Status InvalidLabel(absl::string_view label, absl::string_view why);
absl::Status InvalidCidr(absl::string_view cidr, absl::string_view why);
// FailedPrecondition: no connected probe matches (empty selector: none at
// all).
absl::Status NoMatchingProbes(absl::string_view selector);
// NotFound: no probe of that name was ever registered.
absl::Status ProbeNotFound(absl::string_view name);
// FailedPrecondition: the probe is known but not connected.
absl::Status ProbeNotConnected(absl::string_view name);
// AlreadyExists: another live probe process holds the name.
absl::Status NameTaken(absl::string_view name);
// Unauthenticated: the call carries no verified client certificate.
absl::Status NoClientCertificate();
// PermissionDenied: a certificate of role `role` named `name` may not do
// `what` ("connect as a probe", "use the operator API"), which needs
// `needed_role`.
absl::Status WrongRole(absl::string_view role, absl::string_view name,
                       absl::string_view what, absl::string_view needed_role);
// PermissionDenied: probe certificate `certified` may not register as
// `name`.
absl::Status NameNotCertified(absl::string_view certified,
                              absl::string_view name);
// InvalidArgument: a Hello that breaks the protocol's REQUIREs.
absl::Status BadHello(absl::string_view why);
// InvalidArgument: a probe sent something the protocol does not allow.
absl::Status ProtocolViolation(absl::string_view probe, absl::string_view why);
// Unavailable: the coordinator is shutting down.
absl::Status ShuttingDown();

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_ERRORS_H_
