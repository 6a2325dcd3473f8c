// The coordinator's handle to one connected probe session, implemented by
// the gRPC stream (probe_session.h) and by nothing else in the product.
#ifndef GRID_COORDINATOR_PROBE_LINK_H_
#define GRID_COORDINATOR_PROBE_LINK_H_

#include "absl/status/status.h"
#include "grid/v1/probe.pb.h"

namespace grid::coordinator {

// Thread-safe.
class ProbeLink {
 public:
  virtual ~ProbeLink() = default;
  // Queues `message` for the probe, in order. False once the session ended.
  virtual bool Send(const v1::CoordinatorMessage& message) = 0;
  // Ends the session with `status` (sent to the probe as the stream's end).
  virtual void Disconnect(const absl::Status& status) = 0;
};

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_PROBE_LINK_H_
