#!/usr/bin/env bash
# Ensure Debian's headless-capable Chromium is installed at /usr/bin/chromium.
# Idempotent: does nothing (except print the version) when it is already there.
# Only Debian's package is used; no browser is downloaded from anywhere else (scripts/apt-ensure.sh).
set -u
. "$(dirname "$0")/apt-ensure.sh"

CHROMIUM=/usr/bin/chromium
# Chromium only Recommends fonts; DejaVu covers Latin incl. Vietnamese, so
# screenshots show text on a bare machine too.
PACKAGES=(chromium fonts-dejavu-core)

die() { echo "ensure-chromium: $*" >&2; exit 1; }

if [ ! -x "$CHROMIUM" ] || ! apt_installed fonts-dejavu-core; then
    apt_ensure ensure-chromium "${PACKAGES[@]}" || exit 1
    [ -x "$CHROMIUM" ] || die "chromium package installed but $CHROMIUM not found"
fi

version=$("$CHROMIUM" --version 2>/dev/null) || die "$CHROMIUM --version failed"
echo "$version"
