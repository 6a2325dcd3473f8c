// Authentication over real TLS on loopback, with certificates made at test
// time by grid's own CA code: who may connect as which probe, who may call
// the operator API, and that a probe cannot deliver results of a job that is
// not its own.
#include "coordinator/operator_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/storage.h"
#include "tests/coordinator/testing/fake_probe.h"
#include "tests/coordinator/testing/operator_calls.h"
#include "tests/coordinator/testing/test_certs.h"
#include "tests/coordinator/testing/test_coordinator.h"

namespace grid::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kTarget[] = "198.18.3.6";
constexpr char kSource[] = "198.18.1.2";

// The coordinator serves TLS (FastOptions).
class TlsTest : public CoordinatorTest {
 protected:
  // A probe named `name` holding `tls`.
  std::unique_ptr<FakeProbe> Probe(const std::string& name, uint64_t instance,
                                   const std::optional<tls::TlsMaterial>& tls) {
    return std::make_unique<FakeProbe>(coord_->address(),
                                       MakeHello(name, instance), tls);
  }

  int Connected() {
    grpc::ClientContext ctx;
    v1::ListProbesRequest req;
    req.set_connected_only(true);
    v1::ListProbesResponse resp;
    EXPECT_TRUE(coord_->op().ListProbes(&ctx, req, &resp).ok());
    return resp.probes_size();
  }
};

TEST_F(TlsTest, ProbeWithoutClientCertificateIsRejected) {
  tls::TlsMaterial no_cert = TestCerts::Shared().Probe("X");
  no_cert.cert_pem.clear();
  no_cert.key_pem.clear();
  absl::StatusOr<v1::Welcome> w = Probe("X", 1, no_cert)->Connect();
  EXPECT_FALSE(w.ok());
  EXPECT_EQ(Connected(), 0);
}

TEST_F(TlsTest, PlaintextProbeIsRejected) {
  absl::StatusOr<v1::Welcome> w = Probe("X", 1, std::nullopt)->Connect();
  EXPECT_FALSE(w.ok());
  EXPECT_EQ(Connected(), 0);
}

TEST_F(TlsTest, ProbeCertificateOfAnotherCaIsRejected) {
  TestCerts other;
  absl::StatusOr<v1::Welcome> w = Probe("X", 1, other.Probe("X"))->Connect();
  EXPECT_FALSE(w.ok());
  EXPECT_EQ(Connected(), 0);
}

TEST_F(TlsTest, ProbeWithAnOperatorCertificateIsRejected) {
  absl::StatusOr<v1::Welcome> w =
      Probe("ops", 1, TestCerts::Shared().Operator("ops"))->Connect();
  EXPECT_EQ(w.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(w.status().message(),
              HasSubstr("\"grid-operator\" (\"ops\") may not connect as a "
                        "probe"));
  EXPECT_EQ(Connected(), 0);
}

TEST_F(TlsTest, ProbeCannotRegisterUnderAnotherName) {
  auto x = Probe("X", 1, TestCerts::Shared().Probe("X"));
  ASSERT_TRUE(x->Connect().ok());
  // Y's certificate cannot take X's name, nor can it while X is away.
  auto impostor = Probe("X", 2, TestCerts::Shared().Probe("Y"));
  absl::StatusOr<v1::Welcome> w = impostor->Connect();
  EXPECT_EQ(w.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(w.status().message(),
            "probe certificate \"Y\" may not register as \"X\"");
  x->Close();
  w = impostor->Connect();
  EXPECT_EQ(w.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Connected(), 0);
}

TEST_F(TlsTest, PrefixCertificateCoversItsNamesOnly) {
  const tls::TlsMaterial shared = TestCerts::Shared().Probe("k8s-eu-*");
  auto a = Probe("k8s-eu-node1", 1, shared);
  auto b = Probe("k8s-eu-node2", 2, shared);
  EXPECT_TRUE(a->Connect().ok());
  EXPECT_TRUE(b->Connect().ok());
  EXPECT_EQ(Connected(), 2);
  // Not a name outside the prefix, nor a live name of the same prefix.
  absl::StatusOr<v1::Welcome> w = Probe("k8s-us-node1", 3, shared)->Connect();
  EXPECT_EQ(w.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(w.status().message(), HasSubstr("\"k8s-eu-*\""));
  w = Probe("k8s-eu-node1", 4, shared)->Connect();
  EXPECT_EQ(w.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Connected(), 2);
}

// Each operator call with `stub`; returns their statuses.
std::vector<grpc::Status> CallEverything(v1::OperatorService::Stub& stub) {
  std::vector<grpc::Status> out;
  {
    grpc::ClientContext ctx;
    v1::ListProbesResponse resp;
    out.push_back(stub.ListProbes(&ctx, v1::ListProbesRequest(), &resp));
  }
  {
    grpc::ClientContext ctx;
    v1::GetHistoryRequest req;
    req.set_target(kTarget);
    v1::GetHistoryResponse resp;
    out.push_back(stub.GetHistory(&ctx, req, &resp));
  }
  v1::DiagnoseRequest diagnose;
  diagnose.set_target(kTarget);
  out.push_back(StartDiagnose(stub, diagnose)->Wait());
  v1::TraceRequest trace;
  trace.set_probe_name("X");
  trace.set_target(kTarget);
  out.push_back(StartTrace(stub, trace)->Wait());
  return out;
}

TEST_F(TlsTest, OperatorApiNeedsAnOperatorCertificate) {
  tls::TlsMaterial no_cert = TestCerts::Shared().Operator();
  no_cert.cert_pem.clear();
  no_cert.key_pem.clear();
  for (const grpc::Status& s :
       CallEverything(*OperatorStub(coord_->address(), no_cert))) {
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE)
        << s.error_message();
  }
  auto as_probe =
      OperatorStub(coord_->address(), TestCerts::Shared().Probe("X"));
  for (const grpc::Status& s : CallEverything(*as_probe)) {
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_THAT(s.error_message(),
                HasSubstr("\"grid-probe\" (\"X\") may not use the operator "
                          "API"));
  }
  // An operator gets the calls' own answers: no probes, no history, no
  // probe to trace from.
  const std::vector<grpc::Status> ok = CallEverything(coord_->op());
  EXPECT_TRUE(ok[0].ok()) << ok[0].error_message();
  EXPECT_TRUE(ok[1].ok()) << ok[1].error_message();
  EXPECT_EQ(ok[2].error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ok[3].error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(TlsTest, ResultsOfAJobNotAssignedToTheProbeAreRejected) {
  auto a = Probe("A", 1, TestCerts::Shared().Probe("A"));
  auto b = Probe("B", 2, TestCerts::Shared().Probe("B"));
  ASSERT_TRUE(a->Connect().ok());
  ASSERT_TRUE(b->Connect().ok());
  v1::TraceRequest req;
  req.set_probe_name("A");
  req.set_target(kTarget);
  req.set_cycles(2);
  auto trace = StartTrace(coord_->op(), req);
  std::optional<v1::JobSpec> job = a->NextJob();
  ASSERT_TRUE(job);
  const std::vector<std::string> path = {"198.18.1.1", kTarget};
  // B's results say 9 ms, A's 1 ms.
  auto cycle = [&](const std::string& probe, uint32_t c, double rtt) {
    return MakeCycle(job->job_id(), probe, v1::DIRECTION_FORWARD, c, kSource,
                     kTarget, path, {rtt, rtt});
  };

  // B, authenticated as B, delivers a result of A's job in its own name:
  // the session ends with the error and nothing is stored.
  ASSERT_TRUE(b->SendCycles({cycle("B", 0, 9)}));
  absl::SleepFor(absl::Milliseconds(300));
  ASSERT_TRUE(b->end_status().has_value());
  EXPECT_EQ(b->end_status()->error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(b->end_status()->error_message(), HasSubstr("of probe \"A\""));
  EXPECT_TRUE(b->acks().empty());

  // Nor in A's name (B's certificate pins its session to "B").
  ASSERT_TRUE(b->Connect().ok());
  ASSERT_TRUE(b->SendCycles({cycle("A", 0, 9)}));
  absl::SleepFor(absl::Milliseconds(300));
  ASSERT_TRUE(b->end_status().has_value());
  EXPECT_THAT(b->end_status()->error_message(),
              HasSubstr("sent a result of probe \"A\""));
  EXPECT_TRUE(b->acks().empty());

  // A's own results are taken; the store holds only them.
  ASSERT_TRUE(a->SendCycles({cycle("A", 0, 1), cycle("A", 1, 1)}));
  ASSERT_TRUE(a->SendDone(job->job_id(), v1::JOB_STATUS_DONE, 2, kSource));
  EXPECT_TRUE(a->WaitAck(job->job_id(), 2, true));
  EXPECT_TRUE(trace->Wait().ok());
  auto db = coord_->StopAndOpenStore();
  ASSERT_TRUE(db.ok()) << db.status();
  auto stored = (*db)->GetCycleResults(job->job_id());
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 2u);
  for (const v1::CycleResult& r : *stored) {
    EXPECT_EQ(r.probe_name(), "A");
    EXPECT_EQ(r.ttls(0).replies(0).rtt_ms(), 1);
  }
}

// Certificates carry their purpose: a probe's (client) certificate, even
// one named like the coordinator's host, cannot serve as the coordinator.
TEST(TlsServerTest, AProbeCertificateCannotServeAsTheCoordinator) {
  coordinator::CoordinatorOptions o = TestCoordinator::FastOptions();
  o.tls = TestCerts::Shared().Probe("127.0.0.1");
  auto c = TestCoordinator::Start(o);
  ASSERT_TRUE(c.ok()) << c.status();
  FakeProbe x((*c)->address(), MakeHello("X", 1));
  EXPECT_FALSE(x.Connect().ok());
  auto stub = coordinator::ConnectOperator((*c)->address(),
                                           TestCerts::Shared().Operator());
  EXPECT_EQ(stub.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(stub.status().message(), HasSubstr("not a server certificate"));
}

}  // namespace
}  // namespace grid::testing
