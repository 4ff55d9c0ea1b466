#!/usr/bin/env bash
# Installs Debian's `chromium` (apt, needs root) when /usr/lib/chromium/chromium is missing, for the
# browser tests. Playwright is given this binary, so it never downloads a browser of its own.
# Prints the path of the binary last. Fails (exit 1) with a reason.
set -euo pipefail
BIN="${CHROMIUM_PATH:-/usr/lib/chromium/chromium}"
fail() { echo "install-chromium: $*" >&2; exit 1; }

if [ ! -x "$BIN" ]; then
  command -v apt-get >/dev/null || fail "$BIN is missing and there is no apt-get; install Chromium and set CHROMIUM_PATH"
  [ "$(id -u)" = 0 ] || fail "installing chromium needs root (or install it yourself and set CHROMIUM_PATH)"
  echo "install-chromium: installing chromium from apt" >&2
  export DEBIAN_FRONTEND=noninteractive
  # stop the packages' postinst from starting system-wide daemons
  own_policy=0
  [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=1; }
  # Other jobs may hold the dpkg lock (e.g. the Ceph install of the S3 tests): wait for it.
  apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null 2>&1 || true
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
    || { [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d; fail "apt-get install chromium failed"; }
  [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ -x "$BIN" ] || fail "apt installed chromium but $BIN is not there"
fi
echo "$BIN"
