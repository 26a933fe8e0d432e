#!/usr/bin/env bash
# Ensure the Debian tools that read plans as published are installed: Tesseract OCR with
# its Vietnamese model (scans), LibreOffice Writer headless (.doc/.odt/.rtf, and the test
# fixtures' PDF/.doc), poppler-utils and img2pdf (the tests' 200 dpi scans).
# Idempotent: does nothing (except print the versions) when they are already there.
set -u
. "$(dirname "$0")/apt-ensure.sh"

die() { echo "ensure-office-ocr: $*" >&2; exit 1; }

apt_ensure ensure-office-ocr tesseract-ocr tesseract-ocr-vie libreoffice-writer-nogui poppler-utils img2pdf || exit 1

tesseract --list-langs 2>/dev/null | grep -qx vie || die "tesseract has no Vietnamese model (tesseract-ocr-vie)"
command -v soffice >/dev/null 2>&1 || die "soffice not found after installing libreoffice-writer-nogui"
echo "$(tesseract --version 2>&1 | head -n 1) (vie); $(soffice --version 2>/dev/null | cut -d' ' -f1-2); pdftoppm $(pdftoppm -v 2>&1 | head -n 1 | awk '{print $3}')"
