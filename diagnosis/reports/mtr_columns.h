// mtr's statistics columns (its -o field letters) and how one report row's
// values become a Hop. Shared by every reader and writer.
#ifndef GRID_DIAGNOSIS_REPORTS_MTR_COLUMNS_H_
#define GRID_DIAGNOSIS_REPORTS_MTR_COLUMNS_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "diagnosis/trace.h"

namespace grid::diagnosis::reports_internal {

// A statistic a report column may hold.
enum class Column {
  kLoss,       // "Loss%".
  kDrop,       // "Drop": sent minus received.
  kReceived,   // "Rcv".
  kSent,       // "Snt".
  kBlank,      // " ": a spacer in text; the drop count in mtr's CSV.
  kLast,       // "Last".
  kBest,       // "Best".
  kAvg,        // "Avg".
  kWorst,      // "Wrst".
  kStDev,      // "StDev".
  kGeoMean,    // "Gmean".
  kJitter,     // "Jttr": the latest jitter.
  kJitterAvg,  // "Javg".
  kJitterMax,  // "Jmax".
  kJitterInt,  // "Jint".
};
inline constexpr int kColumnCount = 15;

// One of mtr's -o fields as it prints them in --report.
struct MtrField {
  char letter;              // mtr -o letter.
  absl::string_view title;  // Header title (also the JSON key).
  int width;                // Characters in --report, leading blank included.
  Column column;
  bool integral;  // Printed as an integer.
};

// The field of an -o letter, or nullptr.
const MtrField* FieldByLetter(char letter);
// The field whose title is `title` (case-sensitive, as mtr prints it), or
// nullptr. "Loss" is accepted for "Loss%".
const MtrField* FieldByTitle(absl::string_view title);

// The values one report row gave, by column; absent columns are nullopt.
using HopValues = std::array<std::optional<double>, kColumnCount>;

inline std::optional<double>& At(HopValues& values, Column column) {
  return values[static_cast<int>(column)];
}

// Parses a plain decimal number ("12", "0.5", ".5"); with `percent_ok` a
// trailing '%' is allowed. No sign, exponent, inf or nan.
std::optional<double> ParseDecimal(absl::string_view token,
                                   bool percent_ok = false);

// Builds a Hop from one row. Needs Snt and one of Loss%, Rcv, Drop, blank
// (drop). received = Rcv, else Snt - Drop, else round(Snt * (1 - Loss/100)).
// Errors (InvalidArgument, message without location) for counts that are not
// whole, negative or inconsistent values, and loss outside 0..100.
absl::StatusOr<Hop> MakeHop(int ttl, std::string host, const HopValues& values);

// True if a table with these columns can yield hops (see MakeHop).
bool HasRequiredColumns(const std::vector<Column>& columns);

}  // namespace grid::diagnosis::reports_internal

#endif  // GRID_DIAGNOSIS_REPORTS_MTR_COLUMNS_H_
