#!/usr/bin/env bash
# The whole test suite (README: `npm test`): type check, lint, then every vitest suite — unit tests, the real
# DuckDB loads, the real `dbt build` (models and data tests; dbt's unit tests once, in
# test/models/unit-tests.test.ts), the real Evidence build and the browser checks in headless Chromium.
# Ends with one plain summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

# the suite includes the Spark parity test (test/models/spark-parity.test.ts), so the Spark target is installed too
RCM_WITH_SPARK=1 bash scripts/setup.sh

echo "== type check"
npx tsc --noEmit
echo "== lint"
npx biome check
echo "== tests"
results=$(mktemp)
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$results" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$results" || true
rm -f "$results"
exit "$status"
