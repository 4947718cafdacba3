#!/usr/bin/env bash
# Runs one command as root, for CI (.github/workflows/desktop.yml): the test Dovecot must start
# as root (tests/support/dovecot.ts), and GitHub's Linux runner is a user with sudo. The files the
# command wrote are then given back to that user, so the steps after it can write over them.
# Already root (the machines `npm test` runs on), it just runs the command.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

if [ "$(id -u)" -eq 0 ]; then
  exec "$@"
fi
status=0
# sudo resets PATH to its secure_path: the runner's node and npx would be gone.
sudo --preserve-env env "PATH=$PATH" "$@" || status=$?
sudo chown -R "$(id -u):$(id -g)" .
exit "$status"
