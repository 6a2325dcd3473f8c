#include "common/target_policy.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "coordinator/errors.h"

namespace grid::common {
namespace {

using coordinator::IpBytes;
using coordinator::IpPrefix;
using Use = AddressClass::Use;

// One block of the registries. `embedded_v4` is the byte offset of an IPv4
// address embedded in the IPv6 addresses of the block (-1: none), `form`
// the name of that embedding.
struct Block {
  const char* cidr;
  Use use;
  const char* what;
  int embedded_v4 = -1;
  const char* form = "";
};

// From the IANA IPv4 and IPv6 Special-Purpose Address Registries, the
// IPv4/IPv6 multicast registries and RFC 919 (limited broadcast). The most
// specific block wins, so the globally reachable exceptions inside a
// special block are listed as kGlobal.
constexpr Block kBlocks[] = {
    // IPv4: never a remote host.
    {"0.0.0.0/32", Use::kNeverRemote, "unspecified address"},
    {"0.0.0.0/8", Use::kNeverRemote, "\"this network\" address"},
    {"127.0.0.0/8", Use::kNeverRemote, "loopback address"},
    {"169.254.0.0/16", Use::kNeverRemote, "link-local address"},
    {"224.0.0.0/4", Use::kNeverRemote, "multicast address"},
    {"240.0.0.0/4", Use::kNeverRemote, "reserved address (240.0.0.0/4)"},
    {"255.255.255.255/32", Use::kNeverRemote, "limited broadcast address"},
    // IPv4: special-purpose unicast.
    {"10.0.0.0/8", Use::kSpecialPurpose, "private-use address, RFC 1918"},
    {"172.16.0.0/12", Use::kSpecialPurpose, "private-use address, RFC 1918"},
    {"192.168.0.0/16", Use::kSpecialPurpose, "private-use address, RFC 1918"},
    {"100.64.0.0/10", Use::kSpecialPurpose,
     "shared (carrier-grade NAT) address, RFC 6598"},
    {"192.0.0.0/24", Use::kSpecialPurpose,
     "IETF protocol assignment, RFC 6890"},
    {"192.0.0.0/29", Use::kSpecialPurpose,
     "IPv4 service continuity address, RFC 7335"},
    {"192.0.0.8/32", Use::kSpecialPurpose, "IPv4 dummy address, RFC 7600"},
    {"192.0.0.9/32", Use::kGlobal, ""},   // PCP anycast, RFC 7723.
    {"192.0.0.10/32", Use::kGlobal, ""},  // TURN anycast, RFC 8155.
    {"192.0.0.170/32", Use::kSpecialPurpose,
     "NAT64/DNS64 discovery address, RFC 8880"},
    {"192.0.0.171/32", Use::kSpecialPurpose,
     "NAT64/DNS64 discovery address, RFC 8880"},
    {"192.0.2.0/24", Use::kSpecialPurpose, "documentation address, RFC 5737"},
    {"198.51.100.0/24", Use::kSpecialPurpose,
     "documentation address, RFC 5737"},
    {"203.0.113.0/24", Use::kSpecialPurpose, "documentation address, RFC 5737"},
    {"192.88.99.0/24", Use::kSpecialPurpose,
     "deprecated 6to4 relay anycast address, RFC 7526"},
    {"198.18.0.0/15", Use::kSpecialPurpose, "benchmarking address, RFC 2544"},
    // IPv6: never a remote host.
    {"::/128", Use::kNeverRemote, "unspecified address"},
    {"::1/128", Use::kNeverRemote, "loopback address"},
    {"::/96", Use::kNeverRemote,
     "IPv4-compatible address (deprecated, RFC 4291)", 12, "IPv4-compatible"},
    {"fe80::/10", Use::kNeverRemote, "link-local address"},
    {"ff00::/8", Use::kNeverRemote, "multicast address"},
    {"100::/64", Use::kNeverRemote, "discard-only address"},
    // IPv6: outside the global unicast space 2000::/3, everything not
    // listed is reserved by the IETF (IANA IPv6 Address Space).
    {"::/8", Use::kNeverRemote, "reserved address (outside 2000::/3)"},
    {"100::/8", Use::kNeverRemote, "reserved address (outside 2000::/3)"},
    {"200::/7", Use::kNeverRemote, "reserved address (outside 2000::/3)"},
    {"400::/6", Use::kNeverRemote, "reserved address (outside 2000::/3)"},
    {"800::/5", Use::kNeverRemote, "reserved address (outside 2000::/3)"},
    {"1000::/4", Use::kNeverRemote, "reserved address (outside 2000::/3)"},
    {"4000::/2", Use::kNeverRemote, "reserved address (outside 2000::/3)"},
    {"8000::/2", Use::kNeverRemote, "reserved address (outside 2000::/3)"},
    {"c000::/3", Use::kNeverRemote, "reserved address (outside 2000::/3)"},
    {"e000::/4", Use::kNeverRemote, "reserved address (outside 2000::/3)"},
    {"f000::/5", Use::kNeverRemote, "reserved address (outside 2000::/3)"},
    {"f800::/6", Use::kNeverRemote, "reserved address (outside 2000::/3)"},
    {"fe00::/9", Use::kNeverRemote, "reserved address (outside 2000::/3)"},
    // IPv6: special-purpose unicast.
    {"fc00::/7", Use::kSpecialPurpose, "unique local address, RFC 4193"},
    {"fec0::/10", Use::kSpecialPurpose,
     "deprecated site-local address, RFC 3879"},
    {"100:0:0:1::/64", Use::kSpecialPurpose, "dummy IPv6 prefix, RFC 9780"},
    {"64:ff9b:1::/48", Use::kSpecialPurpose,
     "local-use NAT64 address, RFC 8215"},
    {"2001::/23", Use::kSpecialPurpose, "IETF protocol assignment, RFC 2928"},
    {"2001::/32", Use::kSpecialPurpose, "Teredo address, RFC 4380"},
    {"2001:1::1/128", Use::kGlobal, ""},  // PCP anycast, RFC 7723.
    {"2001:1::2/128", Use::kGlobal, ""},  // TURN anycast, RFC 8155.
    {"2001:1::3/128", Use::kGlobal, ""},  // DNS-SD SRP anycast, RFC 9665.
    {"2001:2::/48", Use::kSpecialPurpose, "benchmarking address, RFC 5180"},
    {"2001:3::/32", Use::kGlobal, ""},      // AMT, RFC 7450.
    {"2001:4:112::/48", Use::kGlobal, ""},  // AS112-v6, RFC 7535.
    {"2001:10::/28", Use::kSpecialPurpose,
     "deprecated ORCHID address, RFC 4843"},
    {"2001:20::/28", Use::kGlobal, ""},  // ORCHIDv2, RFC 7343.
    {"2001:30::/28", Use::kGlobal, ""},  // Drone remote ID, RFC 9374.
    {"2001:db8::/32", Use::kSpecialPurpose, "documentation address, RFC 3849"},
    {"3fff::/20", Use::kSpecialPurpose, "documentation address, RFC 9637"},
    {"5f00::/16", Use::kSpecialPurpose, "SRv6 SID, RFC 9602"},
    // IPv6 forms that embed an IPv4 address (checked through it).
    {"64:ff9b::/96", Use::kGlobal, "", 12, "NAT64"},
    {"2002::/16", Use::kGlobal, "", 2, "6to4"},
};

struct ParsedBlock {
  IpPrefix prefix;
  const Block* block;
};

// kBlocks parsed, most specific first.
const std::vector<ParsedBlock>& Blocks() {
  static const std::vector<ParsedBlock>* blocks = [] {
    auto* out = new std::vector<ParsedBlock>();
    for (const Block& b : kBlocks) {
      // The table is a constant of this file: a bad entry is a bug.
      out->push_back({*IpPrefix::Parse(b.cidr), &b});
    }
    std::stable_sort(out->begin(), out->end(),
                     [](const ParsedBlock& x, const ParsedBlock& y) {
                       return x.prefix.length() > y.prefix.length();
                     });
    return out;
  }();
  return *blocks;
}

// `v6` with only its first `bits` bits kept, as a CIDR.
std::string V6Prefix(const IpBytes& v6, int bits) {
  IpBytes p = v6;
  for (int bit = bits; bit < 128; ++bit) {
    p.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
  }
  return absl::StrCat(p.ToString(), "/", bits);
}

// The IPv6 block holding `v6` whose embedded IPv4 part is `inner`'s block.
std::string EmbeddedBlock(const IpBytes& v6, int offset,
                          const std::string& inner_block) {
  const size_t slash = inner_block.find('/');
  const int inner_bits = std::stoi(inner_block.substr(slash + 1));
  return V6Prefix(v6, offset * 8 + inner_bits);
}

}  // namespace

AddressClass ClassifyAddress(const IpBytes& address) {
  for (const ParsedBlock& pb : Blocks()) {
    if (!pb.prefix.Contains(address)) continue;
    const Block& b = *pb.block;
    AddressClass c{b.use, b.what, pb.prefix.ToString()};
    if (b.embedded_v4 >= 0) {
      IpBytes inner;
      std::memcpy(inner.bytes.data(), address.bytes.data() + b.embedded_v4, 4);
      const AddressClass ic = ClassifyAddress(inner);
      if (ic.use != Use::kGlobal) {
        return {ic.use, absl::StrCat(ic.what, " in ", b.form, " form"),
                EmbeddedBlock(address, b.embedded_v4, ic.block)};
      }
    }
    if (c.use == Use::kGlobal) return {};
    return c;
  }
  return {};
}

absl::StatusOr<TargetPolicy> TargetPolicy::Create(
    const TargetPolicyOptions& options) {
  TargetPolicy p;
  p.allow_private_ = options.allow_private;
  for (const std::string& cidr : options.allow_targets) {
    absl::StatusOr<IpPrefix> prefix = IpPrefix::Parse(cidr);
    if (!prefix.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--allow-target: ", prefix.status().message()));
    }
    p.allow_.push_back(*prefix);
  }
  return p;
}

absl::Status TargetPolicy::Check(const IpBytes& address,
                                 absl::string_view shown) const {
  for (const IpPrefix& p : allow_) {
    if (p.Contains(address)) return absl::OkStatus();
  }
  const AddressClass c = ClassifyAddress(address);
  if (c.use == Use::kGlobal ||
      (c.use == Use::kSpecialPurpose && allow_private_)) {
    return absl::OkStatus();
  }
  const std::string name =
      shown.empty() ? address.ToString() : std::string(shown);
  return absl::PermissionDeniedError(
      absl::StrCat("target ", name, " refused: ", c.what, " (allow with ",
                   c.use == Use::kSpecialPurpose ? "--allow-private or " : "",
                   "--allow-target ", c.block, ")"));
}

absl::StatusOr<std::string> TargetPolicy::CheckTarget(
    absl::string_view text) const {
  absl::StatusOr<IpBytes> ip = IpBytes::Parse(text);
  if (!ip.ok()) return coordinator::InvalidTarget(text, ip.status().message());
  if (absl::Status s = Check(*ip, text); !s.ok()) return s;
  return ip->ToString();
}

}  // namespace grid::common
