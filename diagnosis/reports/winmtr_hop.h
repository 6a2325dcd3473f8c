// What WinMTR's TEXT and HTML exports share: the columns
// "Host | % | Sent | Recv | Best | Avrg | Wrst | Last" (integer ms, no hop
// number, no StDev) and how a row becomes a Hop.
#ifndef GRID_DIAGNOSIS_REPORTS_WINMTR_HOP_H_
#define GRID_DIAGNOSIS_REPORTS_WINMTR_HOP_H_

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "diagnosis/trace.h"

namespace grid::diagnosis::reports_internal {

// Host text WinMTR prints for a TTL where nothing answered.
inline constexpr absl::string_view kWinMtrNoResponse = "No response from host";

// Where each of WinMTR's value columns sits in a row's cells.
struct WinMtrColumns {
  // Index among the value cells of "%", Sent, Recv, Best, Avrg, Wrst, Last.
  std::array<int, 7> index;
  size_t count = 0;  // Value cells per row.
};

// Maps the header's value titles (after "Host"); nullopt unless all seven
// appear exactly once. `titles` may start with "%".
std::optional<WinMtrColumns> MapWinMtrTitles(
    const std::vector<absl::string_view>& titles);

// Builds hop `ttl` from a row's host and value cells. Loss% is computed from
// Sent and Recv (WinMTR's printed percent is rounded); StDev is estimated
// from Best..Wrst and flagged. Errors carry no location.
absl::StatusOr<Hop> MakeWinMtrHop(int ttl, absl::string_view host,
                                  const std::vector<absl::string_view>& cells,
                                  const WinMtrColumns& columns);

}  // namespace grid::diagnosis::reports_internal

#endif  // GRID_DIAGNOSIS_REPORTS_WINMTR_HOP_H_
