#include "coordinator/errors.h"

#include "absl/strings/str_cat.h"

namespace grid::coordinator {

absl::Status InvalidTarget(absl::string_view target, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("bad target \"", target, "\": ", why));
}

absl::Status InvalidSelector(absl::string_view selector,
                             absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("bad probe selector \"", selector, "\": ", why));
}

absl::Status InvalidLabel(absl::string_view label, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("bad label \"", label, "\": ", why));
}

absl::Status InvalidCidr(absl::string_view cidr, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("bad CIDR \"", cidr, "\": ", why));
}

absl::Status NoMatchingProbes(absl::string_view selector) {
  if (selector.empty()) {
    return absl::FailedPreconditionError("no probes are connected");
  }
  return absl::FailedPreconditionError(
      absl::StrCat("no connected probe matches \"", selector, "\""));
}

absl::Status ProbeNotFound(absl::string_view name) {
  return absl::NotFoundError(absl::StrCat("no probe named \"", name, "\""));
}

absl::Status ProbeNotConnected(absl::string_view name) {
  return absl::FailedPreconditionError(
      absl::StrCat("probe \"", name, "\" is not connected"));
}

absl::Status NameTaken(absl::string_view name) {
  return absl::AlreadyExistsError(absl::StrCat(
      "probe name \"", name, "\" is held by another connected probe process"));
}

absl::Status NoClientCertificate() {
  return absl::UnauthenticatedError(
      "no verified client certificate (TLS with a certificate from the "
      "grid's CA is required)");
}

absl::Status WrongRole(absl::string_view role, absl::string_view name,
                       absl::string_view what, absl::string_view needed_role) {
  return absl::PermissionDeniedError(
      absl::StrCat("a certificate of role \"", role, "\" (\"", name,
                   "\") may not ", what, ": that needs role ", needed_role));
}

absl::Status NameNotCertified(absl::string_view certified,
                              absl::string_view name) {
  return absl::PermissionDeniedError(
      absl::StrCat("probe certificate \"", certified,
                   "\" may not register as \"", name, "\""));
}

absl::Status BadHello(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("bad hello: ", why));
}

absl::Status ProtocolViolation(absl::string_view probe, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("probe \"", probe, "\" broke the protocol: ", why));
}

absl::Status ShuttingDown() {
  return absl::UnavailableError("the coordinator is shutting down");
}

}  // namespace grid::coordinator
