// The coordinator's target policy and rate limits over real gRPC: refused
// targets never reach a probe, the N+1-th request in a minute is
// RESOURCE_EXHAUSTED (per target and per operator), and a return trace
// toward a refused vantage address is reported, not sent.
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/coordinator/testing/fake_probe.h"
#include "tests/coordinator/testing/operator_calls.h"
#include "tests/coordinator/testing/test_coordinator.h"

namespace grid::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::unique_ptr<TestCoordinator> Start(
    coordinator::CoordinatorOptions options = TestCoordinator::FastOptions()) {
  auto c = TestCoordinator::Start(std::move(options));
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *std::move(c) : nullptr;
}

// A diagnosis that ends 100 ms after it started (its jobs are then lost).
grpc::Status Diagnose(TestCoordinator& c, const std::string& target) {
  v1::DiagnoseRequest req;
  req.set_target(target);
  req.set_cycles(1);
  req.set_deadline_ms(100);
  return StartDiagnose(c.op(), req)->Wait();
}

grpc::Status Trace(TestCoordinator& c, const std::string& probe,
                   const std::string& target) {
  v1::TraceRequest req;
  req.set_probe_name(probe);
  req.set_target(target);
  return StartTrace(c.op(), req)->Wait();
}

TEST(CoordinatorPolicy, RefusedTargetsNeverReachAProbe) {
  auto c = Start();
  ASSERT_NE(c, nullptr);
  FakeProbe x(c->address(), MakeHello("X", 1));
  ASSERT_TRUE(x.Connect().ok());
  for (const char* target :
       {"127.0.0.1", "::1", "0.0.0.0", "169.254.1.1", "224.0.0.1", "fe80::1",
        "255.255.255.255", "10.1.2.3", "192.168.1.1", "::ffff:127.0.0.1"}) {
    for (const grpc::Status& s :
         {Diagnose(*c, target), Trace(*c, "X", target)}) {
      EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << target;
      EXPECT_THAT(s.error_message(),
                  StartsWith(absl::StrCat("target ", target, " refused: ")));
      EXPECT_THAT(s.error_message(), HasSubstr("--allow-target"));
    }
  }
  EXPECT_EQ(Diagnose(*c, "127.0.0.1").error_message(),
            "target 127.0.0.1 refused: loopback address (allow with "
            "--allow-target 127.0.0.0/8)");
  // Not an address at all.
  EXPECT_EQ(Diagnose(*c, "server.example").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_FALSE(x.NextJob(absl::Milliseconds(300)).has_value());
}

TEST(CoordinatorPolicy, AllowlistAndAllowPrivateOpenTheirRangesOnly) {
  coordinator::CoordinatorOptions o = TestCoordinator::FastOptions();
  o.scheduler.target_policy = *common::TargetPolicy::Create(
      {.allow_private = true, .allow_targets = {"127.0.0.0/8"}});
  auto c = Start(o);
  ASSERT_NE(c, nullptr);
  FakeProbe x(c->address(), MakeHello("X", 1));
  ASSERT_TRUE(x.Connect().ok());
  for (const char* target : {"10.1.2.3", "198.18.3.6", "127.0.0.1"}) {
    EXPECT_TRUE(Diagnose(*c, target).ok()) << target;
    std::optional<v1::JobSpec> job = x.NextJob(absl::Seconds(2));
    ASSERT_TRUE(job.has_value()) << target;
    EXPECT_EQ(job->target(), target);
  }
  EXPECT_EQ(Diagnose(*c, "::1").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST(CoordinatorPolicy, TheNPlusFirstRequestToATargetInAMinuteIsRefused) {
  coordinator::CoordinatorOptions o = TestCoordinator::FastOptions();
  o.scheduler.rate_limits = {.target_per_minute = 2, .operator_per_minute = 0};
  auto c = Start(o);
  ASSERT_NE(c, nullptr);
  FakeProbe x(c->address(), MakeHello("X", 1));
  ASSERT_TRUE(x.Connect().ok());
  EXPECT_TRUE(Diagnose(*c, "198.18.3.6").ok());
  EXPECT_TRUE(Diagnose(*c, "198.18.3.6").ok());
  const grpc::Status third = Diagnose(*c, "198.18.3.6");
  EXPECT_EQ(third.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(third.error_message(),
              StartsWith("rate limit: target 198.18.3.6 had 2 diagnoses or "
                         "traces in the last minute (--target-rate 2); retry "
                         "in "));
  // Traces count toward the same target; other targets are not affected.
  EXPECT_EQ(Trace(*c, "X", "198.18.3.6").error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(Diagnose(*c, "198.18.3.7").ok());
  // Only the two admitted diagnoses and the last reached the probe.
  int jobs = 0;
  while (x.NextJob(absl::Milliseconds(300))) ++jobs;
  EXPECT_EQ(jobs, 3);
}

TEST(CoordinatorPolicy, PerOperatorLimitAcrossTargets) {
  coordinator::CoordinatorOptions o = TestCoordinator::FastOptions();
  o.scheduler.rate_limits = {.target_per_minute = 0, .operator_per_minute = 3};
  auto c = Start(o);
  ASSERT_NE(c, nullptr);
  FakeProbe x(c->address(), MakeHello("X", 1));
  ASSERT_TRUE(x.Connect().ok());
  EXPECT_TRUE(Diagnose(*c, "198.18.3.1").ok());
  EXPECT_TRUE(Diagnose(*c, "198.18.3.2").ok());
  // Refused by the policy first: not counted.
  EXPECT_EQ(Diagnose(*c, "127.0.0.1").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Diagnose(*c, "198.18.3.3").ok());
  const grpc::Status fourth = Diagnose(*c, "198.18.3.4");
  EXPECT_EQ(fourth.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  // The operator is its TLS certificate's name (TestCerts' "ops").
  EXPECT_THAT(fourth.error_message(),
              StartsWith("rate limit: operator cn:ops made 3 diagnose or "
                         "trace requests in the last minute (--operator-rate "
                         "3); retry in "));
  EXPECT_EQ(Trace(*c, "X", "198.18.3.5").error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST(CoordinatorPolicy, ReturnTraceTowardARefusedAddressIsReportedNotSent) {
  auto c = Start();  // Lab ranges only: 10.0.0.0/8 is refused.
  ASSERT_NE(c, nullptr);
  FakeProbe x(c->address(), MakeHello("X", 1));
  FakeProbe s(c->address(), MakeHello("S", 2, {}, {"198.18.3.4/30"}));
  ASSERT_TRUE(x.Connect().ok());
  ASSERT_TRUE(s.Connect().ok());
  v1::DiagnoseRequest req;
  req.set_target("198.18.3.6");
  req.set_cycles(1);
  auto call = StartDiagnose(c->op(), req);
  std::optional<v1::JobSpec> job = x.NextJob();
  ASSERT_TRUE(job.has_value());
  // X sits behind NAT: its source address toward the server is private.
  ASSERT_TRUE(x.SendStarted(job->job_id(), "10.0.0.2"));
  ASSERT_TRUE(x.SendCycles(
      {MakeCycle(job->job_id(), "X", v1::DIRECTION_FORWARD, 0, "10.0.0.2",
                 "198.18.3.6", {"10.0.0.1", "198.18.3.6"}, {1, 2})}));
  ASSERT_TRUE(x.SendDone(job->job_id(), v1::JOB_STATUS_DONE, 1, "10.0.0.2"));
  ASSERT_TRUE(call->Wait().ok());

  EXPECT_FALSE(s.NextJob(absl::Milliseconds(300)).has_value());
  std::optional<v1::JobLost> lost;
  for (const v1::DiagnoseEvent& e : call->events()) {
    if (e.has_lost()) lost = e.lost();
  }
  ASSERT_TRUE(lost.has_value());
  EXPECT_EQ(lost->probe_name(), "S");
  EXPECT_EQ(lost->status(), v1::JOB_STATUS_REJECTED);
  EXPECT_EQ(lost->reason(),
            "return trace not sent: target 10.0.0.2 refused: private-use "
            "address, RFC 1918 (allow with --allow-private or --allow-target "
            "10.0.0.0/8)");
  const v1::DiagnosisRecord r = call->last()->result();
  ASSERT_EQ(r.vantage_jobs_size(), 1);
  EXPECT_EQ(r.vantage_jobs(0).return_status(), v1::JOB_STATUS_REJECTED);
  EXPECT_EQ(r.vantage_jobs(0).return_probe_name(), "S");
  ASSERT_EQ(r.vantages_size(), 1);
  EXPECT_FALSE(r.vantages(0).has_return_trace());
  EXPECT_THAT(r.missing_probes(), ::testing::IsEmpty());
}

}  // namespace
}  // namespace grid::testing
