#!/usr/bin/env bash
# Ensure the Debian tools that read plans as published are installed: Tesseract OCR with
# its Vietnamese model (scans), LibreOffice Writer headless (.doc/.odt/.rtf, and the test
# fixtures' PDF/.doc), poppler-utils and img2pdf (the tests' 200 dpi scans).
# Idempotent: does nothing (except print the versions) when they are already there.
# Only Debian's packages are used; nothing is downloaded from anywhere else.
set -u

PACKAGES=(tesseract-ocr tesseract-ocr-vie libreoffice-writer-nogui poppler-utils img2pdf)

die() { echo "ensure-office-ocr: $*" >&2; exit 1; }
# first apt error line of the log, for a one-line failure message
apt_error() { grep -m1 -E '^(E|Err):' "$log" || tail -n 1 "$log"; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

missing=()
for p in "${PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done

if [ "${#missing[@]}" -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || die "${missing[*]} missing and apt-get not available"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "${missing[*]} missing; need root (or sudo) to install them"
        SUDO="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    APT_OPTS=(-y -qq -o Dpkg::Use-Pty=0 --no-install-recommends)
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    # Try without refreshing the package lists first; update only if that fails.
    if ! $SUDO apt-get install "${APT_OPTS[@]}" "${missing[@]}" >"$log" 2>&1; then
        $SUDO apt-get update -qq >>"$log" 2>&1 \
            || die "apt-get update failed: $(apt_error)"
        $SUDO apt-get install "${APT_OPTS[@]}" "${missing[@]}" >>"$log" 2>&1 \
            || die "apt-get install ${missing[*]} failed: $(apt_error)"
    fi
fi

tesseract --list-langs 2>/dev/null | grep -qx vie || die "tesseract has no Vietnamese model (tesseract-ocr-vie)"
command -v soffice >/dev/null 2>&1 || die "soffice not found after installing libreoffice-writer-nogui"
echo "$(tesseract --version 2>&1 | head -n 1) (vie); $(soffice --version 2>/dev/null | cut -d' ' -f1-2); pdftoppm $(pdftoppm -v 2>&1 | head -n 1 | awk '{print $3}')"
