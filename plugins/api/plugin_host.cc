#include "plugins/api/plugin_host.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/error_details.h"
#include "plugins/api/plugin_params.h"

namespace mnrecords::plugins {
namespace {

v1::FindingSeverity ToApi(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return v1::FINDING_SEVERITY_INFO;
    case Severity::kWarn:
      return v1::FINDING_SEVERITY_WARN;
    case Severity::kBlock:
      return v1::FINDING_SEVERITY_BLOCK;
  }
  return v1::FINDING_SEVERITY_UNSPECIFIED;
}

// ReadOverrides checks `overrides` against the declared codes and adds them
// to `*out`.
absl::Status ReadOverrides(
    const std::string& where,
    const google::protobuf::RepeatedPtrField<config::SeverityOverride>&
        overrides,
    const std::map<std::string, Severity>& declared,
    std::map<std::string, Severity>* out) {
  for (int i = 0; i < overrides.size(); ++i) {
    const config::SeverityOverride& o = overrides.Get(i);
    const std::string field = absl::StrCat(where, ".severity[", i, "]");
    if (declared.count(o.code()) == 0) {
      std::vector<std::string> codes;
      for (const auto& [code, s] : declared) codes.push_back(code);
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".code: unknown finding code \"", o.code(),
                       "\" (known: ", absl::StrJoin(codes, ", "), ")"));
    }
    Severity s;
    switch (o.severity()) {
      case config::SeverityOverride::INFO:
        s = Severity::kInfo;
        break;
      case config::SeverityOverride::WARN:
        s = Severity::kWarn;
        break;
      case config::SeverityOverride::BLOCK:
        s = Severity::kBlock;
        break;
      default:
        return absl::InvalidArgumentError(absl::StrCat(
            field, ".severity: must be INFO, WARN or BLOCK for ", o.code()));
    }
    if (!out->emplace(o.code(), s).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".code: ", o.code(), " is listed twice"));
    }
  }
  return absl::OkStatus();
}

bool ToSeverity(v1::FindingSeverity s, Severity* out) {
  switch (s) {
    case v1::FINDING_SEVERITY_INFO:
      *out = Severity::kInfo;
      return true;
    case v1::FINDING_SEVERITY_WARN:
      *out = Severity::kWarn;
      return true;
    case v1::FINDING_SEVERITY_BLOCK:
      *out = Severity::kBlock;
      return true;
    default:
      return false;
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<PluginHost>> PluginHost::Build(
    const PluginRegistry& registry, const PluginConfigs& configs) {
  auto entries = std::make_shared<Entries>();
  std::set<std::string> seen;
  for (int i = 0; i < configs.size(); ++i) {
    const config::PluginConfig& c = configs.Get(i);
    const std::string where = absl::StrCat("plugins[", i, "] (", c.name(), ")");
    if (!seen.insert(c.name()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": plugin \"", c.name(), "\" is listed twice"));
    }
    absl::StatusOr<std::unique_ptr<Plugin>> plugin = registry.Create(c);
    if (!plugin.ok()) {
      return absl::Status(plugin.status().code(),
                          absl::StrCat(where, ": ", plugin.status().message()));
    }
    if (c.has_enabled() && !c.enabled()) continue;
    Entry entry;
    entry.name = c.name();
    entry.plugin = *std::move(plugin);
    std::map<std::string, Severity> declared;
    for (const FindingCode& code : entry.plugin->codes()) {
      declared[code.code] = code.default_severity;
    }
    absl::Status s =
        ReadOverrides(where, c.severity(), declared, &entry.severity);
    if (!s.ok()) return s;
    for (const auto& [code, sev] : declared) entry.severity.emplace(code, sev);
    entry.declared = entry.plugin->params();
    entry.params = Defaults(entry.declared);
    s = ReadConfigParams(where, c.param(), *entry.plugin, entry.declared,
                         &entry.params);
    if (!s.ok()) return s;
    for (int j = 0; j < c.clinic_size(); ++j) {
      const config::ClinicPluginSettings& cs = c.clinic(j);
      const std::string cw = absl::StrCat(where, ".clinic[", j, "]");
      if (cs.clinic().empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(cw, ".clinic: the clinic id is required"));
      }
      if (entry.clinic_severity.count(cs.clinic()) != 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(cw, ".clinic: ", cs.clinic(), " is listed twice"));
      }
      s = ReadOverrides(cw, cs.severity(), declared,
                        &entry.clinic_severity[cs.clinic()]);
      if (!s.ok()) return s;
      std::vector<v1::EffectiveParam>& clinic_params =
          entry.clinic_params[cs.clinic()];
      clinic_params = entry.params;
      s = ReadConfigParams(cw, cs.param(), *entry.plugin, entry.declared,
                           &clinic_params);
      if (!s.ok()) return s;
    }
    entries->push_back(std::move(entry));
  }
  std::unique_ptr<PluginHost> host(new PluginHost());
  absl::MutexLock lock(&host->mu_);
  host->entries_ = std::move(entries);
  return host;
}

void PluginHost::Replace(const PluginHost& next) {
  std::shared_ptr<const Entries> entries = next.entries();
  absl::MutexLock lock(&mu_);
  entries_.swap(entries);
}

std::shared_ptr<const PluginHost::Entries> PluginHost::entries() const {
  absl::MutexLock lock(&mu_);
  return entries_;
}

std::unique_ptr<PluginHost> PluginHost::Empty() {
  return std::unique_ptr<PluginHost>(new PluginHost());
}

const PluginHost& PluginHost::None() {
  static const PluginHost* const none = new PluginHost();
  return *none;
}

absl::StatusOr<Severity> PluginHost::SeverityFor(
    const std::string& plugin, absl::string_view clinic,
    const std::string& code) const {
  const std::shared_ptr<const Entries> entries = this->entries();
  for (const Entry& e : *entries) {
    if (e.name == plugin) return SeverityIn(e, clinic, code);
  }
  return absl::NotFoundError(
      absl::StrCat("plugin ", plugin, " is not enabled"));
}

absl::StatusOr<Severity> PluginHost::SeverityIn(const Entry& e,
                                                absl::string_view clinic,
                                                const std::string& code) {
  auto per_clinic = e.clinic_severity.find(std::string(clinic));
  if (per_clinic != e.clinic_severity.end()) {
    auto it = per_clinic->second.find(code);
    if (it != per_clinic->second.end()) return it->second;
  }
  auto it = e.severity.find(code);
  if (it == e.severity.end()) {
    return absl::InternalError(absl::StrCat("plugin ", e.name,
                                            " reported finding code ", code,
                                            " that it does not declare"));
  }
  return it->second;
}

const std::vector<v1::EffectiveParam>& PluginHost::Configured(
    const Entry& e, absl::string_view clinic) {
  auto it = e.clinic_params.find(clinic);
  return it == e.clinic_params.end() ? e.params : it->second;
}

const PluginHost::Entry* PluginHost::Find(const Entries& entries,
                                          const std::string& plugin) {
  for (const Entry& e : entries) {
    if (e.name == plugin) return &e;
  }
  return nullptr;
}

absl::StatusOr<v1::PluginSettings> PluginHost::ConfiguredSettings(
    const std::string& plugin, absl::string_view clinic) const {
  const std::shared_ptr<const Entries> entries = this->entries();
  const Entry* e = Find(*entries, plugin);
  if (e == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("plugin ", plugin, " is not enabled"));
  }
  v1::PluginSettings out;
  for (const v1::EffectiveParam& p : Configured(*e, clinic)) {
    *out.add_effective_params() = p;
  }
  return out;
}

absl::StatusOr<v1::PluginSettings> PluginHost::ResolveSettings(
    const std::string& plugin, absl::string_view clinic,
    const v1::PluginSettings& requested) const {
  const std::shared_ptr<const Entries> entries = this->entries();
  const Entry* e = Find(*entries, plugin);
  if (e == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "plugin ", plugin,
        " is not enabled (enabled: ", absl::StrJoin(names(), ", "), ")"));
  }
  std::vector<v1::EffectiveParam> effective = Configured(*e, clinic);
  std::set<std::string> seen;
  for (int i = 0; i < requested.params_size(); ++i) {
    const v1::PluginParam& p = requested.params(i);
    const std::string field = absl::StrCat("settings.params[", i, "]");
    if (!seen.insert(p.key()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".key: ", p.key(), " is listed twice"));
    }
    const ParamInfo* info = Declared(e->declared, p.key());
    if (info == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".key: ", plugin, " has no setting \"", p.key(),
                       "\" (known: ", KnownKeys(e->declared), ")"));
    }
    Overlay(*info, p.key(), p.value(), "published", &effective);
  }
  absl::Status valid = e->plugin->ValidateParams(ToMap(effective));
  if (!valid.ok()) {
    const absl::string_view key = KeyOf(valid.message());
    for (int i = 0; i < requested.params_size(); ++i) {
      if (requested.params(i).key() == key) {
        return absl::InvalidArgumentError(
            absl::StrCat("settings.params[", i, "].value: ", valid.message()));
      }
    }
    return absl::InvalidArgumentError(
        absl::StrCat("settings.params: ", valid.message()));
  }
  std::set<std::string> codes;
  for (int i = 0; i < requested.severities_size(); ++i) {
    const v1::SeverityOverride& o = requested.severities(i);
    const std::string field = absl::StrCat("settings.severities[", i, "]");
    if (e->severity.count(o.code()) == 0) {
      std::vector<std::string> known;
      for (const auto& [code, unused] : e->severity) known.push_back(code);
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".code: ", plugin, " has no finding code \"", o.code(),
          "\" (known: ", absl::StrJoin(known, ", "), ")"));
    }
    if (!codes.insert(o.code()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".code: ", o.code(), " is listed twice"));
    }
    Severity unused;
    if (!ToSeverity(o.severity(), &unused)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".severity: must be INFO, WARN or BLOCK"));
    }
  }
  v1::PluginSettings out = requested;
  out.clear_effective_params();
  for (v1::EffectiveParam& p : effective) {
    *out.add_effective_params() = std::move(p);
  }
  return out;
}

template <typename View>
absl::Status PluginHost::Collect(
    const View& view, const SettingsLookup& settings,
    std::vector<PluginFinding> (Plugin::*check)(const View&) const,
    Findings* out) const {
  Findings kept;
  std::vector<RuleViolation> blocking;
  const std::shared_ptr<const Entries> entries = this->entries();
  for (const Entry& e : *entries) {
    std::optional<v1::PluginSettings> published;
    if (settings) {
      absl::StatusOr<std::optional<v1::PluginSettings>> found =
          settings(e.name);
      if (!found.ok()) return found.status();
      published = *std::move(found);
    }
    const PluginParams params = published.has_value()
                                    ? ToMap(published->effective_params())
                                    : ToMap(Configured(e, view.clinic));
    if (published.has_value()) {
      // Checked when published; a plugin version that no longer accepts
      // them must not judge records under anything else silently.
      absl::Status valid = e.plugin->ValidateParams(params);
      if (!valid.ok()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "revision ", published->revision_id(), " of ", published->name(),
            " is not valid for this version of ", e.name, " (", valid.message(),
            "); publish the clinic's settings again"));
      }
    }
    const int64_t revision =
        published.has_value() ? published->revision_id() : 0;
    View judged = view;
    judged.params = &params;
    for (PluginFinding& f : ((*e.plugin).*check)(judged)) {
      absl::StatusOr<Severity> s = SeverityIn(e, view.clinic, f.code);
      if (!s.ok()) return s.status();
      if (published.has_value()) {
        for (const v1::SeverityOverride& o : published->severities()) {
          if (o.code() == f.code) ToSeverity(o.severity(), &*s);
        }
      }
      if (*s == Severity::kBlock) {
        blocking.push_back({f.code, e.name, f.message});
        continue;
      }
      v1::Finding* finding = kept.Add();
      finding->set_code(std::move(f.code));
      finding->set_message(std::move(f.message));
      finding->set_severity(ToApi(*s));
      finding->set_plugin(e.name);
      finding->set_settings_revision(revision);
    }
  }
  if (!blocking.empty()) {
    return ProtocolRuleError(blocking);
  }
  out->Swap(&kept);
  return absl::OkStatus();
}

absl::Status PluginHost::CheckCourse(const CourseView& view,
                                     const SettingsLookup& settings,
                                     Findings* out) const {
  return Collect(view, settings, &Plugin::CheckCourse, out);
}
absl::Status PluginHost::CheckSession(const SessionView& view,
                                      const SettingsLookup& settings,
                                      Findings* out) const {
  return Collect(view, settings, &Plugin::CheckSession, out);
}
absl::Status PluginHost::CheckConsent(const ConsentView& view,
                                      const SettingsLookup& settings,
                                      Findings* out) const {
  return Collect(view, settings, &Plugin::CheckConsent, out);
}
absl::Status PluginHost::CheckPhoto(const PhotoView& view,
                                    const SettingsLookup& settings,
                                    Findings* out) const {
  return Collect(view, settings, &Plugin::CheckPhoto, out);
}

void PluginHost::NotifyCourse(const v1::TreatmentCourse& r) const {
  const std::shared_ptr<const Entries> entries = this->entries();
  for (const Entry& e : *entries) e.plugin->OnCourseStored(r);
}
void PluginHost::NotifySession(const v1::TreatmentSession& r) const {
  const std::shared_ptr<const Entries> entries = this->entries();
  for (const Entry& e : *entries) e.plugin->OnSessionStored(r);
}
void PluginHost::NotifyConsent(const v1::Consent& r) const {
  const std::shared_ptr<const Entries> entries = this->entries();
  for (const Entry& e : *entries) e.plugin->OnConsentStored(r);
}
void PluginHost::NotifyPhoto(const v1::OutcomePhoto& r) const {
  const std::shared_ptr<const Entries> entries = this->entries();
  for (const Entry& e : *entries) e.plugin->OnPhotoStored(r);
}

std::vector<std::string> PluginHost::names() const {
  std::vector<std::string> out;
  const std::shared_ptr<const Entries> entries = this->entries();
  for (const Entry& e : *entries) out.push_back(e.name);
  return out;
}

}  // namespace mnrecords::plugins
