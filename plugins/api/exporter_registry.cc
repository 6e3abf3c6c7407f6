#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "plugins/api/exporter.h"

namespace mnrecords::plugins {

absl::Status ExporterRegistry::Register(const std::string& format,
                                        std::unique_ptr<Exporter> exporter) {
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

absl::StatusOr<const Exporter*> ExporterRegistry::Find(
    absl::string_view format) const {
  auto it = exporters_.find(format);
  if (it == exporters_.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("format: unknown export format \"", format,
                     "\" (known: ", absl::StrJoin(formats(), ", "), ")"));
  }
  return it->second.get();
}

std::vector<std::string> ExporterRegistry::formats() const {
  std::vector<std::string> out;
  for (const auto& [format, exporter] : exporters_) out.push_back(format);
  return out;
}

}  // namespace mnrecords::plugins
