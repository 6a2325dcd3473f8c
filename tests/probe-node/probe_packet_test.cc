// Golden bytes for every probe method and family. The expected packets were
// written field by field with an independent checksum implementation (the
// UDP steering word found by exhaustive search), not produced by BuildProbe.
#include "probe-node/probe_packet.h"

#include "gtest/gtest.h"
#include "probe-node/checksum.h"
#include "tests/probe-node/testing/hex.h"

namespace grid::probe {
namespace {

using testing::FromHex;
using testing::ToHex;

IpAddress Addr(const char* s) { return *IpAddress::Parse(s); }

ProbeSpec Spec(ProbeMethod m, const char* src, const char* dst, uint16_t flow,
               uint16_t port, uint16_t seq, int ttl, int size) {
  ProbeSpec s;
  s.key.method = m;
  s.key.destination = Addr(dst);
  s.key.flow_id = flow;
  s.key.dst_port = port;
  s.key.sequence = seq;
  s.source = Addr(src);
  s.ttl = ttl;
  s.packet_size = size;
  return s;
}

std::string Build(const ProbeSpec& s) {
  auto p = BuildProbe(s);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? ToHex(*p) : "";
}

TEST(BuildProbe, IcmpV4Golden) {
  EXPECT_EQ(
      Build(Spec(ProbeMethod::kIcmpEcho, "198.18.0.1", "198.18.5.9", 0x1234, 0,
                 7, 3, 64)),
      ToHex(FromHex("4500 0040 0007 0000 0301 2688 c612 0001 c612 0509"  // IPv4
                    "0800 e5cb 1234 0000"                                // echo
                    "0007 fff8" +
                    std::string(64, '0'))));  // seq, ~seq, zero pad
}

TEST(BuildProbe, IcmpV6Golden) {
  EXPECT_EQ(Build(Spec(ProbeMethod::kIcmpEcho, "2001:2::1", "2001:2:0:5::9",
                       0x1234, 0, 7, 3, 64)),
            ToHex(FromHex("6000 1234 0018 3a03"  // flow label = flow id, hop 3
                          "2001 0002 0000 0000 0000 0000 0000 0001"
                          "2001 0002 0000 0005 0000 0000 0000 0009"
                          "8000 2d64 1234 0000 0007 fff8"
                          "0000 0000 0000 0000 0000 0000")));
}

TEST(BuildProbe, UdpV4Golden) {
  EXPECT_EQ(Build(Spec(ProbeMethod::kUdp, "198.18.0.1", "198.18.5.9", 0x8001,
                       33434, 0x0102, 5, 60)),
            ToHex(FromHex("4500 003c 0102 0000 0511 2381 c612 0001 c612 0509"
                          "8001 829a 0028 0102"  // checksum == sequence
                          "6ad1" +               // steering word
                          std::string(60, '0'))));
}

TEST(BuildProbe, UdpV6Golden) {
  EXPECT_EQ(Build(Spec(ProbeMethod::kUdp, "2001:2::1", "2001:2:0:5::9", 0x8001,
                       33434, 0x0102, 5, 64)),
            ToHex(FromHex("6000 8001 0018 1105"
                          "2001 0002 0000 0000 0000 0000 0000 0001"
                          "2001 0002 0000 0005 0000 0000 0000 0009"
                          "8001 829a 0018 0102 bc0b" +
                          std::string(28, '0'))));
}

TEST(BuildProbe, TcpV4Golden) {
  EXPECT_EQ(
      Build(Spec(ProbeMethod::kTcpSyn, "198.18.0.1", "198.18.5.9", 0x9000, 443,
                 9, 2, 64)),
      ToHex(FromHex("4500 0028 0009 0000 0206 2799 c612 0001 c612 0509"
                    "9000 01bb 0009 9000 0000 0000 5002 ffff fcee 0000")));
}

TEST(BuildProbe, TcpV6Golden) {
  EXPECT_EQ(
      Build(Spec(ProbeMethod::kTcpSyn, "2001:2::1", "2001:2:0:5::9", 0x9000,
                 443, 9, 2, 64)),
      ToHex(FromHex("6000 9000 0014 0602"
                    "2001 0002 0000 0000 0000 0000 0000 0001"
                    "2001 0002 0000 0005 0000 0000 0000 0009"
                    "9000 01bb 0009 9000 0000 0000 5002 ffff 4e09 0000")));
}

// Paris invariant: every byte an ECMP router may hash (addresses, protocol,
// the first 8 transport bytes for ICMP; ports for UDP/TCP; the IPv6 flow
// label) is identical for all sequences and TTLs of one flow.
TEST(BuildProbe, ParisFlowFieldsConstantAcrossSequencesAndTtls) {
  for (const char* dst : {"198.18.5.9", "2001:2:0:5::9"}) {
    const bool v4 = std::string(dst).find(':') == std::string::npos;
    const char* src = v4 ? "198.18.0.1" : "2001:2::1";
    const size_t l4 = v4 ? 20 : 40;
    for (ProbeMethod m :
         {ProbeMethod::kIcmpEcho, ProbeMethod::kUdp, ProbeMethod::kTcpSyn}) {
      auto first = *BuildProbe(Spec(m, src, dst, 0xbeef, 33434, 1, 1, 80));
      for (uint16_t seq : {2, 77, 0x7fff, 0xfffe}) {
        for (int ttl : {1, 9, 64}) {
          auto p = *BuildProbe(Spec(m, src, dst, 0xbeef, 33434, seq, ttl, 80));
          SCOPED_TRACE(::testing::Message()
                       << ProbeMethodName(m) << " " << dst << " seq " << seq
                       << " ttl " << ttl);
          ASSERT_EQ(p.size(), first.size());
          const size_t hashed = m == ProbeMethod::kIcmpEcho ? 8 : 4;
          for (size_t i = 0; i < hashed; ++i) {
            EXPECT_EQ(p[l4 + i], first[l4 + i]) << "transport byte " << i;
          }
          if (!v4) {  // Version, traffic class, flow label.
            for (size_t i = 0; i < 4; ++i) EXPECT_EQ(p[i], first[i]);
          }
        }
      }
    }
  }
}

// The transport checksum of every probe verifies, so hosts answer it.
TEST(BuildProbe, TransportChecksumsVerify) {
  for (const char* dst : {"198.18.5.9", "2001:2:0:5::9"}) {
    const bool v4 = std::string(dst).find(':') == std::string::npos;
    const IpAddress s = Addr(v4 ? "198.18.0.1" : "2001:2::1");
    const IpAddress d = Addr(dst);
    const size_t h = v4 ? 20 : 40;
    for (ProbeMethod m :
         {ProbeMethod::kIcmpEcho, ProbeMethod::kUdp, ProbeMethod::kTcpSyn}) {
      for (uint16_t seq = 1; seq < 0xffff; seq += 251) {
        auto p = *BuildProbe(Spec(m, v4 ? "198.18.0.1" : "2001:2::1", dst,
                                  0x4242, 53, seq, 4, 100 + seq % 7));
        auto l4 = absl::MakeConstSpan(p).subspan(h);
        uint32_t sum = ChecksumPartial(l4);
        const uint8_t proto = p[v4 ? 9 : 6];
        if (!(v4 && m == ProbeMethod::kIcmpEcho)) {
          sum += PseudoHeaderSum(s, d, proto, static_cast<uint32_t>(l4.size()));
        }
        EXPECT_EQ(ChecksumFold(sum), 0xffff)
            << ProbeMethodName(m) << " seq " << seq;
        if (m == ProbeMethod::kUdp) {
          EXPECT_EQ(l4[6] << 8 | l4[7], seq);
        }
      }
    }
  }
}

TEST(BuildProbe, SizeIsWholePacketWithMethodMinimum) {
  auto p = *BuildProbe(
      Spec(ProbeMethod::kIcmpEcho, "198.18.0.1", "198.18.5.9", 1, 0, 1, 1, 10));
  EXPECT_EQ(p.size(), static_cast<size_t>(
                          MinProbeSize(ProbeMethod::kIcmpEcho, IpFamily::kV4)));
  auto q = *BuildProbe(
      Spec(ProbeMethod::kUdp, "2001:2::1", "2001:2::9", 1, 53, 1, 1, 1000));
  EXPECT_EQ(q.size(), 1000u);
}

TEST(BuildProbe, RejectsBadSpecs) {
  EXPECT_FALSE(BuildProbe(Spec(ProbeMethod::kUdp, "2001:2::1", "198.18.5.9", 1,
                               53, 1, 1, 64))
                   .ok());
  EXPECT_FALSE(BuildProbe(Spec(ProbeMethod::kUdp, "198.18.0.1", "198.18.5.9", 1,
                               53, 1, 0, 64))
                   .ok());
  EXPECT_FALSE(BuildProbe(Spec(ProbeMethod::kUdp, "198.18.0.1", "198.18.5.9", 1,
                               53, 1, 256, 64))
                   .ok());
  EXPECT_FALSE(BuildProbe(Spec(ProbeMethod::kUdp, "198.18.0.1", "198.18.5.9", 1,
                               53, 0, 1, 64))
                   .ok());
  EXPECT_FALSE(BuildProbe(Spec(ProbeMethod::kUdp, "198.18.0.1", "198.18.5.9", 1,
                               53, 0xffff, 1, 64))
                   .ok());
  auto big = BuildProbe(
      Spec(ProbeMethod::kUdp, "198.18.0.1", "198.18.5.9", 1, 53, 1, 1, 9000));
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("9000"), std::string::npos);
}

}  // namespace
}  // namespace grid::probe
