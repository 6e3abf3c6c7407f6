// mnrec settings get|publish|revisions: a clinic's plugin settings (the
// protocol's thresholds and finding severities), as immutable revisions.
#include <map>
#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/flags.h"
#include "client/cli/names.h"
#include "client/cli/request_flags.h"

namespace mnrecords {
namespace cli {
namespace {

// SettingsName is clinics/{--clinic}/pluginSettings/{--plugin}.
absl::StatusOr<std::string> SettingsName() {
  auto clinic = ClinicName();
  if (!clinic.ok()) return clinic.status();
  return absl::StrCat(*clinic, "/pluginSettings/", absl::GetFlag(FLAGS_plugin));
}

// SplitAssignment splits "KEY=VALUE" of flag `flag`.
absl::StatusOr<std::pair<std::string, std::string>> SplitAssignment(
    absl::string_view flag, const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return UsageError(absl::StrCat(
        "--", flag, "=", text, ": expected KEY=VALUE, e.g. --", flag,
        flag == "param" ? "=prep_stop_days=5"
                        : "=MNP-SESSION-TOO-EARLY=BLOCK"));
  }
  return std::make_pair(text.substr(0, eq), text.substr(eq + 1));
}

absl::Status Get(const CommandContext& ctx) {
  v1::GetPluginSettingsRequest request;
  auto name = SettingsName();
  if (!name.ok()) return name.status();
  request.set_name(*name);
  request.set_revision_id(absl::GetFlag(FLAGS_revision));
  return PrintResult(ctx.client.GetPluginSettings(request, ctx.call), ctx.json);
}

// `mnrec settings publish --clinic=C [--plugin=P] --param=KEY=VALUE...
// --severity=CODE=LEVEL... [--unset=KEY...] --reason=WHY
// --published_by=WHO` publishes the next revision: the clinic's current
// published values and severities, changed by the flags (--unset drops a
// clinic value, so the server config's or the default applies again).
absl::Status Publish(const CommandContext& ctx) {
  auto name = SettingsName();
  if (!name.ok()) return name.status();
  if (!FlagSpecified("reason") || !FlagSpecified("published_by")) {
    return UsageError(
        "--reason and --published_by are required: why the settings change "
        "and who publishes them");
  }
  v1::GetPluginSettingsRequest get;
  get.set_name(*name);
  auto current = ctx.client.GetPluginSettings(get, ctx.call);
  if (!current.ok()) return current.status();

  // Revision 0 (nothing published) has no values of the clinic's own.
  std::map<std::string, std::string> params;
  for (const v1::PluginParam& p : current->params()) {
    params[p.key()] = p.value();
  }
  std::map<std::string, v1::FindingSeverity> severities;
  for (const v1::SeverityOverride& o : current->severities()) {
    severities[o.code()] = o.severity();
  }
  for (const std::string& key : absl::GetFlag(FLAGS_unset)) params.erase(key);
  for (const std::string& text : absl::GetFlag(FLAGS_param)) {
    auto kv = SplitAssignment("param", text);
    if (!kv.ok()) return kv.status();
    params[kv->first] = kv->second;
  }
  for (const std::string& text : absl::GetFlag(FLAGS_severity)) {
    auto kv = SplitAssignment("severity", text);
    if (!kv.ok()) return kv.status();
    v1::FindingSeverity level;
    if (!v1::FindingSeverity_Parse(
            absl::StrCat("FINDING_SEVERITY_", kv->second), &level) ||
        level == v1::FINDING_SEVERITY_UNSPECIFIED) {
      return UsageError(absl::StrCat(
          "--severity=", text, ": the level must be INFO, WARN or BLOCK"));
    }
    severities[kv->first] = level;
  }

  v1::PublishPluginSettingsRequest request;
  request.set_name(*name);
  v1::PluginSettings* s = request.mutable_settings();
  for (const auto& [key, value] : params) {
    v1::PluginParam* p = s->add_params();
    p->set_key(key);
    p->set_value(value);
  }
  for (const auto& [code, level] : severities) {
    v1::SeverityOverride* o = s->add_severities();
    o->set_code(code);
    o->set_severity(level);
  }
  s->set_reason(absl::GetFlag(FLAGS_reason));
  s->set_published_by(absl::GetFlag(FLAGS_published_by));
  ApplyRequestId(request);
  return PrintResult(ctx.client.PublishPluginSettings(request, ctx.call),
                     ctx.json);
}

absl::Status Revisions(const CommandContext& ctx) {
  v1::ListPluginSettingsRevisionsRequest request;
  auto name = SettingsName();
  if (!name.ok()) return name.status();
  request.set_name(*name);
  return RunList<v1::ListPluginSettingsRevisionsResponse>(
      ctx, std::move(request),
      [&](const auto& r, auto o) {
        return ctx.client.ListPluginSettingsRevisions(r, o);
      },
      [&](auto r, auto o) {
        return ctx.client.ListAllPluginSettingsRevisions(r, o);
      },
      [](auto& r) { return r.mutable_settings(); });
}

}  // namespace

absl::Status RunSettingsCommand(const std::string& verb,
                                const CommandContext& ctx) {
  return Dispatch(
      "settings", verb,
      {{"get", &Get}, {"publish", &Publish}, {"revisions", &Revisions}}, ctx);
}

}  // namespace cli
}  // namespace mnrecords
