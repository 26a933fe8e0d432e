#!/usr/bin/env bash
# Ensure Debian's headless-capable Chromium is installed at /usr/bin/chromium.
# Idempotent: does nothing (except print the version) when it is already there.
# Only Debian's package is used; no browser is downloaded from anywhere else.
set -u

CHROMIUM=/usr/bin/chromium
# Chromium only Recommends fonts; DejaVu covers Latin incl. Vietnamese, so
# screenshots show text on a bare machine too.
PACKAGES=(chromium fonts-dejavu-core)

die() { echo "ensure-chromium: $*" >&2; exit 1; }
# first apt error line of the log, for a one-line failure message
apt_error() { grep -m1 -E '^(E|Err):' "$log" || tail -n 1 "$log"; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

if [ ! -x "$CHROMIUM" ] || ! installed fonts-dejavu-core; then
    command -v apt-get >/dev/null 2>&1 || die "chromium missing and apt-get not available"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "chromium missing; need root (or sudo) to install it"
        SUDO="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    APT_OPTS=(-y -qq -o Dpkg::Use-Pty=0 --no-install-recommends)
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    # Try without refreshing the package lists first; update only if that fails
    # (e.g. lists missing or stale).
    if ! $SUDO apt-get install "${APT_OPTS[@]}" "${PACKAGES[@]}" >"$log" 2>&1; then
        $SUDO apt-get update -qq >>"$log" 2>&1 \
            || die "apt-get update failed: $(apt_error)"
        $SUDO apt-get install "${APT_OPTS[@]}" "${PACKAGES[@]}" >>"$log" 2>&1 \
            || die "apt-get install ${PACKAGES[*]} failed: $(apt_error)"
    fi
    [ -x "$CHROMIUM" ] || die "chromium package installed but $CHROMIUM not found"
fi

version=$("$CHROMIUM" --version 2>/dev/null) || die "$CHROMIUM --version failed"
echo "$version"
