// Addresses, prefixes, HOST:PORT and label selectors.
#include "coordinator/host_port.h"
#include "coordinator/ip_prefix.h"
#include "coordinator/label_selector.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace grid::coordinator {
namespace {

using ::testing::HasSubstr;

TEST(CanonicalTarget, CanonicalisesAndMapsV4InV6) {
  EXPECT_EQ(*CanonicalTarget("198.18.0.1"), "198.18.0.1");
  EXPECT_EQ(*CanonicalTarget("::ffff:198.18.0.1"), "198.18.0.1");
  EXPECT_EQ(*CanonicalTarget("2001:0002:0:0::1"), "2001:2::1");
}

TEST(CanonicalTarget, RejectsNamesAndUnprobeable) {
  for (const char* bad :
       {"", "example.org", "198.18.0.256", "1.2.3", "0.0.0.0", "127.0.0.1",
        "224.0.0.1", "::1", "ff02::1", "198.18.0.1/24", " 198.18.0.1"}) {
    absl::StatusOr<std::string> t = CanonicalTarget(bad);
    EXPECT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(t.status().message(), HasSubstr("bad target")) << bad;
  }
}

TEST(IpPrefix, ContainsByPrefixBits) {
  IpPrefix p = *IpPrefix::Parse("198.18.3.4/30");
  EXPECT_TRUE(p.Contains(*IpBytes::Parse("198.18.3.6")));
  EXPECT_TRUE(p.Contains(*IpBytes::Parse("::ffff:198.18.3.7")));
  EXPECT_FALSE(p.Contains(*IpBytes::Parse("198.18.3.8")));
  EXPECT_FALSE(p.Contains(*IpBytes::Parse("2001:2::1")));
  IpPrefix v6 = *IpPrefix::Parse("2001:2::/48");
  EXPECT_TRUE(v6.Contains(*IpBytes::Parse("2001:2:0:ffff::1")));
  EXPECT_FALSE(v6.Contains(*IpBytes::Parse("2001:2:1::1")));
  EXPECT_TRUE(
      IpPrefix::Parse("0.0.0.0/0")->Contains(*IpBytes::Parse("8.8.8.8")));
  EXPECT_EQ(IpPrefix::Parse("198.18.0.9")->ToString(), "198.18.0.9/32");
}

TEST(IpPrefix, RejectsBadText) {
  for (const char* bad : {"198.18.3.5/30", "198.18.3.4/33", "198.18.3.4/",
                          "198.18.3.4/x", "2001:2::/129", "net/24", ""}) {
    absl::StatusOr<IpPrefix> p = IpPrefix::Parse(bad);
    EXPECT_FALSE(p.ok()) << bad;
    EXPECT_THAT(p.status().message(), HasSubstr("bad CIDR")) << bad;
  }
}

TEST(HostPort, ChecksHostAndPort) {
  EXPECT_TRUE(CheckHostPort("127.0.0.1:7000", "--coordinator").ok());
  EXPECT_TRUE(CheckHostPort("[2001:2::1]:7000", "--coordinator").ok());
  EXPECT_TRUE(CheckHostPort("coord.example:1", "--coordinator").ok());
  EXPECT_TRUE(CheckHostPort("0.0.0.0:0", "--listen", true).ok());
  for (const char* bad : {"", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536",
                          ":7000", "2001:2::1:7000", "h:x"}) {
    absl::StatusOr<std::string> r = CheckHostPort(bad, "--coordinator");
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.status().message(), HasSubstr("--coordinator")) << bad;
  }
}

TEST(LabelSelector, AllTermsMustMatch) {
  google::protobuf::Map<std::string, std::string> labels;
  labels["isp"] = "b";
  labels["site"] = "ams";
  EXPECT_TRUE(LabelSelector::Parse("")->Matches("y", labels));
  EXPECT_TRUE(LabelSelector::Parse("isp=b")->Matches("y", labels));
  EXPECT_TRUE(LabelSelector::Parse("isp=b, site=ams")->Matches("y", labels));
  EXPECT_FALSE(LabelSelector::Parse("isp=b,site=fra")->Matches("y", labels));
  EXPECT_FALSE(LabelSelector::Parse("role=client")->Matches("y", labels));
  EXPECT_TRUE(LabelSelector::Parse("name=y")->Matches("y", labels));
  EXPECT_FALSE(LabelSelector::Parse("name=x")->Matches("y", labels));
}

TEST(LabelSelector, RejectsMalformedTerms) {
  for (const char* bad : {"isp", "=b", "isp=b,", "is p=b", "a=b=c"}) {
    absl::StatusOr<LabelSelector> s = LabelSelector::Parse(bad);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_THAT(s.status().message(), HasSubstr("bad probe selector")) << bad;
  }
  EXPECT_EQ(ParseLabel("role=").value().second, "");
  EXPECT_FALSE(ParseLabel("role").ok());
}

}  // namespace
}  // namespace grid::coordinator
