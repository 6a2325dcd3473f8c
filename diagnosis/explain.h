// Words for support engineers: the one- or two-sentence summary of a
// diagnosis, pasteable to a customer.
#ifndef GRID_DIAGNOSIS_EXPLAIN_H_
#define GRID_DIAGNOSIS_EXPLAIN_H_

#include <string>
#include <vector>

#include "diagnosis/diagnosis.h"
#include "diagnosis/localization.h"

namespace grid::diagnosis {

// "a", "a and b", "a, b and c".
std::string JoinNames(const std::vector<std::string>& names);

// Summary of `diagnosis` (verdict, findings and artifacts already set).
std::string Summarize(const Diagnosis& diagnosis,
                      const std::vector<VantageAnalysis>& vantages);

}  // namespace grid::diagnosis

#endif  // GRID_DIAGNOSIS_EXPLAIN_H_
