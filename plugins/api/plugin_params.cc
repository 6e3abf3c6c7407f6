#include "plugins/api/plugin_params.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace mnrecords::plugins {

namespace config = ::mnrecords::config::v1;

// Declared returns the declaration `key` falls under (exactly, or within
// a family such as "needle_depth_mm."), or nullptr.
const ParamInfo* Declared(const std::vector<ParamInfo>& declared,
                          absl::string_view key) {
  for (const ParamInfo& p : declared) {
    const bool family = !p.key.empty() && p.key.back() == '.';
    if (family ? (absl::StartsWith(key, p.key) && key.size() > p.key.size())
               : key == p.key) {
      return &p;
    }
  }
  return nullptr;
}

std::string KnownKeys(const std::vector<ParamInfo>& declared) {
  std::vector<std::string> keys;
  for (const ParamInfo& p : declared) {
    keys.push_back(p.key.back() == '.' ? absl::StrCat(p.key, "<...>") : p.key);
  }
  return keys.empty() ? "none" : absl::StrJoin(keys, ", ");
}

// Defaults: every non-family declared param at its default.
std::vector<v1::EffectiveParam> Defaults(
    const std::vector<ParamInfo>& declared) {
  std::vector<v1::EffectiveParam> out;
  for (const ParamInfo& p : declared) {
    if (p.key.empty() || p.key.back() == '.') continue;
    v1::EffectiveParam e;
    e.set_key(p.key);
    e.set_value(p.default_value);
    e.set_source("default");
    e.set_description(p.description);
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.key() < b.key(); });
  return out;
}

// Overlay sets `key` to `value` from `source` in `params`, kept in key
// order.
void Overlay(const ParamInfo& info, const std::string& key,
             const std::string& value, absl::string_view source,
             std::vector<v1::EffectiveParam>* params) {
  auto it = std::lower_bound(params->begin(), params->end(), key,
                             [](const v1::EffectiveParam& p,
                                const std::string& k) { return p.key() < k; });
  if (it == params->end() || it->key() != key) {
    it = params->insert(it, v1::EffectiveParam());
    it->set_key(key);
    it->set_description(info.description);
  }
  it->set_value(value);
  it->set_source(std::string(source));
}

// KeyOf is the key a plugin's ValidateParams error starts with ("key: ...").
absl::string_view KeyOf(absl::string_view message) {
  const size_t colon = message.find(": ");
  return colon == absl::string_view::npos ? "" : message.substr(0, colon);
}

// ReadConfigParams overlays the config's `params` (at `where`) on `*out`
// and has the plugin check the result.
absl::Status ReadConfigParams(
    const std::string& where,
    const google::protobuf::RepeatedPtrField<config::PluginParam>& params,
    const Plugin& plugin, const std::vector<ParamInfo>& declared,
    std::vector<v1::EffectiveParam>* out) {
  std::set<std::string> seen;
  for (int i = 0; i < params.size(); ++i) {
    const config::PluginParam& p = params.Get(i);
    const std::string field =
        absl::StrCat(where, ".param[", i, "] (", p.key(), ")");
    if (!seen.insert(p.key()).second) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": listed twice"));
    }
    const ParamInfo* info = Declared(declared, p.key());
    if (info == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": unknown param (known: ", KnownKeys(declared), ")"));
    }
    Overlay(*info, p.key(), p.value(), "config", out);
  }
  absl::Status valid = plugin.ValidateParams(ToMap(*out));
  if (valid.ok()) return valid;
  const absl::string_view key = KeyOf(valid.message());
  for (int i = 0; i < params.size(); ++i) {
    if (params.Get(i).key() == key) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".param[", i, "] (", key, ")",
                       valid.message().substr(key.size())));
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat(where, ".param: ", valid.message()));
}

}  // namespace mnrecords::plugins
