// Resolving a plugin's settings: its declared params (Plugin::params())
// with the server config's and a clinic's values over the defaults, each
// value kept with where it came from. Used by the plugin host only.
#ifndef MNRECORDS_PLUGINS_API_PLUGIN_PARAMS_H_
#define MNRECORDS_PLUGINS_API_PLUGIN_PARAMS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_field.h"
#include "mnrecords/config/v1/server_config.pb.h"
#include "plugins/api/plugin.h"

namespace mnrecords::plugins {

// Declared returns the declaration `key` falls under (exactly, or within
// a family such as "needle_depth_mm."), or nullptr.
const ParamInfo* Declared(const std::vector<ParamInfo>& declared,
                          absl::string_view key);

// KnownKeys lists the declared keys for an error message (a family as
// "needle_depth_mm.<...>").
std::string KnownKeys(const std::vector<ParamInfo>& declared);

// Defaults: every declared param outside a family at its default, sorted by
// key, with source "default".
std::vector<v1::EffectiveParam> Defaults(
    const std::vector<ParamInfo>& declared);

// Overlay sets `key` to `value` from `source` in `params` (sorted by key),
// adding it with `info`'s description if absent.
void Overlay(const ParamInfo& info, const std::string& key,
             const std::string& value, absl::string_view source,
             std::vector<v1::EffectiveParam>* params);

// ToMap: key -> value of effective params.
template <typename Params>
PluginParams ToMap(const Params& params) {
  PluginParams out;
  for (const v1::EffectiveParam& p : params) out[p.key()] = p.value();
  return out;
}

// KeyOf is the key a plugin's ValidateParams error starts with ("key: ...").
absl::string_view KeyOf(absl::string_view message);

// ReadConfigParams overlays the config's `params` (at `where`, e.g.
// "plugins[0] (name)") on `*out` with source "config" and has the plugin
// check the result. INVALID_ARGUMENT naming the param for a key listed
// twice, an undeclared key or a value the plugin rejects.
absl::Status ReadConfigParams(const std::string& where,
                              const google::protobuf::RepeatedPtrField<
                                  ::mnrecords::config::v1::PluginParam>& params,
                              const Plugin& plugin,
                              const std::vector<ParamInfo>& declared,
                              std::vector<v1::EffectiveParam>* out);

}  // namespace mnrecords::plugins

#endif  // MNRECORDS_PLUGINS_API_PLUGIN_PARAMS_H_
