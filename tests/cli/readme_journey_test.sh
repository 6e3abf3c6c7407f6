#!/usr/bin/env bash
# Runs the README's worked CLI example (the block between the cli-journey
# markers) against a freshly started mnrecords_server, then checks through
# the CLI that the journey left what it promises: three completed sessions,
# consents in force, the amendment as revision 2; that the auditor's
# workflow reports what the README says (coverage, a verified chain). Then,
# with the shipped default plugins: protocol findings printed by `session
# log` and listed in the summary, `instructions provision-defaults`, and
# `photo pairs`. The FHIR export of the example patient must pass the
# official FHIR R4 schema.
# Usage: readme_journey_test.sh SERVER_BINARY MNREC_BINARY README \
#          NODE FHIR_VALIDATE_SCRIPT FHIR_VALIDATOR_DIR
set -euo pipefail
server_bin=$(realpath "$1") mnrec_bin=$(realpath "$2") readme=$(realpath "$3")
node_bin=$4 fhir_validate=$5 fhir_validator_dir=$6

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The newcomer's development config (a fresh token per role, clinic "demo"),
# made by the script run-server.sh uses; the block reads the tokens from the
# environment like a reader who sourced the tokens file.
bash "$(dirname "$readme")/scripts/dev-config.sh" "$work/dev.textproto" \
  "$work/dev-tokens.sh" >"$work/dev-config.out"
grep -q "MNREC_ADMIN_TOKEN=" "$work/dev-config.out" ||
  { cat "$work/dev-config.out"; echo "FAILED: tokens not printed"; exit 1; }
if grep -q "$(sed -n 's/^export MNREC_ADMIN_TOKEN=//p' "$work/dev-tokens.sh")" "$work/dev.textproto"; then
  echo "FAILED: a plain token is in the config"; exit 1
fi
# The test also gives the principals a second clinic, "fresh", for
# provision-defaults below.
sed -i 's/^  clinics: "demo"$/  clinics: "demo"\n  clinics: "fresh"/' "$work/dev.textproto"
# shellcheck disable=SC1091
source "$work/dev-tokens.sh"
"$server_bin" --listen=127.0.0.1:0 --db="$work/journey.db" \
  --config="$work/dev.textproto" --access_log="$work/access.log" \
  --port_file="$work/port" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { cat "$work/server.log"; echo "server did not start"; exit 1; }
export MNREC_SERVER="127.0.0.1:$(cat "$work/port")"

# The block, verbatim. It runs in an empty directory so its own PATH line
# cannot pick up an mnrec from another build; ours comes last on PATH.
sed -n '/<!-- cli-journey:start -->/,/<!-- cli-journey:end -->/p' "$readme" |
  sed -e '1,2d' -e '$d' | sed '$d' >"$work/journey.sh"
[ "$(grep -c mnrec "$work/journey.sh")" -gt 10 ] || { echo "README block not found"; exit 1; }
# The auditor's workflow runs right after it, in the same directory.
sed -n '/<!-- audit-journey:start -->/,/<!-- audit-journey:end -->/p' "$readme" |
  sed -e '1,2d' -e '$d' | sed '$d' >>"$work/journey.sh"
[ "$(grep -c "mnrec audit" "$work/journey.sh")" -ge 2 ] || { echo "README audit block not found"; exit 1; }
mkdir "$work/cwd"
export PATH="$PATH:$(dirname "$mnrec_bin")"
(cd "$work/cwd" && bash -euo pipefail "$work/journey.sh") >"$work/journey.out" 2>&1 || {
  cat "$work/journey.out"; echo "FAILED: the README block did not run cleanly"; exit 1; }
/usr/bin/python3 - "$work/cwd" <<'PY' || { echo "FAILED: the reports and the audit export of the README block"; exit 1; }
import json, sys
cwd = sys.argv[1]
page = open(cwd + "/consent-history.html", encoding="utf-8").read()
assert "<h1>Consent history</h1>" in page and "clinics/demo/patients/p1001" in page
assert "\u2713 all 5 verified" in page, "every consent text verifies"
assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
clinic = open(cwd + "/clinic-report.html", encoding="utf-8").read()
assert "<h1>Clinic consent report</h1>" in clinic and "Every session was covered" in clinic
bundle = json.load(open(cwd + "/p1001-audit.json"))
assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
assert all(e["resource"]["resourceType"] == "AuditEvent" for e in bundle["entry"])
assert len(bundle["entry"]) > 10
PY
echo "ok: the consent-history and clinic reports, and the patient's audit export as FHIR"

# The journey's screening step: the pregnant patient's session was refused
# with the reason a clinician reads, and nothing was stored for it.
grep -q 'FAILED_PRECONDITION: MNP-CONTRAINDICATION-ABSOLUTE (microneedling-protocol): the patient answered yes to "Are you pregnant or breastfeeding?" in the screening of 2026-08-04: an absolute contraindication to microneedling; do not treat' "$work/journey.out" ||
  { cat "$work/journey.out"; echo "FAILED: the pregnant patient's session was not refused as documented"; exit 1; }
"$mnrec_bin" --json session list --clinic=demo --patient=p1002 --course=texture-2026 |
  /usr/bin/python3 -c 'import json, sys; sys.exit(1 if json.load(sys.stdin).get("sessions") else 0)' ||
  { echo "FAILED: a refused session was stored"; exit 1; }
echo "ok: the screening step refuses the pregnant patient's session, naming why"

grep -q 'FAILED_PRECONDITION: release.purpose: EXTERNAL_PUBLICATION is not allowed: no PHOTOGRAPHY consent in force at .* covers EXTERNAL_PUBLICATION' "$work/journey.out" ||
  { cat "$work/journey.out"; echo "FAILED: publishing without consent was not refused as documented"; exit 1; }
"$mnrec_bin" --json photo releases clinics/demo/patients/p1001/courses/acne-2026/sessions/s3/photos/followup-frontal |
  /usr/bin/python3 -c 'import json, sys; r = json.load(sys.stdin)["releases"]; sys.exit(0 if len(r) == 1 and r[0]["consent"].endswith("/consents/consent-photos-publication") and r[0]["identifiable"] else 1)' ||
  { echo "FAILED: the publication is not on record with the consent that allowed it"; exit 1; }
echo "ok: the photo is published only once the patient consents, and the release names the consent"

# The access log has one JSON line per call of the journey: as many as the
# audit log has events (one per call) when this check's own verify call
# reads it, plus that call's line; no line names the patient. Two calls
# fail as the journey means them to: provision-defaults finding no
# questionnaire yet, and the pregnant patient's refused session.
events=$(cd "$work/cwd" && MNREC_TOKEN=$MNREC_AUDITOR_TOKEN "$mnrec_bin" --json audit verify \
  --checkpoint=audit-checkpoint.json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["eventsChecked"])')
lines=$(wc -l <"$work/access.log")
[ "$lines" -eq "$((events + 1))" ] ||
  { echo "FAILED: $lines access log lines for $events audited calls + 1"; exit 1; }
/usr/bin/python3 -c '
import json, sys
failed = []
for line in open(sys.argv[1]):
    d = json.loads(line)
    assert d["method"].startswith("/clinic.microneedling.v1."), d
    assert d["principal"].startswith("dev-"), d
    if d["code"] != "OK":
        failed.append((d["method"].rsplit("/", 1)[1], d["code"]))
assert sorted(failed) == [("GetInstructionSet", "NOT_FOUND"), ("LogSession", "FAILED_PRECONDITION"), ("ReleasePhoto", "FAILED_PRECONDITION")], failed
' "$work/access.log" || { echo "FAILED: an access log line is not a call of the journey"; exit 1; }
if grep -q "p1001" "$work/access.log"; then
  echo "FAILED: the access log names the patient"; exit 1
fi
echo "ok: the access log has one JSON line per call of the journey ($lines)"

json() { "$mnrec_bin" --json "$@"; }
check() {  # check DESCRIPTION PYTHON_EXPR < json
  /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($2) else 1)" ||
    { echo "FAILED: $1"; exit 1; }
  echo "ok: $1"
}
course=clinics/demo/patients/p1001/courses/acne-2026
json course summary "$course" | check "three of three sessions completed" \
  'd["completedSessionCount"] == 3 and d["plannedSessionCount"] == 3'
json course summary "$course" | check "procedure, preparation, aftercare, photography consents granted" \
  'sorted(c["kind"] for c in d["consents"] if c.get("coverage") == "CONSENT_COVERAGE_GRANTED") == ["INSTRUCTION_KIND_AFTERCARE", "INSTRUCTION_KIND_PHOTOGRAPHY", "INSTRUCTION_KIND_PREPARATION", "INSTRUCTION_KIND_PROCEDURE"]'
json session get "$course/sessions/s2" | check "amended duration is current" \
  'd["durationMinutes"] == 50 and d["revision"]["revisionId"] == "2" and d["revision"]["amendment"]["reason"] == "Timer misread."'
json revisions "$course/sessions/s2" | check "both revisions listed" \
  'len(d["revisions"]) == 2'
json session list --clinic=demo --cartridge_lot=L2026-10 | check "the lot recall finds the three sessions of lot L2026-10" \
  '[s["name"].rsplit("/", 1)[1] for s in d["sessions"]] == ["s1", "s2", "s3"]'
json session list --clinic=demo --cartridge_lot=L2026-99 | check "a lot nobody used finds nothing" \
  'd.get("sessions", []) == []'
json photo list --clinic=demo --patient=p1001 --course=acne-2026 --session=s3 | check "photo metadata stored" \
  'len(d["photos"]) == 1 and d["photos"][0]["phase"] == "PHOTO_PHASE_FOLLOW_UP"'
if "$mnrec_bin" session log --course="$course" --status=completed \
    --performed_at=2026-10-02T10:00:00Z --duration=45 --clinician=dr-lee \
    --area=cheek:left:4:3 >"$work/bad.out" 2>&1; then
  echo "FAILED: a 4 mm needle depth was accepted"; exit 1
fi
grep -q "INVALID_ARGUMENT: session.treated_areas\[0\].needle_depth_mm" "$work/bad.out" ||
  { cat "$work/bad.out"; echo "FAILED: error line does not name the field"; exit 1; }
echo "ok: a bad depth exits non-zero naming the field"
cov_args=(--clinic=demo --start_time=2026-08-01T00:00:00Z --end_time=2026-11-01T00:00:00Z)
MNREC_TOKEN=$MNREC_AUDITOR_TOKEN json consent coverage "${cov_args[@]}" | check "coverage: all three sessions covered, PHOTOGRAPHY checked for s3" \
  'd["sessionsTotal"] == 3 and d.get("sessionsUncovered", 0) == 0 and any(k["kind"] == "INSTRUCTION_KIND_PHOTOGRAPHY" for s in d["sessions"] if s["session"].endswith("/sessions/s3") for k in s["kinds"])'
MNREC_TOKEN=$MNREC_AUDITOR_TOKEN json consent at --clinic=demo --patient=p1001 --time=2026-09-02T10:00:00Z | check "the three treatment consents and the photography one in force at session 2" \
  'len(d["consents"]) == 4 and all(len(c["instructions"]["contentSha256"]) == 64 for c in d["consents"])'
MNREC_TOKEN=$MNREC_AUDITOR_TOKEN json audit list --clinic=demo --principal=dev-clinician --action=/clinic.microneedling.v1.TreatmentRecords/AmendSession | check "the amendment is in the audit log" \
  'len(d["auditEvents"]) == 1 and d["auditEvents"][0]["resource"].endswith("/sessions/s2") and d["auditEvents"][0].get("outcome", 0) == 0'
json session list --clinic=demo --patient=- --course=- >/dev/null
MNREC_TOKEN=$MNREC_AUDITOR_TOKEN json audit list --clinic=demo --patient=p1001 --newest_first | check "the patient's access report holds the bulk list of every patient's sessions, newest first" \
  'any(e["resource"] == "clinics/demo/patients/-/courses/-" and "clinics/demo/patients/p1001" in e["recordsAccessed"]["patients"] for e in d["auditEvents"]) and int(d["auditEvents"][0]["sequence"]) > int(d["auditEvents"][-1]["sequence"])'
(cd "$work/cwd" && MNREC_TOKEN=$MNREC_AUDITOR_TOKEN json audit verify --checkpoint=audit-checkpoint.json) | check "the chain verifies against the stored checkpoint" \
  'd["ok"] is True and int(d["eventsChecked"]) > 20'
if MNREC_TOKEN= "$mnrec_bin" patient list --clinic=demo >"$work/noauth.out" 2>&1; then
  echo "FAILED: a call without a token succeeded"; exit 1
fi
grep -q "UNAUTHENTICATED" "$work/noauth.out" ||
  { cat "$work/noauth.out"; echo "FAILED: no UNAUTHENTICATED without a token"; exit 1; }
"$mnrec_bin" health >/dev/null || { echo "FAILED: health needs no token"; exit 1; }
echo "ok: nothing but health checking works without a token"
grep -q "plaintext (loopback only)" "$work/server.log" ||
  { cat "$work/server.log"; echo "FAILED: start-up line does not name the mode"; exit 1; }

# The README's last step: the patient as a FHIR R4 Bundle.
grep -q '^mnrec export fhir clinics/demo/patients/p1001' "$work/journey.sh" ||
  { echo "FAILED: the README journey does not end with mnrec export fhir"; exit 1; }
"$mnrec_bin" export fhir clinics/demo/patients/p1001 >"$work/p1001.fhir.json"
"$node_bin" "$fhir_validate" "$fhir_validator_dir" "$work/p1001.fhir.json" ||
  { echo "FAILED: the FHIR export does not pass the FHIR R4 schema"; exit 1; }
echo "ok: mnrec export fhir prints a Bundle the official FHIR R4 schema accepts"
check_file() { check "$1" "$2" <"$work/p1001.fhir.json"; }
check_file "Bundle: 1 CarePlan, 3 Procedures, 1 Media, 5 Consents, 3 Observations" \
  '[e["resource"]["resourceType"] for e in d["entry"]].count("Procedure") == 3 and [e["resource"]["resourceType"] for e in d["entry"]].count("CarePlan") == 1 and [e["resource"]["resourceType"] for e in d["entry"]].count("Media") == 1 and [e["resource"]["resourceType"] for e in d["entry"]].count("Consent") == 5 and [e["resource"]["resourceType"] for e in d["entry"]].count("Observation") == 3'
check_file "each signature is a Provenance naming the signer's role" \
  'sum(1 for e in d["entry"] if e["resource"]["resourceType"] == "Provenance" and e["resource"].get("signature") and e["resource"]["agent"][0]["role"][0]["text"] == "physician") == 3'
check_file "the amended session has a Provenance with its reason" \
  'any(e["resource"]["resourceType"] == "Provenance" and e["resource"]["reason"][0].get("text") == "Timer misread." for e in d["entry"])'

# The protocol plugin (on by default): a fourth session nine days after the
# third breaks two rules; the CLI prints the findings and the summary lists
# them as open.
"$mnrec_bin" session log --clinic=demo --patient=p1001 --course=acne-2026 --id=s4 --status=completed \
  --performed_at=2026-10-10T10:00:00Z --duration=45 --clinician=dr-lee \
  --area=cheek:left:1.5:3 --aftercare_instruction_set=aftercare \
  --aftercare_revision=1 --aftercare_delivery=email \
  --aftercare_delivered_at=2026-10-10T11:00:00Z --aftercare_delivered_by=nurse-kim >"$work/s4.out"
grep -Eq "findings\[0\]\.code: +MNP-SESSION-TOO-EARLY" "$work/s4.out" &&
  grep -Eq "findings\[1\]\.code: +MNP-SESSION-BEYOND-PLAN" "$work/s4.out" ||
  { cat "$work/s4.out"; echo "FAILED: session findings not printed"; exit 1; }
echo "ok: a session breaking protocol rules prints its findings"
json course summary "$course" | check "summary lists the open findings" \
  '[f["finding"]["code"] for f in d["openFindings"]] == ["MNP-SESSION-TOO-EARLY", "MNP-SESSION-BEYOND-PLAN"]'
json session signatures "$course/sessions/s2" | check "session 2 is signed by dr-lee, as amended" \
  'len(d["signatures"]) == 1 and d["signatures"][0]["signer"] == "dev-clinician" and d["signatures"][0]["signerClinicianId"] == "dr-lee" and d["signatures"][0]["sessionRevisionId"] == "2"'
json course summary "$course" | check "only the new session 4 waits for a signature" \
  '[(u["session"].rsplit("/", 1)[1], u["state"]) for u in d["unsignedSessions"]] == [("s4", "SIGN_OFF_STATE_UNSIGNED")]'
json session unsigned --clinic=demo | check "the unsigned list names session 4, past the window" \
  '[u["session"].rsplit("/", 1)[1] for u in d["sessions"]] == ["s4"] and d["sessions"][0]["overdue"]'
json course summary "$course" | check "the summary shows the baseline scar grade and both raters' latest GAIS" \
  '[(o["scale"], o["rater"], o.get("baseline", {}).get("scoreLabel"), o.get("latest", {}).get("scoreLabel")) for o in d["outcomes"]] == [("OUTCOME_SCALE_GAIS", "OUTCOME_RATER_CLINICIAN", None, "Much improved"), ("OUTCOME_SCALE_GAIS", "OUTCOME_RATER_PATIENT", None, "Much improved"), ("OUTCOME_SCALE_GOODMAN_BARON_QUALITATIVE", "OUTCOME_RATER_CLINICIAN", "Moderate disease", None)]'

# The recall list: a second course of the patient, its first session five
# weeks ago, is due now (its window is last session + 28..42 days); the
# journey's course, all sessions done, is not.
"$mnrec_bin" course create --clinic=demo --patient=p1001 --id=upkeep \
  --indication=acne_scars --treatment_area=cheek:bilateral --planned_sessions=3 \
  --interval_min_days=28 --interval_max_days=42 --clinician=dr-lee >/dev/null
"$mnrec_bin" session log --clinic=demo --patient=p1001 --course=upkeep --id=u1 \
  --status=completed --performed_at="$(date -u -d '35 days ago' +%Y-%m-%dT%H:%M:%SZ)" \
  --duration=45 --clinician=dr-lee --area=cheek:left:1.5:3 \
  --aftercare_instruction_set=aftercare --aftercare_revision=1 >/dev/null
json course due --clinic=demo | check "course due lists the course whose window is open now, and not the finished one" \
  '[e["course"] for e in d["dueSessions"]] == ["clinics/demo/patients/p1001/courses/upkeep"] and d["dueSessions"][0]["state"] == "DUE_STATE_OPEN" and d["dueSessions"][0]["lastSession"].endswith("/sessions/u1")'
"$mnrec_bin" course due --clinic=demo --from=2000-01-01 --to=2001-01-02 >"$work/due-bad.out" 2>&1 &&
  { echo "FAILED: a 367-day period was accepted"; exit 1; }
grep -q "INVALID_ARGUMENT: end_time: at most 366 days" "$work/due-bad.out" ||
  { cat "$work/due-bad.out"; echo "FAILED: period error does not name end_time"; exit 1; }
echo "ok: course due refuses a period over 366 days naming end_time"

# Default instruction texts for a new clinic ("fresh", which the test added
# to the development principals), idempotently.
MNREC_TOKEN=$MNREC_ADMIN_TOKEN "$mnrec_bin" instructions provision-defaults --clinic=fresh \
  --published_by=admin-1 >"$work/provision1.out"
MNREC_TOKEN=$MNREC_ADMIN_TOKEN "$mnrec_bin" instructions provision-defaults --clinic=fresh \
  --published_by=admin-1 >"$work/provision2.out"
[ "$(grep -c ': published revision 1 ' "$work/provision1.out")" = 5 ] &&
  [ "$(grep -c ': kept (revision 1 exists)' "$work/provision2.out")" = 5 ] ||
  { cat "$work/provision1.out" "$work/provision2.out"; echo "FAILED: provision-defaults"; exit 1; }
json instructions list --clinic=fresh | check "four default texts and the screening questionnaire, one revision each" \
  'sorted(s["kind"] for s in d["instructionSets"]) == ["INSTRUCTION_KIND_AFTERCARE", "INSTRUCTION_KIND_PHOTOGRAPHY", "INSTRUCTION_KIND_PREPARATION", "INSTRUCTION_KIND_PROCEDURE", "INSTRUCTION_KIND_SCREENING"]'

# The default PROCEDURE text is a template: its Risks and Alternatives need
# the clinic's medical wording, and no consent can be given to it until then.
json instructions get clinics/fresh/instructionSets/procedure | check "the default procedure text names the sections the clinic must word" \
  'd["incompleteSections"] == ["Risks", "Alternatives"] and [i.get("section") for i in d["items"]][:2] == ["What is done", "What is done"] and not any("Results build" in i.get("text", "") for i in d["items"])'
"$mnrec_bin" patient create --clinic=fresh --id=f1 --fitzpatrick=II \
  --identifier='urn:oid:2.16.840.1.113883.19.5|MRN-2001' >/dev/null
consent_fresh() {
  "$mnrec_bin" consent record --clinic=fresh --patient=f1 --id="procedure-r$1" \
    --instruction_set=procedure --instruction_revision="$1" --decision=granted \
    --method=electronic_signature --signer=patient \
    --signed_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)" --recorded_by=nurse-kim
}
consent_fresh 1 >"$work/template-consent.out" 2>&1 &&
  { echo "FAILED: a consent to the uncompleted template was recorded"; exit 1; }
grep -q 'FAILED_PRECONDITION: consent.instructions: revision 1 of clinics/fresh/instructionSets/procedure is a template the clinic has not completed: sections "Risks", "Alternatives" still need the clinic' "$work/template-consent.out" ||
  { cat "$work/template-consent.out"; echo "FAILED: the refusal does not name the sections"; exit 1; }
echo "ok: a consent to the template is refused, naming Risks and Alternatives"
MNREC_TOKEN=$MNREC_ADMIN_TOKEN "$mnrec_bin" instructions complete clinics/fresh/instructionSets/procedure \
  --section=Risks --wording='Our medical director words the risks here.' --published_by=admin-1 >/dev/null
consent_fresh 2 >"$work/template-consent2.out" 2>&1 &&
  { echo "FAILED: a consent to a half-completed template was recorded"; exit 1; }
grep -q 'section "Alternatives" still needs' "$work/template-consent2.out" ||
  { cat "$work/template-consent2.out"; echo "FAILED: the second refusal does not name Alternatives alone"; exit 1; }
MNREC_TOKEN=$MNREC_ADMIN_TOKEN json instructions complete clinics/fresh/instructionSets/procedure \
  --section=Alternatives --wording='Our medical director words the alternatives here.' --published_by=admin-1 |
  check "completing the last section publishes revision 3, no longer a template" \
  'd["revisionId"] == "3" and "incompleteSections" not in d and [i["text"] for i in d["items"] if i.get("section") == "Risks"] == ["Our medical director words the risks here."]'
consent_fresh 3 >/dev/null
echo "ok: the consent to the completed text is recorded"

# The clinic's protocol settings: revision 0 is the protocol's defaults; a
# published change is revision 1 and the next finding names it.
json settings get --clinic=fresh | check "settings in force before any publish are the protocol's defaults" \
  'd.get("revisionId", "0") == "0" and {p["key"]: p["value"] for p in d["effectiveParams"]}["session_interval_days"] == "28-42"'
MNREC_TOKEN=$MNREC_ADMIN_TOKEN json settings publish --clinic=fresh --param=planned_sessions=2-8 \
  --reason='Medical director review' --published_by=admin-1 | check "publishing a threshold makes revision 1 with who and why" \
  'd["revisionId"] == "1" and d["publishedBy"] == "admin-1" and {p["key"]: p["source"] for p in d["effectiveParams"]}["planned_sessions"] == "published"'
json course create --clinic=fresh --patient=f1 --id=long --indication=acne_scars \
  --treatment_area=cheek:bilateral --planned_sessions=9 --interval_min_days=28 \
  --interval_max_days=42 --clinician=dr-lee | check "a course beyond the clinic's range names settings revision 1" \
  'd["findings"][0]["code"] == "MNP-COURSE-LENGTH" and d["findings"][0]["settingsRevision"] == "1" and "plans 2 to 8" in d["findings"][0]["message"]'
"$mnrec_bin" settings revisions --clinic=fresh | grep -q "Medical director review" ||
  { echo "FAILED: settings revisions does not list the revision"; exit 1; }
echo "ok: settings revisions lists who published and why"

# Before/after pairs: the journey's one follow-up photo has no baseline yet.
json photo pairs "$course" | check "photo pairs list the follow-up without a baseline" \
  'd.get("pairs", []) == [] and len(d["followUpOnly"]) == 1 and d["followUpOnly"][0]["view"] == "PHOTO_VIEW_FRONTAL"'
