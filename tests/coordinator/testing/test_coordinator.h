// An in-process coordinator on 127.0.0.1 port 0 over a fresh temporary data
// directory, with an OperatorService stub, for integration tests.
#ifndef GRID_TESTS_COORDINATOR_TESTING_TEST_COORDINATOR_H_
#define GRID_TESTS_COORDINATOR_TESTING_TEST_COORDINATOR_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/target_policy.h"
#include "common/tls/credentials.h"
#include "coordinator/coordinator.h"
#include "grid/v1/operator.grpc.pb.h"
#include "gtest/gtest.h"
#include "storage/storage.h"

namespace grid::testing {

// A new empty directory under $TEST_TMPDIR or /tmp, removed by the
// destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The lab's ranges (198.18.0.0/15, 2001:2::/48) as an allowlist.
common::TargetPolicyOptions LabTargets();

class TestCoordinator {
 public:
  // Fast defaults for tests: 200 ms heartbeats, 1 s reconnect grace, the
  // lab's ranges allowed, no rate limits; TLS with TestCerts::Shared()'s
  // coordinator certificate.
  static coordinator::CoordinatorOptions FastOptions();
  // Starts on `options` (listen and data_dir are filled in).
  static absl::StatusOr<std::unique_ptr<TestCoordinator>> Start(
      coordinator::CoordinatorOptions options = FastOptions());
  ~TestCoordinator();

  const std::string& address() const { return address_; }
  // An operator's stub (certificate "ops" when TLS is on).
  v1::OperatorService::Stub& op() { return *op_; }
  const std::string& data_dir() const { return dir_.path(); }
  coordinator::Coordinator& coordinator() { return *coordinator_; }
  // Stops serving and closes the store (it can then be opened directly).
  void Stop();
  // Stops, then opens the store directly (it must exist).
  absl::StatusOr<std::unique_ptr<storage::Storage>> StopAndOpenStore();
  // Starts again on the same data directory and port.
  absl::Status Restart();

 private:
  TestCoordinator() = default;
  coordinator::CoordinatorOptions options_;
  TempDir dir_;
  std::unique_ptr<coordinator::Coordinator> coordinator_;
  std::string address_;
  std::unique_ptr<v1::OperatorService::Stub> op_;
};

// A test fixture with a TestCoordinator on FastOptions() in coord_.
class CoordinatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = TestCoordinator::Start();
    ASSERT_TRUE(c.ok()) << c.status();
    coord_ = *std::move(c);
  }
  std::unique_ptr<TestCoordinator> coord_;
};

// An OperatorService stub for `address` with `tls` (plaintext: nullopt).
std::unique_ptr<v1::OperatorService::Stub> OperatorStub(
    const std::string& address, const std::optional<tls::TlsMaterial>& tls);

}  // namespace grid::testing

#endif  // GRID_TESTS_COORDINATOR_TESTING_TEST_COORDINATOR_H_
