// Bad bytes on disk give clear errors, never crashes: values that do not
// parse, values under the wrong key, malformed keys, a foreign schema, and
// a damaged database directory.
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "storage/column_families.h"
#include "storage/keys.h"
#include "storage/storage.h"
#include "tests/storage/storage_test_util.h"

namespace grid::storage {
namespace {

using testing::MakeCycleResult;
using testing::MakeDiagnosis;
using testing::MakeJob;
using testing::MakeProbe;
using testing::TempDir;

constexpr int64_t kT0 = 1717000000000;
// Bytes that never parse as a protobuf message: a truncated varint tag.
const std::string kGarbage = "\xff\xff\xff\xff";

// Opens the database behind Storage's back with plain RocksDB and lets
// `plant` write raw entries: put(cf, key, value).
using PutFn =
    std::function<void(ColumnFamily, const std::string&, const std::string&)>;
void PlantRaw(const std::string& path, const std::function<void(PutFn)>& plant,
              std::vector<std::string> extra_families = {}) {
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (ColumnFamily cf : kAllColumnFamilies) {
    descriptors.emplace_back(std::string(ColumnFamilyName(cf)),
                             rocksdb::ColumnFamilyOptions());
  }
  for (const std::string& name : extra_families) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  rocksdb::DBOptions options;
  options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(options, path, descriptors, &handles, &db);
  ASSERT_TRUE(s.ok()) << s.ToString();
  plant([&](ColumnFamily cf, const std::string& key, const std::string& value) {
    rocksdb::Status put = db->Put(rocksdb::WriteOptions(),
                                  handles[static_cast<size_t>(cf)], key, value);
    ASSERT_TRUE(put.ok()) << put.ToString();
  });
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  delete db;
}

std::string Serialize(const google::protobuf::MessageLite& m) {
  return m.SerializeAsString();
}

void ExpectDataLoss(const absl::Status& s, const std::string& family,
                    const std::string& key_hex) {
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  const std::string message(s.message());
  EXPECT_NE(message.find("'" + family + "'"), std::string::npos) << s;
  EXPECT_NE(message.find(key_hex), std::string::npos) << s;
}

class CorruptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.Sub("db");
    // Create the database, with good records around the bad ones.
    auto storage = Reopen();
    ASSERT_NE(storage, nullptr);
    ASSERT_TRUE(storage->PutJob(MakeJob(1, "x", kT0)).ok());
    ASSERT_TRUE(storage->PutProbe(MakeProbe("x", kT0)).ok());
  }

  std::unique_ptr<Storage> Reopen() {
    StorageOptions options;
    options.path = path_;
    auto storage = Storage::Open(options);
    EXPECT_TRUE(storage.ok()) << storage.status();
    return storage.ok() ? std::move(*storage) : nullptr;
  }

  TempDir dir_;
  std::string path_;
};

TEST_F(CorruptionTest, UnparsableValuesAreDataLoss) {
  const std::string hop_key =
      EncodeHopResultKey({5, ProbeId("x"), v1::DIRECTION_FORWARD, 0});
  PlantRaw(path_, [&](PutFn put) {
    put(ColumnFamily::kJobs, IdKey(5), kGarbage);
    put(ColumnFamily::kProbes, "y", kGarbage);
    put(ColumnFamily::kHopResults, hop_key, kGarbage);
    put(ColumnFamily::kDiagnoses, IdKey(6), kGarbage);
  });
  auto storage = Reopen();
  ASSERT_NE(storage, nullptr);
  ExpectDataLoss(storage->GetJob(5).status(), "jobs", HexKey(IdKey(5)));
  EXPECT_NE(std::string(storage->GetJob(5).status().message())
                .find("grid.v1.JobRecord"),
            std::string::npos);
  ExpectDataLoss(storage->GetProbe("y").status(), "probes", HexKey("y"));
  ExpectDataLoss(storage->ListProbes().status(), "probes", HexKey("y"));
  ExpectDataLoss(storage->GetCycleResults(5).status(), "hop_results",
                 HexKey(hop_key));
  ExpectDataLoss(
      storage->GetCycleResults(5, "x", v1::DIRECTION_FORWARD, 0).status(),
      "hop_results", HexKey(hop_key));
  ExpectDataLoss(storage->GetDiagnosis(6).status(), "diagnoses",
                 HexKey(IdKey(6)));
  // Good records next to bad ones still read.
  EXPECT_TRUE(storage->GetJob(1).ok());
  EXPECT_TRUE(storage->GetProbe("x").ok());
  // Re-ingesting over a corrupt result repairs it.
  ASSERT_TRUE(
      storage->PutCycleResult(MakeCycleResult(5, "x", v1::DIRECTION_FORWARD, 0))
          .ok());
  EXPECT_TRUE(storage->GetCycleResults(5).ok());
}

TEST_F(CorruptionTest, ValuesUnderTheWrongKeyAreDataLoss) {
  const std::string hop_key =
      EncodeHopResultKey({5, ProbeId("x"), v1::DIRECTION_FORWARD, 1});
  PlantRaw(path_, [&](PutFn put) {
    put(ColumnFamily::kJobs, IdKey(6), Serialize(MakeJob(7, "x", kT0)));
    put(ColumnFamily::kProbes, "y", Serialize(MakeProbe("z", kT0)));
    // Cycle 0's result stored as cycle 1.
    put(ColumnFamily::kHopResults, hop_key,
        Serialize(MakeCycleResult(5, "x", v1::DIRECTION_FORWARD, 0)));
    put(ColumnFamily::kDiagnoses, IdKey(8),
        Serialize(MakeDiagnosis(9, "198.18.0.1", kT0)));
  });
  auto storage = Reopen();
  ASSERT_NE(storage, nullptr);
  ExpectDataLoss(storage->GetJob(6).status(), "jobs", HexKey(IdKey(6)));
  ExpectDataLoss(storage->GetProbe("y").status(), "probes", HexKey("y"));
  const absl::Status s = storage->GetCycleResults(5).status();
  ExpectDataLoss(s, "hop_results", HexKey(hop_key));
  EXPECT_NE(std::string(s.message()).find("cycle 0"), std::string::npos) << s;
  ExpectDataLoss(storage->GetDiagnosis(8).status(), "diagnoses",
                 HexKey(IdKey(8)));
}

TEST_F(CorruptionTest, BrokenHistoryIndexIsDataLoss) {
  TargetBytes target = *NormalizeTarget("198.18.0.1");
  const std::string dangling = EncodeTargetIndexKey({target, kT0, 77});
  const std::string wrong_time = EncodeTargetIndexKey({target, kT0 + 5, 78});
  // 24 bytes: target and time, no id.
  const std::string short_key =
      TargetIndexTimeBound(*NormalizeTarget("198.18.0.2"), kT0);
  {
    auto storage = Reopen();
    ASSERT_NE(storage, nullptr);
    ASSERT_TRUE(
        storage->PutDiagnosis(MakeDiagnosis(78, "198.18.0.3", kT0)).ok());
  }
  PlantRaw(path_, [&](PutFn put) {
    put(ColumnFamily::kDiagnosesByTarget, dangling, "");
    put(ColumnFamily::kDiagnosesByTarget, wrong_time, "");
    put(ColumnFamily::kDiagnosesByTarget, short_key, "");
  });
  auto storage = Reopen();
  ASSERT_NE(storage, nullptr);
  HistoryQuery oldest_first;
  oldest_first.newest_first = false;
  const absl::Status dangling_status =
      storage->History("198.18.0.1", oldest_first).status();
  ExpectDataLoss(dangling_status, "diagnoses_by_target", HexKey(dangling));
  EXPECT_NE(std::string(dangling_status.message()).find("missing diagnosis 77"),
            std::string::npos);
  // Newest first meets the entry whose record has another target first.
  ExpectDataLoss(storage->History("198.18.0.1", {}).status(), "diagnoses",
                 HexKey(IdKey(78)));
  const absl::Status short_status = storage->History("198.18.0.2", {}).status();
  EXPECT_EQ(short_status.code(), absl::StatusCode::kDataLoss) << short_status;
  EXPECT_NE(std::string(short_status.message()).find(HexKey(short_key)),
            std::string::npos)
      << short_status;
  // Retention walks the index and reports the bad key instead of crashing.
  EXPECT_EQ(storage->ApplyRetention().status().code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(CorruptionTest, BadMetaRefusesToOpen) {
  PlantRaw(path_,
           [&](PutFn put) { put(ColumnFamily::kMeta, "last_id", "abc"); });
  StorageOptions options;
  options.path = path_;
  absl::Status s = Storage::Open(options).status();
  ExpectDataLoss(s, "default", HexKey("last_id"));

  PlantRaw(path_, [&](PutFn put) {
    put(ColumnFamily::kMeta, "last_id", std::string(8, '\0'));
    put(ColumnFamily::kMeta, "schema_version", "99");
  });
  s = Storage::Open(options).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(std::string(s.message()).find("99"), std::string::npos) << s;
}

TEST_F(CorruptionTest, UnknownColumnFamilyRefusesToOpen) {
  PlantRaw(path_, [](PutFn) {}, {"from_the_future"});
  StorageOptions options;
  options.path = path_;
  const absl::Status s = Storage::Open(options).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(std::string(s.message()).find("from_the_future"), std::string::npos)
      << s;
}

TEST_F(CorruptionTest, DamagedDirectoryIsAnErrorNotACrash) {
  std::ofstream(path_ + "/CURRENT", std::ios::trunc) << "garbage";
  StorageOptions options;
  options.path = path_;
  const absl::Status s = Storage::Open(options).status();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find(path_), std::string::npos) << s;
}

}  // namespace
}  // namespace grid::storage
