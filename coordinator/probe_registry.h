// The registry of probes: who is connected now (with the session to reach
// it, labels, served ranges, last heard) and, through Storage, every probe
// seen before. Thread-safe.
#ifndef GRID_COORDINATOR_PROBE_REGISTRY_H_
#define GRID_COORDINATOR_PROBE_REGISTRY_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "coordinator/label_selector.h"
#include "coordinator/probe_link.h"
#include "grid/v1/operator.pb.h"
#include "grid/v1/probe.pb.h"
#include "storage/storage.h"

namespace grid::coordinator {

// A connected probe as the scheduler sees it.
struct ConnectedProbe {
  v1::ProbeRecord record;
  std::shared_ptr<ProbeLink> link;
  uint32_t running_jobs = 0;  // From its last heartbeat.
  absl::Time last_heard;
};

// Checks a Hello against the protocol's REQUIREs (BadHello otherwise).
absl::Status ValidateHello(const v1::Hello& hello);

class ProbeRegistry {
 public:
  using Clock = std::function<absl::Time()>;
  // `storage` outlives the registry.
  explicit ProbeRegistry(storage::Storage* storage, Clock clock = nullptr);

  struct Attached {
    // The probe process differs from the one last seen under this name
    // (its jobs are gone); false for a first-ever connection too.
    bool instance_changed = false;
  };
  // Registers a session for `hello` (validated first) and stores the probe
  // record. NameTaken if another live session with a different instance id
  // holds the name. A live session with the same instance id is a stale
  // one (the probe reconnected first): it is disconnected and replaced.
  absl::StatusOr<Attached> Attach(const v1::Hello& hello,
                                  const std::string& peer,
                                  std::shared_ptr<ProbeLink> link);
  // Forgets the session if `link` is still the name's session; records
  // last-seen. Returns whether it was.
  bool Detach(absl::string_view name, const ProbeLink* link);
  // The probe was heard from (any message); `running_jobs` from heartbeats.
  void Heard(absl::string_view name, const ProbeLink* link,
             std::optional<uint32_t> running_jobs = std::nullopt);

  // Connected probes, sorted by name.
  std::vector<ConnectedProbe> Connected() const;
  std::optional<ConnectedProbe> Find(absl::string_view name) const;

  // Connected and known probes matching `selector`, sorted by name.
  absl::StatusOr<std::vector<v1::ProbeInfo>> List(const LabelSelector& selector,
                                                  bool connected_only) const;

  // Disconnects sessions not heard from for longer than `silence`.
  void DropSilent(absl::Duration silence);
  // Disconnects every session (shutdown).
  void DisconnectAll(const absl::Status& status);

 private:
  absl::Time Now() const { return clock_ ? clock_() : absl::Now(); }

  storage::Storage* const storage_;
  const Clock clock_;
  mutable absl::Mutex mu_;
  std::map<std::string, ConnectedProbe, std::less<>> connected_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace grid::coordinator

#endif  // GRID_COORDINATOR_PROBE_REGISTRY_H_
