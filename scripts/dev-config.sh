#!/usr/bin/env bash
# Creates a local development server config on first use: one principal per
# role (clinician, ehr_system, auditor, admin) in the clinic "demo", each with
# a freshly generated bearer token. The config holds only the tokens'
# SHA-256; the tokens go to a shell file you can `source` (both files are
# readable by you only and git-ignored). Does nothing if the config exists.
# Usage: dev-config.sh [CONFIG] [TOKENS]
#   defaults: ./mnrecords-dev.textproto ./mnrecords-dev-tokens.sh
set -euo pipefail
config=${1:-mnrecords-dev.textproto}
tokens=${2:-mnrecords-dev-tokens.sh}
if [ -e "$config" ]; then
  echo "Using the existing development config $config (tokens in $tokens;"
  echo "delete both files to generate new ones)."
  exit 0
fi

umask 077
new_token() { head -c 32 /dev/urandom | base64 | tr -d '/+=\n'; }
sha256() { printf %s "$1" | sha256sum | cut -d' ' -f1; }

{
  echo "# Development config written by scripts/dev-config.sh on $(date -u +%FT%TZ)."
  echo "# Not for production: see server/config/example.textproto and docs/security.md."
} >"$config.tmp"
: >"$tokens.tmp"
for entry in clinician:ROLE_CLINICIAN:CLINICIAN ehr_system:ROLE_EHR_SYSTEM:EHR \
  auditor:ROLE_AUDITOR:AUDITOR admin:ROLE_ADMIN:ADMIN; do
  IFS=: read -r role enum var <<<"$entry"
  token=$(new_token)
  # The clinician signs sessions as "dr-lee", the clinician the README's
  # journey logs them for.
  signer=""
  if [ "$role" = clinician ]; then
    signer=$'\n  clinician_id: "dr-lee"\n  credential: "physician"'
  fi
  cat >>"$config.tmp" <<CONFIG
principals {
  id: "dev-${role//_/-}"
  display_name: "Development ${role}"
  role: ${enum}
  clinics: "demo"
  token_sha256: "$(sha256 "$token")"${signer}
}
CONFIG
  echo "export MNREC_${var}_TOKEN=$token" >>"$tokens.tmp"
done
echo 'export MNREC_TOKEN=$MNREC_CLINICIAN_TOKEN  # what mnrec sends by default' >>"$tokens.tmp"
mv "$tokens.tmp" "$tokens"
mv "$config.tmp" "$config"

echo "Created the development config $config: one principal per role in the"
echo "clinic \"demo\". Their bearer tokens (shown once; also in $tokens):"
sed -e 's/^export /  /' -e 's/  #.*//' "$tokens"
echo "In another terminal:  source $tokens   (sets MNREC_TOKEN for mnrec)"
