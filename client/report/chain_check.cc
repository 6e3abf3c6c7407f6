#include "client/report/chain_check.h"

#include "absl/strings/str_cat.h"
#include "client/report/html.h"

namespace mnrecords::report {

absl::StatusOr<ChainCheck> CheckChain(
    const RecordsClient& client,
    const std::optional<clinic::microneedling::v1::AuditCheckpoint>&
        checkpoint) {
  ChainCheck check;
  if (checkpoint.has_value()) {
    check.checkpoint = *checkpoint;
    check.checkpoint_given = true;
  } else {
    absl::StatusOr<clinic::microneedling::v1::AuditCheckpoint> head =
        client.GetAuditCheckpoint();
    if (!head.ok()) return head.status();
    check.checkpoint = *std::move(head);
  }
  clinic::microneedling::v1::VerifyAuditLogRequest request;
  if (check.checkpoint.sequence() > 0) {
    *request.mutable_checkpoint() = check.checkpoint;
  }
  absl::StatusOr<clinic::microneedling::v1::VerifyAuditLogResponse> result =
      client.VerifyAuditLog(request);
  if (!result.ok()) return result.status();
  check.result = *std::move(result);
  return check;
}

std::string RenderChainCheck(const ChainCheck& check) {
  const auto& r = check.result;
  std::string html = absl::StrCat(
      "<section aria-labelledby=\"chain\"><h2 id=\"chain\">Audit chain</h2>"
      "<p id=\"chain-result\">",
      r.ok() ? CheckMark(true, "The audit log's hash chain verifies")
             : CheckMark(false, "The audit log's hash chain is broken"),
      r.ok() ? ""
             : absl::StrCat(": event ", r.broken_sequence(), " ",
                            Escape(r.broken_event()), " \xE2\x80\x94 ",
                            Escape(r.problem())),
      "</p><dl class=\"facts\"><dt>Events checked</dt><dd>", r.events_checked(),
      " (sequence ", r.first_sequence(), " to ", r.last_sequence(),
      ")</dd><dt>Checked against</dt><dd>",
      check.checkpoint_given
          ? "the checkpoint the auditor kept"
          : "the head of the log when this report was made (no earlier "
            "checkpoint was given: keep this one)",
      "</dd><dt>Checkpoint sequence</dt><dd>", check.checkpoint.sequence(),
      "</dd><dt>Checkpoint hash</dt><dd class=\"code\">",
      Escape(check.checkpoint.hash()), "</dd><dt>Checkpoint time</dt><dd>",
      Escape(HumanTime(check.checkpoint.event_time())),
      "</dd><dt>Head of the log</dt><dd>sequence ", r.head().sequence(),
      ", hash <span class=\"code\">", Escape(r.head().hash()),
      "</span></dd></dl></section>");
  return html;
}

}  // namespace mnrecords::report
