// No acknowledged result is lost when the coordinator is killed with
// SIGKILL while probes stream results.
//
// The real grid-coordinator binary runs as a child process. Scripted probes
// (each holding a long trace job) stream cycles as fast as the coordinator
// takes them and record the Acks. At a seeded-random moment the coordinator
// gets SIGKILL. Then: (1) the store, opened directly, holds every cycle an
// Ack covered; (2) a restarted coordinator takes the probes' re-sent
// unacknowledged cycles and their JobDone, after which every cycle ever
// sent is stored exactly once.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/storage.h"
#include "tests/coordinator/testing/fake_probe.h"
#include "tests/coordinator/testing/operator_calls.h"
#include "tests/coordinator/testing/test_certs.h"
#include "tests/coordinator/testing/test_coordinator.h"

namespace grid::testing {
namespace {

constexpr char kTarget[] = "198.18.3.6";
constexpr int kProbes = 4;
constexpr uint32_t kCycles = 10000;  // The most a job may have.
constexpr int kBatch = 5;

// The coordinator as a child process.
class CoordinatorProcess {
 public:
  explicit CoordinatorProcess(std::string data_dir)
      : data_dir_(std::move(data_dir)) {}
  ~CoordinatorProcess() { Kill(SIGKILL); }

  // Starts it; returns its HOST:PORT once it listens.
  std::string Start() {
    int out[2];
    if (pipe(out) != 0) return "";
    tls_dir_ = TestCerts::Shared().Dir(tls::Role::kCoordinator, "127.0.0.1");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDERR_FILENO);
      close(out[0]);
      close(out[1]);
      execl(GRID_COORDINATOR_BIN, GRID_COORDINATOR_BIN, "--listen",
            "127.0.0.1:0", "--data", data_dir_.c_str(), "--heartbeat", "0.5",
            "--allow-target", "198.18.0.0/15", "--tls-cert",
            (tls_dir_ + "/tls.crt").c_str(), "--tls-key",
            (tls_dir_ + "/tls.key").c_str(), "--tls-ca",
            (tls_dir_ + "/ca.crt").c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    FILE* err = fdopen(out[0], "r");
    char line[512];
    std::string port;
    // "grid-coordinator: listening on port N, data in DIR"
    if (fgets(line, sizeof(line), err) != nullptr) {
      std::string s(line);
      const size_t at = s.find("port ");
      if (at != std::string::npos) {
        port = s.substr(at + 5, s.find(',', at) - at - 5);
      }
    }
    fclose(err);
    int n = 0;
    if (!absl::SimpleAtoi(port, &n)) return "";
    return absl::StrCat("127.0.0.1:", n);
  }

  // Sends `sig` and reaps the child.
  void Kill(int sig) {
    if (pid_ <= 0) return;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  std::string data_dir_;
  std::string tls_dir_;  // Its certificate (TestCerts::Shared()).
  pid_t pid_ = -1;
};

struct Streamer {
  std::unique_ptr<FakeProbe> probe;
  v1::JobSpec job;
  std::atomic<uint32_t> sent{0};  // Cycles 0..sent-1 were written.
  std::thread thread;
};

v1::CycleResult Cycle(const Streamer& s, uint32_t c) {
  return MakeCycle(s.job.job_id(), s.probe->hello().name(),
                   v1::DIRECTION_FORWARD, c, "198.18.1.2", kTarget,
                   {"198.18.1.1", "198.18.1.6", kTarget}, {1, 2, 3});
}

TEST(SigkillIngest, NoAcknowledgedResultIsLost) {
  TempDir dir;
  const std::string data = dir.path() + "/db";
  std::mt19937 rng(20261127);
  CoordinatorProcess coordinator(data);
  std::string address = coordinator.Start();
  ASSERT_FALSE(address.empty()) << "grid-coordinator did not start";

  // Each probe gets a long trace job through the operator API.
  auto op = OperatorStub(address, TestCerts::Shared().Operator());
  std::vector<std::unique_ptr<Streamer>> streamers;
  std::vector<std::unique_ptr<AsyncTrace>> traces;
  for (int i = 0; i < kProbes; ++i) {
    auto s = std::make_unique<Streamer>();
    s->probe = std::make_unique<FakeProbe>(
        address, MakeHello(absl::StrCat("p", i), 1000 + i));
    ASSERT_TRUE(s->probe->Connect().ok());
    v1::TraceRequest req;
    req.set_probe_name(s->probe->hello().name());
    req.set_target(kTarget);
    req.set_cycles(kCycles);
    traces.push_back(StartTrace(*op, req));
    std::optional<v1::JobSpec> job = s->probe->NextJob();
    ASSERT_TRUE(job);
    s->job = *job;
    streamers.push_back(std::move(s));
  }

  // Stream until the coordinator dies.
  for (auto& s : streamers) {
    s->thread = std::thread([&s = *s] {
      for (uint32_t c = 0; c + kBatch <= kCycles; c += kBatch) {
        std::vector<v1::CycleResult> batch;
        for (int k = 0; k < kBatch; ++k) batch.push_back(Cycle(s, c + k));
        if (!s.probe->SendCycles(batch)) return;
        s.sent = c + kBatch;
      }
    });
  }
  absl::SleepFor(
      absl::Milliseconds(std::uniform_int_distribution<int>(400, 1200)(rng)));
  coordinator.Kill(SIGKILL);
  for (auto& s : streamers) s->thread.join();
  traces.clear();
  op.reset();

  // (1) Everything acknowledged is in the store.
  std::map<uint64_t, uint32_t> acked;
  uint64_t total_acked = 0;
  {
    storage::StorageOptions o;
    o.path = data;
    o.create_if_missing = false;
    auto db = storage::Storage::Open(o);
    ASSERT_TRUE(db.ok()) << db.status();
    for (auto& s : streamers) {
      auto acks = s->probe->acks();
      const uint32_t a = acks.count(s->job.job_id())
                             ? acks.at(s->job.job_id()).cycles_durable()
                             : 0;
      acked[s->job.job_id()] = a;
      total_acked += a;
      auto stored = (*db)->GetCycleResults(s->job.job_id());
      ASSERT_TRUE(stored.ok()) << stored.status();
      std::set<uint32_t> cycles;
      for (const v1::CycleResult& r : *stored) cycles.insert(r.cycle());
      for (uint32_t c = 0; c < a; ++c) {
        ASSERT_TRUE(cycles.count(c))
            << "acknowledged cycle " << c << " of job " << s->job.job_id()
            << " is missing after SIGKILL";
      }
      EXPECT_LE(cycles.size(), s->sent.load());
    }
  }
  EXPECT_GT(total_acked, 0u) << "the kill came before any ack; no evidence";
  std::cerr << "acknowledged before SIGKILL: " << total_acked << " cycles\n";

  // (2) After a restart the probes re-send what was not acknowledged.
  address = coordinator.Start();
  ASSERT_FALSE(address.empty());
  for (auto& s : streamers) {
    s->probe = std::make_unique<FakeProbe>(address, s->probe->hello());
    v1::PendingJob* p = s->probe->mutable_hello().add_pending_jobs();
    p->set_job_id(s->job.job_id());
    p->set_unacked_cycles(s->sent - acked[s->job.job_id()]);
    absl::StatusOr<v1::Welcome> w = s->probe->Connect();
    ASSERT_TRUE(w.ok()) << w.status();
    ASSERT_TRUE(w->forget_job_ids().empty());
    const uint32_t sent = s->sent;
    for (uint32_t c = acked[s->job.job_id()]; c < sent; c += kBatch) {
      std::vector<v1::CycleResult> batch;
      for (uint32_t k = c; k < std::min(c + kBatch, sent); ++k) {
        batch.push_back(Cycle(*s, k));
      }
      ASSERT_TRUE(s->probe->SendCycles(batch));
    }
    ASSERT_TRUE(s->probe->SendDone(s->job.job_id(), v1::JOB_STATUS_CANCELLED,
                                   sent, "198.18.1.2"));
  }
  for (auto& s : streamers) {
    ASSERT_TRUE(
        s->probe->WaitAck(s->job.job_id(), s->sent, true, absl::Seconds(30)));
    s->probe->Close();
  }
  coordinator.Kill(SIGTERM);

  storage::StorageOptions o;
  o.path = data;
  o.create_if_missing = false;
  auto db = storage::Storage::Open(o);
  ASSERT_TRUE(db.ok()) << db.status();
  for (auto& s : streamers) {
    auto stored = (*db)->GetCycleResults(s->job.job_id());
    ASSERT_TRUE(stored.ok());
    ASSERT_EQ(stored->size(), s->sent.load()) << "job " << s->job.job_id();
    for (uint32_t c = 0; c < stored->size(); ++c) {
      EXPECT_EQ((*stored)[c].cycle(), c);
    }
    auto job = (*db)->GetJob(s->job.job_id());
    ASSERT_TRUE(job.ok());
    EXPECT_EQ(job->status(), v1::JOB_STATUS_CANCELLED);
    EXPECT_EQ(job->cycles_received(), s->sent.load());
  }
}

}  // namespace
}  // namespace grid::testing
