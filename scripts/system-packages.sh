#!/usr/bin/env bash
# Install the Debian packages the project needs when they are missing (WeasyPrint's libraries and fonts,
# poppler for PDF checks, SoftHSM for the PKCS#11 signing test, Chromium for browser tests, gettext for translations,
# Node.js and npm to install axe-core for the accessibility checks of the browser tests). Needs root for apt-get;
# without root it only reports what is missing.
set -euo pipefail
PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core
          poppler-utils gettext chromium softhsm2)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
# Node.js and npm: any install will do (a machine may carry a newer Node.js that bundles npm); Debian's otherwise.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
