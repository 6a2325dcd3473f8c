// The `grid diagnose`, `grid probes` and `grid history` commands as a user
// runs them: the real `grid` binary against an in-process coordinator with
// scripted probes. Exit statuses, one-line errors, JSON.
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/coordinator/testing/fake_probe.h"
#include "tests/coordinator/testing/test_certs.h"
#include "tests/coordinator/testing/test_coordinator.h"

namespace grid::testing {
namespace {

using ::testing::HasSubstr;

struct Result {
  int exit_code = -1;
  std::string out, err;
};

// The environment of an operator: GRID_TLS_DIR with an operator
// certificate from the tests' CA.
std::string OperatorEnv() {
  return absl::StrCat("GRID_TLS_DIR=",
                      TestCerts::Shared().Dir(tls::Role::kOperator, "ops"));
}

// Runs `grid ARGS...` with GRID_COORDINATOR set to `env_coordinator`
// (unset if empty) and the GRID_TLS_* variables as `tls_env` sets them
// (VAR=VALUE ...).
Result Grid(const std::vector<std::string>& args,
            const std::string& env_coordinator = "",
            const std::string& tls_env = OperatorEnv()) {
  TempDir dir;
  const std::string err_path = dir.path() + "/stderr";
  std::string cmd = absl::StrCat(
      "env -u GRID_TLS_DIR -u GRID_TLS_CERT -u GRID_TLS_KEY -u GRID_TLS_CA "
      "-u GRID_TLS_SERVER_NAME -u GRID_INSECURE -u GRID_COORDINATOR ",
      tls_env, " ",
      env_coordinator.empty()
          ? ""
          : absl::StrCat("GRID_COORDINATOR=", env_coordinator, " "));
  absl::StrAppend(&cmd, GRID_CLI_BIN, " ", absl::StrJoin(args, " "), " 2>",
                  err_path);
  Result r;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_path);
  std::stringstream ss;
  ss << in.rdbuf();
  r.err = ss.str();
  return r;
}

int Lines(const std::string& s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

using CliTest = CoordinatorTest;

TEST_F(CliTest, ErrorsAreOneLineAndExitTwo) {
  // No probes connected.
  Result r =
      Grid({"diagnose", "198.18.3.6", "--coordinator", coord_->address()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "grid diagnose: no probes are connected\n");
  EXPECT_TRUE(r.out.empty());
  // Bad target, before anything is asked.
  r = Grid({"diagnose", "server.example", "--coordinator", coord_->address()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("bad target \"server.example\""));
  EXPECT_EQ(Lines(r.err), 1);
  // Nobody listening.
  TempDir unused;
  r = Grid({"diagnose", "198.18.3.6", "--coordinator", "127.0.0.1:1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("cannot reach the coordinator at 127.0.0.1:1"));
  EXPECT_EQ(Lines(r.err), 1);
  // No coordinator given at all.
  r = Grid({"probes"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("GRID_COORDINATOR"));
  r = Grid({"history", "198.18.3.6", "--coordinator", "nonsense"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--coordinator \"nonsense\""));
  r = Grid({"probes"}, coord_->address());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "grid probes: no probes have connected to this coordinator\n");
}

TEST_F(CliTest, RefusedTargetIsOneLineAndExitTwo) {
  FakeProbe x(coord_->address(), MakeHello("X", 1));
  ASSERT_TRUE(x.Connect().ok());
  Result r =
      Grid({"diagnose", "127.0.0.1", "--coordinator", coord_->address()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "grid diagnose: target 127.0.0.1 refused: loopback address (allow "
            "with --allow-target 127.0.0.0/8)\n");
  EXPECT_TRUE(r.out.empty());
  r = Grid({"diagnose", "192.168.1.1", "--json"}, coord_->address());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "grid diagnose: target 192.168.1.1 refused: private-use address, "
            "RFC 1918 (allow with --allow-private or --allow-target "
            "192.168.0.0/16)\n");
  EXPECT_FALSE(x.NextJob(absl::Milliseconds(200)).has_value());
}

TEST_F(CliTest, RefusedReturnTraceIsPrintedUnderTheVerdict) {
  FakeProbe x(coord_->address(), MakeHello("X", 1));
  FakeProbe s(coord_->address(), MakeHello("S", 2, {}, {"198.18.3.4/30"}));
  ASSERT_TRUE(x.Connect().ok() && s.Connect().ok());
  // X is behind NAT: its source address is private, which the coordinator
  // (lab ranges only) refuses as a return-trace target.
  std::thread play([&] {
    std::optional<v1::JobSpec> job = x.NextJob();
    if (!job) return;
    x.SendStarted(job->job_id(), "10.0.0.2");
    x.SendCycles(
        {MakeCycle(job->job_id(), "X", v1::DIRECTION_FORWARD, 0, "10.0.0.2",
                   job->target(), {"10.0.0.1", job->target()}, {1, 2})});
    x.SendDone(job->job_id(), v1::JOB_STATUS_DONE, 1, "10.0.0.2");
  });
  Result r = Grid({"diagnose", "198.18.3.6", "-c", "1"}, coord_->address());
  play.join();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\nRejected: S: return trace not sent: target "
                               "10.0.0.2 refused: private-use address, RFC "
                               "1918 (allow with --allow-private or "
                               "--allow-target 10.0.0.0/8)\n"));
  EXPECT_FALSE(s.NextJob(absl::Milliseconds(200)).has_value());
}

TEST(CliRateLimit, OverTheLimitIsOneLineAndExitTwo) {
  coordinator::CoordinatorOptions o = TestCoordinator::FastOptions();
  o.scheduler.rate_limits = {.target_per_minute = 1, .operator_per_minute = 0};
  auto c = TestCoordinator::Start(o);
  ASSERT_TRUE(c.ok()) << c.status();
  // No probes: the first is admitted (and fails for that), the second not.
  Result r = Grid({"diagnose", "198.18.3.6"}, (*c)->address());
  EXPECT_EQ(r.err, "grid diagnose: no probes are connected\n");
  r = Grid({"diagnose", "198.18.3.6"}, (*c)->address());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, ::testing::StartsWith(
                         "grid diagnose: rate limit: target 198.18.3.6 had 1 "
                         "diagnoses or traces in the last minute "
                         "(--target-rate 1); retry in "));
  EXPECT_EQ(Lines(r.err), 1);
}

TEST_F(CliTest, DiagnoseProbesAndHistory) {
  FakeProbe x(coord_->address(), MakeHello("X", 1, {{"isp", "a"}}));
  ASSERT_TRUE(x.Connect().ok());
  // X answers its job with a clean path.
  std::thread play([&] {
    std::optional<v1::JobSpec> job = x.NextJob();
    if (!job) return;
    x.SendStarted(job->job_id(), "198.18.1.2");
    for (uint32_t c = 0; c < job->cycles(); ++c) {
      x.SendCycles(
          {MakeCycle(job->job_id(), "X", v1::DIRECTION_FORWARD, c, "198.18.1.2",
                     job->target(), {"198.18.1.1", "198.18.1.6", job->target()},
                     {1, 2, 3})});
    }
    x.SendDone(job->job_id(), v1::JOB_STATUS_DONE, job->cycles(), "198.18.1.2");
  });
  Result r = Grid({"diagnose", "198.18.3.6", "-c", "5", "-i", "0.01", "--json"},
                  coord_->address());
  play.join();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "healthy");
  for (const char* field : {"summary", "findings", "artifacts", "vantages"}) {
    EXPECT_TRUE(j.contains(field)) << field;
  }
  ASSERT_EQ(j["vantages"].size(), 1u);
  EXPECT_EQ(j["vantages"][0]["name"], "X");
  ASSERT_EQ(j["vantages"][0]["forward"].size(), 3u);
  const nlohmann::json& hop = j["vantages"][0]["forward"][2];
  EXPECT_EQ(hop["host"], "198.18.3.6");
  EXPECT_EQ(hop["sent"], 5);
  for (const char* field : {"ttl", "host", "loss_pct", "sent", "last", "avg",
                            "best", "worst", "stdev"}) {
    EXPECT_TRUE(hop.contains(field)) << field;
  }
  EXPECT_EQ(j["vantages"][0]["return"].size(), 0u);
  EXPECT_EQ(j["target"], "198.18.3.6");

  r = Grid({"probes", "--json"}, coord_->address());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json probes = nlohmann::json::parse(r.out);
  ASSERT_EQ(probes.size(), 1u);
  EXPECT_EQ(probes[0]["name"], "X");
  EXPECT_EQ(probes[0]["connected"], true);
  EXPECT_EQ(probes[0]["labels"]["isp"], "a");
  r = Grid({"probes"}, coord_->address());
  EXPECT_THAT(r.out, HasSubstr("NAME"));
  EXPECT_THAT(r.out, HasSubstr("isp=a"));

  r = Grid({"history", "198.18.3.6", "--json"}, coord_->address());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json history = nlohmann::json::parse(r.out);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0]["verdict"], "healthy");
  EXPECT_EQ(history[0]["id"], j["id"]);
  r = Grid({"history", "198.18.3.6"}, coord_->address());
  EXPECT_THAT(r.out, HasSubstr("healthy"));
  r = Grid({"history", "198.18.9.9"}, coord_->address());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("No diagnoses"));
}

// Every way TLS can go wrong for an operator: one line saying which, exit 2.
TEST_F(CliTest, TlsFailuresAreOneLineAndExitTwo) {
  TestCerts other;  // A CA the coordinator does not trust, nor trusts it.
  const std::string ours = TestCerts::Shared().Dir(tls::Role::kOperator, "ops");
  const std::string theirs = other.Dir(tls::Role::kOperator, "ops");
  const std::string probe = TestCerts::Shared().Dir(tls::Role::kProbe, "X");
  struct Case {
    std::string env;
    std::vector<std::string> flags;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"", {}, "TLS is required"},
      {absl::StrCat("GRID_TLS_DIR=", theirs), {}, "not signed by our CA"},
      {absl::StrCat("GRID_TLS_DIR=", ours, " GRID_TLS_CA=", theirs, "/ca.crt"),
       {},
       "not signed by our CA"},
      {absl::StrCat("GRID_TLS_CERT=", theirs, "/tls.crt GRID_TLS_KEY=", theirs,
                    "/tls.key GRID_TLS_CA=", ours, "/ca.crt"),
       {},
       "refused our certificate"},
      {absl::StrCat("GRID_TLS_DIR=", ours),
       {"--tls-server-name", "wrong.example"},
       "not valid for wrong.example"},
      {absl::StrCat("GRID_TLS_DIR=", probe),
       {},
       "may not use the operator API"},
      {"GRID_INSECURE=1", {}, "cannot reach the coordinator"},
      {"", {"--insecure", "--tls-ca", ours + "/ca.crt"}, "contradict"},
      {"", {"--tls-cert", ours + "/tls.crt"}, "--tls-key and --tls-ca too"},
      {"",
       {"--tls-cert", ours + "/tls.crt", "--tls-key", probe + "/tls.key",
        "--tls-ca", ours + "/ca.crt"},
       "is not the key of"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"probes", "--coordinator",
                                     coord_->address()};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    Result r = Grid(args, "", c.env);
    EXPECT_EQ(r.exit_code, 2) << c.env << " " << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.expected)) << c.env;
    EXPECT_EQ(Lines(r.err), 1) << r.err;
    EXPECT_TRUE(r.out.empty());
  }
  // Flags alone, no environment: through to the coordinator's answer.
  Result r = Grid({"probes", "--coordinator", coord_->address(), "--tls-cert",
                   ours + "/tls.crt", "--tls-key", ours + "/tls.key",
                   "--tls-ca", ours + "/ca.crt"},
                  "", "");
  EXPECT_EQ(r.err,
            "grid probes: no probes have connected to this coordinator\n");
  // The coordinator known by another name.
  r = Grid(
      {"probes", "--coordinator", coord_->address()}, "",
      absl::StrCat("GRID_TLS_DIR=", ours, " GRID_TLS_SERVER_NAME=localhost"));
  EXPECT_EQ(r.err,
            "grid probes: no probes have connected to this coordinator\n");
}

// `grid certs` as a user runs it; the issued directories work as
// GRID_TLS_DIR.
TEST_F(CliTest, CertsMakesAWorkingCaAndCertificates) {
  TempDir dir;
  const std::string ca = dir.path() + "/ca";
  Result r = Grid({"certs", "init", "--dir", ca});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  struct stat st;
  ASSERT_EQ(stat((ca + "/ca.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  r = Grid({"certs", "init", "--dir", ca});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("refusing to replace a CA"));
  EXPECT_EQ(Lines(r.err), 1);

  const std::string op = dir.path() + "/op";
  r = Grid({"certs", "operator", "--dir", ca, "--out", op, "--name", "alice",
            "--days", "30"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"tls.crt", "tls.key", "ca.crt"}) {
    EXPECT_EQ(stat((op + "/" + f).c_str(), &st), 0) << f;
  }
  EXPECT_EQ(st.st_mode & 0777, 0644);  // ca.crt
  ASSERT_EQ(stat((op + "/tls.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  r = Grid({"certs", "operator", "--dir", ca, "--out", op, "--name", "bob"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--force"));
  r = Grid({"certs", "operator", "--dir", ca, "--out", op, "--name", "alice",
            "--force"});
  EXPECT_EQ(r.exit_code, 0) << r.err;

  // Bad requests: one line, exit 2.
  for (const std::vector<std::string>& bad :
       std::vector<std::vector<std::string>>{
           {"certs", "probe", "--dir", ca, "--out", op + "2", "--name", "a*b"},
           {"certs", "operator", "--dir", ca, "--out", op + "2", "--name",
            "x*"},
           {"certs", "probe", "--dir", ca, "--out", op + "2", "--name",
            std::string(65, 'n')},
           {"certs", "coordinator", "--dir", ca, "--out", op + "2", "--host",
            "bad/host"},
           {"certs", "probe", "--dir", dir.path() + "/none", "--out", op + "2",
            "--name", "p"},
           {"certs", "probe", "--dir", ca, "--out", op + "2", "--name", "p",
            "--days", "0"}}) {
    r = Grid(bad);
    EXPECT_EQ(r.exit_code, 2) << absl::StrJoin(bad, " ");
    EXPECT_EQ(Lines(r.err), 1) << r.err;
  }

  // A coordinator with this CA's certificate serves this operator.
  const std::string server = dir.path() + "/server";
  r = Grid({"certs", "coordinator", "--dir", ca, "--out", server, "--host",
            "127.0.0.1", "--host", "localhost"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  coordinator::CoordinatorOptions o = TestCoordinator::FastOptions();
  tls::TlsFlags f;
  f.cert = server + "/tls.crt";
  f.key = server + "/tls.key";
  f.ca = server + "/ca.crt";
  absl::StatusOr<std::optional<tls::TlsMaterial>> m = tls::LoadTls(f);
  ASSERT_TRUE(m.ok()) << m.status();
  o.tls = *m;
  auto c = TestCoordinator::Start(o);
  ASSERT_TRUE(c.ok()) << c.status();
  r = Grid({"probes", "--coordinator", (*c)->address()}, "",
           "GRID_TLS_DIR=" + op);
  EXPECT_EQ(r.err,
            "grid probes: no probes have connected to this coordinator\n");
}

}  // namespace
}  // namespace grid::testing
