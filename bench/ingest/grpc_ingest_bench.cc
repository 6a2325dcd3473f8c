// grid-grpc-ingest-bench: hop results per second from N simulated probes
// over real gRPC (loopback TCP) into the coordinator's RocksDB, acknowledged
// (durable) end to end, beside a plain RocksDB WriteBatch loop writing the
// same records (same keys, same bytes, same batching) in the same run.
// Prints both rates and their ratio (issue 4's target: >= 0.5).
//
// gRPC leg: an in-process coordinator on 127.0.0.1:0; N probes connect; a
// diagnosis gives each one job; each probe streams its cycles (--batch per
// message) as fast as the stream takes them; the clock stops when every
// cycle of every probe is acknowledged. Raw leg: one WriteBatch per
// --batch records into a fresh database with the column family options the
// storage uses, on one thread. Rounds alternate the order; medians printed.
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "bench/ingest/raw_loop.h"
#include "bench/ingest/sim_probe.h"
#include "coordinator/coordinator.h"
#include "grid/v1/operator.grpc.pb.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/keys.h"

namespace grid::bench {
namespace {

struct Args {
  int probes = 8;
  int results = 100000;
  int batch = 10;
  int rounds = 3;
};

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Leg {
  double rate = -1;
  std::vector<v1::CycleResult> records;  // What was written (for raw).
};

// The gRPC leg; also returns the records with the jobs' real ids.
Leg RunGrpc(const std::string& dir, const Args& args) {
  Leg leg;
  coordinator::CoordinatorOptions o;
  o.listen = "127.0.0.1:0";
  o.data_dir = dir;
  o.scheduler.max_cycles = 10'000'000;
  o.heartbeat_interval = absl::Seconds(60);
  // The simulated probes' targets are in the lab's benchmarking range.
  o.scheduler.target_policy = *common::TargetPolicy::Create(
      {.allow_private = false, .allow_targets = {"198.18.0.0/15"}});
  auto c = coordinator::Coordinator::Start(o);
  if (!c.ok()) {
    std::fprintf(stderr, "coordinator: %s\n", c.status().ToString().c_str());
    return leg;
  }
  const std::string address = absl::StrCat("127.0.0.1:", (*c)->port());
  const uint32_t per_probe = static_cast<uint32_t>(args.results / args.probes);

  absl::Mutex mu;
  std::map<std::string, uint64_t> jobs;  // Probe -> job.
  std::vector<std::unique_ptr<SimProbe>> probes;
  for (int i = 0; i < args.probes; ++i) {
    probes.push_back(
        std::make_unique<SimProbe>(address, absl::StrCat("bench-", i),
                                   [&](SimProbe& p, const v1::JobSpec& spec) {
                                     absl::MutexLock lock(&mu);
                                     jobs[p.name()] = spec.job_id();
                                   }));
    if (!probes.back()->Connect()) {
      std::fprintf(stderr, "probe %d could not connect\n", i);
      return leg;
    }
  }
  auto op = v1::OperatorService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  v1::DiagnoseRequest req;
  req.set_target("198.18.200.1");
  req.set_cycles(per_probe);
  req.set_interval_ms(1000);
  req.set_skip_return(true);
  req.set_deadline_ms(3'600'000);
  auto reader = op->Diagnose(&ctx, req);
  {
    absl::MutexLock lock(&mu);
    auto all = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu) {
      return jobs.size() == probes.size();
    };
    if (!mu.AwaitWithTimeout(absl::Condition(&all), absl::Seconds(30))) {
      std::fprintf(stderr, "jobs were not assigned\n");
      return leg;
    }
  }

  // Messages prepared before the clock starts.
  std::vector<std::vector<v1::ProbeMessage>> messages(probes.size());
  for (size_t p = 0; p < probes.size(); ++p) {
    const uint64_t job = jobs[probes[p]->name()];
    for (uint32_t c = 0; c < per_probe; c += args.batch) {
      v1::ProbeMessage m;
      for (uint32_t k = c; k < std::min<uint32_t>(c + args.batch, per_probe);
           ++k) {
        v1::CycleResult r = SimCycle(job, probes[p]->name(), k);
        leg.records.push_back(r);
        *m.mutable_results()->add_results() = std::move(r);
      }
      messages[p].push_back(std::move(m));
    }
  }

  const auto start = Clock::now();
  std::vector<std::thread> senders;
  std::atomic<bool> ok{true};
  for (size_t p = 0; p < probes.size(); ++p) {
    senders.emplace_back([&, p] {
      for (const v1::ProbeMessage& m : messages[p]) {
        if (!probes[p]->Send(m)) ok = false;
      }
      if (!probes[p]->WaitAcked(jobs[probes[p]->name()], per_probe,
                                absl::Seconds(600))) {
        ok = false;
      }
    });
  }
  for (std::thread& t : senders) t.join();
  const double seconds = Since(start);
  if (ok) leg.rate = leg.records.size() / seconds;

  for (auto& p : probes) {
    v1::ProbeMessage done;
    done.mutable_job_done()->set_job_id(jobs[p->name()]);
    done.mutable_job_done()->set_status(v1::JOB_STATUS_DONE);
    done.mutable_job_done()->set_cycles_completed(per_probe);
    p->Send(done);
  }
  v1::DiagnoseEvent e;
  while (reader->Read(&e)) {
  }
  reader->Finish();
  for (auto& p : probes) p->Close();
  (*c)->Shutdown(absl::Seconds(1));
  return leg;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int Run(const Args& args) {
  std::string dir = "/tmp/grid-grpc-ingest-XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) return 2;
  std::vector<double> grpc_rates, raw_rates;
  for (int round = 0; round < args.rounds; ++round) {
    const std::string g = absl::StrCat(dir, "/grpc-", round);
    const std::string r = absl::StrCat(dir, "/raw-", round);
    double a = -1, b = -1;
    if (round % 2 == 0) {
      Leg leg = RunGrpc(g, args);
      a = leg.rate;
      b = RawWriteBatchRate(r, leg.records, args.batch, false);
    } else {
      // The raw leg first needs the records: make them with the same
      // shape and fresh ids, then measure gRPC.
      std::vector<v1::CycleResult> records;
      const uint32_t per_probe = args.results / args.probes;
      for (int p = 0; p < args.probes; ++p) {
        for (uint32_t c = 0; c < per_probe; ++c) {
          records.push_back(SimCycle(1000 + p, absl::StrCat("bench-", p), c));
        }
      }
      b = RawWriteBatchRate(r, records, args.batch, false);
      a = RunGrpc(g, args).rate;
    }
    std::filesystem::remove_all(g);
    std::filesystem::remove_all(r);
    if (a < 0 || b < 0) {
      std::filesystem::remove_all(dir);
      return 2;
    }
    std::printf("  round %d: grpc %.0f/s, raw %.0f/s\n", round, a, b);
    grpc_rates.push_back(a);
    raw_rates.push_back(b);
  }
  std::filesystem::remove_all(dir);
  const double a = Median(grpc_rates), b = Median(raw_rates);
  std::printf(
      "grpc ingest: %d hop results (cycles of 12 TTLs) from %d probes, %d per "
      "message/write, acked after the durable write; median of %d rounds\n",
      args.results, args.probes, args.batch, args.rounds);
  std::printf("  probes -> gRPC -> coordinator -> RocksDB  %10.0f results/s\n",
              a);
  std::printf("  RocksDB WriteBatch loop                   %10.0f results/s\n",
              b);
  std::printf("  ratio                                     %10.2f\n", a / b);
  return 0;
}

}  // namespace
}  // namespace grid::bench

int main(int argc, char** argv) {
  grid::bench::Args args;
  CLI::App app{"Hop-result ingest over gRPC vs a plain RocksDB loop"};
  app.add_option("--probes", args.probes, "Simulated probes")
      ->check(CLI::Range(1, 1000));
  app.add_option("--results", args.results, "Hop results per round")
      ->check(CLI::Range(1, 10000000));
  app.add_option("--batch", args.batch, "Results per message and per write")
      ->check(CLI::Range(1, 10000));
  app.add_option("--rounds", args.rounds, "Rounds; medians are printed")
      ->check(CLI::Range(1, 101));
  CLI11_PARSE(app, argc, argv);
  return grid::bench::Run(args);
}
