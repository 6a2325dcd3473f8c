// Helpers for the prober's namespace tests: topologies, running the prober
// in-process inside a lab node, and reading mtr-format output.
#ifndef GRID_TESTS_PROBE_NODE_LAB_PROBER_LAB_UTIL_H_
#define GRID_TESTS_PROBE_NODE_LAB_PROBER_LAB_UTIL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "diagnosis/trace.h"
#include "probe-node/prober.h"
#include "tests/lab/lab.h"

namespace grid::probe::lab_test {

// X - r1 - r2 - r3 - S, IPv4 and IPv6.
lab::Topology Chain();

// X - r1 =(ea | eb)= r2 - S: r1 spreads traffic toward S over ea and eb
// (layer-4 hash, so UDP/TCP flows with different ports may take either).
lab::Topology Ecmp();

// Pings every address of every node from `from` until it answers, so that
// neighbour discovery (about 1 s for IPv6 in a fresh lab) is done before a
// test measures loss or latency.
absl::Status WarmUp(lab::Lab& lab, const std::string& from);

// Runs `requests` with an in-process Prober whose sockets live in `node`'s
// namespace. Capabilities are kept (the test process needs them).
absl::StatusOr<std::vector<TraceResult>> TraceFrom(
    lab::Lab& lab, const std::string& node,
    const std::vector<TraceRequest>& requests, ProberOptions options = {});

// A request to `address` with `options`, and mtr-like fast defaults.
TraceRequest Request(const std::string& address, TraceOptions options = {});

// Hop addresses (first responder, "???" for silence) in TTL order.
std::vector<std::string> Hosts(const TraceResult& result);
std::vector<std::string> Hosts(const diagnosis::Trace& trace);

// Parses mtr --json text (from mtr or grid) with grid's report reader.
absl::StatusOr<diagnosis::Trace> ParseMtrJson(const std::string& text,
                                              const std::string& what);

}  // namespace grid::probe::lab_test

#endif  // GRID_TESTS_PROBE_NODE_LAB_PROBER_LAB_UTIL_H_
