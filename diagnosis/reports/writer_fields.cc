#include "diagnosis/reports/writer_fields.h"

namespace grid::diagnosis::reports_internal {

std::vector<const MtrField*> WritableFields(absl::string_view letters) {
  std::vector<const MtrField*> fields;
  for (char letter : letters) {
    const MtrField* f = FieldByLetter(letter);
    if (f == nullptr || f->column == Column::kJitter ||
        f->column == Column::kJitterInt || f->column == Column::kGeoMean) {
      continue;
    }
    fields.push_back(f);
  }
  return fields;
}

double HopValue(const Hop& hop, Column column) {
  switch (column) {
    case Column::kLoss:
      return hop.loss_pct;
    case Column::kDrop:
    case Column::kBlank:
      return hop.Lost();
    case Column::kReceived:
      return hop.received;
    case Column::kSent:
      return hop.sent;
    case Column::kLast:
      return hop.last_ms;
    case Column::kBest:
      return hop.best_ms;
    case Column::kAvg:
      return hop.avg_ms;
    case Column::kWorst:
      return hop.worst_ms;
    case Column::kStDev:
      return hop.stdev_ms;
    case Column::kJitterAvg:
      return hop.jitter_avg_ms.value_or(0);
    case Column::kJitterMax:
      return hop.jitter_max_ms.value_or(0);
    case Column::kGeoMean:
    case Column::kJitter:
    case Column::kJitterInt:
      break;
  }
  return 0;
}

absl::string_view LocalHostName(const Trace& trace, absl::string_view option) {
  return option.empty() ? absl::string_view(trace.source) : option;
}

absl::string_view Destination(const Trace& trace, absl::string_view option) {
  return option.empty() ? absl::string_view(trace.destination) : option;
}

}  // namespace grid::diagnosis::reports_internal
