#include "client/cli/change_requests.h"

#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "client/cli/cli_status.h"
#include "client/cli/enum_parsing.h"
#include "client/cli/flags.h"
#include "client/cli/names.h"

namespace mnrecords {
namespace cli {

absl::StatusOr<v1::ChangeFilter> ChangeFilterFromFlags() {
  v1::ChangeFilter filter;
  const std::string patient = absl::GetFlag(FLAGS_patient);
  if (!patient.empty() && patient != "-") {
    auto name = PatientName();
    if (!name.ok()) return name.status();
    filter.set_patient(*std::move(name));
  }
  for (const std::string& kind : absl::GetFlag(FLAGS_kinds)) {
    auto parsed = ParseEnum<v1::RecordKind>("kinds", kind);
    if (!parsed.ok()) return parsed.status();
    filter.add_kinds(*parsed);
  }
  filter.set_names_only(absl::GetFlag(FLAGS_names_only));
  return filter;
}

absl::StatusOr<v1::ListChangesRequest> ListChangesRequestFromFlags() {
  v1::ListChangesRequest request;
  auto parent = ClinicName();
  if (!parent.ok()) return parent.status();
  request.set_parent(*std::move(parent));
  request.set_after_cursor(absl::GetFlag(FLAGS_since));
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  auto filter = ChangeFilterFromFlags();
  if (!filter.ok()) return filter.status();
  *request.mutable_filter() = *std::move(filter);
  return request;
}

absl::StatusOr<ChangeFeedOptions> ChangeFeedOptionsFromFlags() {
  ChangeFeedOptions options;
  auto parent = ClinicName();
  if (!parent.ok()) return parent.status();
  options.parent = *std::move(parent);
  options.start_cursor = absl::GetFlag(FLAGS_since);
  options.start_at_head = absl::GetFlag(FLAGS_from_now);
  if (options.start_at_head && !options.start_cursor.empty()) {
    return UsageError("--since and --from_now exclude each other");
  }
  auto filter = ChangeFilterFromFlags();
  if (!filter.ok()) return filter.status();
  options.filter = *std::move(filter);
  return options;
}

}  // namespace cli
}  // namespace mnrecords
