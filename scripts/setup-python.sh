#!/usr/bin/env bash
# Creates the project-local venv (.venv/) with the exact versions in requirements.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${RCM_PYTHON:-python3}"
stamp=".venv/.requirements.sha256"
want=$(sha256sum requirements.txt | cut -d' ' -f1)

if ! { [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; }; then
  echo "[setup] creating .venv with $($PYTHON --version 2>&1) and requirements.txt"
  "$PYTHON" -m venv .venv
  # (the filter drops pip's notes about find-links folders this machine's pip.conf names but lacks)
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-input -r requirements.txt \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  echo "$want" > "$stamp"
fi

# Every Python the venv starts (dbt) parses one AST at a time: scripts/python/rcm_ast_lock.py says why. Copied each
# time, so a venv made before it, or before a change to it, gets it.
site=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
cp scripts/python/rcm_ast_lock.py "$site/rcm_ast_lock.py"
echo "import rcm_ast_lock" > "$site/rcm_ast_lock.pth"
