#!/usr/bin/env bash
# Browser tests drive Debian's Chromium: install it when missing (as root), or say how to.
set -euo pipefail
browser="${QYZMET_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$browser" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing: installing Debian's chromium package for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "The browser tests need Chromium at $browser. Install it (Debian/Ubuntu: sudo apt-get install chromium)," >&2
echo "or point QYZMET_CHROMIUM at a Chromium or Chrome binary." >&2
exit 1
