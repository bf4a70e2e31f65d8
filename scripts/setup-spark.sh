#!/usr/bin/env bash
# Adds the Spark target's Python packages (requirements-spark.txt) to .venv/, beside dbt-duckdb. Not part of the
# default install: run it when you want the Spark target (docs/spark.md); `npm test` runs it for the parity test.
# Spark needs Java 17 or later (on PATH or JAVA_HOME): installed from Debian when missing and this user may.
# Idempotent: the packages are skipped when the lock has not changed since they were installed.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-python.sh
if ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "[setup] installing Java 17 for the Spark target (openjdk-17-jre-headless)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  else
    echo "[setup] note: the Spark target needs Java 17 or later (Debian: apt-get install openjdk-17-jre-headless)" >&2
  fi
fi
stamp=".venv/.requirements-spark.sha256"
want=$(sha256sum requirements-spark.txt | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "[setup] adding the Spark target (requirements-spark.txt) to .venv"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-input -r requirements-spark.txt \
  2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
echo "$want" > "$stamp"
