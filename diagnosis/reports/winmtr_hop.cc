#include "diagnosis/reports/winmtr_hop.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "diagnosis/reports/mtr_columns.h"
#include "diagnosis/reports/stdev_estimate.h"
#include "diagnosis/reports/text_lines.h"

namespace grid::diagnosis::reports_internal {
namespace {

constexpr absl::string_view kTitles[7] = {"%",    "Sent", "Recv", "Best",
                                          "Avrg", "Wrst", "Last"};
enum { kPct, kSent, kRecv, kBest, kAvg, kWorst, kLast };

}  // namespace

std::optional<WinMtrColumns> MapWinMtrTitles(
    const std::vector<absl::string_view>& titles) {
  WinMtrColumns columns;
  columns.index.fill(-1);
  columns.count = titles.size();
  for (size_t i = 0; i < titles.size(); ++i) {
    for (int t = 0; t < 7; ++t) {
      if (Trim(titles[i]) == kTitles[t]) {
        if (columns.index[t] != -1) return std::nullopt;
        columns.index[t] = static_cast<int>(i);
      }
    }
  }
  for (int index : columns.index) {
    if (index == -1) return std::nullopt;
  }
  return columns;
}

absl::StatusOr<Hop> MakeWinMtrHop(int ttl, absl::string_view host,
                                  const std::vector<absl::string_view>& cells,
                                  const WinMtrColumns& columns) {
  if (cells.size() != columns.count) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected ", columns.count,
                     " numeric columns after the host, found ", cells.size()));
  }
  double v[7];
  for (int t = 0; t < 7; ++t) {
    absl::string_view cell = Trim(cells[columns.index[t]]);
    std::optional<double> d = ParseDecimal(cell, /*percent_ok=*/t == kPct);
    if (!d) {
      return absl::InvalidArgumentError(absl::StrCat(
          "'", cell, "' in column ", kTitles[t], " is not a number"));
    }
    v[t] = *d;
  }
  if (v[kPct] > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("loss ", v[kPct], "% is over 100"));
  }
  host = Trim(host);
  HopValues values;
  At(values, Column::kSent) = v[kSent];
  At(values, Column::kReceived) = v[kRecv];
  At(values, Column::kBest) = v[kBest];
  At(values, Column::kAvg) = v[kAvg];
  At(values, Column::kWorst) = v[kWorst];
  At(values, Column::kLast) = v[kLast];
  std::string name = host == kWinMtrNoResponse ? std::string(kNoResponseHost)
                                               : std::string(host);
  absl::StatusOr<Hop> hop = MakeHop(ttl, std::move(name), values);
  if (!hop.ok()) return hop;
  if (hop->sent == 0) hop->loss_pct = v[kPct];
  hop->stdev_ms =
      EstimateStdevFromRange(hop->best_ms, hop->worst_ms, hop->received);
  hop->stdev_estimated = true;
  return hop;
}

}  // namespace grid::diagnosis::reports_internal
