// Probe sessions against an in-process coordinator: hello, registry,
// name takeover, heartbeats.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/coordinator/testing/fake_probe.h"
#include "tests/coordinator/testing/operator_calls.h"
#include "tests/coordinator/testing/test_certs.h"
#include "tests/coordinator/testing/test_coordinator.h"

namespace grid::testing {
namespace {

using ::testing::HasSubstr;

class SessionTest : public CoordinatorTest {
 protected:
  std::unique_ptr<FakeProbe> Probe(v1::Hello hello) {
    return std::make_unique<FakeProbe>(coord_->address(), std::move(hello));
  }
  v1::ListProbesResponse List(bool connected_only = false,
                              const std::string& selector = "") {
    grpc::ClientContext ctx;
    v1::ListProbesRequest req;
    req.set_connected_only(connected_only);
    req.set_probe_selector(selector);
    v1::ListProbesResponse resp;
    EXPECT_TRUE(coord_->op().ListProbes(&ctx, req, &resp).ok());
    return resp;
  }
};

TEST_F(SessionTest, HelloIsWelcomedAndListed) {
  auto x = Probe(MakeHello("X", 11, {{"isp", "a"}}, {"198.18.3.4/30"}));
  absl::StatusOr<v1::Welcome> w = x->Connect();
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ(w->protocol_version(), v1::PROTOCOL_VERSION_1);
  EXPECT_EQ(w->heartbeat_interval_ms(), 200u);
  x->SendHeartbeat(3);
  absl::SleepFor(absl::Milliseconds(50));

  v1::ListProbesResponse list = List();
  ASSERT_EQ(list.probes_size(), 1);
  const v1::ProbeInfo& p = list.probes(0);
  EXPECT_TRUE(p.connected());
  EXPECT_EQ(p.running_jobs(), 3u);
  EXPECT_EQ(p.record().name(), "X");
  EXPECT_EQ(p.record().labels().at("isp"), "a");
  EXPECT_THAT(p.record().serves(), ::testing::ElementsAre("198.18.3.4/30"));
  EXPECT_GT(p.record().last_seen_unix_ms(), 0);
  EXPECT_EQ(List(false, "isp=b").probes_size(), 0);

  x->Close();
  absl::SleepFor(absl::Milliseconds(100));
  list = List();
  ASSERT_EQ(list.probes_size(), 1);  // Known, no longer connected.
  EXPECT_FALSE(list.probes(0).connected());
  EXPECT_EQ(List(/*connected_only=*/true).probes_size(), 0);
}

TEST_F(SessionTest, BadHellosAreRefusedWithTheReason) {
  struct Case {
    v1::Hello hello;
    std::string why;
  };
  std::vector<Case> cases;
  cases.push_back({MakeHello("", 1), "name is empty"});
  cases.push_back({MakeHello("X", 0), "instance_id"});
  cases.push_back({MakeHello("X", 1, {}, {"198.18.3.5/30"}), "host bits"});
  cases.push_back({MakeHello("X", 1, {{"bad key", "v"}}), "bad label"});
  v1::Hello old_version = MakeHello("X", 1);
  old_version.set_protocol_version(v1::PROTOCOL_VERSION_UNSPECIFIED);
  cases.push_back({old_version, "protocol version"});
  for (const Case& c : cases) {
    absl::StatusOr<v1::Welcome> w = Probe(c.hello)->Connect();
    EXPECT_EQ(w.status().code(), absl::StatusCode::kInvalidArgument) << c.why;
    EXPECT_THAT(w.status().message(), HasSubstr(c.why));
  }
  EXPECT_EQ(List().probes_size(), 0);
}

TEST_F(SessionTest, FirstMessageMustBeHello) {
  auto x = Probe(MakeHello("X", 1));
  ASSERT_TRUE(x->Connect().ok());
  // A second session that opens with a heartbeat instead.
  grpc::ClientContext ctx;
  grpc::ChannelArguments args;
  auto stub = v1::ProbeService::NewStub(grpc::CreateCustomChannel(
      coord_->address(),
      tls::ChannelCredentials(TestCerts::Shared().Probe("X"), &args), args));
  auto stream = stub->Connect(&ctx);
  v1::ProbeMessage hb;
  hb.mutable_heartbeat();
  stream->Write(hb);
  v1::CoordinatorMessage m;
  EXPECT_FALSE(stream->Read(&m));
  grpc::Status s = stream->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("must be Hello"));
}

TEST_F(SessionTest, AnotherProcessCannotTakeALiveName) {
  auto first = Probe(MakeHello("X", 1));
  ASSERT_TRUE(first->Connect().ok());
  auto impostor = Probe(MakeHello("X", 2));
  absl::StatusOr<v1::Welcome> w = impostor->Connect();
  EXPECT_EQ(w.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(w.status().message(), HasSubstr("\"X\""));
  // The first session is untouched.
  EXPECT_TRUE(first->SendHeartbeat());
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_TRUE(first->connected());
  EXPECT_EQ(List(true).probes(0).record().instance_id(), 1u);

  // Once the first is gone, the new process may take the name.
  first->Close();
  absl::SleepFor(absl::Milliseconds(100));
  ASSERT_TRUE(impostor->Connect().ok());
  EXPECT_EQ(List(true).probes(0).record().instance_id(), 2u);
}

TEST_F(SessionTest, SameProcessReconnectingReplacesItsStaleSession) {
  auto stale = Probe(MakeHello("X", 7));
  ASSERT_TRUE(stale->Connect().ok());
  auto fresh = Probe(MakeHello("X", 7));
  ASSERT_TRUE(fresh->Connect().ok());
  absl::SleepFor(absl::Milliseconds(100));
  ASSERT_TRUE(stale->end_status().has_value());
  EXPECT_EQ(stale->end_status()->error_code(), grpc::StatusCode::ABORTED);
  EXPECT_TRUE(fresh->connected());
  EXPECT_EQ(List(true).probes_size(), 1);
}

TEST_F(SessionTest, SilentProbeIsDroppedAfterThreeHeartbeats) {
  auto x = Probe(MakeHello("X", 1));
  ASSERT_TRUE(x->Connect().ok());
  const absl::Time start = absl::Now();
  while (x->connected() && absl::Now() - start < absl::Seconds(5)) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_FALSE(x->connected());
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(500));
  EXPECT_EQ(x->end_status()->error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);

  // A probe that keeps sending heartbeats stays.
  auto y = Probe(MakeHello("Y", 1));
  ASSERT_TRUE(y->Connect().ok());
  for (int i = 0; i < 20; ++i) {
    y->SendHeartbeat();
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(y->connected());
}

TEST_F(SessionTest, PendingJobsUnknownToTheCoordinatorAreForgotten) {
  v1::Hello hello = MakeHello("X", 1);
  v1::PendingJob* p = hello.add_pending_jobs();
  p->set_job_id(424242);
  p->set_unacked_cycles(3);
  absl::StatusOr<v1::Welcome> w = Probe(hello)->Connect();
  ASSERT_TRUE(w.ok());
  EXPECT_THAT(w->forget_job_ids(), ::testing::ElementsAre(424242u));
}

}  // namespace
}  // namespace grid::testing
