# Sourced by scripts/ensure-*.sh: install Debian packages that are missing, with one-line errors.
# Only Debian's packages are used; nothing is downloaded from anywhere else.
#   apt_ensure NAME PACKAGE...   (NAME prefixes the error messages)

# The first apt error line of the log, for a one-line failure message.
_apt_error() { grep -m1 -E '^(E|Err):' "$1" || tail -n 1 "$1"; }

apt_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

apt_ensure() {
    local name=$1; shift
    local missing=() p
    for p in "$@"; do apt_installed "$p" || missing+=("$p"); done
    [ "${#missing[@]}" -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 || { echo "$name: ${missing[*]} missing and apt-get not available" >&2; return 1; }
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "$name: ${missing[*]} missing; need root (or sudo) to install" >&2; return 1; }
        sudo="sudo"
    fi
    local opts=(-y -qq -o Dpkg::Use-Pty=0 --no-install-recommends) log
    log=$(mktemp)
    # Try without refreshing the package lists first; update only if that fails (lists missing or stale).
    if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install "${opts[@]}" "${missing[@]}" >"$log" 2>&1; then
        if ! $sudo apt-get update -qq >>"$log" 2>&1; then
            echo "$name: apt-get update failed: $(_apt_error "$log")" >&2; rm -f "$log"; return 1
        fi
        if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install "${opts[@]}" "${missing[@]}" >>"$log" 2>&1; then
            echo "$name: apt-get install ${missing[*]} failed: $(_apt_error "$log")" >&2; rm -f "$log"; return 1
        fi
    fi
    rm -f "$log"
}
