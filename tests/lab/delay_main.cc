// grid-lab-delay: holds each packet of NFQUEUE N for D ms (+- J ms jitter)
// before accepting it. Run inside a lab namespace next to an iptables rule
// `-j NFQUEUE --queue-num N`; prints "ready" once bound; exits 0 on SIGTERM.
#include <cstdio>

#include "CLI/CLI.hpp"
#include "tests/lab/nfq_delay.h"

int main(int argc, char** argv) {
  CLI::App app{"Delay packets of one NFQUEUE (grid lab helper)",
               "grid-lab-delay"};
  grid::lab::DelayConfig config;
  app.add_option("--queue", config.queue, "NFQUEUE number")
      ->required()
      ->check(CLI::Range(0, 65535));
  app.add_option("--delay-ms", config.delay_ms, "Delay per packet in ms")
      ->required()
      ->check(CLI::Range(0, 60000));
  app.add_option("--jitter-ms", config.jitter_ms,
                 "Uniform jitter +-ms (<= delay); packet order is kept")
      ->check(CLI::Range(0, 60000));
  app.add_option("--seed", config.seed, "Jitter random seed");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // usage errors exit 2
  }
  if (config.jitter_ms > config.delay_ms) {
    std::fprintf(stderr,
                 "grid-lab-delay: --jitter-ms must not exceed --delay-ms\n");
    return 2;
  }
  absl::Status s = grid::lab::RunDelayQueue(config);
  if (!s.ok()) {
    std::fprintf(stderr, "grid-lab-delay: %s\n",
                 std::string(s.message()).c_str());
    return 1;
  }
  return 0;
}
