// Engine model <-> proto mirror.
#include "coordinator/model_convert.h"

#include "gtest/gtest.h"

namespace grid::coordinator {
namespace {

diagnosis::Hop MakeHop(int ttl, const std::string& host) {
  diagnosis::Hop h;
  h.ttl = ttl;
  h.host = host;
  h.sent = 20;
  h.received = 17;
  h.loss_pct = 15;
  h.last_ms = 1.5;
  h.avg_ms = 2.25;
  h.best_ms = 0.5;
  h.worst_ms = 9;
  h.stdev_ms = 1.75;
  return h;
}

TEST(ModelConvert, VantageRoundTrips) {
  diagnosis::VantageTraces v;
  v.name = "Y";
  v.forward.source = "198.18.2.2";
  v.forward.destination = "198.18.3.6";
  v.forward.hops = {MakeHop(1, "198.18.2.1"), MakeHop(2, "???")};
  v.forward.hops[0].other_hosts = {"198.18.9.1"};
  v.forward.hops[0].jitter_avg_ms = 0.25;
  v.forward.hops[0].jitter_max_ms = 3;
  v.forward.hops[1].stdev_estimated = true;
  diagnosis::VantageTraces back = FromProto(ToProto(v));
  EXPECT_EQ(back.name, "Y");
  EXPECT_FALSE(back.ret.has_value());
  ASSERT_EQ(back.forward.hops.size(), 2u);
  const diagnosis::Hop& h = back.forward.hops[0];
  EXPECT_EQ(h.host, "198.18.2.1");
  EXPECT_EQ(h.other_hosts, std::vector<std::string>{"198.18.9.1"});
  EXPECT_EQ(h.received, 17);
  EXPECT_DOUBLE_EQ(h.avg_ms, 2.25);
  EXPECT_EQ(h.jitter_avg_ms, 0.25);
  EXPECT_EQ(h.jitter_max_ms, 3);
  EXPECT_FALSE(back.forward.hops[1].jitter_avg_ms.has_value());
  EXPECT_TRUE(back.forward.hops[1].stdev_estimated);

  v.ret = v.forward;
  v.ret->source = "198.18.3.6";
  EXPECT_EQ(FromProto(ToProto(v)).ret->source, "198.18.3.6");
}

TEST(ModelConvert, EveryEnumValueRoundTrips) {
  for (int verdict = 0; verdict <= 10; ++verdict) {
    diagnosis::Diagnosis d;
    d.verdict = static_cast<diagnosis::Verdict>(verdict);
    for (int loc = 0; loc <= 4; ++loc) {
      diagnosis::Finding f;
      f.kind = static_cast<diagnosis::FindingKind>(loc % 2);
      f.location = static_cast<diagnosis::Location>(loc);
      f.direction = static_cast<diagnosis::Direction>(loc % 3);
      f.vantages = {"X", "Y"};
      f.hops = {"a", "b"};
      f.confidence = 0.5 + loc / 10.0;
      f.loss_pct = loc;
      f.added_ms = 2 * loc;
      d.findings.push_back(f);
    }
    d.artifacts.push_back({"X", diagnosis::Direction::kReturn, "h", "n"});
    const diagnosis::Diagnosis back = FromProto(ToProto(d));
    EXPECT_EQ(back.verdict, d.verdict);
    ASSERT_EQ(back.findings.size(), d.findings.size());
    for (size_t i = 0; i < d.findings.size(); ++i) {
      EXPECT_EQ(back.findings[i].kind, d.findings[i].kind);
      EXPECT_EQ(back.findings[i].location, d.findings[i].location);
      EXPECT_EQ(back.findings[i].direction, d.findings[i].direction);
      EXPECT_EQ(back.findings[i].hops, d.findings[i].hops);
      EXPECT_DOUBLE_EQ(back.findings[i].loss_pct, d.findings[i].loss_pct);
      EXPECT_DOUBLE_EQ(back.findings[i].added_ms, d.findings[i].added_ms);
    }
    EXPECT_EQ(back.artifacts[0].direction, diagnosis::Direction::kReturn);
  }
  // Proto values are the engine's + 1, as model.proto documents.
  diagnosis::Diagnosis d;
  d.verdict = diagnosis::Verdict::kIspRouting;
  EXPECT_EQ(ToProto(d).verdict(), v1::VERDICT_ISP_ROUTING);
}

TEST(ModelConvert, UnknownWireValuesAreSafe) {
  v1::Diagnosis p;
  p.set_verdict(static_cast<v1::Verdict>(77));
  v1::Finding* f = p.add_findings();
  f->set_kind(static_cast<v1::FindingKind>(0));
  f->set_location(static_cast<v1::Location>(99));
  const diagnosis::Diagnosis d = FromProto(p);
  EXPECT_EQ(d.verdict, diagnosis::Verdict::kInconclusive);
  EXPECT_EQ(d.findings[0].kind, diagnosis::FindingKind::kLoss);
  EXPECT_EQ(FromProto(v1::HopSummary()).host, "???");
}

}  // namespace
}  // namespace grid::coordinator
