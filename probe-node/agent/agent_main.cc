// grid-probe --coordinator HOST:PORT --name NAME [--label K=V]...
// [--serves CIDR]... (--tls-cert FILE --tls-key FILE --tls-ca FILE
// [--tls-server-name NAME] | --insecure): a probe node. Opens its raw sockets
// first (then drops every capability), then dials the coordinator and serves
// until SIGINT or SIGTERM.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <thread>

#include "CLI/CLI.hpp"
#include "common/target_policy_flags.h"
#include "common/tls/tls_flags.h"
#include "coordinator/label_selector.h"
#include "probe-node/agent/agent.h"
#include "probe-node/agent/prober_runner.h"
#include "probe-node/prober.h"

namespace {

using grid::probe::Prober;
using grid::probe::ProberOptions;
using grid::probe::agent::Agent;
using grid::probe::agent::AgentOptions;
using grid::probe::agent::JobCallbacks;
using grid::probe::agent::JobRunner;
using grid::probe::agent::ProberRunner;

int Fail(const std::string& message) {
  std::cerr << "grid-probe: " << message << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  AgentOptions options;
  std::vector<std::string> labels;
  double pps = 100;
  double router_pps = 1;
  int probers = 4;
  bool quiet = false;
  CLI::App app{"grid-probe: a grid probe node"};
  if (const char* env = std::getenv("GRID_COORDINATOR")) {
    options.coordinator = env;
  }
  app.add_option("--coordinator", options.coordinator,
                 "HOST:PORT of the coordinator (default $GRID_COORDINATOR)");
  app.add_option("--name", options.name, "This probe's stable name")
      ->required();
  app.add_option("--label", labels, "KEY=VALUE label (repeatable)")
      ->type_name("KEY=VALUE");
  app.add_option("--serves", options.serves,
                 "CIDR of servers next to this probe; it traces back from "
                 "them (repeatable)")
      ->type_name("CIDR");
  app.add_option("--pps", pps, "Probes per second, all traces together")
      ->check(CLI::Range(1.0, 100000.0))
      ->capture_default_str();
  app.add_option("--router-pps", router_pps,
                 "ICMP errors asked of one router per second (0 = unpaced)")
      ->check(CLI::Range(0.0, 100000.0))
      ->capture_default_str();
  app.add_option("--probers", probers,
                 "Traces batches run at once (each its own sockets)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_flag("--quiet", quiet, "No progress lines on stderr");
  grid::common::AddTargetPolicyFlags(app, &options.target_policy);
  grid::tls::TlsFlags tls;
  grid::tls::AddTlsFlags(app, grid::tls::TlsSide::kClient, &tls);
  CLI11_PARSE(app, argc, argv);
  options.verbose = !quiet;
  auto tls_material = grid::tls::LoadTls(tls);
  if (!tls_material.ok()) {
    return Fail(std::string(tls_material.status().message()));
  }
  options.tls = *std::move(tls_material);
  if (!options.tls) {
    std::cerr << "grid-probe: WARNING: --insecure: plaintext, the "
                 "coordinator is not authenticated\n";
  }
  if (options.coordinator.empty()) {
    return Fail(
        "--coordinator HOST:PORT is required (or set GRID_COORDINATOR)");
  }
  for (const std::string& l : labels) {
    auto kv = grid::coordinator::ParseLabel(l);
    if (!kv.ok()) return Fail(std::string(kv.status().message()));
    options.labels[kv->first] = kv->second;
  }

  // Sockets first, while privileged; the last prober drops every
  // capability, before any other thread exists (capabilities are
  // per-thread and inherited by threads created later).
  std::vector<std::unique_ptr<Prober>> pool;
  for (int i = 0; i < probers; ++i) {
    ProberOptions po;
    po.packets_per_second = pps;
    po.router_pps = router_pps;
    po.drop_capabilities = i == probers - 1;
    auto p = Prober::Create(po);
    if (!p.ok()) return Fail(std::string(p.status().message()));
    pool.push_back(*std::move(p));
  }
  if (!quiet && !pool[0]->Limitations().empty()) {
    std::cerr << "grid-probe: " << pool[0]->Limitations() << "\n";
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const std::string name = options.name;
  auto agent = Agent::Create(options, [&](JobCallbacks callbacks) {
    return std::unique_ptr<JobRunner>(
        new ProberRunner(std::move(pool), name, std::move(callbacks)));
  });
  if (!agent.ok()) return Fail(std::string(agent.status().message()));
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    (*agent)->Stop();
  });
  stopper.detach();
  const absl::Status status = (*agent)->Run();
  // Running traces cannot be interrupted; do not wait for them.
  std::cerr.flush();
  if (!status.ok()) {
    std::cerr << "grid-probe: " << status.message() << "\n";
    _exit(2);
  }
  _exit(0);
}
