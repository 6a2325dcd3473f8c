// A scripted probe for tests and benchmarks: speaks the real ProbeService
// protocol over a real gRPC channel (Hello, heartbeats, results, JobDone),
// with the test deciding what to send and when. It stands in for a probe
// node's network, never for the coordinator under test.
//
// Thread-safe: a reader thread queues what the coordinator sends; the test
// sends from any thread.
#ifndef GRID_TESTS_COORDINATOR_TESTING_FAKE_PROBE_H_
#define GRID_TESTS_COORDINATOR_TESTING_FAKE_PROBE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/tls/credentials.h"
#include "grid/v1/probe.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace grid::testing {

class FakeProbe {
 public:
  // `address` is the coordinator's HOST:PORT; TLS with a probe
  // certificate for the hello's name from TestCerts::Shared() (for an
  // empty name, one that covers every name).
  FakeProbe(std::string address, v1::Hello hello);
  // With `tls` (nullopt: plaintext).
  FakeProbe(std::string address, v1::Hello hello,
            const std::optional<tls::TlsMaterial>& tls);
  ~FakeProbe();

  // Opens the stream and sends Hello; returns the Welcome, or the status
  // the coordinator ended the stream with.
  absl::StatusOr<v1::Welcome> Connect(
      absl::Duration timeout = absl::Seconds(5));
  // Sends one message; false if the stream is gone.
  bool Send(const v1::ProbeMessage& message);
  // Closes the stream from our side (WritesDone) and waits for its end.
  void Close();
  // Drops the connection abruptly (cancels the call): a vanished probe.
  void Cut();
  bool connected() const;

  // The next message the coordinator sent matching `pred` (earlier
  // non-matching ones are skipped and kept), or nullopt at the timeout.
  std::optional<v1::CoordinatorMessage> Next(
      const std::function<bool(const v1::CoordinatorMessage&)>& pred,
      absl::Duration timeout = absl::Seconds(10));
  std::optional<v1::JobSpec> NextJob(
      absl::Duration timeout = absl::Seconds(10));
  // The highest Ack seen per job (cycles_durable, done_durable).
  std::map<uint64_t, v1::Ack> acks() const;
  // Waits until the ack of `job_id` covers `cycles` cycles (and the done if
  // `done`).
  bool WaitAck(uint64_t job_id, uint32_t cycles, bool done,
               absl::Duration timeout = absl::Seconds(10));
  // The status the stream ended with, once it ended.
  std::optional<grpc::Status> end_status() const;

  // Convenience senders.
  bool SendHeartbeat(uint32_t running_jobs = 0);
  bool SendStarted(uint64_t job_id, const std::string& source);
  bool SendCycles(const std::vector<v1::CycleResult>& cycles);
  bool SendDone(uint64_t job_id, v1::JobStatus status, uint32_t cycles,
                const std::string& source);

  const v1::Hello& hello() const { return hello_; }
  v1::Hello& mutable_hello() { return hello_; }

 private:
  void ReadLoop(grpc::ClientReaderWriter<v1::ProbeMessage,
                                         v1::CoordinatorMessage>* stream);

  const std::string address_;
  v1::Hello hello_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ProbeService::Stub> stub_;

  mutable absl::Mutex mu_;
  std::unique_ptr<grpc::ClientContext> context_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<
      grpc::ClientReaderWriter<v1::ProbeMessage, v1::CoordinatorMessage>>
      stream_ ABSL_GUARDED_BY(mu_);
  std::deque<v1::CoordinatorMessage> inbox_ ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, v1::Ack> acks_ ABSL_GUARDED_BY(mu_);
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> end_ ABSL_GUARDED_BY(mu_);
  absl::Mutex write_mu_;  // One writer at a time.
  std::thread reader_;
};

// A hello with protocol version 1, `name`, `instance_id`, and labels/serves.
v1::Hello MakeHello(const std::string& name, uint64_t instance_id,
                    std::map<std::string, std::string> labels = {},
                    std::vector<std::string> serves = {});

// A plausible cycle: TTLs 1..hops.size(), hop i answered by hops[i] after
// rtt_ms[i] (an empty host = no answer); the last hop is the target (echo
// reply).
v1::CycleResult MakeCycle(uint64_t job_id, const std::string& probe,
                          v1::Direction direction, uint32_t cycle,
                          const std::string& source, const std::string& target,
                          const std::vector<std::string>& hops,
                          const std::vector<double>& rtt_ms);

}  // namespace grid::testing

#endif  // GRID_TESTS_COORDINATOR_TESTING_FAKE_PROBE_H_
