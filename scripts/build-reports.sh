#!/usr/bin/env bash
# Builds the static report site (reports/build/) from the warehouse's marts schema, offline.
#
#   RCM_WAREHOUSE   absolute path of the warehouse DuckDB file (default: <repo>/warehouse/rcm.duckdb)
#   RCM_REPORTS_TIMEOUT   seconds allowed for each Evidence step (default: 600)
#
# Each Evidence step runs under `timeout`, so anything that waits on the network fails the
# build instead of hanging it. The offline patch (reports/patches/) must be applied: the check
# below refuses to build with a stock install.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
reports="$repo/reports"
step_timeout="${RCM_REPORTS_TIMEOUT:-600}"

warehouse="${RCM_WAREHOUSE:-$repo/warehouse/rcm.duckdb}"
case "$warehouse" in
  /*) ;;
  *) echo "[reports] RCM_WAREHOUSE must be an absolute path (got: $warehouse)" >&2; exit 2 ;;
esac
if [ ! -f "$warehouse" ]; then
  echo "[reports] warehouse not found: $warehouse (build marts first, or set RCM_WAREHOUSE)" >&2
  exit 2
fi

if [ ! -x "$reports/node_modules/.bin/evidence" ]; then
  echo "[reports] reports/ is not installed; run: bash scripts/setup-reports.sh" >&2
  exit 2
fi
for f in src/build-parquet.js src/client-duckdb/node.js src/client-duckdb/browser.js; do
  if ! grep -q 'rcm-offline-patch' "$reports/node_modules/@evidence-dev/universal-sql/$f"; then
    echo "[reports] offline patch missing in @evidence-dev/universal-sql/$f;" \
      "reinstall with: bash scripts/setup-reports.sh" >&2
    exit 2
  fi
done

# The DuckDB connector joins `filename` onto the source directory, so hand it a relative path.
source_dir="$reports/sources/warehouse"
export EVIDENCE_SOURCE__warehouse__filename="$(realpath -m --relative-to="$source_dir" "$warehouse")"

# Telemetry off: reports/evidence.settings.json says "no" for every CLI event; the variables
# below are what Evidence falls back to without settings. No update checks, no browser opening.
export SEND_ANONYMOUS_USAGE_STATS=no
export send_anonymous_usage_stats=no
export NO_UPDATE_NOTIFIER=1
export npm_config_update_notifier=false
export npm_config_audit=false
export npm_config_fund=false
export npm_config_offline=true
export CI="${CI:-true}"
# A production build whatever the caller runs under (a test runner sets NODE_ENV=test, which
# makes SvelteKit prerender Evidence's dev-only explore pages and fail).
export NODE_ENV=production

cd "$reports"
rm -rf build
echo "[reports] warehouse: $warehouse"
echo "[reports] evidence sources (timeout ${step_timeout}s)"
timeout --kill-after=10 "$step_timeout" ./node_modules/.bin/evidence sources --strict
echo "[reports] evidence build:strict (timeout ${step_timeout}s)"
timeout --kill-after=10 "$step_timeout" ./node_modules/.bin/evidence build:strict

if [ ! -f build/index.html ]; then
  echo "[reports] build finished without build/index.html" >&2
  exit 1
fi
echo "[reports] site written to $reports/build"
