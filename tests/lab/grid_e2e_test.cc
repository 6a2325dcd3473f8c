// The grid end to end in the namespace lab: a coordinator on a separate
// management network, probe X behind ISP A, probe Y behind ISP B, probe S on
// the server (serving its range). Real grid-coordinator, grid-probe and
// `grid diagnose --json` processes, all over mutual TLS with certificates
// that `grid certs` makes at the start; faults injected into the lab's links
// and routers. Each scenario must give the right verdict and vantages.
//
//   X - a1 - a2 - core - sr - S (server, probe S)
//   Y - b1 - b2 --'
//   C (coordinator): management network only.
//
// Needs root (skips otherwise); label "lab", run serially.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/lab/lab.h"
#include "tests/lab/lab_test_util.h"

namespace grid::lab {
namespace {

using nlohmann::json;
using ::testing::AnyOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

constexpr int kPort = 7000;
// Per-direction loss on the faulty link (about 19% round trip), and delay
// with queueing jitter (congestion: +80 ms round trip, StDev about 12 ms).
constexpr double kLoss = 0.1;
constexpr int kDelayMs = 40;
constexpr int kJitterMs = 15;
// Cycles per trace and seconds between them (as the lab's mtr fixtures).
constexpr char kCycles[] = "100";
constexpr char kInterval[] = "0.1";

// The lab with the grid running in it, shared by the scenarios.
struct Grid {
  std::unique_ptr<Lab> lab;
  std::string dir;          // Data and logs.
  std::string coordinator;  // HOST:PORT on the management network.
  std::string target;       // The server S.
  std::string certs;        // CA and issued certificates (`grid certs`).
};
Grid* grid = nullptr;
absl::Status grid_status;

std::string Logs() {
  std::string out;
  for (const char* name : {"coordinator", "X", "Y", "S"}) {
    std::ifstream in(absl::StrCat(grid->dir, "/", name, ".log"));
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    if (text.size() > 3000) text = "..." + text.substr(text.size() - 3000);
    absl::StrAppend(&out, "--- ", name, " ---\n", text);
  }
  return out;
}

// --tls-cert, --tls-key and --tls-ca of the pair `grid certs` wrote to
// certs/NAME.
std::vector<std::string> TlsArgs(const std::string& certs,
                                 const std::string& name) {
  const std::string dir = absl::StrCat(certs, "/", name);
  return {"--tls-cert",     dir + "/tls.crt", "--tls-key",
          dir + "/tls.key", "--tls-ca",       dir + "/ca.crt"};
}

// Makes the CA and the certificates of the coordinator (for `host`), the
// probes and an operator with `grid certs`.
absl::Status MakeCerts(Lab& lab, const std::string& certs,
                       const std::string& host) {
  const std::string ca = certs + "/ca";
  std::vector<std::vector<std::string>> commands = {
      {"init", "--dir", ca},
      {"coordinator", "--dir", ca, "--out", certs + "/C", "--host", host},
      {"operator", "--dir", ca, "--out", certs + "/operator", "--name", "lab"}};
  for (const char* probe : {"X", "Y", "S"}) {
    commands.push_back({"probe", "--dir", ca, "--out",
                        absl::StrCat(certs, "/", probe), "--name", probe});
  }
  for (const std::vector<std::string>& c : commands) {
    std::vector<std::string> argv = {GRID_BIN, "certs"};
    argv.insert(argv.end(), c.begin(), c.end());
    GRID_ASSIGN_OR_RETURN(RunResult r, lab.Run("C", argv));
    if (r.exit_code != 0) {
      return absl::InternalError(
          absl::StrCat("grid certs ", absl::StrJoin(c, " "), ": ", r.err));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<json> GridJson(const std::vector<std::string>& args,
                              int* exit_code = nullptr) {
  std::vector<std::string> argv = {GRID_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  for (const std::string& a : TlsArgs(grid->certs, "operator")) {
    argv.push_back(a);
  }
  argv.push_back("--coordinator");
  argv.push_back(grid->coordinator);
  argv.push_back("--json");
  absl::StatusOr<RunResult> r =
      grid->lab->Run("C", argv, {.timeout = absl::Seconds(180)});
  if (!r.ok()) return r.status();
  if (exit_code) *exit_code = r->exit_code;
  json j = json::parse(r->out, nullptr, false);
  if (j.is_discarded()) {
    return absl::InternalError(absl::StrCat("grid ", absl::StrJoin(args, " "),
                                            " exited ", r->exit_code,
                                            ", no JSON: ", r->err));
  }
  return j;
}

absl::Status StartGrid() {
  GRID_RETURN_IF_ERROR(Lab::Available());
  Topology t = FixtureTopology();
  t.nodes.push_back({"C", NodeKind::kHost, {}});
  t.management.enabled = true;
  GRID_ASSIGN_OR_RETURN(std::unique_ptr<Lab> lab,
                        Lab::Up(t, Lab::UniquePrefix("grid-e2e")));
  auto g = std::make_unique<Grid>();
  g->lab = std::move(lab);
  Lab& l = *g->lab;
  g->dir = absl::StrCat("/tmp/", l.prefix());
  std::filesystem::create_directories(g->dir);
  GRID_ASSIGN_OR_RETURN(const std::string c_addr, l.ManagementAddress("C"));
  g->coordinator = absl::StrCat(c_addr, ":", kPort);
  GRID_ASSIGN_OR_RETURN(g->target, l.Address("S"));
  g->certs = g->dir + "/certs";
  GRID_RETURN_IF_ERROR(MakeCerts(l, g->certs, c_addr));
  // S's access link, a /30.
  GRID_ASSIGN_OR_RETURN(const std::string sr, l.AddressOn("sr", "S"));
  const std::string serves =
      absl::StrCat(sr.substr(0, sr.rfind('.') + 1),
                   std::stoi(sr.substr(sr.rfind('.') + 1)) & ~3, "/30");

  auto log = [&](const std::string& name) {
    SpawnOptions o;
    o.stderr_path = absl::StrCat(g->dir, "/", name, ".log");
    o.stdout_path = o.stderr_path + ".out";
    return o;
  };
  std::vector<std::string> coordinator = {GRID_COORDINATOR_BIN,
                                          "--listen",
                                          g->coordinator,
                                          "--data",
                                          g->dir + "/db",
                                          "--heartbeat",
                                          "1",
                                          "--allow-target",
                                          "198.18.0.0/15",
                                          "--allow-target",
                                          "2001:2::/48",
                                          "--target-rate",
                                          "60"};
  for (const std::string& a : TlsArgs(g->certs, "C")) coordinator.push_back(a);
  GRID_RETURN_IF_ERROR(l.Spawn("C", coordinator, log("coordinator")).status());
  // The probes start once the coordinator answers an operator over TLS, so
  // their reconnect backoff does not eat into the wait below.
  std::vector<std::string> ask = {GRID_BIN, "probes", "--coordinator",
                                  g->coordinator};
  for (const std::string& a : TlsArgs(g->certs, "operator")) ask.push_back(a);
  for (const absl::Time end = absl::Now() + absl::Seconds(20);;) {
    GRID_ASSIGN_OR_RETURN(RunResult r, l.Run("C", ask));
    if (absl::StrContains(r.err, "no probes have connected")) break;
    if (absl::Now() > end) {
      return absl::DeadlineExceededError(
          absl::StrCat("the coordinator does not answer: ", r.err));
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
  const std::vector<std::pair<std::string, std::vector<std::string>>> probes = {
      {"X", {"--label", "isp=a"}},
      {"Y", {"--label", "isp=b"}},
      {"S", {"--label", "role=server", "--serves", serves}}};
  for (const auto& [name, extra] : probes) {
    std::vector<std::string> argv = {
        GRID_PROBE_BIN, "--coordinator", g->coordinator, "--name", name,
        // Lab routers answer every probe (icmp_ratelimit 0 unless a
        // scenario sets it): no need to pace per router.
        "--pps", "2000", "--router-pps", "0", "--allow-target", "198.18.0.0/15",
        "--allow-target", "2001:2::/48"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    for (const std::string& a : TlsArgs(g->certs, name)) argv.push_back(a);
    GRID_RETURN_IF_ERROR(l.Spawn(name, argv, log(name)).status());
  }
  grid = g.release();
  // Wait for the three probes.
  const absl::Time end = absl::Now() + absl::Seconds(20);
  while (absl::Now() < end) {
    int code = 0;
    absl::StatusOr<json> list = GridJson({"probes", "--connected"}, &code);
    if (list.ok() && list->is_array() && list->size() == 3) {
      return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(300));
  }
  return absl::DeadlineExceededError("the probes did not connect:\n" + Logs());
}

class GridE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { grid_status = StartGrid(); }
  static void TearDownTestSuite() {
    if (grid != nullptr) {
      std::filesystem::remove_all(grid->dir);
      delete grid;  // The lab ends its processes, then its namespaces.
      grid = nullptr;
    }
  }
  void SetUp() override {
    GRID_LAB_REQUIRE();
    ASSERT_TRUE(grid_status.ok()) << grid_status;
    ASSERT_TRUE(grid->lab->ClearFaults().ok());
  }
  void TearDown() override {
    if (grid != nullptr) grid->lab->ClearFaults().IgnoreError();
  }

  // `grid diagnose --json` toward the server; checks what every scenario
  // shares: both clients are vantages with forward and return traces, the
  // return traces aim at each client's data address (never management).
  json Diagnose(int* exit_code) {
    absl::StatusOr<json> j = GridJson(
        {"diagnose", grid->target, "-c", kCycles, "-i", kInterval}, exit_code);
    EXPECT_TRUE(j.ok()) << j.status() << "\n" << Logs();
    if (!j.ok()) return json::object();
    Lab& l = *grid->lab;
    std::set<std::string> names;
    for (const json& v : (*j)["vantages"]) {
      const std::string name = v["name"];
      names.insert(name);
      EXPECT_FALSE(v["forward"].empty()) << name;
      if (!v["forward"].empty()) {
        EXPECT_EQ(v["forward"].back()["host"], grid->target) << name;
      }
      EXPECT_FALSE(v["return"].empty()) << name << " has no return trace";
      if (!v["return"].empty()) {
        const std::string back = v["return"].back()["host"];
        EXPECT_EQ(back, *l.Address(name)) << name;
        EXPECT_FALSE(l.IsManagementAddress(back)) << name;
      }
    }
    EXPECT_THAT(names, UnorderedElementsAre("X", "Y")) << j->dump(2);
    EXPECT_TRUE((*j)["missing_probes"].empty()) << j->dump(2);
    return *j;
  }

  static std::vector<std::string> Vantages(const json& finding) {
    return finding["vantages"].get<std::vector<std::string>>();
  }
};

TEST_F(GridE2E, Healthy) {
  int code = -1;
  json j = Diagnose(&code);
  EXPECT_EQ(j["verdict"], "healthy") << j.dump(2);
  EXPECT_EQ(code, 0);
}

TEST_F(GridE2E, ClientLossOnY) {
  ASSERT_TRUE(grid->lab->AddFault(Fault::Loss("Y", "b1", kLoss)).ok());
  int code = -1;
  json j = Diagnose(&code);
  EXPECT_EQ(j["verdict"], "client_loss") << j.dump(2);
  ASSERT_FALSE(j["findings"].empty());
  EXPECT_EQ(j["findings"][0]["kind"], "loss");
  EXPECT_THAT(Vantages(j["findings"][0]), ElementsAre("Y"));
  EXPECT_EQ(code, 1);
}

TEST_F(GridE2E, ServerSideLoss) {
  ASSERT_TRUE(grid->lab->AddFault(Fault::Loss("sr", "S", kLoss)).ok());
  int code = -1;
  json j = Diagnose(&code);
  EXPECT_EQ(j["verdict"], "server_loss") << j.dump(2);
  ASSERT_FALSE(j["findings"].empty());
  EXPECT_THAT(Vantages(j["findings"][0]), UnorderedElementsAre("X", "Y"));
  EXPECT_EQ(code, 1);
}

TEST_F(GridE2E, LossInsideIspB) {
  ASSERT_TRUE(grid->lab->AddFault(Fault::Loss("b1", "b2", kLoss)).ok());
  int code = -1;
  json j = Diagnose(&code);
  EXPECT_EQ(j["verdict"], "isp_routing") << j.dump(2);
  ASSERT_FALSE(j["findings"].empty());
  EXPECT_EQ(j["findings"][0]["kind"], "loss");
  EXPECT_THAT(Vantages(j["findings"][0]), ElementsAre("Y"));
  EXPECT_EQ(code, 1);
}

TEST_F(GridE2E, IcmpRateLimitingRouterIsNotAFault) {
  // Router a2 with Linux's default ICMP rate limits: its replies to
  // probes faster than one per second are dropped.
  ASSERT_TRUE(
      grid->lab->AddFault(Fault::IcmpRateLimit("a2", 1000, 1000, 50)).ok());
  int code = -1;
  json j = Diagnose(&code);
  EXPECT_EQ(j["verdict"], "healthy") << j.dump(2);
  // The rate limiting did bite (so "healthy" means it was seen and
  // dismissed): some hop of X's shows loss that its destination does not.
  bool lossy_hop = false;
  for (const json& v : j["vantages"]) {
    if (v["name"] != "X") continue;
    for (const char* dir : {"forward", "return"}) {
      for (const json& hop : v[dir]) {
        if (hop["loss_pct"].get<double>() > 20) lossy_hop = true;
      }
    }
  }
  EXPECT_TRUE(lossy_hop || !j["artifacts"].empty()) << j.dump(2);
  EXPECT_EQ(code, 0);
}

TEST_F(GridE2E, LatencyInsideIspB) {
  ASSERT_TRUE(
      grid->lab->AddFault(Fault::Delay("b1", "b2", kDelayMs, kJitterMs)).ok());
  int code = -1;
  json j = Diagnose(&code);
  EXPECT_THAT(
      j["verdict"].get<std::string>(),
      AnyOf("isp_routing", "forward_path_latency", "return_path_latency"))
      << j.dump(2);
  ASSERT_FALSE(j["findings"].empty());
  EXPECT_EQ(j["findings"][0]["kind"], "latency");
  EXPECT_THAT(Vantages(j["findings"][0]), ElementsAre("Y"));
  EXPECT_EQ(code, 1);
}

TEST_F(GridE2E, ProbesAndHistory) {
  absl::StatusOr<json> probes = GridJson({"probes"});
  ASSERT_TRUE(probes.ok()) << probes.status();
  std::set<std::string> names;
  for (const json& p : *probes) {
    names.insert(p["name"]);
    EXPECT_EQ(p["connected"], true);
  }
  EXPECT_THAT(names, UnorderedElementsAre("S", "X", "Y"));
  absl::StatusOr<json> history = GridJson({"history", grid->target});
  ASSERT_TRUE(history.ok()) << history.status();
  EXPECT_TRUE(history->is_array());
}

}  // namespace
}  // namespace grid::lab
