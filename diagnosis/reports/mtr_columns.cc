#include "diagnosis/reports/mtr_columns.h"

#include <charconv>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace grid::diagnosis::reports_internal {
namespace {

// Widths as mtr 0.95 prints them in --report (measured on its output).
constexpr MtrField kFields[] = {
    {'L', "Loss%", 6, Column::kLoss, false},
    {'D', "Drop", 5, Column::kDrop, true},
    {'R', "Rcv", 6, Column::kReceived, true},
    {'S', "Snt", 6, Column::kSent, true},
    {' ', " ", 1, Column::kBlank, true},
    {'N', "Last", 6, Column::kLast, false},
    {'B', "Best", 6, Column::kBest, false},
    {'A', "Avg", 6, Column::kAvg, false},
    {'W', "Wrst", 6, Column::kWorst, false},
    {'V', "StDev", 6, Column::kStDev, false},
    {'G', "Gmean", 6, Column::kGeoMean, false},
    {'J', "Jttr", 5, Column::kJitter, false},
    {'M', "Javg", 5, Column::kJitterAvg, false},
    {'X', "Jmax", 5, Column::kJitterMax, false},
    {'I', "Jint", 5, Column::kJitterInt, false},
};

// Larger counts or times are taken as garbage (and keep int math safe).
constexpr double kMaxCount = 1e9;
constexpr double kMaxMs = 1e8;

bool IsWhole(double v) { return std::floor(v) == v; }

}  // namespace

const MtrField* FieldByLetter(char letter) {
  for (const MtrField& f : kFields) {
    if (f.letter == letter) return &f;
  }
  return nullptr;
}

const MtrField* FieldByTitle(absl::string_view title) {
  if (title == "Loss") title = "Loss%";
  for (const MtrField& f : kFields) {
    if (f.letter != ' ' && f.title == title) return &f;
  }
  return nullptr;
}

std::optional<double> ParseDecimal(absl::string_view token, bool percent_ok) {
  if (percent_ok && !token.empty() && token.back() == '%') {
    token.remove_suffix(1);
  }
  if (token.empty() || token.size() > 32) return std::nullopt;
  int digits = 0, dots = 0;
  for (char c : token) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '.') {
      ++dots;
    } else {
      return std::nullopt;
    }
  }
  if (digits == 0 || dots > 1) return std::nullopt;
  double value = 0;
  auto [ptr, ec] =
      std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec != std::errc() || ptr != token.data() + token.size()) {
    return std::nullopt;
  }
  return value;
}

bool HasRequiredColumns(const std::vector<Column>& columns) {
  bool sent = false, loss = false;
  for (Column c : columns) {
    if (c == Column::kSent) sent = true;
    if (c == Column::kLoss || c == Column::kReceived || c == Column::kDrop ||
        c == Column::kBlank) {
      loss = true;
    }
  }
  return sent && loss;
}

absl::StatusOr<Hop> MakeHop(int ttl, std::string host,
                            const HopValues& values) {
  auto get = [&](Column c) { return values[static_cast<int>(c)]; };
  for (int i = 0; i < kColumnCount; ++i) {
    if (values[i] && (!std::isfinite(*values[i]) || *values[i] < 0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("value ", *values[i], " is out of range"));
    }
  }
  if (host.empty()) return absl::InvalidArgumentError("missing host");
  std::optional<double> sent = get(Column::kSent);
  if (!sent) return absl::InvalidArgumentError("missing Snt");
  if (!IsWhole(*sent) || *sent > kMaxCount) {
    return absl::InvalidArgumentError(
        absl::StrCat("Snt ", *sent, " is not a probe count"));
  }
  Hop hop;
  hop.ttl = ttl;
  hop.host = std::move(host);
  hop.sent = static_cast<int>(*sent);

  std::optional<double> loss = get(Column::kLoss);
  if (loss && *loss > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("Loss% ", *loss, " is over 100"));
  }
  std::optional<double> received = get(Column::kReceived);
  std::optional<double> drop = get(Column::kDrop);
  if (!drop) drop = get(Column::kBlank);
  if (!received && drop) {
    if (!IsWhole(*drop) || *drop > *sent) {
      return absl::InvalidArgumentError(
          absl::StrCat("drop count ", *drop, " does not fit Snt ", hop.sent));
    }
    received = *sent - *drop;
  }
  if (received) {
    if (!IsWhole(*received) || *received > *sent) {
      return absl::InvalidArgumentError(absl::StrCat(
          "received count ", *received, " does not fit Snt ", hop.sent));
    }
    hop.received = static_cast<int>(*received);
  } else if (loss) {
    hop.received =
        static_cast<int>(std::lround(hop.sent * (1.0 - *loss / 100.0)));
  } else {
    return absl::InvalidArgumentError("missing Loss%");
  }
  if (loss) {
    hop.loss_pct = *loss;
  } else {
    hop.loss_pct = hop.sent == 0 ? 0 : 100.0 * hop.Lost() / hop.sent;
  }

  auto ms = [&](Column c, double& out) -> absl::Status {
    std::optional<double> v = get(c);
    if (!v) return absl::OkStatus();
    if (*v > kMaxMs) {
      return absl::InvalidArgumentError(
          absl::StrFormat("time %g ms is out of range", *v));
    }
    out = *v;
    return absl::OkStatus();
  };
  for (auto [c, out] : {std::pair{Column::kLast, &hop.last_ms},
                        std::pair{Column::kAvg, &hop.avg_ms},
                        std::pair{Column::kBest, &hop.best_ms},
                        std::pair{Column::kWorst, &hop.worst_ms},
                        std::pair{Column::kStDev, &hop.stdev_ms}}) {
    if (absl::Status s = ms(c, *out); !s.ok()) return s;
  }
  double jitter = 0;
  if (get(Column::kJitterAvg)) {
    if (absl::Status s = ms(Column::kJitterAvg, jitter); !s.ok()) return s;
    hop.jitter_avg_ms = jitter;
  }
  if (get(Column::kJitterMax)) {
    if (absl::Status s = ms(Column::kJitterMax, jitter); !s.ok()) return s;
    hop.jitter_max_ms = jitter;
  }
  return hop;
}

}  // namespace grid::diagnosis::reports_internal
