#!/usr/bin/env bash
# Installs the Evidence project (reports/) from its own lock file, so Evidence's pins
# never constrain the ETL's dependencies. Its postinstall applies the offline patch.
set -euo pipefail
cd "$(dirname "$0")/../reports"

stamp="node_modules/.rcm-lock.sha256"
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -d node_modules ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "[setup] installing the Evidence project in reports/ (npm ci)"
npm ci --no-audit --no-fund
echo "$want" > "$stamp"
