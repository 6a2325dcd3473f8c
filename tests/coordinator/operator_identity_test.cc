// The operator identity's fallback: the peer's address without the port.
#include "coordinator/operator_identity.h"

#include "gtest/gtest.h"

namespace grid::coordinator {
namespace {

TEST(PeerHost, StripsSchemeAndPort) {
  EXPECT_EQ(PeerHost("ipv4:198.18.0.1:50000"), "198.18.0.1");
  EXPECT_EQ(PeerHost("ipv4:127.0.0.1:1"), "127.0.0.1");
  EXPECT_EQ(PeerHost("ipv6:[2001:2::1]:50000"), "2001:2::1");
  EXPECT_EQ(PeerHost("ipv6:%5B::1%5D:7000"), "::1");
  EXPECT_EQ(PeerHost("unix:/run/grid.sock"), "unix:/run/grid.sock");
}

}  // namespace
}  // namespace grid::coordinator
