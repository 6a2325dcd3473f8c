// Diagnoses over the real protocol with scripted probes: fan-out, return
// traces toward each vantage's source, selectors, vanished probes and the
// deadline, history.
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/coordinator/testing/fake_probe.h"
#include "tests/coordinator/testing/operator_calls.h"
#include "tests/coordinator/testing/test_coordinator.h"

namespace grid::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr char kTarget[] = "198.18.3.6";
constexpr char kServes[] = "198.18.3.4/30";

// The lab's shape: X behind ISP A, Y behind ISP B, S next to the server.
struct Site {
  std::string source;
  std::vector<std::string> forward;  // Toward the target, target last.
  std::vector<std::string> back;     // From S toward `source`, source last.
};
const std::map<std::string, Site> kSites = {
    {"X",
     {"198.18.1.2",
      {"198.18.1.1", "198.18.1.6", "198.18.1.10", "198.18.3.2", kTarget},
      {"198.18.3.5", "198.18.3.1", "198.18.1.9", "198.18.1.5", "198.18.1.2"}}},
    {"Y",
     {"198.18.2.2",
      {"198.18.2.1", "198.18.2.6", "198.18.2.10", "198.18.3.2", kTarget},
      {"198.18.3.5", "198.18.3.1", "198.18.2.9", "198.18.2.5", "198.18.2.2"}}},
};

// Plays one job: JobStarted, `cycles` cycles, JobDone. From hop index
// `lossy_from` on (to the end), every `drop_every`-th cycle is lost.
void PlayJob(FakeProbe& probe, const v1::JobSpec& job,
             const std::string& source, std::vector<std::string> path,
             int lossy_from = -1, int drop_every = 0) {
  probe.SendStarted(job.job_id(), source);
  for (uint32_t c = 0; c < job.cycles(); ++c) {
    std::vector<std::string> hops = path;
    std::vector<double> rtt;
    for (size_t i = 0; i < hops.size(); ++i) {
      rtt.push_back(1.0 + i + 0.1 * (c % 3));
      if (lossy_from >= 0 && static_cast<int>(i) >= lossy_from &&
          drop_every > 0 && c % drop_every == 0) {
        hops[i] = "";
      }
    }
    probe.SendCycles(
        {MakeCycle(job.job_id(), probe.hello().name(), job.direction(), c,
                   source, job.target(), hops, rtt)});
  }
  probe.SendDone(job.job_id(), v1::JOB_STATUS_DONE, job.cycles(), source);
}

class DiagnoseTest : public ::testing::Test {
 protected:
  void Start(coordinator::CoordinatorOptions options =
                 TestCoordinator::FastOptions()) {
    auto c = TestCoordinator::Start(options);
    ASSERT_TRUE(c.ok()) << c.status();
    coord_ = *std::move(c);
  }
  void SetUp() override { Start(); }

  FakeProbe& Connect(const std::string& name,
                     std::map<std::string, std::string> labels,
                     std::vector<std::string> serves = {}) {
    probes_[name] = std::make_unique<FakeProbe>(
        coord_->address(),
        MakeHello(name, 100 + probes_.size(), labels, serves));
    EXPECT_TRUE(probes_[name]->Connect().ok());
    return *probes_[name];
  }
  void ConnectLab() {
    Connect("X", {{"isp", "a"}});
    Connect("Y", {{"isp", "b"}});
    Connect("S", {{"role", "server"}}, {kServes});
  }

  // Plays S: answers every return job with a clean path back.
  std::thread PlayServer(int jobs) {
    return std::thread([this, jobs] {
      FakeProbe& s = *probes_["S"];
      for (int i = 0; i < jobs; ++i) {
        std::optional<v1::JobSpec> job = s.NextJob();
        if (!job) return;
        returns_seen_.push_back(job->target());
        for (const auto& [name, site] : kSites) {
          if (site.source == job->target()) {
            PlayJob(s, *job, "198.18.3.6", site.back);
          }
        }
      }
    });
  }

  v1::DiagnoseRequest Request(uint32_t cycles,
                              const std::string& selector = "") {
    v1::DiagnoseRequest r;
    r.set_target(kTarget);
    r.set_cycles(cycles);
    r.set_interval_ms(10);
    r.set_probe_selector(selector);
    return r;
  }

  std::unique_ptr<TestCoordinator> coord_;
  std::map<std::string, std::unique_ptr<FakeProbe>> probes_;
  std::vector<std::string> returns_seen_;
};

TEST_F(DiagnoseTest, FansOutAndTracesBackTowardEachVantageSource) {
  ConnectLab();
  auto call = StartDiagnose(coord_->op(), Request(10));
  std::thread server = PlayServer(2);
  for (const std::string name : {"X", "Y"}) {
    std::optional<v1::JobSpec> job = probes_[name]->NextJob();
    ASSERT_TRUE(job) << name;
    EXPECT_EQ(job->direction(), v1::DIRECTION_FORWARD);
    EXPECT_EQ(job->target(), kTarget);
    EXPECT_EQ(job->cycles(), 10u);
    EXPECT_EQ(job->interval_ms(), 10u);
    PlayJob(*probes_[name], *job, kSites.at(name).source,
            kSites.at(name).forward);
  }
  ASSERT_TRUE(call->Wait().ok());
  server.join();
  EXPECT_THAT(returns_seen_, UnorderedElementsAre("198.18.1.2", "198.18.2.2"));

  const std::vector<v1::DiagnoseEvent> events = call->events();
  ASSERT_TRUE(events.front().has_started());
  EXPECT_EQ(events.front().started().jobs_size(), 2);  // Forward jobs.
  int progress = 0;
  for (const v1::DiagnoseEvent& e : events) progress += e.has_progress();
  EXPECT_GE(progress, 4);
  ASSERT_TRUE(events.back().has_result());
  const v1::DiagnosisRecord& r = events.back().result();
  EXPECT_EQ(r.id(), events.front().started().diagnosis_id());
  EXPECT_EQ(r.target(), kTarget);
  EXPECT_THAT(r.missing_probes(), ::testing::IsEmpty());
  ASSERT_EQ(r.vantages_size(), 2);
  for (const v1::VantageTraces& v : r.vantages()) {
    const Site& site = kSites.at(v.name());
    ASSERT_EQ(v.forward().hops_size(), 5) << v.name();
    EXPECT_EQ(v.forward().hops(4).host(), kTarget);
    EXPECT_EQ(v.forward().hops(0).host(), site.forward[0]);
    EXPECT_EQ(v.forward().hops(0).sent(), 10u);
    ASSERT_TRUE(v.has_return_trace()) << v.name();
    ASSERT_EQ(v.return_trace().hops_size(), 5);
    EXPECT_EQ(v.return_trace().hops(0).host(), "198.18.3.5");  // Server side.
    EXPECT_EQ(v.return_trace().hops(4).host(), site.source);
  }
  for (const v1::DiagnosisVantage& dv : r.vantage_jobs()) {
    EXPECT_EQ(dv.return_probe_name(), "S");
    EXPECT_NE(dv.return_job_id(), 0u);
    EXPECT_EQ(dv.forward_status(), v1::JOB_STATUS_DONE);
    EXPECT_EQ(dv.return_status(), v1::JOB_STATUS_DONE);
  }
  // Clean paths both ways.
  EXPECT_EQ(r.result().verdict(), v1::VERDICT_HEALTHY);

  // The diagnosis is in the history.
  grpc::ClientContext ctx;
  v1::GetHistoryRequest hr;
  hr.set_target("::ffff:198.18.3.6");
  v1::GetHistoryResponse history;
  ASSERT_TRUE(coord_->op().GetHistory(&ctx, hr, &history).ok());
  ASSERT_EQ(history.diagnoses_size(), 1);
  EXPECT_EQ(history.diagnoses(0).id(), r.id());
  EXPECT_EQ(history.diagnoses(0).result().verdict(), v1::VERDICT_HEALTHY);
}

TEST_F(DiagnoseTest, LossOnOneVantagesPathIsPinnedOnThatVantage) {
  ConnectLab();
  auto call = StartDiagnose(coord_->op(), Request(40));
  std::thread server = PlayServer(2);
  std::optional<v1::JobSpec> x = probes_["X"]->NextJob();
  std::optional<v1::JobSpec> y = probes_["Y"]->NextJob();
  ASSERT_TRUE(x && y);
  PlayJob(*probes_["X"], *x, kSites.at("X").source, kSites.at("X").forward);
  // Y loses every 4th cycle from its ISP's second router to the target.
  PlayJob(*probes_["Y"], *y, kSites.at("Y").source, kSites.at("Y").forward,
          /*lossy_from=*/1, /*drop_every=*/4);
  ASSERT_TRUE(call->Wait().ok());
  server.join();
  const v1::DiagnosisRecord r = call->last()->result();
  ASSERT_NE(r.result().verdict(), v1::VERDICT_HEALTHY);
  ASSERT_GE(r.result().findings_size(), 1);
  EXPECT_THAT(r.result().findings(0).vantages(), ElementsAre("Y"));
  for (const v1::VantageTraces& v : r.vantages()) {
    if (v.name() == "Y") {
      EXPECT_DOUBLE_EQ(v.forward().hops(4).loss_pct(), 25);
    }
  }
}

TEST_F(DiagnoseTest, SelectorLimitsTheVantages) {
  ConnectLab();
  auto call = StartDiagnose(coord_->op(), Request(3, "isp=b"));
  std::thread server = PlayServer(1);
  std::optional<v1::JobSpec> y = probes_["Y"]->NextJob();
  ASSERT_TRUE(y);
  PlayJob(*probes_["Y"], *y, kSites.at("Y").source, kSites.at("Y").forward);
  ASSERT_TRUE(call->Wait().ok());
  server.join();
  EXPECT_FALSE(probes_["X"]->NextJob(absl::Milliseconds(10)).has_value());
  const v1::DiagnosisRecord r = call->last()->result();
  ASSERT_EQ(r.vantages_size(), 1);
  EXPECT_EQ(r.vantages(0).name(), "Y");
  EXPECT_EQ(r.probe_selector(), "isp=b");
}

TEST_F(DiagnoseTest, AVanishedProbeIsReportedNotWaitedFor) {
  Connect("X", {});
  Connect("Y", {});
  auto call = StartDiagnose(coord_->op(), Request(5));
  std::optional<v1::JobSpec> x = probes_["X"]->NextJob();
  std::optional<v1::JobSpec> y = probes_["Y"]->NextJob();
  ASSERT_TRUE(x && y);
  probes_["Y"]->SendStarted(y->job_id(), "198.18.2.2");
  probes_["Y"]->SendCycles(
      {MakeCycle(y->job_id(), "Y", v1::DIRECTION_FORWARD, 0, "198.18.2.2",
                 kTarget, kSites.at("Y").forward, {1, 2, 3, 4, 5})});
  ASSERT_TRUE(probes_["Y"]->WaitAck(y->job_id(), 1, false));
  const absl::Time vanished = absl::Now();
  probes_["Y"]->Cut();
  PlayJob(*probes_["X"], *x, kSites.at("X").source, kSites.at("X").forward);
  ASSERT_TRUE(call->Wait().ok());
  // The reconnect grace (1 s), not the deadline (about 11 s).
  EXPECT_LT(absl::Now() - vanished, absl::Seconds(4));

  bool lost_event = false;
  for (const v1::DiagnoseEvent& e : call->events()) {
    if (e.has_lost()) {
      lost_event = true;
      EXPECT_EQ(e.lost().probe_name(), "Y");
      EXPECT_EQ(e.lost().status(), v1::JOB_STATUS_LOST);
      EXPECT_THAT(e.lost().reason(), HasSubstr("disconnected"));
    }
  }
  EXPECT_TRUE(lost_event);
  const v1::DiagnosisRecord r = call->last()->result();
  EXPECT_THAT(r.missing_probes(), ElementsAre("Y"));
  EXPECT_EQ(r.vantages_size(), 2);  // Y's one cycle is still evidence.
  for (const v1::DiagnosisVantage& dv : r.vantage_jobs()) {
    EXPECT_EQ(dv.forward_status(), dv.probe_name() == "Y"
                                       ? v1::JOB_STATUS_LOST
                                       : v1::JOB_STATUS_DONE);
  }
}

TEST_F(DiagnoseTest, AProbeBackWithinTheGraceFinishesItsJob) {
  Connect("Y", {});
  auto call = StartDiagnose(coord_->op(), Request(4));
  std::optional<v1::JobSpec> y = probes_["Y"]->NextJob();
  ASSERT_TRUE(y);
  FakeProbe& probe = *probes_["Y"];
  probe.SendCycles(
      {MakeCycle(y->job_id(), "Y", v1::DIRECTION_FORWARD, 0, "198.18.2.2",
                 kTarget, kSites.at("Y").forward, {1, 2, 3, 4, 5})});
  probe.Cut();
  v1::PendingJob* p = probe.mutable_hello().add_pending_jobs();
  p->set_job_id(y->job_id());
  p->set_running(true);
  ASSERT_TRUE(probe.Connect().ok());
  for (uint32_t c = 0; c < 4; ++c) {
    probe.SendCycles(
        {MakeCycle(y->job_id(), "Y", v1::DIRECTION_FORWARD, c, "198.18.2.2",
                   kTarget, kSites.at("Y").forward, {1, 2, 3, 4, 5})});
  }
  probe.SendDone(y->job_id(), v1::JOB_STATUS_DONE, 4, "198.18.2.2");
  ASSERT_TRUE(call->Wait().ok());
  const v1::DiagnosisRecord r = call->last()->result();
  EXPECT_THAT(r.missing_probes(), ::testing::IsEmpty());
  EXPECT_EQ(r.vantages(0).forward().hops(0).sent(), 4u);
}

TEST_F(DiagnoseTest, TheDeadlineCancelsAndLosesSilentJobs) {
  coordinator::CoordinatorOptions o = TestCoordinator::FastOptions();
  o.heartbeat_interval = absl::Seconds(30);  // Y stays "alive" but silent.
  Start(o);
  Connect("X", {});
  Connect("Y", {});
  v1::DiagnoseRequest req = Request(3);
  req.set_deadline_ms(1500);
  const absl::Time start = absl::Now();
  auto call = StartDiagnose(coord_->op(), req);
  std::optional<v1::JobSpec> x = probes_["X"]->NextJob();
  std::optional<v1::JobSpec> y = probes_["Y"]->NextJob();
  ASSERT_TRUE(x && y);
  PlayJob(*probes_["X"], *x, kSites.at("X").source, kSites.at("X").forward);
  ASSERT_TRUE(call->Wait().ok());
  const absl::Duration took = absl::Now() - start;
  EXPECT_GE(took, absl::Milliseconds(1400));
  EXPECT_LT(took, absl::Seconds(5));
  std::optional<v1::CoordinatorMessage> cancel = probes_["Y"]->Next(
      [](const v1::CoordinatorMessage& m) { return m.has_cancel(); },
      absl::Seconds(2));
  ASSERT_TRUE(cancel);
  EXPECT_EQ(cancel->cancel().job_id(), y->job_id());
  const v1::DiagnosisRecord r = call->last()->result();
  EXPECT_THAT(r.missing_probes(), ElementsAre("Y"));
  ASSERT_EQ(r.vantages_size(), 1);  // Y sent nothing.
  EXPECT_EQ(r.vantages(0).name(), "X");
}

TEST_F(DiagnoseTest, ErrorsBeforeSchedulingAreOneLine) {
  auto run = [&](v1::DiagnoseRequest req) {
    grpc::ClientContext ctx;
    auto reader = coord_->op().Diagnose(&ctx, req);
    v1::DiagnoseEvent e;
    EXPECT_FALSE(reader->Read(&e));
    return reader->Finish();
  };
  grpc::Status s = run(Request(3));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(), "no probes are connected");
  Connect("X", {});
  v1::DiagnoseRequest bad = Request(3);
  bad.set_target("server.example");
  s = run(bad);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("bad target \"server.example\""));
  s = run(Request(3, "isp"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  s = run(Request(3, "isp=z"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("isp=z"));
  v1::DiagnoseRequest many = Request(100000);
  s = run(many);
  EXPECT_THAT(s.error_message(), HasSubstr("cycles must be"));
}

}  // namespace
}  // namespace grid::testing
