#include "tests/lab/addr.h"

#include <sys/socket.h>

#include "gtest/gtest.h"

namespace grid::lab {
namespace {

TEST(Prefix, ParsesAndPrints) {
  auto p = ParsePrefix("198.18.1.4/30");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->family, AF_INET);
  EXPECT_EQ(p->len, 30);
  EXPECT_EQ(p->ToString(), "198.18.1.4/30");
  auto q = ParsePrefix("2001:2:0:1::/64");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->ToString(), "2001:2:0:1::/64");
}

TEST(Prefix, RejectsBadInput) {
  EXPECT_FALSE(ParsePrefix("198.18.1.4").ok());     // no length
  EXPECT_FALSE(ParsePrefix("198.18.1.5/30").ok());  // host bits
  EXPECT_FALSE(ParsePrefix("198.18.1.4/33").ok());
  EXPECT_FALSE(ParsePrefix("198.18.1.4/x").ok());
  EXPECT_FALSE(ParsePrefix("banana/24").ok());
  EXPECT_NE(
      ParsePrefix("198.18.1.5/30").status().message().find("198.18.1.4/30"),
      std::string::npos);
}

TEST(Prefix, ContainsAndOverlaps) {
  const Prefix pool = *ParsePrefix("198.18.0.0/15");
  EXPECT_TRUE(Contains(pool, *ParsePrefix("198.19.255.252/30")));
  EXPECT_FALSE(Contains(pool, *ParsePrefix("198.20.0.0/30")));
  EXPECT_FALSE(Contains(pool, *ParsePrefix("10.0.0.0/8")));
  EXPECT_TRUE(
      Overlaps(*ParsePrefix("198.18.1.0/24"), *ParsePrefix("198.18.1.4/30")));
  EXPECT_FALSE(
      Overlaps(*ParsePrefix("198.18.1.0/30"), *ParsePrefix("198.18.1.4/30")));
  EXPECT_FALSE(Contains(pool, *ParsePrefix("2001:2::/64")));
}

TEST(Prefix, NthSubnet) {
  const Prefix pool = *ParsePrefix("198.18.0.0/16");
  EXPECT_EQ(NthSubnet(pool, 30, 0)->ToString(), "198.18.0.0/30");
  EXPECT_EQ(NthSubnet(pool, 30, 65)->ToString(), "198.18.1.4/30");
  EXPECT_EQ(NthSubnet(pool, 31, 3)->ToString(), "198.18.0.6/31");
  EXPECT_FALSE(NthSubnet(pool, 30, 16384).ok());
  EXPECT_FALSE(NthSubnet(pool, 8, 0).ok());
  const Prefix pool6 = *ParsePrefix("2001:2::/48");
  EXPECT_EQ(NthSubnet(pool6, 64, 258)->ToString(), "2001:2:0:102::/64");
}

TEST(Prefix, LinkEndpoints) {
  const Prefix p30 = *ParsePrefix("198.18.1.4/30");
  EXPECT_EQ(*LinkEndpointAddress(p30, 0), "198.18.1.5");
  EXPECT_EQ(*LinkEndpointAddress(p30, 1), "198.18.1.6");
  const Prefix p31 = *ParsePrefix("198.18.1.4/31");
  EXPECT_EQ(*LinkEndpointAddress(p31, 0), "198.18.1.4");
  EXPECT_EQ(*LinkEndpointAddress(p31, 1), "198.18.1.5");
  EXPECT_FALSE(LinkEndpointAddress(*ParsePrefix("198.18.1.4/32"), 0).ok());
  const Prefix p64 = *ParsePrefix("2001:2:0:7::/64");
  EXPECT_EQ(*LinkEndpointAddress(p64, 1), "2001:2:0:7::2");
}

}  // namespace
}  // namespace grid::lab
