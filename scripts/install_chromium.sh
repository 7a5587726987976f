#!/usr/bin/env bash
# Make sure Debian's headless browser is on this machine, installing it from the distribution's
# packages when it is missing: /usr/bin/chromium and /usr/bin/chromedriver, which the HTML report
# test drives through selenium (tests/reports/test_html_in_browser.py), and a font with Chinese
# glyphs so that the Chinese report (and its screenshot) shows characters, not boxes.
set -euo pipefail

found() {
    [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]
}

if found; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install_chromium.sh: no /usr/bin/chromium, and no root apt-get to install it:" \
         "install the 'chromium' and 'chromium-driver' packages" >&2
    exit 1
fi
echo "install_chromium.sh: installing chromium from the distribution's packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-wqy-microhei >/dev/null
found
