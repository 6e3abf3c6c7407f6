// A clinic's settings of a plugin as stored records: one record of kind
// kPluginSettings per clinic and plugin, named
// clinics/{clinic}/pluginSettings/{plugin}, whose revisions are the
// published settings (never edited; a change is the next revision).
#ifndef MNRECORDS_SERVER_RECORDS_PLUGIN_SETTINGS_RECORDS_H_
#define MNRECORDS_SERVER_RECORDS_PLUGIN_SETTINGS_RECORDS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clinic/microneedling/v1/common.pb.h"
#include "server/store/store.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// PluginSettingsName is clinics/{clinic}/pluginSettings/{plugin}.
std::string PluginSettingsName(absl::string_view clinic,
                               absl::string_view plugin);

// PluginSettingsRow is the store row of revision `s` (name, revision_id,
// publish_time and published_by set) of `clinic`; the etag is not stored.
RecordRevision PluginSettingsRow(absl::string_view clinic,
                                 const v1::PluginSettings& s);

// DecodePluginSettings parses a stored revision and sets its etag.
// DATA_LOSS for a row of another kind or an unreadable payload.
absl::StatusOr<v1::PluginSettings> DecodePluginSettings(
    const StoredRecord& stored);

// LoadPublishedSettings reads revision `revision_id` (0 = current) of
// `name`; nullopt when nothing was published under it (and revision_id is
// 0). NOT_FOUND for a revision that does not exist.
absl::StatusOr<std::optional<v1::PluginSettings>> LoadPublishedSettings(
    ReadTxn& txn, const std::string& name, int64_t revision_id = 0);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_RECORDS_PLUGIN_SETTINGS_RECORDS_H_
