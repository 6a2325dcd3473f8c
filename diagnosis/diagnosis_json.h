// The diagnosis JSON of design.md § 2, shared by `grid analyze --json` and
// `grid diagnose --json`.
#ifndef GRID_DIAGNOSIS_DIAGNOSIS_JSON_H_
#define GRID_DIAGNOSIS_DIAGNOSIS_JSON_H_

#include <string>

#include "absl/types/span.h"
#include "diagnosis/diagnosis.h"
#include "diagnosis/trace.h"

namespace grid::diagnosis {

// One JSON object (2-space indent, trailing newline) with verdict, summary,
// findings, artifacts and every vantage's traces.
std::string DiagnosisToJson(const Diagnosis& diagnosis,
                            absl::Span<const VantageTraces> vantages);

}  // namespace grid::diagnosis

#endif  // GRID_DIAGNOSIS_DIAGNOSIS_JSON_H_
