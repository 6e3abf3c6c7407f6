#include "plugins/api/plugin_host.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/error_details.h"

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

template <typename View>
absl::Status PluginHost::Collect(
    const View& view,
    std::vector<PluginFinding> (Plugin::*check)(const View&) const,
    Findings* out) const {
  Findings kept;
  std::vector<RuleViolation> blocking;
  const std::shared_ptr<const Entries> entries = this->entries();
  for (const Entry& e : *entries) {
    for (PluginFinding& f : ((*e.plugin).*check)(view)) {
      absl::StatusOr<Severity> s = SeverityIn(e, view.clinic, f.code);
      if (!s.ok()) return s.status();
      if (*s == Severity::kBlock) {
        blocking.push_back({f.code, e.name, f.message});
        continue;
      }
      v1::Finding* finding = kept.Add();
      finding->set_code(std::move(f.code));
      finding->set_message(std::move(f.message));
      finding->set_severity(ToApi(*s));
      finding->set_plugin(e.name);
    }
  }
  if (!blocking.empty()) {
    return ProtocolRuleError(blocking);
  }
  out->Swap(&kept);
  return absl::OkStatus();
}

absl::Status PluginHost::CheckCourse(const CourseView& view,
                                     Findings* out) const {
  return Collect(view, &Plugin::CheckCourse, out);
}
absl::Status PluginHost::CheckSession(const SessionView& view,
                                      Findings* out) const {
  return Collect(view, &Plugin::CheckSession, out);
}
absl::Status PluginHost::CheckConsent(const ConsentView& view,
                                      Findings* out) const {
  return Collect(view, &Plugin::CheckConsent, out);
}
absl::Status PluginHost::CheckPhoto(const PhotoView& view,
                                    Findings* out) const {
  return Collect(view, &Plugin::CheckPhoto, out);
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
