#!/usr/bin/env bash
# Adds the Spark target's Python packages (requirements-spark.txt) to .venv/, beside dbt-duckdb. Not part of the
# default install: run it when you want the Spark target (docs/spark.md); `npm test` runs it for the parity test.
# Needs Java 17 or later on PATH (or JAVA_HOME) at run time. Idempotent: skipped when the lock has not changed.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-python.sh
stamp=".venv/.requirements-spark.sha256"
want=$(sha256sum requirements-spark.txt | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
if ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ]; then
  echo "[setup] warning: no java on PATH; the Spark target needs Java 17 or later (Debian: apt-get install openjdk-17-jre-headless)" >&2
fi
echo "[setup] adding the Spark target (requirements-spark.txt) to .venv"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-input -r requirements-spark.txt \
  2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
echo "$want" > "$stamp"
