// Retention with an injected clock.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "storage/keys.h"
#include "storage/storage.h"
#include "tests/storage/storage_test_util.h"

namespace grid::storage {
namespace {

using testing::FakeClock;
using testing::MakeCycleResult;
using testing::MakeDiagnosis;
using testing::MakeJob;
using testing::MakeProbe;
using testing::TempDir;

const absl::Time kT0 = absl::FromUnixMillis(1717000000000);

int64_t Ms(absl::Time t) { return absl::ToUnixMillis(t); }

// Writes one job with two cycles of results and one diagnosis of `target`,
// all stamped with the clock's current time. Returns the job id.
uint64_t WriteJobAt(Storage& storage, FakeClock& clock,
                    const std::string& target) {
  const auto job_id = storage.AllocateId();
  const auto diagnosis_id = storage.AllocateId();
  EXPECT_TRUE(job_id.ok() && diagnosis_id.ok());
  const int64_t now = Ms(clock.Now());
  EXPECT_TRUE(storage
                  .PutCycleResults(
                      {MakeCycleResult(*job_id, "x", v1::DIRECTION_FORWARD, 0),
                       MakeCycleResult(*job_id, "x", v1::DIRECTION_FORWARD, 1)},
                      {MakeJob(*job_id, "x", now)})
                  .ok());
  EXPECT_TRUE(
      storage.PutDiagnosis(MakeDiagnosis(*diagnosis_id, target, now)).ok());
  return *job_id;
}

size_t HistorySize(Storage& storage, const std::string& target) {
  auto history = storage.History(target, {});
  EXPECT_TRUE(history.ok()) << history.status();
  return history.ok() ? history->size() : 0;
}

TEST(Retention, DeletesWhatIsOlderThanTheRetention) {
  TempDir dir;
  FakeClock clock(kT0);
  StorageOptions options;
  options.path = dir.Sub("db");
  options.clock = clock.AsFunction();  // Default retention: 30 days.
  auto opened = Storage::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  Storage& storage = **opened;

  const uint64_t old_job = WriteJobAt(storage, clock, "198.18.0.1");
  const uint64_t old_job_b = WriteJobAt(storage, clock, "198.18.0.2");
  GRID_ASSERT_OK(storage.PutProbe(MakeProbe("gone", Ms(kT0))));
  clock.Advance(absl::Hours(24));
  const uint64_t day1_job = WriteJobAt(storage, clock, "198.18.0.1");
  GRID_ASSERT_OK(storage.PutProbe(MakeProbe("seen", Ms(clock.Now()))));

  // 30 days and 12 hours after kT0: kT0 is out, kT0 + 1 day is in.
  clock.Set(kT0 + absl::Hours(24 * 30 + 12));
  const uint64_t new_job = WriteJobAt(storage, clock, "198.18.0.1");

  GRID_ASSERT_OK_AND_ASSIGN(RetentionStats stats, storage.ApplyRetention());
  EXPECT_EQ(stats.cutoff, kT0 + absl::Hours(12));
  EXPECT_EQ(stats.id_floor, IdFloorForTimeMs(Ms(kT0 + absl::Hours(12))));
  EXPECT_EQ(stats.diagnoses_deleted, 2);
  EXPECT_EQ(stats.probes_deleted, 1);

  for (uint64_t job : {old_job, old_job_b}) {
    EXPECT_EQ(storage.GetJob(job).status().code(), absl::StatusCode::kNotFound);
    GRID_ASSERT_OK_AND_ASSIGN(auto results, storage.GetCycleResults(job));
    EXPECT_TRUE(results.empty()) << job;
  }
  for (uint64_t job : {day1_job, new_job}) {
    EXPECT_TRUE(storage.GetJob(job).ok()) << job;
    GRID_ASSERT_OK_AND_ASSIGN(auto results, storage.GetCycleResults(job));
    EXPECT_EQ(results.size(), 2u) << job;
  }
  EXPECT_EQ(HistorySize(storage, "198.18.0.1"), 2u);
  EXPECT_EQ(HistorySize(storage, "198.18.0.2"), 0u);
  EXPECT_EQ(storage.GetProbe("gone").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(storage.GetProbe("seen").ok());

  // Nothing more to do at the same time; later, day 1 expires too.
  GRID_ASSERT_OK_AND_ASSIGN(RetentionStats again, storage.ApplyRetention());
  EXPECT_EQ(again.diagnoses_deleted, 0);
  clock.Advance(absl::Hours(24));
  GRID_ASSERT_OK_AND_ASSIGN(RetentionStats later, storage.ApplyRetention());
  EXPECT_EQ(later.diagnoses_deleted, 1);
  EXPECT_EQ(storage.GetJob(day1_job).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(storage.GetJob(new_job).ok());
  EXPECT_EQ(HistorySize(storage, "198.18.0.1"), 1u);
}

TEST(Retention, DeletionsSurviveARestart) {
  TempDir dir;
  FakeClock clock(kT0);
  StorageOptions options;
  options.path = dir.Sub("db");
  options.clock = clock.AsFunction();
  options.retention = absl::Hours(1);
  uint64_t old_job = 0, new_job = 0;
  {
    GRID_ASSERT_OK_AND_ASSIGN(auto storage, Storage::Open(options));
    old_job = WriteJobAt(*storage, clock, "198.18.0.1");
    clock.Advance(absl::Hours(2));
    new_job = WriteJobAt(*storage, clock, "198.18.0.1");
    GRID_ASSERT_OK(storage->ApplyRetention().status());
  }
  GRID_ASSERT_OK_AND_ASSIGN(auto storage, Storage::Open(options));
  EXPECT_EQ(storage->GetJob(old_job).status().code(),
            absl::StatusCode::kNotFound);
  GRID_ASSERT_OK_AND_ASSIGN(auto results, storage->GetCycleResults(old_job));
  EXPECT_TRUE(results.empty());
  EXPECT_TRUE(storage->GetJob(new_job).ok());
  EXPECT_EQ(HistorySize(*storage, "198.18.0.1"), 1u);
}

TEST(Retention, InfiniteRetentionKeepsEverything) {
  TempDir dir;
  FakeClock clock(kT0);
  StorageOptions options;
  options.path = dir.Sub("db");
  options.clock = clock.AsFunction();
  options.retention = absl::InfiniteDuration();
  GRID_ASSERT_OK_AND_ASSIGN(auto storage, Storage::Open(options));
  const uint64_t job = WriteJobAt(*storage, clock, "198.18.0.1");
  clock.Advance(absl::Hours(24 * 3650));
  GRID_ASSERT_OK_AND_ASSIGN(RetentionStats stats, storage->ApplyRetention());
  EXPECT_EQ(stats.id_floor, 0u);
  EXPECT_TRUE(storage->GetJob(job).ok());
  EXPECT_EQ(HistorySize(*storage, "198.18.0.1"), 1u);
}

}  // namespace
}  // namespace grid::storage
