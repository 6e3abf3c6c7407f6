// The pieces of flag-to-request code that the command files share. Where
// --from_json may have filled a field, a helper sets it only if its flag was
// given (FlagSpecified), so flags override the file and an absent flag
// leaves the field as it is. Errors are usage errors that name the flag.
#ifndef MNRECORDS_CLIENT_CLI_REQUEST_FLAGS_H_
#define MNRECORDS_CLIENT_CLI_REQUEST_FLAGS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/cli/arg_parsing.h"
#include "client/cli/enum_parsing.h"
#include "client/cli/flags.h"
#include "client/cli/names.h"
#include "client/cli/value_parsing.h"

namespace mnrecords {
namespace cli {

// A resource name read from the flags, e.g. PatientName (names.h).
using NameFromFlags = absl::StatusOr<std::string> (*)();

// SetTimeFlag parses --<flag> (RFC 3339) into *field() if the flag was
// given. `field` (e.g. [&] { return s.mutable_performed_at(); }) is only
// called then: calling mutable_x() would mark an absent time as set (1970).
template <typename MutableField>
absl::Status SetTimeFlag(const char* flag, const absl::Flag<std::string>& value,
                         MutableField field) {
  if (!FlagSpecified(flag)) return absl::OkStatus();
  auto time = ParseTime(flag, absl::GetFlag(value));
  if (!time.ok()) return time.status();
  *field() = *std::move(time);
  return absl::OkStatus();
}

// SetEnumFlag parses --<flag> as enum E and calls set(value) if it was given.
template <typename E, typename Setter>
absl::Status SetEnumFlag(const char* flag, const absl::Flag<std::string>& value,
                         Setter set) {
  if (!FlagSpecified(flag)) return absl::OkStatus();
  auto parsed = ParseEnum<E>(flag, absl::GetFlag(value));
  if (!parsed.ok()) return parsed.status();
  set(*parsed);
  return absl::OkStatus();
}

// ApplyRequestId sets request_id from --request_id if it was given.
template <typename Request>
void ApplyRequestId(Request& request) {
  if (FlagSpecified("request_id")) {
    request.set_request_id(absl::GetFlag(FLAGS_request_id));
  }
}

// SetParent sets request.parent to name() or returns name()'s error.
template <typename Request>
absl::Status SetParent(Request& request, NameFromFlags name) {
  auto parent = name();
  if (!parent.ok()) return parent.status();
  request.set_parent(*std::move(parent));
  return absl::OkStatus();
}

// ApplyParentFlag is SetParent if --<flag> was given or request.parent is
// empty: a parent read from --from_json stays unless the flag overrides it.
template <typename Request>
absl::Status ApplyParentFlag(Request& request, const char* flag,
                             NameFromFlags name) {
  if (!FlagSpecified(flag) && !request.parent().empty()) {
    return absl::OkStatus();
  }
  return SetParent(request, name);
}

// ApplyNameArg sets resource.name to args[0] if given, else to fallback()
// if the resource has no name yet (none read from --from_json).
template <typename Resource>
absl::Status ApplyNameArg(const std::vector<std::string>& args,
                          NameFromFlags fallback, Resource& resource) {
  if (args.empty() && !resource.name().empty()) return absl::OkStatus();
  auto name = NameArg(args, 0, fallback);
  if (!name.ok()) return name.status();
  resource.set_name(*std::move(name));
  return absl::OkStatus();
}

// ApplyKindFlag sets message.kind (an InstructionKind) from --kind if given.
template <typename Message>
absl::Status ApplyKindFlag(Message& message) {
  return SetEnumFlag<v1::InstructionKind>(
      "kind", FLAGS_kind,
      [&](v1::InstructionKind kind) { message.set_kind(kind); });
}

// ApplyTimeRangeFlags sets request.start_time and request.end_time from
// --start_time and --end_time, each if given.
template <typename Request>
absl::Status ApplyTimeRangeFlags(Request& request) {
  absl::Status s = SetTimeFlag("start_time", FLAGS_start_time,
                               [&] { return request.mutable_start_time(); });
  if (!s.ok()) return s;
  return SetTimeFlag("end_time", FLAGS_end_time,
                     [&] { return request.mutable_end_time(); });
}

// ApplyStateChangeFlags sets reason, author and etag of a state change
// request (revoke, entered-in-error) from their flags (empty if not given),
// and request_id if given.
template <typename Request>
void ApplyStateChangeFlags(Request& request) {
  request.set_reason(absl::GetFlag(FLAGS_reason));
  request.set_author(absl::GetFlag(FLAGS_author));
  request.set_etag(absl::GetFlag(FLAGS_etag));
  ApplyRequestId(request);
}

}  // namespace cli
}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_CLI_REQUEST_FLAGS_H_
