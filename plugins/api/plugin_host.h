// PluginHost runs the enabled plugins for the services: it builds them from
// the server config through a PluginRegistry, turns what they report into
// v1::Finding with the severity configured for the clinic, and fails a call
// that has a BLOCK finding. The services call it inside their write
// transaction, after validation, with const views of the stored state.
//
// Thread safety: const methods may be called concurrently, also with
// Replace: each check runs on the plugins in place when it started.
#ifndef MNRECORDS_PLUGINS_API_PLUGIN_HOST_H_
#define MNRECORDS_PLUGINS_API_PLUGIN_HOST_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/repeated_field.h"
#include "plugins/api/plugin.h"
#include "plugins/api/plugin_registry.h"

namespace mnrecords::plugins {

using Findings = google::protobuf::RepeatedPtrField<v1::Finding>;
using PluginConfigs = google::protobuf::RepeatedPtrField<config::PluginConfig>;

// SettingsLookup returns the clinic's current published settings revision
// of the plugin named by its argument, or nullopt when the clinic has
// published none. The services read it in the write's transaction.
using SettingsLookup =
    std::function<absl::StatusOr<std::optional<v1::PluginSettings>>(
        const std::string& plugin)>;

class PluginHost {
 public:
  // Build creates every entry of `configs` whose `enabled` is unset or
  // true, in order. INVALID_ARGUMENT (naming "plugins[i]" and the plugin)
  // for an unknown plugin, a name listed twice, a severity override of a
  // code the plugin does not declare or without a severity, a clinic entry
  // without a clinic id or listed twice; the factory's error for bad params.
  static absl::StatusOr<std::unique_ptr<PluginHost>> Build(
      const PluginRegistry& registry, const PluginConfigs& configs);

  // Replace takes over the plugins of `next` (a host Build made from a
  // reloaded config): checks that start afterwards run them, checks in
  // flight finish on the old ones. Plugins are new instances built from
  // their settings; what an old instance kept in memory is not carried.
  void Replace(const PluginHost& next);

  // A host with no plugins: every check passes with no findings.
  static std::unique_ptr<PluginHost> Empty();
  // None is a shared host with no plugins (lives forever).
  static const PluginHost& None();

  // Check* run every plugin's check and replace `*out` with the INFO and
  // WARN findings, in plugin order. FAILED_PRECONDITION if any finding is
  // BLOCK for the view's clinic: the message starts with its code and
  // lists every blocking finding ("CODE (plugin): message; ..."), and it
  // carries them as a PreconditionFailure (common/error_details.h). INTERNAL
  // if a plugin reports a code it did not declare.
  //
  // Each plugin judges the record under the clinic's settings from
  // `settings` (its published revision's effective params and severities)
  // or, when the clinic published none, under the server config's params
  // and severities; every finding carries the revision (0 for none).
  // FAILED_PRECONDITION if the published revision's params no longer pass
  // the plugin's ValidateParams (a plugin upgrade that dropped a setting).
  absl::Status CheckCourse(const CourseView& view,
                           const SettingsLookup& settings, Findings* out) const;
  absl::Status CheckSession(const SessionView& view,
                            const SettingsLookup& settings,
                            Findings* out) const;
  absl::Status CheckConsent(const ConsentView& view,
                            const SettingsLookup& settings,
                            Findings* out) const;
  absl::Status CheckPhoto(const PhotoView& view, const SettingsLookup& settings,
                          Findings* out) const;

  // ResolveSettings checks `requested` (the params and severities a clinic
  // publishes for `plugin`) and returns them with effective_params filled:
  // every declared setting with its value (requested, else the server
  // config's for the clinic, else the default) and source. INVALID_ARGUMENT
  // naming the field ("settings.params[1].key: ...") for an undeclared key,
  // a key or code listed twice, an unknown code or severity, or a value the
  // plugin rejects; NOT_FOUND if the plugin is not enabled.
  absl::StatusOr<v1::PluginSettings> ResolveSettings(
      const std::string& plugin, absl::string_view clinic,
      const v1::PluginSettings& requested) const;

  // ConfiguredSettings is revision 0 of the clinic's settings of `plugin`:
  // what applies while the clinic has published none (the server config's
  // params over the defaults, as effective_params). NOT_FOUND if the plugin
  // is not enabled.
  absl::StatusOr<v1::PluginSettings> ConfiguredSettings(
      const std::string& plugin, absl::string_view clinic) const;

  // Notify* pass a stored record to every plugin's On*Stored.
  void NotifyCourse(const v1::TreatmentCourse& r) const;
  void NotifySession(const v1::TreatmentSession& r) const;
  void NotifyConsent(const v1::Consent& r) const;
  void NotifyPhoto(const v1::OutcomePhoto& r) const;

  // empty: no plugin is enabled.
  bool empty() const { return entries()->empty(); }

  // names lists the enabled plugins, in order.
  std::vector<std::string> names() const;

  // SeverityFor is the severity of `code` of plugin `plugin` in `clinic`.
  absl::StatusOr<Severity> SeverityFor(const std::string& plugin,
                                       absl::string_view clinic,
                                       const std::string& code) const;

 private:
  struct Entry {
    std::string name;
    std::unique_ptr<Plugin> plugin;
    std::map<std::string, Severity> severity;  // code -> plugin-wide
    // clinic -> code -> severity
    std::map<std::string, std::map<std::string, Severity>> clinic_severity;
    std::vector<ParamInfo> declared;  // the plugin's params()
    // The config's plugin-wide params over the defaults, with sources.
    std::vector<v1::EffectiveParam> params;
    // clinic -> the config's clinic params over `params`.
    std::map<std::string, std::vector<v1::EffectiveParam>, std::less<>>
        clinic_params;
  };

  using Entries = std::vector<Entry>;

  PluginHost() : entries_(std::make_shared<const Entries>()) {}
  // entries is the current snapshot. Hold the pointer while walking it: a
  // concurrent Replace frees the old entries once nobody holds them.
  std::shared_ptr<const Entries> entries() const;
  // SeverityIn is the severity of `code` of `e` in `clinic`, before any
  // published settings.
  static absl::StatusOr<Severity> SeverityIn(const Entry& e,
                                             absl::string_view clinic,
                                             const std::string& code);
  // Configured: the config's effective params of `e` for `clinic`.
  static const std::vector<v1::EffectiveParam>& Configured(
      const Entry& e, absl::string_view clinic);
  // Find returns the enabled entry named `plugin`, or nullptr.
  static const Entry* Find(const Entries& entries, const std::string& plugin);
  // Collect turns each entry's findings into `out` (see Check*).
  template <typename View>
  absl::Status Collect(const View& view, const SettingsLookup& settings,
                       std::vector<PluginFinding> (Plugin::*check)(const View&)
                           const,
                       Findings* out) const;

  mutable absl::Mutex mu_;
  // Never changed once built; Replace swaps in another.
  std::shared_ptr<const Entries> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mnrecords::plugins

#endif  // MNRECORDS_PLUGINS_API_PLUGIN_HOST_H_
