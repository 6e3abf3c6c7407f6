// FormatRegistry: the export formats of one kind a server offers (patient
// records: Exporter; the audit log: AuditExporter), registered explicitly
// by name (builtin_plugins.h registers the shipped ones).
//
// Thread safety: register everything before use; const methods may then be
// called concurrently.
#ifndef MNRECORDS_PLUGINS_API_FORMAT_REGISTRY_H_
#define MNRECORDS_PLUGINS_API_FORMAT_REGISTRY_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace mnrecords::plugins {

template <typename E>
class FormatRegistry {
 public:
  // Register adds `format`. INVALID_ARGUMENT for an empty format or a null
  // exporter; ALREADY_EXISTS if the format is registered already.
  absl::Status Register(const std::string& format,
                        std::unique_ptr<E> exporter) {
    if (format.empty()) {
      return absl::InvalidArgumentError("exporter format must not be empty");
    }
    if (exporter == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("exporter \"", format, "\" is null"));
    }
    if (!exporters_.emplace(format, std::move(exporter)).second) {
      return absl::AlreadyExistsError(
          absl::StrCat("exporter \"", format, "\" is already registered"));
    }
    return absl::OkStatus();
  }

  // Find returns the exporter of `format`. INVALID_ARGUMENT ("format: ...")
  // naming the known formats if there is none.
  absl::StatusOr<const E*> Find(absl::string_view format) const {
    auto it = exporters_.find(format);
    if (it == exporters_.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("format: unknown export format \"", format,
                       "\" (known: ", absl::StrJoin(formats(), ", "), ")"));
    }
    return it->second.get();
  }

  // formats lists the registered formats in order.
  std::vector<std::string> formats() const {
    std::vector<std::string> out;
    for (const auto& [format, exporter] : exporters_) out.push_back(format);
    return out;
  }

 private:
  std::map<std::string, std::unique_ptr<E>, std::less<>> exporters_;
};

}  // namespace mnrecords::plugins

#endif  // MNRECORDS_PLUGINS_API_FORMAT_REGISTRY_H_
