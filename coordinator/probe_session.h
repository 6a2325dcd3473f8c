// One probe's session: the server side of ProbeService.Connect, a gRPC
// callback-API bidirectional stream (no thread per probe). Reads Hello
// first, then heartbeats, results, job starts and ends; writes Welcome,
// jobs, cancels and acks from a queue, one write in flight at a time.
// Thread-safe; owns itself until gRPC reports the stream done.
#ifndef GRID_COORDINATOR_PROBE_SESSION_H_
#define GRID_COORDINATOR_PROBE_SESSION_H_

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "coordinator/job_tracker.h"
#include "coordinator/peer_identity.h"
#include "coordinator/probe_link.h"
#include "coordinator/probe_registry.h"
#include "google/protobuf/arena.h"
#include "grid/v1/probe.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace grid::coordinator {

struct SessionOptions {
  ProbeRegistry* registry = nullptr;
  JobTracker* tracker = nullptr;
  absl::Duration heartbeat_interval = absl::Seconds(5);
  std::string coordinator_version;
  // Require a grid-probe client certificate whose name covers Hello.name
  // (TLS); false with --insecure.
  bool authenticate = false;
};

class ProbeSession final
    : public grpc::ServerBidiReactor<v1::ProbeMessage, v1::CoordinatorMessage>,
      public ProbeLink,
      public std::enable_shared_from_this<ProbeSession> {
 public:
  // Creates a session for a new stream and starts reading; with
  // `authenticate`, ends it at once (UNAUTHENTICATED/PERMISSION_DENIED)
  // unless the peer holds a probe certificate.
  static ProbeSession* Start(const SessionOptions& options,
                             grpc::CallbackServerContext* context);

  bool Send(const v1::CoordinatorMessage& message) override;
  void Disconnect(const absl::Status& status) override;

  void OnReadDone(bool ok) override;
  // Starts reading the next message into a fresh arena.
  void NextRead();
  void OnWriteDone(bool ok) override;
  void OnDone() override;

  ProbeSession(const SessionOptions& options, std::string peer);

 private:
  // Handles a message (and may consume it); returns an error that ends
  // the session.
  absl::Status Handle(const v1::ProbeMessage& message);
  absl::Status HandleHello(const v1::Hello& hello);
  // Ends the stream with `status` once no write is in flight.
  void RequestFinish(const grpc::Status& status);

  const SessionOptions options_;
  const std::string peer_;
  // The peer's certificate, when options_.authenticate (set before the
  // first read).
  std::optional<PeerIdentity> identity_;
  std::shared_ptr<ProbeSession> self_;  // Until OnDone.
  // The message being read and the arena it lives in, reset after each
  // message: a batch of results is freed at once instead of object by
  // object (protobuf deletes a cleared oneof member). Read path only.
  google::protobuf::Arena arena_;
  v1::ProbeMessage* in_ = nullptr;
  std::string name_;                    // Set by Hello (read path only).
  bool attached_ = false;               // Read path and OnDone.

  absl::Mutex mu_;
  std::deque<v1::CoordinatorMessage> queue_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finish_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool finish_called_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status finish_status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_PROBE_SESSION_H_
