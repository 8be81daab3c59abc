#!/usr/bin/env bash
# Run by the build before the tests: BrowserSdkTest drives Debian's Chromium (headless). Installs it when it is
# missing and this user can (root with apt-get); otherwise says so, and the test fails naming what is missing.
set -uo pipefail
if [ -x /usr/bin/chromium ] || [ -x /usr/bin/chromium-browser ]; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "herald build: installing chromium for the browser test (apt-get install chromium)" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 ||
        echo "herald build: apt-get install chromium failed: BrowserSdkTest will fail" >&2
else
    echo "herald build: chromium is missing and cannot be installed by this user: BrowserSdkTest will fail" >&2
fi
exit 0
