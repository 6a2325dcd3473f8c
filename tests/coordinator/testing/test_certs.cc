#include "tests/coordinator/testing/test_certs.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"

namespace grid::testing {
namespace {

template <typename T>
T OrDie(absl::StatusOr<T> v) {
  if (!v.ok()) {
    std::cerr << "test certificates: " << v.status() << "\n";
    std::abort();
  }
  return *std::move(v);
}

}  // namespace

TestCerts& TestCerts::Shared() {
  static TestCerts* certs = new TestCerts();
  return *certs;
}

TestCerts::TestCerts() {
  tls::CaOptions o;
  o.dir = dir_.path() + "/ca";
  o.name = "grid test CA";
  if (absl::Status s = tls::InitCa(o); !s.ok()) {
    std::cerr << "test CA: " << s << "\n";
    std::abort();
  }
}

std::string TestCerts::Dir(tls::Role role, const std::string& name) {
  const std::string key = absl::StrCat(tls::RoleName(role), "/", name);
  absl::MutexLock lock(&mu_);
  auto it = issued_.find(key);
  if (it != issued_.end()) return it->second;
  tls::IssueOptions o;
  o.ca_dir = dir_.path() + "/ca";
  o.out_dir = absl::StrCat(dir_.path(), "/", issued_.size());
  o.role = role;
  if (role == tls::Role::kCoordinator) {
    o.hosts = {name, "localhost"};
  } else {
    o.name = name;
  }
  if (absl::Status s = tls::IssueCert(o); !s.ok()) {
    std::cerr << "test certificate " << key << ": " << s << "\n";
    std::abort();
  }
  issued_[key] = o.out_dir;
  return o.out_dir;
}

tls::TlsMaterial TestCerts::Material(tls::Role role, const std::string& name) {
  const std::string dir = Dir(role, name);
  tls::TlsFlags f;
  f.cert = dir + "/tls.crt";
  f.key = dir + "/tls.key";
  f.ca = dir + "/ca.crt";
  return *OrDie(tls::LoadTls(f));
}

}  // namespace grid::testing
