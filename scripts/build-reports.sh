#!/usr/bin/env bash
# Builds the static report site from the warehouse's marts schema, offline.
#
#   RCM_WAREHOUSE   absolute path of the warehouse DuckDB file (default: <repo>/warehouse/rcm.duckdb)
#   RCM_REPORTS_OUT   absolute path of the folder the site is written to (default: <repo>/reports/build);
#                     replaced only once the build has succeeded
#   RCM_REPORTS_TIMEOUT   seconds allowed for each step (default: 3600: it stops a hang, not a big build)
#   RCM_REPORTS_CACHE   folder of the compile cache (default: <repo>/reports/.cache/compile); "off" compiles always
#   RCM_REPORTS_REUSE   "off": render every page, keeping none from the previous site in RCM_REPORTS_OUT
#   RCM_REPORTS_VERIFY_SLICES   "1": run the queries of kept pages whose slices show them unchanged too, and
#                     report any whose result changed (tools/page-reuse.mjs; the page test sets it)
#   RCM_REPORTS_SHARDS   how many workers prerender the pages at once (default: the cores, at most 4); 1: one, as
#                     stock Evidence (tools/prerender-shards.mjs)
#   RCM_REPORTS_TABLE_FILE   "off": the prerender loads each source table from its Parquet file, as stock
#                     Evidence, instead of reading one DuckDB file of them (tools/write-sources.mjs)
#
# Evidence writes its work files (.evidence/, extracted data, build/) inside the project it runs in, so the
# build runs in a private copy of reports/ (its node_modules linked, not copied) and nothing in reports/
# changes: a test build cannot overwrite the site `rcm serve` shows, nor two builds meet.
#
# The compile cache: Evidence's Vite/SvelteKit compile (most of a build) depends on the pages, partials, config
# and installed packages, not on the data. tools/compile-cache.mjs keys those inputs; when a previous build with
# the same key left its compiled bundles in the cache, only the prerender and the adapter run on the new data.
# Otherwise `evidence build:strict` compiles without prerendering, its bundles are kept, and the prerender and the
# adapter run from them as on a hit, in a process of their own: the prerender's workers do not share a process with
# the compile's memory. If that fails, `evidence build:strict` runs whole, as it always did.
#
# Each Evidence step runs under `timeout`, so anything that waits on the network fails the
# build instead of hanging it. The offline patch (reports/patches/) must be applied: the check
# below refuses to build with a stock install.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
# Page reuse is set below, from this build's own compile key and output folder, never from the caller.
unset RCM_PRERENDER_REUSE RCM_PRERENDER_KEY RCM_PRERENDER_PREVIOUS RCM_PRERENDER_SLICES RCM_PRERENDER_VERIFY_SLICES \
  RCM_PRERENDER_SHARDS RCM_PRERENDER_SHARD_COUNT RCM_PRERENDER_SOURCE_TABLES
reports="$repo/reports"
step_timeout="${RCM_REPORTS_TIMEOUT:-3600}"

warehouse="${RCM_WAREHOUSE:-$repo/warehouse/rcm.duckdb}"
out="${RCM_REPORTS_OUT:-$reports/build}"
for path in "$warehouse" "$out"; do
  case "$path" in
    /*) ;;
    *) echo "[reports] RCM_WAREHOUSE and RCM_REPORTS_OUT must be absolute paths (got: $path)" >&2; exit 2 ;;
  esac
done
# The output folder is replaced: refuse one that holds anything but a previous site.
if [ -d "$out" ] && [ -n "$(ls -A "$out")" ] && [ ! -f "$out/index.html" ]; then
  echo "[reports] $out holds files but no report site (index.html); refusing to replace it" >&2
  exit 2
fi
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

work="$(mktemp -d "${TMPDIR:-/tmp}/rcm-reports-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -R "$reports/pages" "$reports/sources" "$reports/evidence.config.yaml" "$reports/evidence.settings.json" \
  "$reports/package.json" "$work/"
rm -f "$work"/sources/*/*.parquet
# The pages' "Methods" partial is written from the KPI definitions dbt documents, so the two never disagree.
mkdir -p "$work/partials"
node "$reports/tools/kpi-methods.mjs" "$repo/models/marts/revenue_cycle/_kpi__docs.md" "$work/partials/kpi-methods.md"
ln -s "$reports/node_modules" "$work/node_modules"

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

cd "$work"
echo "[reports] warehouse: $warehouse"
# The source queries' results are written by DuckDB itself, in the layout `evidence sources` would leave
# (tools/write-sources.mjs says why): Evidence's own connector takes minutes and gigabytes per million rows.
echo "[reports] source data (timeout ${step_timeout}s)"
# The same tables in one DuckDB file for the prerender, outside the site: each prerender worker reads the blocks its
# queries need from it, instead of decoding and loading every Parquet file a page names. RCM_REPORTS_TABLE_FILE=off
# loads the Parquet files as stock Evidence does (the same site, more time and memory; for comparison).
table_file=()
if [ "${RCM_REPORTS_TABLE_FILE:-on}" != off ]; then
  table_file=("$work/source-tables.duckdb")
  export RCM_PRERENDER_SOURCE_TABLES="$work/source-tables.duckdb"
fi
timeout --kill-after=10 "$step_timeout" node "$reports/tools/write-sources.mjs" "$warehouse" "$work/sources/warehouse" \
  "$work/.evidence/template/static/data" "$work/source-slices.json" "${table_file[@]}"
# The pages are prerendered by a worker per core (tools/prerender-shards.mjs), on a hit and in a full compile alike.
export RCM_PRERENDER_SHARDS="$reports/tools/prerender-shards.mjs"
if [ -n "${RCM_REPORTS_SHARDS:-}" ]; then export RCM_PRERENDER_SHARD_COUNT="$RCM_REPORTS_SHARDS"; fi
cache="${RCM_REPORTS_CACHE:-$reports/.cache/compile}"
# The prerender and the adapter from a kept compile (tools/compile-cache.mjs), under the memory limit `evidence
# build` gives `vite build`.
prerender_from() {
  NODE_OPTIONS="${NODE_OPTIONS:-} --max-old-space-size=4096" timeout --kill-after=10 "$step_timeout" \
    node "$reports/tools/compile-cache.mjs" build "$work" "$1"
}
built=""
entry=""
if [ "$cache" != off ] && key="$(node "$reports/tools/compile-cache.mjs" key "$work" "$repo")"; then
  entry="$cache/$key"
  # Page reuse: a page of the previous site (same compile key) whose queries return the same results on the new
  # data is kept instead of rendered (tools/page-reuse.mjs). RCM_REPORTS_REUSE=off renders every page.
  export RCM_PRERENDER_REUSE="$reports/tools/page-reuse.mjs" RCM_PRERENDER_KEY="$key"
  export RCM_PRERENDER_SLICES="$work/source-slices.json"
  if [ "${RCM_REPORTS_VERIFY_SLICES:-}" = 1 ]; then export RCM_PRERENDER_VERIFY_SLICES=1; fi
  if [ "${RCM_REPORTS_REUSE:-on}" != off ] && [ -f "$out/index.html" ]; then
    export RCM_PRERENDER_PREVIOUS="$out"
  fi
  if [ -d "$entry" ]; then
    echo "[reports] compile cache: hit ($key); prerender and adapter only (timeout ${step_timeout}s)"
    touch "$entry"
    if prerender_from "$entry"; then
      built=cache
    else
      echo "[reports] the cached compile could not be used; compiling" >&2
      rm -rf "$work/build" "$work/.evidence/template/build" "$work/.evidence/template/.svelte-kit"
    fi
  else
    echo "[reports] compile cache: miss ($key)"
  fi
fi
if [ -z "$built" ] && [ -n "$entry" ]; then
  echo "[reports] evidence build:strict, compile only (timeout ${step_timeout}s)"
  RCM_PRERENDER_SKIP=1 timeout --kill-after=10 "$step_timeout" ./node_modules/.bin/evidence build:strict
  compiled="$entry"
  # A cache that cannot be written costs the next build its compile, not this build.
  if ! { mkdir -p "$cache" && node "$reports/tools/compile-cache.mjs" save "$work" "$entry"; }; then
    echo "[reports] could not keep the compiled bundles in $cache" >&2
    compiled="$work/compiled"
    node "$reports/tools/compile-cache.mjs" save "$work" "$compiled" || compiled=""
  fi
  # Two entries kept, the most recently used: one per page version a machine switches between.
  find "$cache" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended -regex '.*/[0-9a-f]{64}' \
    -printf '%T@ %p\n' 2>/dev/null | sort -rn | tail -n +3 | cut -d' ' -f2- | xargs -r rm -rf
  rm -rf "$work/build" "$work/.evidence/template/build"
  if [ -n "$compiled" ]; then
    echo "[reports] prerender and adapter from the compile (timeout ${step_timeout}s)"
    if prerender_from "$compiled"; then
      built=compiled
    fi
  fi
  if [ -z "$built" ]; then
    echo "[reports] the compile could not be prerendered apart; building whole" >&2
    rm -rf "$work/build" "$work/.evidence/template/build" "$work/.evidence/template/.svelte-kit"
  fi
fi
if [ -z "$built" ]; then
  echo "[reports] evidence build:strict (timeout ${step_timeout}s)"
  timeout --kill-after=10 "$step_timeout" ./node_modules/.bin/evidence build:strict
fi

if [ ! -f build/index.html ]; then
  echo "[reports] build finished without build/index.html" >&2
  exit 1
fi
mkdir -p "$(dirname "$out")"
rm -rf "$out"
mv build "$out"
echo "[reports] site written to $out"
