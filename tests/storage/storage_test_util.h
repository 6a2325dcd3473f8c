// Helpers for the storage tests: a temporary directory, a settable clock,
// status assertions and deterministic sample records.
#ifndef GRID_TESTS_STORAGE_STORAGE_TEST_UTIL_H_
#define GRID_TESTS_STORAGE_STORAGE_TEST_UTIL_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/util/message_differencer.h"
#include "grid/v1/model.pb.h"
#include "gtest/gtest.h"
#include "storage/storage.h"

#define GRID_ASSERT_OK(expr)                         \
  do {                                               \
    const ::absl::Status grid_s_ = (expr);           \
    ASSERT_TRUE(grid_s_.ok()) << grid_s_.ToString(); \
  } while (0)

// `GRID_ASSERT_OK_AND_ASSIGN(auto x, StatusOrExpr);`
#define GRID_ASSERT_OK_AND_ASSIGN(lhs, expr)                                 \
  GRID_ASSERT_OK_AND_ASSIGN_IMPL_(GRID_TEST_CONCAT_(grid_t_, __LINE__), lhs, \
                                  expr)
#define GRID_TEST_CONCAT_INNER_(a, b) a##b
#define GRID_TEST_CONCAT_(a, b) GRID_TEST_CONCAT_INNER_(a, b)
#define GRID_ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                    \
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();     \
  lhs = std::move(tmp).value()

namespace grid::storage::testing {

// A fresh directory under $TEST_TMPDIR or /tmp, removed with its contents
// when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // A path inside the directory.
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A clock the test sets; thread-safe.
class FakeClock {
 public:
  explicit FakeClock(absl::Time now) : now_(now) {}
  absl::Time Now() const {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Set(absl::Time now) {
    absl::MutexLock lock(&mu_);
    now_ = now;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }
  std::function<absl::Time()> AsFunction() {
    return [this] { return Now(); };
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

// A realistic result whose contents are a pure function of its identity:
// a few TTLs, ECMP at one of them, an MPLS label, a silent hop.
v1::CycleResult MakeCycleResult(uint64_t job_id, const std::string& probe,
                                v1::Direction direction, uint32_t cycle);

v1::JobRecord MakeJob(uint64_t job_id, const std::string& probe,
                      int64_t created_unix_ms);

v1::ProbeRecord MakeProbe(const std::string& name, int64_t last_seen_unix_ms);

v1::DiagnosisRecord MakeDiagnosis(uint64_t id, const std::string& target,
                                  int64_t started_unix_ms);

inline bool ProtoEquals(const google::protobuf::Message& a,
                        const google::protobuf::Message& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

}  // namespace grid::storage::testing

#endif  // GRID_TESTS_STORAGE_STORAGE_TEST_UTIL_H_
