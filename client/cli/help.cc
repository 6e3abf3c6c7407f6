// The text of `mnrec --help`.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/cli/arg_parsing.h"

namespace mnrecords {
namespace cli {

namespace {

constexpr char kCommands[] =
    R"(usage: mnrec [flags] <group> <command> [NAME] [flags]

Records of microneedling treatments on an mnrecords server. Names are full
resource names (clinics/c1/patients/p1/...); where NAME is optional it is
built from --clinic --patient --course --session (ids or full names).

  patient create --clinic=c1 --identifier='urn:mrn|12345' --fitzpatrick=III
  patient get [NAME]          patient list --clinic=c1 [--identifier=s|v]
  patient amend [NAME] --update_mask=fitzpatrick_skin_type --fitzpatrick=IV
                --etag=E --amendment_kind=correction --reason=... --author=...
  course create --clinic=c1 --patient=p1 --indication=acne_scars
                --treatment_area=cheek:bilateral --planned_sessions=4
                --interval_min_days=28 --interval_max_days=42 --clinician=dr1
  course get|summary [NAME]   course list --clinic=c1 --patient=p1|-
  course due --clinic=c1 [--from=2026-12-01] [--to=2026-12-15] [--clinician=ID]
            (the recall list: open courses whose next session window opens,
             is open or was missed in the period, by due date)
  course amend [NAME] --update_mask=status --status=completed --etag=...
  session log --clinic=c1 --patient=p1 --course=k1 --status=completed
              --performed_at=2024-05-01T10:00:00Z --duration=45 --clinician=dr1
              --area=cheek:left:1.5:3 --area=cheek:right:1.5:3 ...
              [--aftercare_delivered_at=... --aftercare_delivery=printed
               --aftercare_delivered_by=nurse1]  (how aftercare reached the
               patient; or amend the session once it has)
              (or --from_json=session.json; flags override the file)
  session get [NAME]          session list --clinic=c1 [--patient=p1 [--course=k1]]
  session list --clinic=c1 --cartridge_lot=L2026-10 [--cartridge_model=M]
               [--device_serial=SN] (a recall: every session of the lot)
  session amend [NAME] --update_mask=notes --notes=... --etag=... --reason=...
  session sign [NAME] --kind=author|cosign --attestation=ID
               --attestation_revision=N [--etag=E]  (signs the current
               revision in the caller's name; an amendment needs a new one)
  session signatures [NAME]   (every signature, of every revision)
  session unsigned --clinic=c1 [--clinician=ID] [--awaiting_my_cosign]
               (charts past the signature window waiting for a signature)
  photo add --clinic=c1 --patient=p1 --course=k1 --session=s1 --phase=baseline
            --view=frontal --site=full_face --captured_at=... --storage_uri=...
            --image_sha256=... --media_type=image/jpeg --byte_size=N
  photo get NAME              photo list --clinic=c1 ... --session=s1|-
  photo pairs [COURSE | --clinic=c1 --patient=p1 --course=k1]
            (baseline/follow-up pairs by view and body site)
  photo uses NAME [--time=...]   (may we use it: clinical record, internal
            teaching, external publication, per the consent in force)
  photo release NAME --purpose=external_publication --recipient=...
            --released_by=... [--released_at=...]  (refused, naming the
            missing consent, unless the patient's consent allows it)
  photo releases NAME         (every recorded use of the photo)
  outcome record --clinic=c1 --patient=p1 --course=k1 --scale=gais
            --rater=clinician|patient --score=2 --timepoint=follow_up
            --assessed_at=... --assessed_by=dr1 [--session=s3]
            [--photo=s3/followup-frontal]   (scales: gais 1-5,
            patient_satisfaction 1-5, goodman_baron_qualitative 1-4)
  outcome get NAME            outcome list --clinic=c1 --patient=p1 --course=k1
  outcome amend NAME --update_mask=score --score=3 --etag=... --reason=...
  instructions publish --clinic=c1 --id=aftercare --kind=aftercare
            --title=... --item=... --item=... (or --from_json=set.json)
  instructions get|revisions [NAME | --instruction_set=ID]
  instructions list --clinic=c1 [--kind=...]
  instructions complete [NAME | --instruction_set=ID] --section=Risks
            --wording=... --published_by=... (word a template's section)
  instructions provision-defaults --clinic=c1 --published_by=admin-1
            [--kind=screening] (the protocol plugin's default texts and
            screening questionnaire, for a new clinic)
  screening record --clinic=c1 --patient=p1 --questionnaire=screening
            --questionnaire_revision=1 --answer=CODE=yes|no[:details] ...
            [--unlisted=no] --asked_at=... --asked_by=...
  screening get NAME          screening list --clinic=c1 --patient=p1|-
  settings get --clinic=c1 [--plugin=microneedling-protocol] [--revision=N]
            (the protocol's thresholds in force, each with its meaning)
  settings publish --clinic=c1 --param=prep_stop_days=5
            --severity=MNP-SESSION-TOO-EARLY=BLOCK [--unset=KEY]
            --reason=... --published_by=...  (a new immutable revision)
  settings revisions --clinic=c1 [--plugin=...]
  consent record --clinic=c1 --patient=p1 --instruction_set=aftercare
            --instruction_revision=1 --decision=granted --method=...
            --signer=patient --signed_at=... --recorded_by=...
            [--photo_use=clinical_record --photo_use=external_publication
             --identifiable_images]  (PHOTOGRAPHY: the uses it decides on)
  consent get NAME            consent list --clinic=c1 --patient=p1|-
  consent revoke NAME --reason=... --author=... [--etag=...]
  consent entered-in-error NAME --reason=... --author=...
  consent history --clinic=c1 --patient=p1 [--kind=...] [--start_time=...]
  consent at --clinic=c1 --patient=p1 --time=2024-05-01T10:00:00Z
  consent coverage --clinic=c1 --start_time=... --end_time=...
  consent verify NAME [--revision=N]    exit 1 if the text hash differs
  audit list --clinic=c1|- [--patient=p1] [--principal=...]
             [--resource_prefix=...] [--action=...] [--outcome=CODE|ERROR]
             [--start_time=...] [--end_time=...] [--newest_first]
                              --patient: every call that named the patient
                              or returned any of its records
  audit export --clinic=c1|- --format=fhir-r4|csv [filters of audit list]
             [--out=FILE]     one FHIR Bundle of AuditEvents, or one CSV
  report consent-history --clinic=c1 --patient=p1 [--from=2026-08-01]
             [--to=...] [--checkpoint=cp.json] --out=report.html
             [--pdf=report.pdf]
                              a printable consent history: texts verified,
                              timelines, sessions covered, every access
  report clinic --clinic=c1 --from=... [--to=...] [--expiring_days=30]
             [--checkpoint=cp.json] --out=report.html [--pdf=report.pdf]
                              coverage, uncovered sessions, expiring consents
  audit checkpoint            the head of the audit chain (store its --json)
  audit verify [--checkpoint=cp.json] [--start_sequence=N] [--end_sequence=N]
                              exit 1 if the chain is broken
  records verify --clinic=c1|- [--checkpoint=cp.json] [--max_problems=N]
                              every stored revision is what its write
                              committed in the chain; exit 1 if not
  admin backup FILE_NAME [--checkpoint_out=cp.json]
                              (admins) the server copies its database to
                              FILE_NAME in its backup_dir, while serving
  admin reload-config         (admins) the server re-reads its config file:
                              principals, tokens and plugin settings change
                              without a restart (SIGHUP does the same)
  changes list --clinic=c1 [--since=CURSOR] [--patient=p1] [--names_only]
               [--kinds=session,consent,...] [--page_size=N] [--all]
                              a clinic's changes in commit order, one a line:
                              CURSOR TYPE NAME rev=N principal=P time=T
                              (--json: one JSON object a line); the cursor
                              to resume from (--since) goes to stderr
  changes watch --clinic=c1 [--since=CURSOR | --from_now] [--patient=p1]
               [--kinds=...] [--names_only]
                              the same, then each change as it commits,
                              reconnecting as needed, until Ctrl-C/SIGTERM
  export fhir [PATIENT | --clinic=c1 --patient=p1] [--course=k1] [--out=FILE]
            (the patient's records, or one course, as a FHIR R4 Bundle)
  revisions NAME              every revision of a record
  health [SERVICE]            SERVING / NOT_SERVING; exit 0 only if SERVING

Enum values: short names, any case (III, completed, left_45, left-45) or full
names (FITZPATRICK_SKIN_TYPE_III). Times: RFC 3339.
Output: key/value lines or a table; --json for the protobuf JSON mapping.
Exit status: 0 ok, 1 error from the server (or NOT_SERVING), 2 usage error.

flags ([commands that read them]):
)";

}  // namespace

std::string HelpText() {
  std::vector<absl::CommandLineFlag*> flags;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (absl::StrContains(flag->Filename(), "cli/flags_"))
      flags.push_back(flag);
  }
  // Global flags first, then records, then consents; by name within.
  auto rank = [](const absl::CommandLineFlag* f) {
    if (absl::StrContains(f->Filename(), "flags_global")) return 0;
    if (absl::StrContains(f->Filename(), "flags_records")) return 1;
    return 2;
  };
  std::sort(flags.begin(), flags.end(), [&](auto* a, auto* b) {
    return rank(a) != rank(b) ? rank(a) < rank(b) : a->Name() < b->Name();
  });
  std::string out = kCommands;
  for (const auto* flag : flags) {
    absl::StrAppend(&out, "  --", flag->Name(), "  ", flag->Help());
    const std::string def = flag->DefaultValue();
    if (!def.empty() && def != "0" && def != "false") {
      absl::StrAppend(&out, " (default ", def, ")");
    }
    absl::StrAppend(&out, "\n");
  }
  return out;
}

}  // namespace cli
}  // namespace mnrecords
