#!/usr/bin/env bash
# Installs the Evidence project (reports/) from its own lock file, so Evidence's pins
# never constrain the ETL's dependencies. Its postinstall (patch-package) applies the
# offline patch in reports/patches/; see reports/README.md.
# Skipped when neither the lock file nor the patches changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/../reports"

stamp="node_modules/.rcm-lock.sha256"
want=$(cat package-lock.json patches/*.patch | sha256sum | cut -d' ' -f1)
if [ -d node_modules ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "[setup] installing the Evidence project in reports/ (npm ci)"
npm ci --no-audit --no-fund
# Never trust a quiet install: the build refuses to run without the patch, so fail here first.
if ! grep -q 'rcm-offline-patch' node_modules/@evidence-dev/universal-sql/src/client-duckdb/browser.js; then
  echo "[setup] the offline patch was not applied in reports/node_modules" >&2
  exit 1
fi
echo "$want" > "$stamp"
