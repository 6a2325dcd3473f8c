// Certificates for tests, made at test time by grid's own CA code
// (common/tls/certs.h, as `grid certs` does) in a temporary directory.
// Thread-safe.
#ifndef GRID_TESTS_COORDINATOR_TESTING_TEST_CERTS_H_
#define GRID_TESTS_COORDINATOR_TESTING_TEST_CERTS_H_

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/tls/certs.h"
#include "common/tls/credentials.h"
#include "tests/coordinator/testing/test_coordinator.h"

namespace grid::testing {

class TestCerts {
 public:
  // The process's shared CA, which TestCoordinator trusts.
  static TestCerts& Shared();
  // A new CA of its own (nobody trusts it unless told).
  TestCerts();

  // The directory (tls.crt, tls.key, ca.crt) of a certificate of `role`
  // named `name` (the coordinator's: for 127.0.0.1 and localhost), issued
  // on first use.
  std::string Dir(tls::Role role, const std::string& name);
  // Its material, loaded as grid's processes load it.
  tls::TlsMaterial Material(tls::Role role, const std::string& name);

  tls::TlsMaterial Coordinator() {
    return Material(tls::Role::kCoordinator, "127.0.0.1");
  }
  tls::TlsMaterial Probe(const std::string& name) {
    return Material(tls::Role::kProbe, name);
  }
  tls::TlsMaterial Operator(const std::string& name = "ops") {
    return Material(tls::Role::kOperator, name);
  }

 private:
  TempDir dir_;
  absl::Mutex mu_;
  std::map<std::string, std::string> issued_ ABSL_GUARDED_BY(mu_);
};

}  // namespace grid::testing

#endif  // GRID_TESTS_COORDINATOR_TESTING_TEST_CERTS_H_
