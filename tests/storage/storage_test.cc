// Storage round trips, restarts, idempotent ingest and id allocation, on a
// real RocksDB in a temporary directory.
#include "storage/storage.h"

#include <algorithm>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "storage/keys.h"
#include "tests/storage/storage_test_util.h"

namespace grid::storage {
namespace {

using testing::MakeCycleResult;
using testing::MakeDiagnosis;
using testing::MakeJob;
using testing::MakeProbe;
using testing::ProtoEquals;
using testing::TempDir;

constexpr int64_t kNowMs = 1717000000000;  // 2024-05-29.

std::unique_ptr<Storage> OpenOrDie(const std::string& path) {
  StorageOptions options;
  options.path = path;
  auto storage = Storage::Open(options);
  EXPECT_TRUE(storage.ok()) << storage.status();
  return storage.ok() ? std::move(*storage) : nullptr;
}

TEST(StorageOpen, RejectsBadOptions) {
  TempDir dir;
  StorageOptions options;
  EXPECT_EQ(Storage::Open(options).status().code(),
            absl::StatusCode::kInvalidArgument);

  const std::string file = dir.Sub("plain-file");
  std::ofstream(file) << "not a directory";
  options.path = file;
  auto s = Storage::Open(options).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(std::string(s.message()).find(file), std::string::npos) << s;

  options.path = dir.Sub("db");
  options.retention = absl::ZeroDuration();
  EXPECT_EQ(Storage::Open(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(StorageOpen, MissingDatabaseWithoutCreateIsNotFound) {
  TempDir dir;
  StorageOptions options;
  options.path = dir.Sub("absent");
  options.create_if_missing = false;
  EXPECT_EQ(Storage::Open(options).status().code(),
            absl::StatusCode::kNotFound);
  // An existing but empty directory is not a database either.
  options.path = dir.path();
  EXPECT_EQ(Storage::Open(options).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(StorageOpen, SecondOpenOfSameDirectoryIsUnavailable) {
  TempDir dir;
  auto first = OpenOrDie(dir.Sub("db"));
  ASSERT_NE(first, nullptr);
  StorageOptions options;
  options.path = dir.Sub("db");
  auto second = Storage::Open(options);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable)
      << second.status();
}

TEST(StorageOpen, DefaultRetentionIsThirtyDays) {
  EXPECT_EQ(StorageOptions().retention, absl::Hours(24 * 30));
  EXPECT_EQ(StorageOptions().durability, Durability::kProcessCrash);
}

TEST(Storage, ProbesRoundTripSortedByName) {
  TempDir dir;
  auto storage = OpenOrDie(dir.Sub("db"));
  ASSERT_NE(storage, nullptr);
  for (const char* name : {"y", "s", "x"}) {
    GRID_ASSERT_OK(storage->PutProbe(MakeProbe(name, kNowMs)));
  }
  GRID_ASSERT_OK_AND_ASSIGN(v1::ProbeRecord x, storage->GetProbe("x"));
  EXPECT_TRUE(ProtoEquals(x, MakeProbe("x", kNowMs))) << x.DebugString();

  // Replacing updates in place.
  GRID_ASSERT_OK(storage->PutProbe(MakeProbe("x", kNowMs + 5)));
  GRID_ASSERT_OK_AND_ASSIGN(std::vector<v1::ProbeRecord> all,
                            storage->ListProbes());
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].name(), "s");
  EXPECT_EQ(all[1].name(), "x");
  EXPECT_EQ(all[1].last_seen_unix_ms(), kNowMs + 5);
  EXPECT_EQ(all[2].name(), "y");

  EXPECT_EQ(storage->GetProbe("nope").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(storage->PutProbe(v1::ProbeRecord()).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Storage, JobsRoundTrip) {
  TempDir dir;
  auto storage = OpenOrDie(dir.Sub("db"));
  ASSERT_NE(storage, nullptr);
  GRID_ASSERT_OK_AND_ASSIGN(uint64_t id, storage->AllocateId());
  const v1::JobRecord job = MakeJob(id, "x", kNowMs);
  GRID_ASSERT_OK(storage->PutJob(job));
  GRID_ASSERT_OK_AND_ASSIGN(v1::JobRecord back, storage->GetJob(id));
  EXPECT_TRUE(ProtoEquals(back, job));
  EXPECT_EQ(storage->GetJob(id + 1).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(storage->PutJob(v1::JobRecord()).code(),
            absl::StatusCode::kInvalidArgument);
}

// Results of two probes, both directions, three cycles, for job 7, plus
// neighbours in jobs 6 and 8 that scans must not return.
std::vector<v1::CycleResult> SampleResults() {
  std::vector<v1::CycleResult> results;
  for (uint64_t job : {6, 7, 8}) {
    for (const char* probe : {"x", "s"}) {
      for (v1::Direction d : {v1::DIRECTION_FORWARD, v1::DIRECTION_RETURN}) {
        for (uint32_t cycle = 0; cycle < 3; ++cycle) {
          results.push_back(MakeCycleResult(job, probe, d, cycle));
        }
      }
    }
  }
  return results;
}

TEST(Storage, CycleResultsRoundTripInKeyOrder) {
  TempDir dir;
  auto storage = OpenOrDie(dir.Sub("db"));
  ASSERT_NE(storage, nullptr);
  std::vector<v1::CycleResult> results = SampleResults();
  std::shuffle(results.begin(), results.end(), std::mt19937(7));
  // Several batches, in shuffled order.
  for (size_t i = 0; i < results.size(); i += 5) {
    const size_t n = std::min<size_t>(5, results.size() - i);
    GRID_ASSERT_OK(
        storage->PutCycleResults(absl::MakeConstSpan(&results[i], n)));
  }

  GRID_ASSERT_OK_AND_ASSIGN(auto job7, storage->GetCycleResults(7));
  ASSERT_EQ(job7.size(), 12u);
  for (size_t i = 0; i < job7.size(); ++i) {
    EXPECT_EQ(job7[i].job_id(), 7u);
    EXPECT_TRUE(ProtoEquals(
        job7[i], MakeCycleResult(7, job7[i].probe_name(), job7[i].direction(),
                                 job7[i].cycle())));
    if (i > 0) {
      const auto key = [](const v1::CycleResult& r) {
        return std::make_tuple(ProbeId(r.probe_name()),
                               static_cast<int>(r.direction()), r.cycle());
      };
      EXPECT_LT(key(job7[i - 1]), key(job7[i])) << i;
    }
  }

  GRID_ASSERT_OK_AND_ASSIGN(
      auto stream, storage->GetCycleResults(7, "s", v1::DIRECTION_RETURN, 0));
  ASSERT_EQ(stream.size(), 3u);
  for (uint32_t cycle = 0; cycle < 3; ++cycle) {
    EXPECT_TRUE(ProtoEquals(
        stream[cycle], MakeCycleResult(7, "s", v1::DIRECTION_RETURN, cycle)));
  }
  GRID_ASSERT_OK_AND_ASSIGN(
      auto tail, storage->GetCycleResults(7, "s", v1::DIRECTION_RETURN, 1));
  ASSERT_EQ(tail.size(), 2u);
  EXPECT_EQ(tail[0].cycle(), 1u);
  EXPECT_EQ(tail[1].cycle(), 2u);
  GRID_ASSERT_OK_AND_ASSIGN(
      auto past, storage->GetCycleResults(7, "s", v1::DIRECTION_RETURN, 3));
  EXPECT_TRUE(past.empty());
  GRID_ASSERT_OK_AND_ASSIGN(
      auto none, storage->GetCycleResults(7, "zz", v1::DIRECTION_FORWARD, 0));
  EXPECT_TRUE(none.empty());
  GRID_ASSERT_OK_AND_ASSIGN(auto job9, storage->GetCycleResults(9));
  EXPECT_TRUE(job9.empty());
  EXPECT_EQ(
      storage->GetCycleResults(7, "s", v1::DIRECTION_BOTH, 0).status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(Storage, ReingestNeverDoubles) {
  TempDir dir;
  const std::vector<v1::CycleResult> results = SampleResults();
  {
    auto storage = OpenOrDie(dir.Sub("db"));
    ASSERT_NE(storage, nullptr);
    GRID_ASSERT_OK(storage->PutCycleResults(results));
    GRID_ASSERT_OK(storage->PutCycleResults(results));  // Re-sent batch.
    GRID_ASSERT_OK(storage->PutCycleResult(results[13]));
    // A batch holding the same result twice.
    GRID_ASSERT_OK(storage->PutCycleResults({results[14], results[14]}));
    GRID_ASSERT_OK_AND_ASSIGN(auto job7, storage->GetCycleResults(7));
    EXPECT_EQ(job7.size(), 12u);
  }
  // Re-sent after a restart (probe reconnects to a restarted coordinator).
  auto storage = OpenOrDie(dir.Sub("db"));
  ASSERT_NE(storage, nullptr);
  GRID_ASSERT_OK(storage->PutCycleResults(results));
  for (uint64_t job : {6, 7, 8}) {
    GRID_ASSERT_OK_AND_ASSIGN(auto stored, storage->GetCycleResults(job));
    EXPECT_EQ(stored.size(), 12u) << "job " << job;
  }
  GRID_ASSERT_OK_AND_ASSIGN(
      auto stream, storage->GetCycleResults(7, "x", v1::DIRECTION_FORWARD, 0));
  EXPECT_EQ(stream.size(), 3u);
}

TEST(Storage, InvalidResultRejectsTheWholeBatch) {
  TempDir dir;
  auto storage = OpenOrDie(dir.Sub("db"));
  ASSERT_NE(storage, nullptr);
  const v1::CycleResult good =
      MakeCycleResult(3, "x", v1::DIRECTION_FORWARD, 0);
  v1::CycleResult no_job = good;
  no_job.set_job_id(0);
  v1::CycleResult no_name = good;
  no_name.clear_probe_name();
  v1::CycleResult both = good;
  both.set_direction(v1::DIRECTION_BOTH);
  v1::CycleResult unset = good;
  unset.set_direction(v1::DIRECTION_UNSPECIFIED);
  for (const v1::CycleResult& bad : {no_job, no_name, both, unset}) {
    const absl::Status s = storage->PutCycleResults({good, bad});
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    EXPECT_NE(std::string(s.message()).find("cycle result 1"),
              std::string::npos)
        << s;
  }
  GRID_ASSERT_OK_AND_ASSIGN(auto stored, storage->GetCycleResults(3));
  EXPECT_TRUE(stored.empty());
}

TEST(Storage, ResultsAndJobUpdateAreOneWrite) {
  TempDir dir;
  auto storage = OpenOrDie(dir.Sub("db"));
  ASSERT_NE(storage, nullptr);
  v1::JobRecord job = MakeJob(11, "x", kNowMs);
  job.set_cycles_received(2);
  const std::vector<v1::CycleResult> results = {
      MakeCycleResult(11, "x", v1::DIRECTION_FORWARD, 0),
      MakeCycleResult(11, "x", v1::DIRECTION_FORWARD, 1)};
  GRID_ASSERT_OK(storage->PutCycleResults(results, {job}));
  GRID_ASSERT_OK_AND_ASSIGN(v1::JobRecord back, storage->GetJob(11));
  EXPECT_EQ(back.cycles_received(), 2u);

  // A bad job record in the same call stops the results too.
  v1::JobRecord bad;
  EXPECT_EQ(storage
                ->PutCycleResults(
                    {MakeCycleResult(11, "x", v1::DIRECTION_FORWARD, 2)}, {bad})
                .code(),
            absl::StatusCode::kInvalidArgument);
  GRID_ASSERT_OK_AND_ASSIGN(auto stored, storage->GetCycleResults(11));
  EXPECT_EQ(stored.size(), 2u);
}

TEST(Storage, RestartKeepsEverything) {
  TempDir dir;
  const std::vector<v1::CycleResult> results = SampleResults();
  uint64_t job_id = 0, diagnosis_id = 0;
  {
    auto storage = OpenOrDie(dir.Sub("db"));
    ASSERT_NE(storage, nullptr);
    GRID_ASSERT_OK(storage->PutProbe(MakeProbe("x", kNowMs)));
    GRID_ASSERT_OK_AND_ASSIGN(job_id, storage->AllocateId());
    GRID_ASSERT_OK_AND_ASSIGN(diagnosis_id, storage->AllocateId());
    GRID_ASSERT_OK(storage->PutCycleResults(results));
    GRID_ASSERT_OK(
        storage->PutDiagnosis(MakeDiagnosis(diagnosis_id, "198.18.9.9", kNowMs),
                              {MakeJob(job_id, "x", kNowMs)}));
  }
  auto storage = OpenOrDie(dir.Sub("db"));
  ASSERT_NE(storage, nullptr);
  GRID_ASSERT_OK_AND_ASSIGN(v1::ProbeRecord probe, storage->GetProbe("x"));
  EXPECT_TRUE(ProtoEquals(probe, MakeProbe("x", kNowMs)));
  GRID_ASSERT_OK_AND_ASSIGN(v1::JobRecord job, storage->GetJob(job_id));
  EXPECT_TRUE(ProtoEquals(job, MakeJob(job_id, "x", kNowMs)));
  GRID_ASSERT_OK_AND_ASSIGN(v1::DiagnosisRecord diagnosis,
                            storage->GetDiagnosis(diagnosis_id));
  EXPECT_TRUE(ProtoEquals(diagnosis,
                          MakeDiagnosis(diagnosis_id, "198.18.9.9", kNowMs)));
  GRID_ASSERT_OK_AND_ASSIGN(auto history,
                            storage->History("198.18.9.9", HistoryQuery()));
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].id(), diagnosis_id);
  size_t total = 0;
  for (uint64_t j : {6, 7, 8}) {
    GRID_ASSERT_OK_AND_ASSIGN(auto stored, storage->GetCycleResults(j));
    for (const v1::CycleResult& r : stored) {
      EXPECT_TRUE(ProtoEquals(
          r, MakeCycleResult(j, r.probe_name(), r.direction(), r.cycle())));
    }
    total += stored.size();
  }
  EXPECT_EQ(total, results.size());
}

TEST(Storage, IdsAreUniqueIncreasingAndTimeOrdered) {
  TempDir dir;
  testing::FakeClock clock(absl::FromUnixMillis(kNowMs));
  StorageOptions options;
  options.path = dir.Sub("db");
  options.clock = clock.AsFunction();
  uint64_t last = 0;
  {
    GRID_ASSERT_OK_AND_ASSIGN(auto storage, Storage::Open(options));
    for (int i = 0; i < 1000; ++i) {
      GRID_ASSERT_OK_AND_ASSIGN(uint64_t id, storage->AllocateId());
      EXPECT_GT(id, last);
      EXPECT_EQ(IdTimeMs(id), kNowMs);  // Same millisecond: sequence grows.
      last = id;
    }
    clock.Advance(absl::Milliseconds(3));
    GRID_ASSERT_OK_AND_ASSIGN(uint64_t later, storage->AllocateId());
    EXPECT_EQ(later, IdFloorForTimeMs(kNowMs + 3));
    last = later;
  }
  // The clock steps back an hour and the process restarts: ids still grow.
  clock.Advance(-absl::Hours(1));
  GRID_ASSERT_OK_AND_ASSIGN(auto storage, Storage::Open(options));
  GRID_ASSERT_OK_AND_ASSIGN(uint64_t id, storage->AllocateId());
  EXPECT_GT(id, last);
}

}  // namespace
}  // namespace grid::storage
