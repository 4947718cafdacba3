#!/usr/bin/env bash
# `npm test`: every check Postdesk has, on a fresh Debian/Ubuntu machine. Installs what is
# missing (system packages, node_modules), then typecheck, lint, unit, integration (real
# Dovecot + SMTP server), the production build and its electronegativity scan, and end-to-end
# tests in real Chromium (and in Electron where its binary exists; else those are skipped, with why).
# The workflows step lints .github/workflows (actionlint).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh
if [ ! -x node_modules/.bin/vitest ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

mkdir -p .tmp
rm -f .tmp/unit.json .tmp/integration.json .tmp/e2e-results.json

echo "== typecheck"; npx tsc -b
echo "== lint"; npx eslint .
echo "== workflows"; node scripts/lint-workflows.mjs
echo "== unit"; npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=.tmp/unit.json
echo "== integration"; npx vitest run --project integration --reporter=default --reporter=json --outputFile.json=.tmp/integration.json
echo "== build"; node scripts/build.mjs --quiet
echo "== security scan"; node scripts/security-scan.mjs
echo "== package check"; node scripts/check-asar.mjs
echo "== e2e"; npx playwright test
node scripts/test-summary.mjs .tmp/unit.json .tmp/integration.json .tmp/e2e-results.json
