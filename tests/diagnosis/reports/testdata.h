// Test helpers for the report readers: fixture access and Status checks.
#ifndef GRID_TESTS_DIAGNOSIS_REPORTS_TESTDATA_H_
#define GRID_TESTS_DIAGNOSIS_REPORTS_TESTDATA_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "diagnosis/trace.h"
#include "gtest/gtest.h"

namespace grid::diagnosis::testing {

// Contents of tests/testdata/reports/<relative>; fails the test if missing.
std::string ReportFixture(std::string_view relative);

// The Start: time of an mtr --report text.
absl::Time ReportStartTime(std::string_view report);

// Prints a trace compactly for failure messages.
std::string DebugString(const Trace& trace);

}  // namespace grid::diagnosis::testing

// Asserts that a StatusOr is OK and shows its status otherwise.
#define ASSERT_OK_AND_ASSIGN(lhs, expr)               \
  auto GRID_TEST_CONCAT_(sor_, __LINE__) = (expr);    \
  ASSERT_TRUE(GRID_TEST_CONCAT_(sor_, __LINE__).ok()) \
      << GRID_TEST_CONCAT_(sor_, __LINE__).status();  \
  lhs = std::move(GRID_TEST_CONCAT_(sor_, __LINE__)).value()
#define GRID_TEST_CONCAT_(a, b) GRID_TEST_CONCAT_INNER_(a, b)
#define GRID_TEST_CONCAT_INNER_(a, b) a##b

#endif  // GRID_TESTS_DIAGNOSIS_REPORTS_TESTDATA_H_
