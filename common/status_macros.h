// Status propagation macros. Debian's Abseil (20220623) ships neither
// RETURN_IF_ERROR nor ASSIGN_OR_RETURN, so grid defines its own.
#ifndef GRID_COMMON_STATUS_MACROS_H_
#define GRID_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns the status of `expr` from the enclosing function if it is not OK.
#define GRID_RETURN_IF_ERROR(expr)                 \
  do {                                             \
    if (::absl::Status grid_status_ = (expr);      \
        !grid_status_.ok()) {                      \
      return grid_status_;                         \
    }                                              \
  } while (0)

#define GRID_STATUS_CONCAT_INNER_(a, b) a##b
#define GRID_STATUS_CONCAT_(a, b) GRID_STATUS_CONCAT_INNER_(a, b)

// `GRID_ASSIGN_OR_RETURN(auto x, Foo());` declares x from the value of a
// StatusOr, or returns its error status from the enclosing function.
#define GRID_ASSIGN_OR_RETURN(lhs, expr)                                  \
  GRID_ASSIGN_OR_RETURN_IMPL_(GRID_STATUS_CONCAT_(grid_or_, __LINE__), lhs, \
                              expr)
#define GRID_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return std::move(tmp).status();    \
  lhs = std::move(tmp).value()

#endif  // GRID_COMMON_STATUS_MACROS_H_
