// A simulated probe for the grid benchmarks: a real ProbeService stream on
// its own channel (its own TCP connection, as a separate probe process
// would have), which answers the coordinator with prepared results. It
// stands in for a probe's network, never for the coordinator measured.
#ifndef GRID_BENCH_INGEST_SIM_PROBE_H_
#define GRID_BENCH_INGEST_SIM_PROBE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grid/v1/probe.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace grid::bench {

class SimProbe {
 public:
  // Called on the probe's reader thread for each AssignJob.
  using OnAssign = std::function<void(SimProbe&, const v1::JobSpec&)>;

  SimProbe(const std::string& address, std::string name, OnAssign on_assign);
  ~SimProbe();

  // Opens the stream, says Hello and waits for Welcome.
  bool Connect(absl::Duration timeout = absl::Seconds(30));
  // Thread-safe send.
  bool Send(const v1::ProbeMessage& m);
  // Highest acknowledged cycle count of `job`, and whether its done is.
  uint32_t acked(uint64_t job) const;
  bool WaitAcked(uint64_t job, uint32_t cycles, absl::Duration timeout);
  const std::string& name() const { return name_; }
  void Close();

 private:
  void ReadLoop();

  const std::string name_;
  const OnAssign on_assign_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ProbeService::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<
      grpc::ClientReaderWriter<v1::ProbeMessage, v1::CoordinatorMessage>>
      stream_;
  absl::Mutex write_mu_;
  mutable absl::Mutex mu_;
  std::map<uint64_t, uint32_t> acked_ ABSL_GUARDED_BY(mu_);
  bool welcomed_ ABSL_GUARDED_BY(mu_) = false;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  std::thread reader_;
};

// A realistic cycle: 12 TTLs, one reply each except a silent TTL 5 and an
// MPLS-labelled TTL 7; the last is the target's echo reply.
v1::CycleResult SimCycle(uint64_t job_id, const std::string& probe,
                         uint32_t cycle);

}  // namespace grid::bench

#endif  // GRID_BENCH_INGEST_SIM_PROBE_H_
