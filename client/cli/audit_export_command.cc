// mnrec audit export --clinic=c1|- [filters of audit list] --format=fhir-r4|csv
// [--out=FILE]: every page of the server's export as one document — one
// CSV with one header line, or one FHIR Bundle holding every page's entries.
#include <cstdio>
#include <fstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "client/cli/audit_query_flags.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/terminal_progress.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace mnrecords {
namespace cli {
namespace {

// BundleMerger gathers the entries of FHIR Bundle pages into the first.
class BundleMerger {
 public:
  absl::Status Add(const std::string& page) {
    google::protobuf::Struct bundle;
    const auto parsed =
        google::protobuf::util::JsonStringToMessage(page, &bundle);
    if (!parsed.ok()) {
      return absl::DataLossError(absl::StrCat(
          "the server's FHIR page is not JSON: ", parsed.ToString()));
    }
    if (pages_++ == 0) {
      merged_ = std::move(bundle);
      return absl::OkStatus();
    }
    auto& fields = *merged_.mutable_fields();
    // The first page's id and identifier name that page only.
    fields.erase("id");
    fields.erase("identifier");
    auto* entries = fields["entry"].mutable_list_value();
    for (auto& entry : *(*bundle.mutable_fields())["entry"]
                            .mutable_list_value()
                            ->mutable_values()) {
      *entries->add_values() = std::move(entry);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Json() const {
    std::string out;
    google::protobuf::util::JsonPrintOptions options;
    options.add_whitespace = true;
    const auto printed =
        google::protobuf::util::MessageToJsonString(merged_, &out, options);
    if (!printed.ok()) return absl::InternalError(printed.ToString());
    return out;
  }

 private:
  int pages_ = 0;
  google::protobuf::Struct merged_;
};

}  // namespace

absl::Status AuditExport(const CommandContext& ctx) {
  v1::ExportAuditEventsRequest request;
  request.set_format(absl::GetFlag(FLAGS_format));
  if (request.format().empty()) {
    return UsageError("--format: fhir-r4 or csv");
  }
  {
    absl::StatusOr<v1::ListAuditEventsRequest> query = AuditQueryFromFlags();
    if (!query.ok()) return query.status();
    *request.mutable_query() = *std::move(query);
  }
  const bool fhir = request.format() == "fhir-r4";
  std::string csv;
  BundleMerger bundle;
  int64_t events = 0;
  for (int page = 1;; ++page) {
    absl::StatusOr<v1::ExportAuditEventsResponse> response;
    {
      const WaitingIndicator waiting(absl::StrCat(
          "exporting audit events, page ", page, " (", events, " so far)"));
      response = ctx.client.ExportAuditEvents(request, ctx.call);
    }
    if (!response.ok()) return response.status();
    events += response->event_count();
    if (fhir) {
      absl::Status added = bundle.Add(response->content());
      if (!added.ok()) return added;
    } else {
      std::string content = response->content();
      // Every page starts with the header; keep the first one only.
      if (page > 1) content.erase(0, content.find('\n') + 1);
      csv += content;
    }
    if (response->next_page_token().empty()) break;
    request.mutable_query()->set_page_token(response->next_page_token());
  }
  std::string document;
  if (fhir) {
    absl::StatusOr<std::string> json = bundle.Json();
    if (!json.ok()) return json.status();
    document = *std::move(json);
  } else {
    document = std::move(csv);
  }
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) {
    std::fwrite(document.data(), 1, document.size(), stdout);
  } else {
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file << document;
    file.close();
    if (!file) return UsageError(absl::StrCat("cannot write ", out));
  }
  std::fprintf(stderr, "%lld audit events exported\n",
               static_cast<long long>(events));
  return absl::OkStatus();
}

}  // namespace cli
}  // namespace mnrecords
