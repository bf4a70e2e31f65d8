#!/usr/bin/env bash
# The browser checks drive Debian's headless Chromium through playwright-core (browsers cannot be downloaded
# from anywhere but the Debian registry here). Installs it when missing and this user may; otherwise says how.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[setup] installing Debian's chromium for the browser checks"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "[setup] note: the browser checks need Chromium at /usr/bin/chromium (Debian: apt-get install chromium)" >&2
fi
