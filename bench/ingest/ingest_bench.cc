// grid-ingest-bench: hop results per second written through the Storage
// API, beside a plain RocksDB WriteBatch loop writing the same records
// (same keys, same serialized values, same RocksDB and write options) in
// the same run. Prints both rates and their ratio (target: >= 0.5).
//
// Each round writes into fresh directories; rounds alternate which side
// goes first, and the median round is reported. The gRPC leg (simulated
// probes -> coordinator -> Storage) joins once the coordinator exists.
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "bench/ingest/raw_loop.h"
#include "bench/ingest/sim_probe.h"
#include "grid/v1/model.pb.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/column_families.h"
#include "storage/keys.h"
#include "storage/storage.h"

namespace grid::bench {
namespace {

constexpr int kCyclesPerJob = 60;

struct Args {
  int results = 100000;
  int batch = 1;
  int rounds = 3;
  bool sync = false;
  std::string dir;
};

// Realistic results: 2 probes x 2 directions x 60 cycles per job, 12 hops
// with one reply each (one MPLS hop, one silent hop).
std::vector<v1::CycleResult> MakeRecords(int n) {
  const uint64_t first_job = storage::IdFloorForTimeMs(1717000000000);
  std::vector<v1::CycleResult> records;
  records.reserve(n);
  for (int i = 0; i < n; ++i) {
    v1::CycleResult r =
        SimCycle(first_job + i / (4 * kCyclesPerJob),
                 (i / kCyclesPerJob) % 2 ? "probe-isp-b-01" : "probe-isp-a-01",
                 i % kCyclesPerJob);
    r.set_direction((i / (2 * kCyclesPerJob)) % 2 ? v1::DIRECTION_RETURN
                                                  : v1::DIRECTION_FORWARD);
    r.set_started_unix_ms(1717000000000 + i);
    records.push_back(std::move(r));
  }
  return records;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
}

// Results per second through Storage::PutCycleResults; < 0 on error.
double RunStorage(const std::string& path, const Args& args,
                  const std::vector<v1::CycleResult>& records) {
  storage::StorageOptions options;
  options.path = path;
  options.durability = args.sync ? storage::Durability::kPowerLoss
                                 : storage::Durability::kProcessCrash;
  auto opened = storage::Storage::Open(options);
  if (!opened.ok()) {
    std::fprintf(stderr, "grid-ingest-bench: %s\n",
                 opened.status().ToString().c_str());
    return -1;
  }
  storage::Storage& store = **opened;
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < records.size(); i += args.batch) {
    const size_t n = std::min<size_t>(args.batch, records.size() - i);
    const absl::Status s =
        store.PutCycleResults(absl::MakeConstSpan(&records[i], n));
    if (!s.ok()) {
      std::fprintf(stderr, "grid-ingest-bench: %s\n", s.ToString().c_str());
      return -1;
    }
  }
  return records.size() / Seconds(start);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int Run(const Args& args) {
  std::string dir = args.dir;
  bool own_dir = false;
  if (dir.empty()) {
    std::string pattern = "/tmp/grid-ingest-bench-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("grid-ingest-bench: mkdtemp");
      return 2;
    }
    dir = pattern;
    own_dir = true;
  }
  const std::vector<v1::CycleResult> records = MakeRecords(args.results);
  size_t bytes = 0;
  for (const auto& r : records) bytes += r.ByteSizeLong();

  std::vector<double> api, raw;
  for (int round = 0; round < args.rounds; ++round) {
    const std::string api_dir = dir + "/api-" + std::to_string(round);
    const std::string raw_dir = dir + "/raw-" + std::to_string(round);
    double a, b;
    if (round % 2 == 0) {
      a = RunStorage(api_dir, args, records);
      b = RawWriteBatchRate(raw_dir, records, args.batch, args.sync);
    } else {
      b = RawWriteBatchRate(raw_dir, records, args.batch, args.sync);
      a = RunStorage(api_dir, args, records);
    }
    std::filesystem::remove_all(api_dir);
    std::filesystem::remove_all(raw_dir);
    if (a < 0 || b < 0) return 2;
    std::printf("  round %d: storage %.0f/s, raw %.0f/s\n", round, a, b);
    api.push_back(a);
    raw.push_back(b);
  }
  if (own_dir) std::filesystem::remove_all(dir);

  const double a = Median(api), b = Median(raw);
  std::printf(
      "ingest: %d hop results (avg %zu bytes), %d per write, %s, median of "
      "%d rounds\n",
      args.results, bytes / records.size(), args.batch,
      args.sync ? "sync (power-loss durable)"
                : "no sync (process-crash durable)",
      args.rounds);
  std::printf("  Storage::PutCycleResults   %10.0f results/s\n", a);
  std::printf("  RocksDB WriteBatch loop    %10.0f results/s\n", b);
  std::printf("  ratio                      %10.2f\n", a / b);
  return 0;
}

}  // namespace
}  // namespace grid::bench

int main(int argc, char** argv) {
  grid::bench::Args args;
  CLI::App app{"Hop-result ingest: Storage API vs plain RocksDB WriteBatch"};
  app.add_option("--results", args.results, "Hop results per run")
      ->check(CLI::Range(1, 10000000));
  app.add_option("--batch", args.batch, "Results per write (WriteBatch)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--rounds", args.rounds, "Rounds; the median is reported")
      ->check(CLI::Range(1, 101));
  app.add_flag("--sync", args.sync, "fsync the WAL on every write");
  app.add_option("--dir", args.dir, "Scratch directory (default: new in /tmp)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return grid::bench::Run(args);
}
