// Diagnoses and the per-target history index.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "storage/storage.h"
#include "tests/storage/storage_test_util.h"

namespace grid::storage {
namespace {

using testing::MakeDiagnosis;
using testing::MakeJob;
using testing::ProtoEquals;
using testing::TempDir;

constexpr int64_t kT0 = 1717000000000;

std::vector<uint64_t> Ids(const std::vector<v1::DiagnosisRecord>& records) {
  std::vector<uint64_t> ids;
  for (const auto& r : records) ids.push_back(r.id());
  return ids;
}

class HistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StorageOptions options;
    options.path = dir_.Sub("db");
    auto storage = Storage::Open(options);
    ASSERT_TRUE(storage.ok()) << storage.status();
    storage_ = std::move(*storage);
    // Target A written out of time order, in both spellings; B and an
    // IPv6 target in between.
    Put(3, "198.18.0.1", kT0 + 3000);
    Put(1, "198.18.0.1", kT0 + 1000);
    Put(10, "198.18.0.2", kT0 + 2000);
    Put(2, "::ffff:198.18.0.1", kT0 + 2000);
    Put(11, "2001:2::1", kT0 + 1500);
    Put(4, "198.18.0.1", kT0 + 2000);  // Same time as 2: id decides.
  }

  void Put(uint64_t id, const std::string& target, int64_t started) {
    const absl::Status s =
        storage_->PutDiagnosis(MakeDiagnosis(id, target, started));
    ASSERT_TRUE(s.ok()) << s;
  }

  std::vector<uint64_t> HistoryIds(const std::string& target,
                                   const HistoryQuery& query) {
    auto history = storage_->History(target, query);
    EXPECT_TRUE(history.ok()) << history.status();
    return history.ok() ? Ids(*history) : std::vector<uint64_t>{};
  }

  TempDir dir_;
  std::unique_ptr<Storage> storage_;
};

TEST_F(HistoryTest, NewestFirstByDefault) {
  EXPECT_EQ(HistoryIds("198.18.0.1", {}), (std::vector<uint64_t>{3, 4, 2, 1}));
}

TEST_F(HistoryTest, OldestFirstOnRequest) {
  HistoryQuery query;
  query.newest_first = false;
  EXPECT_EQ(HistoryIds("198.18.0.1", query),
            (std::vector<uint64_t>{1, 2, 4, 3}));
}

TEST_F(HistoryTest, MappedSpellingIsTheSameTarget) {
  EXPECT_EQ(HistoryIds("::ffff:198.18.0.1", {}),
            (std::vector<uint64_t>{3, 4, 2, 1}));
}

TEST_F(HistoryTest, OtherTargetsAreSeparate) {
  EXPECT_EQ(HistoryIds("198.18.0.2", {}), (std::vector<uint64_t>{10}));
  EXPECT_EQ(HistoryIds("2001:2::1", {}), (std::vector<uint64_t>{11}));
  EXPECT_EQ(HistoryIds("2001:2::2", {}), (std::vector<uint64_t>{}));
}

TEST_F(HistoryTest, TimeWindowIsSinceInclusiveUntilExclusive) {
  HistoryQuery query;
  query.since = absl::FromUnixMillis(kT0 + 2000);
  query.until = absl::FromUnixMillis(kT0 + 3000);
  EXPECT_EQ(HistoryIds("198.18.0.1", query), (std::vector<uint64_t>{4, 2}));
  query.since = absl::FromUnixMillis(kT0 + 3000);
  query.until = absl::FromUnixMillis(kT0 + 2000);
  EXPECT_EQ(HistoryIds("198.18.0.1", query), (std::vector<uint64_t>{}));
}

TEST_F(HistoryTest, LimitKeepsTheNewest) {
  HistoryQuery query;
  query.limit = 2;
  EXPECT_EQ(HistoryIds("198.18.0.1", query), (std::vector<uint64_t>{3, 4}));
  query.newest_first = false;
  EXPECT_EQ(HistoryIds("198.18.0.1", query), (std::vector<uint64_t>{1, 2}));
}

TEST_F(HistoryTest, RecordsComeBackWhole) {
  auto history = storage_->History("198.18.0.2", {});
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 1u);
  EXPECT_TRUE(
      ProtoEquals((*history)[0], MakeDiagnosis(10, "198.18.0.2", kT0 + 2000)));
}

TEST_F(HistoryTest, BadTargetIsInvalidArgument) {
  auto history = storage_->History("server.example", {});
  EXPECT_EQ(history.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(storage_->PutDiagnosis(MakeDiagnosis(20, "nope", kT0)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(storage_->PutDiagnosis(MakeDiagnosis(0, "198.18.0.1", kT0)).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(HistoryTest, ReplacingMovesTheIndexEntry) {
  // Diagnosis 1 is rewritten with a later start and another target.
  Put(1, "198.18.0.2", kT0 + 5000);
  EXPECT_EQ(HistoryIds("198.18.0.1", {}), (std::vector<uint64_t>{3, 4, 2}));
  EXPECT_EQ(HistoryIds("198.18.0.2", {}), (std::vector<uint64_t>{1, 10}));
  // Rewriting unchanged keeps one entry.
  Put(1, "198.18.0.2", kT0 + 5000);
  EXPECT_EQ(HistoryIds("198.18.0.2", {}), (std::vector<uint64_t>{1, 10}));
}

TEST_F(HistoryTest, DiagnosisAndJobsAreOneWrite) {
  v1::DiagnosisRecord d = MakeDiagnosis(30, "198.18.0.3", kT0);
  const absl::Status s =
      storage_->PutDiagnosis(d, {MakeJob(31, "x", kT0), MakeJob(32, "y", kT0)});
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_TRUE(storage_->GetJob(31).ok());
  EXPECT_TRUE(storage_->GetJob(32).ok());
  // A bad job record: nothing of the call is written.
  v1::DiagnosisRecord e = MakeDiagnosis(40, "198.18.0.4", kT0);
  EXPECT_EQ(storage_->PutDiagnosis(e, {v1::JobRecord()}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(storage_->GetDiagnosis(40).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(HistoryIds("198.18.0.4", {}), (std::vector<uint64_t>{}));
}

}  // namespace
}  // namespace grid::storage
