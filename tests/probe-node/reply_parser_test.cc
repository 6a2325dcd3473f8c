// Reply parsing: golden packets written independently of the parser (see the
// field comments), round trips through the reply builder for every method,
// family and unreachable code, and malformed input.
#include "probe-node/reply_parser.h"

#include "gtest/gtest.h"
#include "probe-node/probe_packet.h"
#include "tests/probe-node/testing/hex.h"
#include "tests/probe-node/testing/reply_builder.h"

namespace grid::probe {
namespace {

using testing::FromHex;

IpAddress Addr(const char* s) { return *IpAddress::Parse(s); }

testing::ErrorOptions Error(uint8_t type, uint8_t code = 0, uint8_t ttl = 64) {
  testing::ErrorOptions o;
  o.type = type;
  o.code = code;
  o.ttl = ttl;
  return o;
}

// Linux router's time exceeded for the UDP v4 golden probe, with an RFC 4884
// length (32 words) and an MPLS object: label 16005, TC 0, S, TTL 1.
constexpr char kTimeExceededMpls[] =
    "450000a800550000fe012ed9c6120101c61200010b008648002000004500003c010200"
    "0001112781c6120001c61205098001829a002801026ad1"  // Quoted UDP probe.
    "00000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000"  // Padding to 128 bytes.
    "20008a0d0008010103e85101";

TEST(ParseReply, TimeExceededWithMplsGolden) {
  auto r = ParseReply(FromHex(kTimeExceededMpls));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->kind, ReplyKind::kTimeExceeded);
  EXPECT_EQ(r->responder, Addr("198.18.1.1"));
  EXPECT_EQ(r->local, Addr("198.18.0.1"));
  EXPECT_EQ(r->reply_ttl, 254);
  EXPECT_EQ(r->probe.method, ProbeMethod::kUdp);
  EXPECT_EQ(r->probe.destination, Addr("198.18.5.9"));
  EXPECT_EQ(r->probe.flow_id, 0x8001);
  EXPECT_EQ(r->probe.dst_port, 33434);
  EXPECT_EQ(r->probe.sequence, 0x0102);
  EXPECT_EQ(r->probe_source, Addr("198.18.0.1"));
  EXPECT_EQ(r->quoted_ttl, 1);
  EXPECT_EQ(r->quoted_bytes, 128);
  EXPECT_TRUE(r->extension_error.empty()) << r->extension_error;
  ASSERT_EQ(r->extensions.mpls.size(), 1u);
  EXPECT_EQ(r->extensions.mpls[0], (MplsLabel{.label = 16005,
                                              .traffic_class = 0,
                                              .bottom_of_stack = true,
                                              .ttl = 1}));
  EXPECT_FALSE(r->FromDestination());
}

// Only the 8 bytes RFC 792 requires are quoted: the ICMP echo sequence is
// recovered from the quoted IP id.
TEST(ParseReply, EightByteQuoteUsesIpIdGolden) {
  auto r = ParseReply(
      FromHex("45000038000100003e01ee9dc6120201c61200010b00f4ff00000000"
              "450000400007000001012888c6120001c61205090800e5cb12340000"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->probe.method, ProbeMethod::kIcmpEcho);
  EXPECT_EQ(r->probe.flow_id, 0x1234);
  EXPECT_EQ(r->probe.sequence, 7);
  EXPECT_EQ(r->quoted_bytes, 28);
}

TEST(ParseReply, Icmpv6TimeExceededGolden) {
  auto r = ParseReply(FromHex(
      "6000000000483a3f20010002000000010000000000000001200100020000000000"
      "00000000000001030010790000000060001234"
      "00183a01200100020000000000000000000000012001000200000005000000000000"
      "000980002d64123400000007fff8000000000000000000000000"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->kind, ReplyKind::kTimeExceeded);
  EXPECT_EQ(r->responder, Addr("2001:2:0:1::1"));
  EXPECT_EQ(r->reply_ttl, 63);
  EXPECT_EQ(r->probe.method, ProbeMethod::kIcmpEcho);
  EXPECT_EQ(r->probe.destination, Addr("2001:2:0:5::9"));
  EXPECT_EQ(r->probe.flow_id, 0x1234);
  EXPECT_EQ(r->probe.sequence, 7);
}

TEST(ParseReply, TcpResetV6Golden) {
  auto r = ParseReply(FromHex(
      "600000000014063c2001000200000005000000000000000920010002000000000000"
      "0000000000010"
      "1bb90000000000000099001501400004df60000"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->kind, ReplyKind::kTcpReset);
  EXPECT_TRUE(r->FromDestination());
  EXPECT_EQ(r->probe.method, ProbeMethod::kTcpSyn);
  EXPECT_EQ(r->probe.flow_id, 0x9000);
  EXPECT_EQ(r->probe.dst_port, 443);
  EXPECT_EQ(r->probe.sequence, 9);
  EXPECT_EQ(r->reply_ttl, 60);
}

struct Case {
  ProbeMethod method;
  const char* src;
  const char* dst;
};

class RoundTrip : public ::testing::TestWithParam<Case> {
 protected:
  std::vector<uint8_t> Probe(uint16_t seq, int ttl = 1, int size = 64) {
    ProbeSpec s;
    s.key.method = GetParam().method;
    s.key.destination = Addr(GetParam().dst);
    s.key.flow_id = 0xa1b2;
    s.key.dst_port = GetParam().method == ProbeMethod::kIcmpEcho ? 0 : 33434;
    s.key.sequence = seq;
    s.source = Addr(GetParam().src);
    s.ttl = ttl;
    s.packet_size = size;
    key_ = s.key;
    return *BuildProbe(s);
  }
  ProbeKey key_;
};

TEST_P(RoundTrip, TimeExceededMatchesProbe) {
  for (uint16_t seq : {1, 300, 0xfffe}) {
    auto probe = Probe(seq);
    auto r = ParseReply(testing::MakeIcmpError(
        probe, Addr(GetParam().dst[0] == '2' ? "2001:2:9::1" : "198.18.9.1"),
        Error(GetParam().dst[0] == '2' ? 3 : 11)));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->kind, ReplyKind::kTimeExceeded);
    EXPECT_EQ(r->probe, key_) << r->probe.DebugString();
    EXPECT_EQ(r->probe_source, Addr(GetParam().src));
  }
}

TEST_P(RoundTrip, DestinationAnswerMatchesProbe) {
  auto probe = Probe(4242, 9);
  const bool v4 = GetParam().dst[0] != '2';
  std::vector<uint8_t> reply;
  ReplyKind want;
  switch (GetParam().method) {
    case ProbeMethod::kIcmpEcho:
      reply = testing::MakeEchoReply(probe, 55);
      want = ReplyKind::kEchoReply;
      break;
    case ProbeMethod::kUdp:
      reply = testing::MakeIcmpError(probe, Addr(GetParam().dst),
                                     Error(v4 ? 3 : 1, v4 ? 3 : 4, 55));
      want = ReplyKind::kDestinationUnreachable;
      break;
    case ProbeMethod::kTcpSyn:
      reply = testing::MakeTcpReply(probe, /*open=*/true, 55);
      want = ReplyKind::kTcpSynAck;
      break;
  }
  auto r = ParseReply(reply);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->kind, want);
  EXPECT_EQ(r->probe, key_) << r->probe.DebugString();
  EXPECT_TRUE(r->FromDestination());
  EXPECT_EQ(r->reply_ttl, 55);
}

TEST_P(RoundTrip, EveryUnreachableCodeParses) {
  const bool v4 = GetParam().dst[0] != '2';
  const IpFamily family = v4 ? IpFamily::kV4 : IpFamily::kV6;
  for (uint8_t code = 0; code < (v4 ? 16 : 9); ++code) {
    auto probe = Probe(code + 1, 4);
    testing::ErrorOptions o = Error(v4 ? 3 : 1, code);
    o.mtu = 1400;
    auto r = ParseReply(testing::MakeIcmpError(
        probe, Addr(v4 ? "198.18.3.3" : "2001:2:3::3"), o));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->kind, ReplyKind::kDestinationUnreachable);
    EXPECT_EQ(r->icmp_code, code);
    EXPECT_EQ(r->probe, key_);
    // Every code the RFCs define has a name of its own.
    EXPECT_EQ(UnreachableCodeName(family, code).find("unreachable code"),
              std::string::npos);
    if (v4 && code == 4) {
      EXPECT_EQ(r->next_hop_mtu, 1400);
    }
  }
}

TEST_P(RoundTrip, LegacyAndRfc4884MplsExtensions) {
  const bool v4 = GetParam().dst[0] != '2';
  const std::vector<MplsLabel> stack = {
      {.label = 100, .traffic_class = 5, .bottom_of_stack = false, .ttl = 1},
      {.label = 0xfffff,
       .traffic_class = 0,
       .bottom_of_stack = true,
       .ttl = 255}};
  for (bool rfc4884 : {true, false}) {
    auto probe = Probe(11, 2, 200);  // Longer than 128: the quote is cut.
    testing::ErrorOptions o;
    o.type = v4 ? 11 : 3;
    o.quote_bytes = rfc4884 ? 200 : 128;
    o.rfc4884_length = rfc4884;
    o.extensions = {{kExtensionClassMpls, kExtensionCtypeMplsIncoming,
                     EncodeMplsObject(stack)},
                    {2, 9, {1, 2, 3, 4}}};
    auto r = ParseReply(testing::MakeIcmpError(
        probe, Addr(v4 ? "198.18.3.3" : "2001:2:3::3"), o));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->probe, key_);
    EXPECT_EQ(r->extensions.mpls, stack) << "rfc4884=" << rfc4884;
    ASSERT_EQ(r->extensions.objects.size(), 2u);
    EXPECT_EQ(r->extensions.objects[1].class_num, 2);
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllMethods, RoundTrip,
    ::testing::Values(Case{ProbeMethod::kIcmpEcho, "198.18.0.1", "198.18.7.7"},
                      Case{ProbeMethod::kUdp, "198.18.0.1", "198.18.7.7"},
                      Case{ProbeMethod::kTcpSyn, "198.18.0.1", "198.18.7.7"},
                      Case{ProbeMethod::kIcmpEcho, "2001:2::1", "2001:2:7::7"},
                      Case{ProbeMethod::kUdp, "2001:2::1", "2001:2:7::7"},
                      Case{ProbeMethod::kTcpSyn, "2001:2::1", "2001:2:7::7"}));

TEST(ParseReply, RejectsEveryTruncation) {
  const auto full = FromHex(kTimeExceededMpls);
  for (size_t n = 0; n < full.size(); ++n) {
    std::vector<uint8_t> cut(full.begin(), full.begin() + n);
    EXPECT_FALSE(ParseReply(cut).ok()) << "length " << n;
  }
}

TEST(ParseReply, RejectsCorruption) {
  auto bad = FromHex(kTimeExceededMpls);
  bad[30] ^= 0x40;  // Inside the ICMP message: checksum no longer verifies.
  auto r = ParseReply(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("checksum"), std::string::npos);
  EXPECT_TRUE(ParseReply(bad, {.verify_checksums = false}).ok());

  auto version = FromHex(kTimeExceededMpls);
  version[0] = 0x75;
  EXPECT_EQ(ParseReply(version).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ParseReply, MalformedExtensionKeepsReply) {
  auto probe_reply = FromHex(kTimeExceededMpls);
  // Object length 8 -> 200: runs past the end. Fix the ICMP checksum so the
  // message itself stays valid.
  const size_t obj = probe_reply.size() - 8;
  probe_reply[obj + 1] = 200;
  auto icmp = absl::MakeSpan(probe_reply).subspan(20);
  icmp[2] = icmp[3] = 0;
  uint32_t s = 0;
  for (size_t i = 0; i + 1 < icmp.size(); i += 2)
    s += icmp[i] << 8 | icmp[i + 1];
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  icmp[2] = static_cast<uint8_t>(~s >> 8);
  icmp[3] = static_cast<uint8_t>(~s);
  auto r = ParseReply(probe_reply);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->extensions.mpls.empty());
  EXPECT_FALSE(r->extension_error.empty());
}

TEST(ParseReply, IgnoresUnrelatedIcmp) {
  ProbeSpec s;
  s.key.destination = Addr("198.18.7.7");
  s.key.flow_id = 5;
  s.key.sequence = 5;
  s.source = Addr("198.18.0.1");
  auto probe = *BuildProbe(s);
  // An echo request arriving at us is not a reply.
  auto r = ParseReply(probe);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound) << r.status();
}

}  // namespace
}  // namespace grid::probe
