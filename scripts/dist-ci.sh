#!/usr/bin/env bash
# `npm run dist` in CI (.github/workflows/desktop.yml): the installers for this OS, signed when
# the workflow hands this OS its signing secrets, unsigned otherwise. Never publishes: the
# workflow's publish job copies the installers to the update server on a v* tag.
set -euo pipefail
cd "$(dirname "$0")/.."

# The variables electron-builder 26 reads (app-builder-lib: platformPackager, winPackager,
# mac/MacTargetHelper): WIN_CSC_* before CSC_* on Windows, CSC_* on macOS, APPLE_* to notarize.
signing=(WIN_CSC_LINK WIN_CSC_KEY_PASSWORD CSC_LINK CSC_KEY_PASSWORD APPLE_ID APPLE_APP_SPECIFIC_PASSWORD APPLE_TEAM_ID)

# A pull request builds unsigned even from this repository's own branches, as forks' do.
if [ "${GITHUB_EVENT_NAME:-}" = pull_request ]; then
  unset "${signing[@]}"
fi
# A secret that is not set arrives as an empty string, and electron-builder takes an empty
# CSC_LINK on macOS for a certificate to import: what is empty is unset.
for name in "${signing[@]}"; do
  if [ -z "${!name:-}" ]; then
    unset "$name"
  fi
done
# The update server's URL goes into the installers (electron-builder.yml's publish block), and
# without it they never look for an update: a release must have it.
if [ -z "${POSTDESK_UPDATE_URL:-}" ]; then
  unset POSTDESK_UPDATE_URL
  if [ "${GITHUB_REF_TYPE:-}" = tag ]; then
    echo "dist: a release needs the repository variable POSTDESK_UPDATE_URL (the update server's URL)" >&2
    exit 1
  fi
fi
if [ -z "${CSC_LINK:-}${WIN_CSC_LINK:-}" ]; then
  # No certificate: unsigned, rather than whatever identity the runner's keychain holds.
  export CSC_IDENTITY_AUTO_DISCOVERY=false
  echo "dist: no signing certificate for ${RUNNER_OS:-this OS}: the installers are unsigned"
fi

npm run dist -- --publish never
