// Storage is used from several threads without external locking.
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "storage/storage.h"
#include "tests/storage/storage_test_util.h"

namespace grid::storage {
namespace {

using testing::MakeCycleResult;
using testing::MakeDiagnosis;
using testing::TempDir;

constexpr int kThreads = 4;

TEST(StorageConcurrency, ParallelIdsAreUnique) {
  TempDir dir;
  StorageOptions options;
  options.path = dir.Sub("db");
  GRID_ASSERT_OK_AND_ASSIGN(auto storage, Storage::Open(options));
  std::vector<std::vector<uint64_t>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        auto id = storage->AllocateId();
        ASSERT_TRUE(id.ok()) << id.status();
        ids[t].push_back(*id);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<uint64_t> all;
  for (const auto& v : ids) {
    for (size_t i = 1; i < v.size(); ++i) EXPECT_LT(v[i - 1], v[i]);
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * 500));
}

TEST(StorageConcurrency, ParallelIngestAndHistoryLoseNothing) {
  TempDir dir;
  StorageOptions options;
  options.path = dir.Sub("db");
  GRID_ASSERT_OK_AND_ASSIGN(auto storage, Storage::Open(options));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string probe = "p" + std::to_string(t);
      for (uint32_t cycle = 0; cycle < 200; ++cycle) {
        // All threads write the same job: keys differ by probe.
        const absl::Status s = storage->PutCycleResult(
            MakeCycleResult(1, probe, v1::DIRECTION_FORWARD, cycle));
        ASSERT_TRUE(s.ok()) << s;
        if (cycle % 20 == 0) {
          ASSERT_TRUE(storage
                          ->PutDiagnosis(MakeDiagnosis(1000 * (t + 1) + cycle,
                                                       "198.18.0.1", cycle))
                          .ok());
          ASSERT_TRUE(storage->History("198.18.0.1", {}).ok());
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  GRID_ASSERT_OK_AND_ASSIGN(auto results, storage->GetCycleResults(1));
  EXPECT_EQ(results.size(), static_cast<size_t>(kThreads * 200));
  GRID_ASSERT_OK_AND_ASSIGN(auto history, storage->History("198.18.0.1", {}));
  EXPECT_EQ(history.size(), static_cast<size_t>(kThreads * 10));
}

}  // namespace
}  // namespace grid::storage
