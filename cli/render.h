// Terminal rendering of traces and diagnoses: mtr-like tables with faulty
// and dismissed hops marked (in colour on a TTY), and the verdict in words.
#ifndef GRID_CLI_RENDER_H_
#define GRID_CLI_RENDER_H_

#include <string>

#include "absl/types/span.h"
#include "diagnosis/diagnosis.h"
#include "diagnosis/trace.h"

namespace grid::cli {

struct RenderOptions {
  bool color = false;
};

// True when stdout is a terminal and NO_COLOR is unset.
bool StdoutWantsColor();

// Every vantage's tables, then the verdict, findings and artifacts.
std::string RenderDiagnosis(const diagnosis::Diagnosis& diagnosis,
                            absl::Span<const diagnosis::VantageTraces> vantages,
                            const RenderOptions& options);

}  // namespace grid::cli

#endif  // GRID_CLI_RENDER_H_
