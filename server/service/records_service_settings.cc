// TreatmentRecords: a clinic's plugin settings (PublishPluginSettings,
// GetPluginSettings, ListPluginSettingsRevisions).
//
// A published revision fixes the value of every setting the plugin reads
// (effective_params: the clinic's own values over the server config's over
// the plugin's defaults, as of publishing), so the records judged under it
// can always be explained, whatever the config says later. Revision 0 is
// not stored: it is what applies while a clinic has published nothing.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "server/records/idempotency.h"
#include "server/records/plugin_settings_records.h"
#include "server/records/prepared_write.h"
#include "server/records/record_codec.h"
#include "server/records/record_list.h"
#include "server/service/records_service.h"
#include "server/validation/field_checks.h"
#include "server/validation/resource_names.h"
#include "server/validation/validation.h"

namespace mnrecords {
namespace {

// SameSettings: the two revisions judge records the same way (every value
// and every severity override equal); who published and why do not count.
bool SameSettings(const v1::PluginSettings& a, const v1::PluginSettings& b) {
  const auto content = [](const v1::PluginSettings& s) {
    v1::PluginSettings c;
    *c.mutable_effective_params() = s.effective_params();
    *c.mutable_severities() = s.severities();
    std::sort(c.mutable_severities()->begin(), c.mutable_severities()->end(),
              [](const auto& x, const auto& y) { return x.code() < y.code(); });
    std::string bytes;
    c.SerializeToString(&bytes);
    return bytes;
  };
  return content(a) == content(b);
}

}  // namespace

void RecordsService::PublishPluginSettings(
    AuditedCall& call, const v1::PublishPluginSettingsRequest& r,
    Reply<v1::PluginSettings> reply) {
  absl::StatusOr<ResourceName> name =
      ParseName("name", r.name(), NameKind::kPluginSettings);
  absl::Status valid = name.status();
  if (valid.ok()) valid = ValidatePluginSettings("settings", r.settings());
  if (valid.ok()) valid = ValidateRequestId("request_id", r.request_id());
  absl::StatusOr<v1::PluginSettings> resolved;
  if (valid.ok()) {
    resolved =
        plugins_.ResolveSettings(name->plugin, name->clinic, r.settings());
    valid = resolved.status();
    if (absl::IsNotFound(valid)) {
      valid = absl::NotFoundError(absl::StrCat("name: ", valid.message()));
    }
  }
  if (!valid.ok()) return std::move(reply)(valid);
  OnceKey key{RequestScope(name->clinic), r.request_id(),
              RequestDigest(call.context().method, r)};
  Planner<v1::PluginSettings> planner =
      [clinic = name->clinic, full_name = name->FullName(),
       next = *std::move(resolved)](ReadTxn& txn, absl::Time now) mutable
      -> absl::StatusOr<WritePlan<v1::PluginSettings>> {
    MNR_ASSIGN_OR_RETURN(std::optional<v1::PluginSettings> current,
                         LoadPublishedSettings(txn, full_name));
    WritePlan<v1::PluginSettings> plan;
    plan.name = full_name;
    if (current.has_value() && SameSettings(*current, next)) {
      // The settings in force already: nothing new to publish.
      plan.revision_id = current->revision_id();
      plan.result = *std::move(current);
      return plan;
    }
    next.set_name(full_name);
    next.set_revision_id(current.has_value() ? current->revision_id() + 1 : 1);
    *next.mutable_publish_time() = ToProtoTime(now);
    next.clear_etag();
    plan.row = PluginSettingsRow(clinic, next);
    plan.insert = !current.has_value();
    plan.revision_id = next.revision_id();
    next.set_etag(EtagFor(next.revision_id()));
    plan.result = next;
    return plan;
  };
  WriteOnce<v1::PluginSettings>(
      store_, call, clock_, std::move(key), std::move(planner),
      [](ReadTxn& txn,
         const RequestRecord& first) -> absl::StatusOr<v1::PluginSettings> {
        MNR_ASSIGN_OR_RETURN(
            std::optional<v1::PluginSettings> stored,
            LoadPublishedSettings(txn, first.name, first.revision_id));
        return *std::move(stored);
      },
      std::move(reply));
}

absl::StatusOr<v1::PluginSettings> RecordsService::GetPluginSettings(
    AuditedCall&, const v1::GetPluginSettingsRequest& r) {
  MNR_ASSIGN_OR_RETURN(const ResourceName name,
                       ParseName("name", r.name(), NameKind::kPluginSettings));
  MNR_RETURN_IF_ERROR(
      CheckIntRange("revision_id", r.revision_id(), 0, kMaxRevisionId));
  std::optional<v1::PluginSettings> stored;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(stored,
                         LoadPublishedSettings(txn, r.name(), r.revision_id()));
    return absl::OkStatus();
  }));
  if (stored.has_value()) return *std::move(stored);
  MNR_ASSIGN_OR_RETURN(v1::PluginSettings configured,
                       plugins_.ConfiguredSettings(name.plugin, name.clinic));
  configured.set_name(r.name());
  return configured;
}

absl::StatusOr<v1::ListPluginSettingsRevisionsResponse>
RecordsService::ListPluginSettingsRevisions(
    AuditedCall&, const v1::ListPluginSettingsRevisionsRequest& r) {
  MNR_RETURN_IF_ERROR(
      ParseName("name", r.name(), NameKind::kPluginSettings).status());
  MNR_RETURN_IF_ERROR(EffectivePageSize("page_size", r.page_size()).status());
  v1::ListPluginSettingsRevisionsResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    // A clinic that has published nothing has no revisions to list.
    MNR_ASSIGN_OR_RETURN(const std::optional<v1::PluginSettings> current,
                         LoadPublishedSettings(txn, r.name()));
    if (!current.has_value()) return absl::OkStatus();
    MNR_ASSIGN_OR_RETURN(RecordPage<v1::PluginSettings> page,
                         ListRevisionPage<v1::PluginSettings>(
                             txn, r.name(), r.page_size(), r.page_token(), r,
                             DecodePluginSettings));
    MovePage(std::move(page), response.mutable_settings(),
             response.mutable_next_page_token());
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace mnrecords
