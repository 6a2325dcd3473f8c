// libFuzzer target for the prober's reply parser: any bytes in, no crash, no
// out-of-bounds read (run under ASan/UBSan). The first input byte selects
// whether checksums are verified, so the fuzzer also reaches the code behind
// them; a parsed reply is checked for internal consistency.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/types/span.h"
#include "probe-node/reply_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  grid::probe::ParseOptions options;
  options.verify_checksums = (data[0] & 1) != 0;
  const auto packet = absl::MakeConstSpan(data + 1, size - 1);
  auto reply = grid::probe::ParseReply(packet, options);
  if (reply.ok()) {
    // Invariants the engine relies on.
    if (reply->probe.sequence == 0 || reply->probe.sequence == 0xffff) abort();
    if (reply->responder.family() != reply->probe.destination.family()) {
      abort();
    }
    if (reply->quoted_bytes > packet.size()) abort();
  }
  return 0;
}
