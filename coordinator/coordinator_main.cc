// grid-coordinator --listen HOST:PORT --data DIR (--tls-cert FILE
// --tls-key FILE --tls-ca FILE | --insecure): the grid's coordinator.
// Runs until SIGINT or SIGTERM.
#include <signal.h>

#include <iostream>
#include <thread>

#include "CLI/CLI.hpp"
#include "common/target_policy_flags.h"
#include "common/tls/tls_flags.h"
#include "coordinator/coordinator.h"

int main(int argc, char** argv) {
  grid::coordinator::CoordinatorOptions options;
  CLI::App app{"grid-coordinator: the grid's coordinator"};
  app.add_option("--listen", options.listen,
                 "HOST:PORT to listen on (probes and operators)")
      ->required();
  app.add_option("--data", options.data_dir,
                 "Directory of the RocksDB store (created if missing)")
      ->required();
  double heartbeat_s = 5;
  app.add_option("--heartbeat", heartbeat_s,
                 "Seconds between probe heartbeats (default 5)")
      ->check(CLI::Range(0.05, 3600.0));
  double retention_days = 30;
  app.add_option("--retention-days", retention_days,
                 "Days results and diagnoses are kept (default 30)")
      ->check(CLI::Range(0.001, 36500.0));
  bool sync = false;
  app.add_flag("--sync", sync,
               "fsync every write (survive power loss, not only crashes)");
  grid::tls::TlsFlags tls;
  grid::tls::AddTlsFlags(app, grid::tls::TlsSide::kServer, &tls);
  grid::common::TargetPolicyOptions policy;
  grid::common::AddTargetPolicyFlags(app, &policy);
  app.add_option("--target-rate",
                 options.scheduler.rate_limits.target_per_minute,
                 "Diagnoses and traces per target per minute (0 = no limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--operator-rate",
                 options.scheduler.rate_limits.operator_per_minute,
                 "Diagnose and trace requests per operator per minute (0 = "
                 "no limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  auto target_policy = grid::common::TargetPolicy::Create(policy);
  if (!target_policy.ok()) {
    std::cerr << "grid-coordinator: " << target_policy.status().message()
              << "\n";
    return 2;
  }
  options.scheduler.target_policy = *target_policy;
  auto tls_material = grid::tls::LoadTls(tls);
  if (!tls_material.ok()) {
    std::cerr << "grid-coordinator: " << tls_material.status().message()
              << "\n";
    return 2;
  }
  options.tls = *std::move(tls_material);
  options.heartbeat_interval = absl::Seconds(heartbeat_s);
  options.retention = absl::Hours(24 * retention_days);
  if (sync) options.durability = grid::storage::Durability::kPowerLoss;

  // Signals are taken by a thread, so Shutdown runs outside a handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto coordinator = grid::coordinator::Coordinator::Start(options);
  if (!coordinator.ok()) {
    std::cerr << "grid-coordinator: " << coordinator.status().message() << "\n";
    return 2;
  }
  std::cerr << "grid-coordinator: listening on port " << (*coordinator)->port()
            << ", data in " << options.data_dir
            << (options.tls ? ", TLS with client certificates"
                            : ", WARNING: --insecure: plaintext, anyone who "
                              "reaches this port can act as any probe or "
                              "operator")
            << "\n";
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    (*coordinator)->Shutdown(absl::Seconds(2));
  });
  (*coordinator)->Wait();
  stopper.join();
  return 0;
}
