// mnrec changes list|watch: a clinic's changes, one line each.
#include <cstdio>
#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "client/change_feed.h"
#include "client/cli/change_requests.h"
#include "client/cli/commands.h"
#include "client/cli/output.h"
#include "client/cli/stop_signals.h"

namespace mnrecords {
namespace cli {
namespace {

// PrintResumeCursor tells on stderr where to resume (--since); stdout
// carries only changes.
void PrintResumeCursor(const std::string& cursor, bool more) {
  std::string line = absl::StrCat("next_cursor: ", cursor);
  if (more) absl::StrAppend(&line, "  (more: --since=", cursor, ", or --all)");
  std::fflush(stdout);
  std::fprintf(stderr, "%s\n", line.c_str());
}

// List prints one page, or with --all every page while the server says
// there are more.
absl::Status List(const CommandContext& ctx) {
  auto request = ListChangesRequestFromFlags();
  if (!request.ok()) return request.status();
  const bool all = absl::GetFlag(FLAGS_all);
  for (;;) {
    auto page = ctx.client.ListChanges(*request, ctx.call);
    if (!page.ok()) return page.status();
    for (const v1::Change& change : page->changes()) {
      absl::Status printed = PrintChange(change, ctx.json);
      if (!printed.ok()) return printed;
    }
    if (!all || !page->more()) {
      PrintResumeCursor(page->next_cursor(), page->more());
      return absl::OkStatus();
    }
    if (page->next_cursor() <= request->after_cursor()) {
      return absl::InternalError(
          absl::StrCat("server returned next_cursor \"", page->next_cursor(),
                       "\", not after \"", request->after_cursor(),
                       "\", with more changes; stopped listing"));
    }
    request->set_after_cursor(page->next_cursor());
  }
}

// Watch prints each change as it commits until SIGINT or SIGTERM.
absl::Status Watch(const CommandContext& ctx) {
  auto options = ChangeFeedOptionsFromFlags();
  if (!options.ok()) return options.status();
  const bool from_now = options->start_at_head;
  ChangeFeed feed(ctx.client, *std::move(options));
  absl::Status status;
  {
    StopOnSignals stop_on_signals([&feed] { feed.Stop(); });
    status = feed.Run([&](const v1::Change& change) {
      return PrintChange(change, ctx.json);
    });
  }
  if (!status.ok()) return status;
  // With --from_now, "" means stopped before the head was read: resuming
  // with --since="" would start at the clinic's first change instead.
  const std::string cursor = feed.cursor();
  if (!from_now || !cursor.empty()) PrintResumeCursor(cursor, false);
  return absl::OkStatus();
}

}  // namespace

absl::Status RunChangesCommand(const std::string& verb,
                               const CommandContext& ctx) {
  return Dispatch("changes", verb, {{"list", &List}, {"watch", &Watch}}, ctx);
}

}  // namespace cli
}  // namespace mnrecords
