// Which addresses grid may send probes to. By default only addresses that
// can be a legitimate remote host: global unicast by the IANA IPv4 and IPv6
// Special-Purpose Address Registries (and the multicast and limited
// broadcast blocks). Private and other special-purpose unicast is accepted
// with --allow-private; CIDRs given with --allow-target are accepted whatever
// else says (labs, internal networks). The coordinator checks every
// diagnose/trace target and every return-trace target; each probe node and
// `grid trace` check again before probing (defence in depth).
//
// Pure: no I/O. TargetPolicy is an immutable value, safe to share between
// threads.
#ifndef GRID_COMMON_TARGET_POLICY_H_
#define GRID_COMMON_TARGET_POLICY_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "coordinator/ip_prefix.h"

namespace grid::common {

// What an address is for, by the special-purpose registries.
struct AddressClass {
  enum class Use {
    kGlobal,          // May be a remote host: accepted.
    kSpecialPurpose,  // Private or special-use unicast: --allow-private.
    kNeverRemote,     // Loopback, link-local, multicast, ...: refused.
  };
  Use use = Use::kGlobal;
  // E.g. "loopback address"; empty for kGlobal.
  std::string what;
  // The registry block the address falls in, as a CIDR ("127.0.0.0/8");
  // empty for kGlobal.
  std::string block;
};

// The most specific registry entry holding `address`. An IPv6 address that
// embeds an IPv4 one (IPv4-compatible ::/96, NAT64 64:ff9b::/96, 6to4
// 2002::/16) is classified by the IPv4 address when that is not global.
// (IPv4-mapped ::ffff:0:0/96 addresses parse as IPv4 already.)
AddressClass ClassifyAddress(const coordinator::IpBytes& address);

struct TargetPolicyOptions {
  // --allow-private: accept special-purpose unicast (RFC 1918, CGNAT
  // 100.64/10, benchmarking 198.18/15, documentation ranges, ULA fc00::/7,
  // ...). Default false.
  bool allow_private = false;
  // --allow-target CIDR (repeatable): accepted whatever else says. Default
  // none.
  std::vector<std::string> allow_targets;
};

class TargetPolicy {
 public:
  // The default policy: global unicast only, no allowlist.
  TargetPolicy() = default;
  // InvalidArgument naming --allow-target for a CIDR that does not parse.
  static absl::StatusOr<TargetPolicy> Create(
      const TargetPolicyOptions& options);

  // OK if probes may be sent to `address`. Otherwise PermissionDenied, one
  // line: "target 127.0.0.1 refused: loopback address (allow with
  // --allow-target 127.0.0.0/8)". `shown` names the target in the message
  // (default: the address).
  absl::Status Check(const coordinator::IpBytes& address,
                     absl::string_view shown = {}) const;
  // Parses an address literal and checks it; returns its canonical text.
  // InvalidArgument if it is not an IP address.
  absl::StatusOr<std::string> CheckTarget(absl::string_view text) const;

 private:
  bool allow_private_ = false;
  std::vector<coordinator::IpPrefix> allow_;
};

}  // namespace grid::common

#endif  // GRID_COMMON_TARGET_POLICY_H_
