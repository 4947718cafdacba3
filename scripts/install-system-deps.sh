#!/usr/bin/env bash
# Installs, on Debian/Ubuntu, what the tests need and npm cannot bring: Dovecot (the real IMAP
# server and LMTP delivery the integration and e2e tests start), Chromium (the real browser
# Playwright drives; Playwright's own browser download is not possible on these machines), and
# the real mail and archive programs the tests check our output against (swaks, mutt, unzip,
# Python 3's email and zipfile packages), ClamAV's clamd (the real virus scanner the scan tests
# start with their own signatures), attr's getfattr/setfattr (the origin mark on saved files), and
# the benchmarks' reference tools msmtp and isync's mbsync, so `npm run bench` works on a fresh machine too,
# and xvfb (xvfb-run: a display for the Electron end-to-end tests where there is none, as in CI).
set -euo pipefail

missing=()
command -v dovecot >/dev/null 2>&1 || missing+=(dovecot-imapd)
[ -x /usr/lib/dovecot/lmtp ] || missing+=(dovecot-lmtpd)
[ -x "${POSTDESK_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v swaks >/dev/null 2>&1 || missing+=(swaks)
command -v mutt >/dev/null 2>&1 || missing+=(mutt)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
[ -x /usr/sbin/clamd ] || missing+=(clamav-daemon)
command -v setfattr >/dev/null 2>&1 || missing+=(attr)
command -v msmtp >/dev/null 2>&1 || missing+=(msmtp)
command -v mbsync >/dev/null 2>&1 || missing+=(isync)
command -v xvfb-run >/dev/null 2>&1 || missing+=(xvfb)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing missing system packages: ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get is not available: install ${missing[*]} with your package manager, then run the tests again." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The packaged Dovecot service is not needed: each test starts its own private instance.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet dovecot 2>/dev/null; then
  $SUDO systemctl stop dovecot || true
fi
# Nor are the packaged clamd and freshclam: each scan test starts its own clamd with its own
# signatures, and freshclam would only try (and fail) to download a database here.
if command -v systemctl >/dev/null 2>&1; then
  for unit in clamav-daemon clamav-freshclam; do
    if systemctl is-active --quiet "$unit" 2>/dev/null; then
      $SUDO systemctl stop "$unit" || true
    fi
  done
fi
