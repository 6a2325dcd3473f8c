// grid-scale-bench: 1,000 simulated probes connected to one coordinator.
// Measures the coordinator's resident memory per connected probe and the
// latency of diagnoses that fan out to every probe: fan-out (Diagnose call
// to the last probe holding its job) and end to end (to the stored result;
// each probe answers at once with one cycle), p50 and p99.
//
// The coordinator is the real grid-coordinator binary in a child process,
// so its RSS (/proc/PID/status VmRSS) is its own. Each simulated probe has
// its own channel and TCP connection.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "bench/ingest/sim_probe.h"
#include "grid/v1/operator.grpc.pb.h"

namespace grid::bench {
namespace {

struct Args {
  int probes = 1000;
  int diagnoses = 30;
};

// VmRSS of `pid` in KiB; -1 if unknown.
long RssKib(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      long kib = -1;
      absl::SimpleAtoi(
          absl::StripAsciiWhitespace(line.substr(6, line.find("kB") - 6)),
          &kib);
      return kib;
    }
  }
  return -1;
}

// Starts grid-coordinator; returns its pid and HOST:PORT.
std::pair<pid_t, std::string> StartCoordinator(const std::string& dir) {
  int out[2];
  if (pipe(out) != 0) return {-1, ""};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDERR_FILENO);
    close(out[0]);
    close(out[1]);
    execl(GRID_COORDINATOR_BIN, GRID_COORDINATOR_BIN, "--listen", "127.0.0.1:0",
          "--data", dir.c_str(), "--heartbeat", "60", "--insecure",
          "--allow-target", "198.18.0.0/15", "--target-rate", "0",
          "--operator-rate", "0",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  FILE* err = fdopen(out[0], "r");
  char line[512] = {};
  std::string port;
  if (fgets(line, sizeof(line), err) != nullptr) {
    std::string s(line);
    const size_t at = s.find("port ");
    if (at != std::string::npos) port = s.substr(at + 5, s.find(',') - at - 5);
  }
  fclose(err);
  return {pid, absl::StrCat("127.0.0.1:", port)};
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const size_t i =
      std::min(v.size() - 1, static_cast<size_t>(p / 100.0 * v.size()));
  return v[i];
}

int Run(const Args& args) {
  // Two descriptors per probe here and one in the coordinator.
  rlimit nofile;
  getrlimit(RLIMIT_NOFILE, &nofile);
  nofile.rlim_cur = nofile.rlim_max;
  setrlimit(RLIMIT_NOFILE, &nofile);

  std::string dir = "/tmp/grid-scale-bench-XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) return 2;
  auto [pid, address] = StartCoordinator(dir + "/db");
  if (pid <= 0) return 2;
  absl::SleepFor(absl::Milliseconds(500));
  const long rss_idle = RssKib(pid);

  // Every probe answers its job at once: started, one cycle, done; and
  // notes when the job arrived.
  absl::Mutex mu;
  absl::Time last_assign = absl::InfinitePast();
  int assigned = 0;
  auto on_assign = [&](SimProbe& p, const v1::JobSpec& spec) {
    {
      absl::MutexLock lock(&mu);
      last_assign = std::max(last_assign, absl::Now());
      ++assigned;
    }
    v1::ProbeMessage started;
    started.mutable_job_started()->set_job_id(spec.job_id());
    started.mutable_job_started()->set_source_address("198.18.10.2");
    p.Send(started);
    v1::ProbeMessage results;
    *results.mutable_results()->add_results() =
        SimCycle(spec.job_id(), p.name(), 0);
    p.Send(results);
    v1::ProbeMessage done;
    done.mutable_job_done()->set_job_id(spec.job_id());
    done.mutable_job_done()->set_status(v1::JOB_STATUS_DONE);
    done.mutable_job_done()->set_cycles_completed(1);
    p.Send(done);
  };
  std::vector<std::unique_ptr<SimProbe>> probes;
  const absl::Time connect_start = absl::Now();
  for (int i = 0; i < args.probes; ++i) {
    probes.push_back(std::make_unique<SimProbe>(
        address, absl::StrCat("probe-", i), on_assign));
    if (!probes.back()->Connect()) {
      std::fprintf(stderr, "probe %d could not connect\n", i);
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      return 2;
    }
  }
  const absl::Duration connect_time = absl::Now() - connect_start;
  absl::SleepFor(absl::Seconds(2));
  const long rss_connected = RssKib(pid);

  auto op = v1::OperatorService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  std::vector<double> fanout_ms, total_ms;
  for (int d = 0; d < args.diagnoses; ++d) {
    {
      absl::MutexLock lock(&mu);
      assigned = 0;
      last_assign = absl::InfinitePast();
    }
    grpc::ClientContext ctx;
    v1::DiagnoseRequest req;
    req.set_target("198.18.200.1");
    req.set_cycles(1);
    req.set_skip_return(true);
    const absl::Time start = absl::Now();
    auto reader = op->Diagnose(&ctx, req);
    v1::DiagnoseEvent e;
    int vantages = -1;
    while (reader->Read(&e)) {
      if (e.has_result()) vantages = e.result().vantages_size();
    }
    const absl::Time end = absl::Now();
    const grpc::Status s = reader->Finish();
    absl::MutexLock lock(&mu);
    if (!s.ok() || vantages != args.probes || assigned != args.probes) {
      std::fprintf(stderr, "diagnosis %d: %s, %d vantages, %d assigned\n", d,
                   s.error_message().c_str(), vantages, assigned);
      continue;
    }
    fanout_ms.push_back(absl::ToDoubleMilliseconds(last_assign - start));
    total_ms.push_back(absl::ToDoubleMilliseconds(end - start));
  }
  const long rss_after = RssKib(pid);

  for (auto& p : probes) p->Close();
  probes.clear();
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  std::filesystem::remove_all(dir);
  if (fanout_ms.empty()) return 2;

  std::printf(
      "scale: %d simulated probes on one coordinator (connected in "
      "%.1f s)\n",
      args.probes, absl::ToDoubleSeconds(connect_time));
  std::printf(
      "  coordinator RSS: idle %.1f MiB, %d probes connected %.1f "
      "MiB, after %zu diagnoses %.1f MiB\n",
      rss_idle / 1024.0, args.probes, rss_connected / 1024.0, fanout_ms.size(),
      rss_after / 1024.0);
  std::printf("  RSS per connected probe            %8.1f KiB\n",
              double(rss_connected - rss_idle) / args.probes);
  std::printf(
      "  diagnose fan-out to all probes     p50 %8.1f ms  p99 %8.1f "
      "ms\n",
      Percentile(fanout_ms, 50), Percentile(fanout_ms, 99));
  std::printf(
      "  diagnose end to end (1 cycle each) p50 %8.1f ms  p99 %8.1f "
      "ms\n",
      Percentile(total_ms, 50), Percentile(total_ms, 99));
  return 0;
}

}  // namespace
}  // namespace grid::bench

int main(int argc, char** argv) {
  grid::bench::Args args;
  CLI::App app{"1,000 simulated probes on one coordinator"};
  app.add_option("--probes", args.probes, "Simulated probes")
      ->check(CLI::Range(1, 5000));
  app.add_option("--diagnoses", args.diagnoses,
                 "Diagnoses fanned out to all probes")
      ->check(CLI::Range(1, 10000));
  CLI11_PARSE(app, argc, argv);
  return grid::bench::Run(args);
}
