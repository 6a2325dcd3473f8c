// The target policy: every special-purpose block of the IANA registries, v4
// and v6 (and the v6 forms embedding v4), the allowlist and --allow-private,
// and the wording of a refusal.
#include "common/target_policy.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace grid::common {
namespace {

using Use = AddressClass::Use;
using ::testing::HasSubstr;

AddressClass Classify(const std::string& address) {
  absl::StatusOr<coordinator::IpBytes> ip =
      coordinator::IpBytes::Parse(address);
  EXPECT_TRUE(ip.ok()) << address;
  return ClassifyAddress(*ip);
}

struct Case {
  const char* address;
  Use use;
  const char* block;  // The block named in the refusal.
  const char* what;   // A word of the description.
};

// Addresses inside each block (first, inner or last address) and the block
// the refusal names.
const std::vector<Case> kNeverRemote = {
    {"0.0.0.0", Use::kNeverRemote, "0.0.0.0/32", "unspecified"},
    {"0.1.2.3", Use::kNeverRemote, "0.0.0.0/8", "this network"},
    {"0.255.255.255", Use::kNeverRemote, "0.0.0.0/8", "this network"},
    {"127.0.0.1", Use::kNeverRemote, "127.0.0.0/8", "loopback"},
    {"127.255.255.254", Use::kNeverRemote, "127.0.0.0/8", "loopback"},
    {"169.254.0.1", Use::kNeverRemote, "169.254.0.0/16", "link-local"},
    {"169.254.255.255", Use::kNeverRemote, "169.254.0.0/16", "link-local"},
    {"224.0.0.1", Use::kNeverRemote, "224.0.0.0/4", "multicast"},
    {"239.255.255.250", Use::kNeverRemote, "224.0.0.0/4", "multicast"},
    {"240.0.0.1", Use::kNeverRemote, "240.0.0.0/4", "reserved"},
    {"255.255.255.254", Use::kNeverRemote, "240.0.0.0/4", "reserved"},
    {"255.255.255.255", Use::kNeverRemote, "255.255.255.255/32", "broadcast"},
    {"::", Use::kNeverRemote, "::/128", "unspecified"},
    {"::1", Use::kNeverRemote, "::1/128", "loopback"},
    {"fe80::1", Use::kNeverRemote, "fe80::/10", "link-local"},
    {"febf:ffff::1", Use::kNeverRemote, "fe80::/10", "link-local"},
    {"ff02::1", Use::kNeverRemote, "ff00::/8", "multicast"},
    {"ff0e::1:3", Use::kNeverRemote, "ff00::/8", "multicast"},
    {"100::1", Use::kNeverRemote, "100::/64", "discard-only"},
    // Reserved space outside 2000::/3.
    {"1::1", Use::kNeverRemote, "::/8", "reserved"},
    {"100:1::1", Use::kNeverRemote, "100::/8", "reserved"},
    {"1fff::1", Use::kNeverRemote, "1000::/4", "reserved"},
    {"4000::1", Use::kNeverRemote, "4000::/2", "reserved"},
    {"bfff::1", Use::kNeverRemote, "8000::/2", "reserved"},
    {"fbff:ffff::1", Use::kNeverRemote, "f800::/6", "reserved"},
    {"fe00::1", Use::kNeverRemote, "fe00::/9", "reserved"},
    // IPv4-mapped forms are the IPv4 address.
    {"::ffff:127.0.0.1", Use::kNeverRemote, "127.0.0.0/8", "loopback"},
    {"::ffff:169.254.1.1", Use::kNeverRemote, "169.254.0.0/16", "link-local"},
    {"::ffff:255.255.255.255", Use::kNeverRemote, "255.255.255.255/32",
     "broadcast"},
    // IPv4-compatible forms (deprecated): the IPv4 address's class, else
    // refused for being one.
    {"::127.0.0.1", Use::kNeverRemote, "::127.0.0.0/104",
     "loopback address in IPv4-compatible form"},
    {"::224.0.0.1", Use::kNeverRemote, "::224.0.0.0/100", "multicast"},
    {"::8.8.8.8", Use::kNeverRemote, "::/96", "IPv4-compatible"},
    // NAT64 and 6to4 forms of addresses that are never remote.
    {"64:ff9b::127.0.0.1", Use::kNeverRemote, "64:ff9b::7f00:0/104",
     "loopback address in NAT64 form"},
    {"2002:7f00:1::1", Use::kNeverRemote, "2002:7f00::/24",
     "loopback address in 6to4 form"},
    {"2002:a9fe:0101::", Use::kNeverRemote, "2002:a9fe::/32", "link-local"},
};

const std::vector<Case> kSpecialPurpose = {
    {"10.0.0.1", Use::kSpecialPurpose, "10.0.0.0/8", "private-use"},
    {"10.255.255.255", Use::kSpecialPurpose, "10.0.0.0/8", "private-use"},
    {"172.16.0.1", Use::kSpecialPurpose, "172.16.0.0/12", "private-use"},
    {"172.31.255.254", Use::kSpecialPurpose, "172.16.0.0/12", "private-use"},
    {"192.168.1.1", Use::kSpecialPurpose, "192.168.0.0/16", "private-use"},
    {"100.64.0.1", Use::kSpecialPurpose, "100.64.0.0/10", "carrier-grade NAT"},
    {"100.127.255.254", Use::kSpecialPurpose, "100.64.0.0/10",
     "carrier-grade NAT"},
    {"192.0.0.1", Use::kSpecialPurpose, "192.0.0.0/29", "continuity"},
    {"192.0.0.8", Use::kSpecialPurpose, "192.0.0.8/32", "dummy"},
    {"192.0.0.100", Use::kSpecialPurpose, "192.0.0.0/24", "IETF protocol"},
    {"192.0.0.170", Use::kSpecialPurpose, "192.0.0.170/32", "NAT64/DNS64"},
    {"192.0.0.171", Use::kSpecialPurpose, "192.0.0.171/32", "NAT64/DNS64"},
    {"192.0.2.1", Use::kSpecialPurpose, "192.0.2.0/24", "documentation"},
    {"198.51.100.1", Use::kSpecialPurpose, "198.51.100.0/24", "documentation"},
    {"203.0.113.1", Use::kSpecialPurpose, "203.0.113.0/24", "documentation"},
    {"192.88.99.1", Use::kSpecialPurpose, "192.88.99.0/24", "6to4 relay"},
    {"198.18.0.1", Use::kSpecialPurpose, "198.18.0.0/15", "benchmarking"},
    {"198.19.255.254", Use::kSpecialPurpose, "198.18.0.0/15", "benchmarking"},
    {"fc00::1", Use::kSpecialPurpose, "fc00::/7", "unique local"},
    {"fd12:3456::1", Use::kSpecialPurpose, "fc00::/7", "unique local"},
    {"fec0::1", Use::kSpecialPurpose, "fec0::/10", "site-local"},
    {"feff::1", Use::kSpecialPurpose, "fec0::/10", "site-local"},
    {"100:0:0:1::1", Use::kSpecialPurpose, "100:0:0:1::/64", "dummy"},
    {"64:ff9b:1::1", Use::kSpecialPurpose, "64:ff9b:1::/48", "NAT64"},
    {"2001::1", Use::kSpecialPurpose, "2001::/32", "Teredo"},
    {"2001:5::1", Use::kSpecialPurpose, "2001::/23", "IETF protocol"},
    {"2001:2::1", Use::kSpecialPurpose, "2001:2::/48", "benchmarking"},
    {"2001:10::1", Use::kSpecialPurpose, "2001:10::/28", "ORCHID"},
    {"2001:db8::1", Use::kSpecialPurpose, "2001:db8::/32", "documentation"},
    {"3fff::1", Use::kSpecialPurpose, "3fff::/20", "documentation"},
    {"5f00::1", Use::kSpecialPurpose, "5f00::/16", "SRv6"},
    {"::ffff:10.1.2.3", Use::kSpecialPurpose, "10.0.0.0/8", "private-use"},
    {"2002:c0a8:0101::1", Use::kSpecialPurpose, "2002:c0a8::/32",
     "private-use address, RFC 1918 in 6to4 form"},
    {"64:ff9b::10.0.0.1", Use::kSpecialPurpose, "64:ff9b::a00:0/104",
     "private-use"},
};

TEST(ClassifyAddress, EveryBlockThatIsNeverARemoteHost) {
  for (const Case& c : kNeverRemote) {
    const AddressClass a = Classify(c.address);
    EXPECT_EQ(a.use, c.use) << c.address;
    EXPECT_EQ(a.block, c.block) << c.address;
    EXPECT_THAT(a.what, HasSubstr(c.what)) << c.address;
  }
}

TEST(ClassifyAddress, EverySpecialPurposeUnicastBlock) {
  for (const Case& c : kSpecialPurpose) {
    const AddressClass a = Classify(c.address);
    EXPECT_EQ(a.use, c.use) << c.address;
    EXPECT_EQ(a.block, c.block) << c.address;
    EXPECT_THAT(a.what, HasSubstr(c.what)) << c.address;
  }
}

TEST(ClassifyAddress, GlobalUnicastAndTheRegistriesExceptions) {
  for (const char* a : {"8.8.8.8",
                        "1.1.1.1",
                        "9.255.255.255",  // Just below 10/8.
                        "11.0.0.0",
                        "100.63.255.255",
                        "100.128.0.0",
                        "126.255.255.255",
                        "128.0.0.0",
                        "169.253.255.255",
                        "172.15.255.255",
                        "172.32.0.0",
                        "192.0.0.9",
                        "192.0.0.10",  // PCP and TURN anycast.
                        "192.0.1.1",
                        "192.31.196.1",
                        "192.52.193.1",
                        "192.167.255.255",
                        "192.169.0.0",
                        "192.175.48.1",
                        "198.17.255.255",
                        "198.20.0.0",
                        "223.255.255.255",
                        "2606:4700:4700::1111",
                        "2001:4860:4860::8888",
                        "2001:1::1",
                        "2001:1::2",
                        "2001:1::3",  // Anycast exceptions.
                        "2001:3::1",
                        "2001:4:112::1",
                        "2001:20::1",
                        "2001:30::1",
                        "2001:200::1",  // Past 2001::/23.
                        "64:ff9b::8.8.8.8",
                        "2002:808:808::1",  // NAT64/6to4 of global.
                        "2000::1",
                        "3fff:ffff::1",
                        "3ffe::1"}) {
    const AddressClass c = Classify(a);
    EXPECT_EQ(c.use, Use::kGlobal) << a << ": " << c.what;
    EXPECT_TRUE(c.what.empty() && c.block.empty()) << a;
  }
}

TEST(TargetPolicy, DefaultRefusesEverySpecialAddressWithOneClearLine) {
  const TargetPolicy policy;
  for (const std::vector<Case>* cases : {&kNeverRemote, &kSpecialPurpose}) {
    for (const Case& c : *cases) {
      absl::StatusOr<std::string> t = policy.CheckTarget(c.address);
      ASSERT_FALSE(t.ok()) << c.address;
      EXPECT_EQ(t.status().code(), absl::StatusCode::kPermissionDenied);
      const std::string m(t.status().message());
      EXPECT_THAT(m,
                  HasSubstr(std::string("target ") + c.address + " refused: "));
      EXPECT_THAT(m, HasSubstr(std::string("--allow-target ") + c.block + ")"));
      EXPECT_EQ(m.find('\n'), std::string::npos);
      // Only special-purpose unicast may be allowed wholesale.
      EXPECT_EQ(m.find("--allow-private") != std::string::npos,
                c.use == Use::kSpecialPurpose)
          << m;
    }
  }
  EXPECT_EQ(policy.CheckTarget("127.0.0.1").status().message(),
            "target 127.0.0.1 refused: loopback address (allow with "
            "--allow-target 127.0.0.0/8)");
  EXPECT_EQ(policy.CheckTarget("10.1.2.3").status().message(),
            "target 10.1.2.3 refused: private-use address, RFC 1918 (allow "
            "with --allow-private or --allow-target 10.0.0.0/8)");
}

TEST(TargetPolicy, AcceptsGlobalUnicastAndCanonicalises) {
  const TargetPolicy policy;
  EXPECT_EQ(*policy.CheckTarget("8.8.8.8"), "8.8.8.8");
  EXPECT_EQ(*policy.CheckTarget("::ffff:8.8.8.8"), "8.8.8.8");
  EXPECT_EQ(*policy.CheckTarget("2606:4700:4700:0:0:0:0:1111"),
            "2606:4700:4700::1111");
}

TEST(TargetPolicy, NotAnAddressIsInvalidArgument) {
  const TargetPolicy policy;
  for (const char* bad : {"", "example.org", "198.18.0.256", "8.8.8.0/24",
                          " 8.8.8.8", "fe80::1%eth0"}) {
    absl::StatusOr<std::string> t = policy.CheckTarget(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(t.status().message(), HasSubstr("bad target")) << bad;
  }
}

TEST(TargetPolicy, AllowPrivateAcceptsSpecialPurposeUnicastOnly) {
  const TargetPolicy policy =
      *TargetPolicy::Create({.allow_private = true, .allow_targets = {}});
  for (const Case& c : kSpecialPurpose) {
    EXPECT_TRUE(policy.CheckTarget(c.address).ok()) << c.address;
  }
  for (const Case& c : kNeverRemote) {
    EXPECT_EQ(policy.CheckTarget(c.address).status().code(),
              absl::StatusCode::kPermissionDenied)
        << c.address;
  }
}

TEST(TargetPolicy, AllowlistOverridesEveryRefusalWithinItsCidrsOnly) {
  const TargetPolicy policy = *TargetPolicy::Create(
      {.allow_targets = {"198.18.0.0/15", "2001:2::/48", "127.0.0.0/8",
                         "ff02::1/128", "10.1.0.0/16"}});
  for (const char* ok :
       {"198.18.3.6", "198.19.0.1", "2001:2::1", "2001:2:0:ffff::1",
        "127.0.0.1", "::ffff:127.0.0.2", "ff02::1", "10.1.2.3", "8.8.8.8"}) {
    EXPECT_TRUE(policy.CheckTarget(ok).ok()) << ok;
  }
  for (const char* refused : {"100.64.0.1", "2001:2:1::1", "::1", "ff02::2",
                              "10.2.0.1", "169.254.1.1", "2001:db8::1"}) {
    EXPECT_EQ(policy.CheckTarget(refused).status().code(),
              absl::StatusCode::kPermissionDenied)
        << refused;
  }
}

TEST(TargetPolicy, BadAllowTargetNamesTheFlag) {
  for (const char* bad : {"nonsense", "10.0.0.0/33", "10.0.0.1/8", ""}) {
    absl::StatusOr<TargetPolicy> p =
        TargetPolicy::Create({.allow_targets = {bad}});
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(p.status().message(), HasSubstr("--allow-target")) << bad;
  }
}

TEST(TargetPolicy, ShownName) {
  const TargetPolicy policy;
  EXPECT_EQ(policy.Check(*coordinator::IpBytes::Parse("::1"), "localhost (::1)")
                .message(),
            "target localhost (::1) refused: loopback address (allow with "
            "--allow-target ::1/128)");
}

}  // namespace
}  // namespace grid::common
