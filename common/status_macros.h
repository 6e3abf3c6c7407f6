// Local stand-ins for the RETURN_IF_ERROR / ASSIGN_OR_RETURN macros that
// Abseil 20220623 (Debian 12's) lacks. Named MNR_* so they can be swapped
// for Abseil's own once Debian ships them.
#ifndef MNRECORDS_COMMON_STATUS_MACROS_H_
#define MNRECORDS_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// MNR_RETURN_IF_ERROR(expr) returns the absl::Status of `expr` if not OK.
#define MNR_RETURN_IF_ERROR(expr)              \
  do {                                         \
    const ::absl::Status mnr_status_ = (expr); \
    if (!mnr_status_.ok()) return mnr_status_; \
  } while (false)

#define MNR_STATUS_CONCAT_INNER_(a, b) a##b
#define MNR_STATUS_CONCAT_(a, b) MNR_STATUS_CONCAT_INNER_(a, b)

// MNR_ASSIGN_OR_RETURN(lhs, expr) evaluates the absl::StatusOr `expr`,
// returns its status if not OK, else assigns (or declares) lhs = value.
#define MNR_ASSIGN_OR_RETURN(lhs, expr)                                        \
  MNR_ASSIGN_OR_RETURN_IMPL_(MNR_STATUS_CONCAT_(mnr_statusor_, __LINE__), lhs, \
                             expr)

#define MNR_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                               \
  if (!statusor.ok()) return statusor.status();         \
  lhs = std::move(statusor).value()

#endif  // MNRECORDS_COMMON_STATUS_MACROS_H_
