#include "probe-node/prober.h"

#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "probe-node/clock.h"
#include "probe-node/packet_io.h"
#include "probe-node/ping_socket_io.h"
#include "probe-node/privileges.h"
#include "probe-node/probe_engine.h"
#include "probe-node/raw_socket_io.h"

namespace grid::probe {

Prober::Prober(const ProberOptions& options, std::unique_ptr<PacketIo> io,
               Clock* clock, std::unique_ptr<Clock> owned_clock)
    : options_(options),
      io_(std::move(io)),
      owned_clock_(std::move(owned_clock)),
      clock_(clock != nullptr ? clock : owned_clock_.get()) {}

Prober::~Prober() = default;

absl::StatusOr<std::unique_ptr<Prober>> Prober::Create(
    const ProberOptions& options) {
  auto clock = std::make_unique<MonotonicClock>();
  absl::StatusOr<std::unique_ptr<PacketIo>> io =
      OpenRawSocketIo(clock.get(), options.kernel_tx_timestamps);
  if (!io.ok() && absl::IsPermissionDenied(io.status()) &&
      options.allow_unprivileged) {
    auto ping = OpenPingSocketIo(clock.get());
    if (!ping.ok()) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot probe: ", io.status().message(),
                       " (grid needs CAP_NET_RAW, e.g. run as root or `setcap "
                       "cap_net_raw+ep` on the binary), and ",
                       ping.status().message()));
    }
    io = std::move(ping);
  }
  if (!io.ok()) return io.status();
  // Sockets are open: give up every privilege before any packet is read.
  if (options.drop_capabilities) GRID_RETURN_IF_ERROR(DropAllPrivileges());
  Clock* raw_clock = clock.get();
  return std::unique_ptr<Prober>(
      new Prober(options, *std::move(io), raw_clock, std::move(clock)));
}

std::unique_ptr<Prober> Prober::CreateWithIo(const ProberOptions& options,
                                             std::unique_ptr<PacketIo> io,
                                             Clock* clock) {
  return std::unique_ptr<Prober>(
      new Prober(options, std::move(io), clock, nullptr));
}

std::string Prober::Limitations() const { return io_->Limitations(); }

std::vector<TraceResult> Prober::Run(const std::vector<TraceRequest>& requests,
                                     const ProgressCallback& progress) {
  absl::BitGen gen;
  ProbeEngine engine(options_, io_.get(), clock_, absl::Uniform<uint16_t>(gen));
  engine.set_progress(progress);
  engine.Add(requests);
  const absl::Status status = RunEngine(engine, *io_);
  std::vector<TraceResult> results = engine.TakeResults();
  if (!status.ok()) {
    for (TraceResult& r : results) {
      if (r.status.ok()) {
        r.status = status;
        r.stop_reason = StopReason::kError;
      }
    }
  }
  return results;
}

}  // namespace grid::probe
