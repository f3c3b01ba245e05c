#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine with Python, pip, node and apt:
# briefgen with its test extras, Debian's Chromium (for the browser tests), nginx (for the deploy recipe test)
# and the page checkers from npm.
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -e ".[test]"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
fc-list 2>/dev/null | grep -qi dejavu || need_apt+=(fonts-dejavu-core)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need_apt+=(nginx-light)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "tests/install.sh: not root; install these Debian packages yourself: ${need_apt[*]}" >&2
  fi
fi

if [ -f package.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
