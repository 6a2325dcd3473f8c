#include "probe-node/prober.h"

#include <utility>

#include "absl/random/random.h"
#include "probe-node/clock.h"
#include "probe-node/packet_io.h"
#include "probe-node/probe_engine.h"

namespace grid::probe {

Prober::Prober(const ProberOptions& options, std::unique_ptr<PacketIo> io,
               Clock* clock, std::unique_ptr<Clock> owned_clock)
    : options_(options),
      io_(std::move(io)),
      owned_clock_(std::move(owned_clock)),
      clock_(clock != nullptr ? clock : owned_clock_.get()) {}

Prober::~Prober() = default;

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
