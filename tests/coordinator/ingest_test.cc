// Ingest over the real protocol: acknowledgements after the durable write,
// idempotency, re-sending after a reconnect, unknown jobs, violations.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/storage.h"
#include "tests/coordinator/testing/fake_probe.h"
#include "tests/coordinator/testing/operator_calls.h"
#include "tests/coordinator/testing/test_coordinator.h"

namespace grid::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kTarget[] = "198.18.3.6";
constexpr char kSource[] = "198.18.1.2";
const std::vector<std::string> kPath = {"198.18.1.1", "198.18.1.6", kTarget};
const std::vector<double> kRtt = {1, 2, 3};

class IngestTest : public CoordinatorTest {
 protected:
  void SetUp() override {
    CoordinatorTest::SetUp();
    if (HasFatalFailure()) return;
    probe_ = std::make_unique<FakeProbe>(coord_->address(), MakeHello("P", 1));
    ASSERT_TRUE(probe_->Connect().ok());
  }

  // Starts a 5-cycle trace on P and returns its job.
  v1::JobSpec StartJob() {
    v1::TraceRequest req;
    req.set_probe_name("P");
    req.set_target(kTarget);
    req.set_cycles(5);
    trace_ = StartTrace(coord_->op(), req);
    std::optional<v1::JobSpec> job = probe_->NextJob();
    EXPECT_TRUE(job.has_value());
    return job.value_or(v1::JobSpec());
  }

  v1::CycleResult Cycle(const v1::JobSpec& job, uint32_t c) {
    return MakeCycle(job.job_id(), "P", v1::DIRECTION_FORWARD, c, kSource,
                     job.target(), kPath, kRtt);
  }

  // Opens the store after the coordinator stopped.
  std::vector<v1::CycleResult> Stored(uint64_t job_id) {
    auto db = coord_->StopAndOpenStore();
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return {};
    auto results = (*db)->GetCycleResults(job_id);
    EXPECT_TRUE(results.ok()) << results.status();
    return results.value_or(std::vector<v1::CycleResult>{});
  }

  std::unique_ptr<FakeProbe> probe_;
  std::unique_ptr<AsyncTrace> trace_;
};

TEST_F(IngestTest, AcksAreCumulativeAndResendsNeverCountTwice) {
  const v1::JobSpec job = StartJob();
  EXPECT_EQ(job.target(), kTarget);
  EXPECT_EQ(job.cycles(), 5u);
  EXPECT_EQ(job.direction(), v1::DIRECTION_FORWARD);
  EXPECT_NE(job.flow_id(), 0u);

  ASSERT_TRUE(
      probe_->SendCycles({Cycle(job, 0), Cycle(job, 1), Cycle(job, 2)}));
  ASSERT_TRUE(probe_->WaitAck(job.job_id(), 3, false));
  // Re-sent cycles and a gap: the ack covers only the contiguous prefix.
  ASSERT_TRUE(
      probe_->SendCycles({Cycle(job, 1), Cycle(job, 2), Cycle(job, 4)}));
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_EQ(probe_->acks().at(job.job_id()).cycles_durable(), 3u);
  ASSERT_TRUE(probe_->SendCycles({Cycle(job, 3), Cycle(job, 3)}));
  ASSERT_TRUE(probe_->WaitAck(job.job_id(), 5, false));
  ASSERT_TRUE(probe_->SendDone(job.job_id(), v1::JOB_STATUS_DONE, 5, kSource));
  ASSERT_TRUE(probe_->WaitAck(job.job_id(), 5, true));

  ASSERT_TRUE(trace_->Wait().ok());
  std::vector<v1::TraceEvent> events = trace_->events();
  int cycle_events = 0;
  for (const v1::TraceEvent& e : events) cycle_events += e.has_cycle();
  EXPECT_EQ(cycle_events, 5);
  ASSERT_TRUE(events.back().has_done());
  const v1::JobRecord& done = events.back().done();
  EXPECT_EQ(done.status(), v1::JOB_STATUS_DONE);
  EXPECT_EQ(done.cycles_received(), 5u);
  EXPECT_EQ(done.source_address(), kSource);
  ASSERT_EQ(done.summary().hops_size(), 3);
  for (const v1::HopSummary& h : done.summary().hops()) {
    EXPECT_EQ(h.sent(), 5u) << h.host();  // Not 8: re-sends replaced.
    EXPECT_EQ(h.received(), 5u);
  }
  EXPECT_EQ(Stored(job.job_id()).size(), 5u);
}

TEST_F(IngestTest, UnackedResultsAreResentAfterAReconnect) {
  const v1::JobSpec job = StartJob();
  ASSERT_TRUE(probe_->SendStarted(job.job_id(), kSource));
  ASSERT_TRUE(probe_->SendCycles({Cycle(job, 0), Cycle(job, 1)}));
  ASSERT_TRUE(probe_->WaitAck(job.job_id(), 2, false));
  ASSERT_TRUE(probe_->SendCycles({Cycle(job, 2)}));
  probe_->Cut();  // Whether cycle 2 was stored is unknown to the probe.

  // Same process: announce the job and re-send everything unacked.
  v1::PendingJob* pending = probe_->mutable_hello().add_pending_jobs();
  pending->set_job_id(job.job_id());
  pending->set_unacked_cycles(1);
  pending->set_running(true);
  absl::StatusOr<v1::Welcome> w = probe_->Connect();
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_THAT(w->forget_job_ids(), ::testing::IsEmpty());
  ASSERT_TRUE(
      probe_->SendCycles({Cycle(job, 2), Cycle(job, 3), Cycle(job, 4)}));
  ASSERT_TRUE(probe_->SendDone(job.job_id(), v1::JOB_STATUS_DONE, 5, kSource));
  ASSERT_TRUE(probe_->WaitAck(job.job_id(), 5, true));

  ASSERT_TRUE(trace_->Wait().ok());
  const v1::JobRecord done = trace_->last()->done();
  EXPECT_EQ(done.status(), v1::JOB_STATUS_DONE);
  EXPECT_EQ(done.cycles_received(), 5u);
  EXPECT_EQ(done.summary().hops(2).sent(), 5u);
  std::vector<v1::CycleResult> stored = Stored(job.job_id());
  ASSERT_EQ(stored.size(), 5u);
  for (uint32_t i = 0; i < 5; ++i) EXPECT_EQ(stored[i].cycle(), i);
}

TEST_F(IngestTest, ResultsOfUnknownJobsAreReleasedNotStored) {
  ASSERT_TRUE(probe_->SendCycles({MakeCycle(999, "P", v1::DIRECTION_FORWARD, 0,
                                            kSource, kTarget, kPath, kRtt),
                                  MakeCycle(999, "P", v1::DIRECTION_FORWARD, 1,
                                            kSource, kTarget, kPath, kRtt)}));
  ASSERT_TRUE(probe_->WaitAck(999, 2, true));
  EXPECT_TRUE(probe_->connected());
  EXPECT_TRUE(Stored(999).empty());
}

TEST_F(IngestTest, ResultsForAnotherProbeEndTheSession) {
  const v1::JobSpec job = StartJob();
  ASSERT_TRUE(
      probe_->SendCycles({MakeCycle(job.job_id(), "Q", v1::DIRECTION_FORWARD, 0,
                                    kSource, kTarget, kPath, kRtt)}));
  absl::SleepFor(absl::Milliseconds(200));
  ASSERT_TRUE(probe_->end_status().has_value());
  EXPECT_EQ(probe_->end_status()->error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(probe_->end_status()->error_message(), HasSubstr("\"Q\""));
  EXPECT_TRUE(probe_->acks().empty());
}

TEST_F(IngestTest, CyclesBeyondTheJobAreAViolation) {
  const v1::JobSpec job = StartJob();
  ASSERT_TRUE(probe_->SendCycles({Cycle(job, 0), Cycle(job, 5)}));
  absl::SleepFor(absl::Milliseconds(200));
  ASSERT_TRUE(probe_->end_status().has_value());
  EXPECT_THAT(probe_->end_status()->error_message(), HasSubstr("cycle 5"));
  // Nothing of the bad batch was stored or acknowledged.
  EXPECT_TRUE(probe_->acks().empty());
  EXPECT_TRUE(Stored(job.job_id()).empty());
}

TEST_F(IngestTest, TraceOfUnknownOrAbsentProbe) {
  grpc::ClientContext ctx;
  v1::TraceRequest req;
  req.set_probe_name("nobody");
  req.set_target(kTarget);
  auto reader = coord_->op().Trace(&ctx, req);
  v1::TraceEvent e;
  EXPECT_FALSE(reader->Read(&e));
  grpc::Status s = reader->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("no probe named \"nobody\""));

  probe_->Close();
  absl::SleepFor(absl::Milliseconds(100));
  grpc::ClientContext ctx2;
  req.set_probe_name("P");
  auto reader2 = coord_->op().Trace(&ctx2, req);
  EXPECT_FALSE(reader2->Read(&e));
  s = reader2->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("not connected"));
}

TEST_F(IngestTest, ARestartedProbeLosesItsRunningJobAtOnce) {
  const v1::JobSpec job = StartJob();
  ASSERT_TRUE(probe_->SendCycles({Cycle(job, 0)}));
  ASSERT_TRUE(probe_->WaitAck(job.job_id(), 1, false));
  probe_->Cut();
  absl::SleepFor(absl::Milliseconds(100));  // The old session ends.
  FakeProbe restarted(coord_->address(), MakeHello("P", 2));
  const absl::Time start = absl::Now();
  ASSERT_TRUE(restarted.Connect().ok());
  ASSERT_TRUE(trace_->Wait().ok());
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(900));  // Not the grace.
  const v1::JobRecord done = trace_->last()->done();
  EXPECT_EQ(done.status(), v1::JOB_STATUS_LOST);
  EXPECT_THAT(done.error(), HasSubstr("restarted"));
  EXPECT_EQ(done.summary().hops(0).sent(), 1u);  // What arrived is kept.
}

}  // namespace
}  // namespace grid::testing
