#!/usr/bin/env bash
# Debian packages the checks need: headless Chromium, driven through playwright-core (browsers cannot be
# downloaded from anywhere but the Debian registry here), and strace, which proves the report build opens no
# connection off this machine. Installs what is missing when this user may; otherwise says how.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v strace >/dev/null 2>&1 || missing+=(strace)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[setup] installing Debian packages for the checks: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "[setup] note: the checks need ${missing[*]} (Debian: apt-get install ${missing[*]})" >&2
fi
