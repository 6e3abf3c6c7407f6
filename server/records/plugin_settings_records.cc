#include "server/records/plugin_settings_records.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "server/records/record_codec.h"

namespace mnrecords {

std::string PluginSettingsName(absl::string_view clinic,
                               absl::string_view plugin) {
  return absl::StrCat("clinics/", clinic, "/pluginSettings/", plugin);
}

RecordRevision PluginSettingsRow(absl::string_view clinic,
                                 const v1::PluginSettings& s) {
  RecordRevision row;
  row.name = s.name();
  row.kind = RecordKind::kPluginSettings;
  row.clinic = std::string(clinic);
  row.actor = s.published_by();
  row.event_time_us = ProtoTimeToMicros(s.publish_time());
  row.revision_id = s.revision_id();
  row.create_time = FromProtoTime(s.publish_time());
  v1::PluginSettings payload = s;
  payload.clear_etag();
  payload.SerializeToString(&row.payload);
  return row;
}

absl::StatusOr<v1::PluginSettings> DecodePluginSettings(
    const StoredRecord& stored) {
  return DecodePayload<v1::PluginSettings>(stored, RecordKind::kPluginSettings);
}

absl::StatusOr<std::optional<v1::PluginSettings>> LoadPublishedSettings(
    ReadTxn& txn, const std::string& name, int64_t revision_id) {
  absl::StatusOr<StoredRecord> stored = txn.GetRecord(name, revision_id);
  if (revision_id == 0 && absl::IsNotFound(stored.status())) {
    return std::nullopt;
  }
  if (!stored.ok()) return stored.status();
  absl::StatusOr<v1::PluginSettings> decoded = DecodePluginSettings(*stored);
  if (!decoded.ok()) return decoded.status();
  return std::optional<v1::PluginSettings>(*std::move(decoded));
}

}  // namespace mnrecords
