#!/usr/bin/env bash
# Installs everything the project needs beside the root node_modules:
# the pinned Python tool chain (dbt) in .venv/, Debian packages the checks need (chromium, strace), and the Evidence
# project in reports/. The Spark target's packages (requirements-spark.txt, ~350 MB) only with RCM_WITH_SPARK=1
# (`npm test` sets it: the Spark parity test is part of the suite).
# Idempotent: each part is skipped when its lock file has not changed since it was installed.
set -euo pipefail
cd "$(dirname "$0")/.."

[ "${RCM_SKIP_SETUP:-}" = "1" ] && exit 0

bash scripts/setup-python.sh
if [ "${RCM_WITH_SPARK:-}" = "1" ]; then bash scripts/setup-spark.sh; fi
bash scripts/setup-test-tools.sh
if [ -f reports/package.json ]; then bash scripts/setup-reports.sh; fi
