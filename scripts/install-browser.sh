#!/usr/bin/env bash
# Installs Debian's Chromium for the Playwright browser tests, if it is missing.
# Playwright's own browser download is never used: these machines cannot reach its CDN,
# and the tests point Playwright at /usr/bin/chromium (PLAYWRIGHT_CHROMIUM_EXECUTABLE).
# Progress goes to stderr; stdout stays empty.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

log() { echo "install-browser: $*" >&2; }
die() { echo "install-browser: ERROR: $*" >&2; exit 1; }

if [[ -x "$CHROMIUM" ]]; then
  log "chromium present: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  exit 0
fi

# apt-get needs root; use passwordless sudo when we are not root and it is available.
if [[ $EUID -eq 0 ]]; then
  AS_ROOT=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  AS_ROOT=(sudo -n)
else
  die "$CHROMIUM is missing and installing it needs root (or passwordless sudo). Run as root: apt-get install -y chromium"
fi
command -v apt-get >/dev/null 2>&1 || die "$CHROMIUM is missing and apt-get is not available (not Debian?)"

install() {
  "${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends chromium >&2
}

log "installing Debian chromium ..."
if ! install; then
  log "install failed; running apt-get update once and retrying"
  "${AS_ROOT[@]}" apt-get update -q >&2 || die "apt-get update failed"
  install || die "apt-get install chromium failed (see output above)"
fi

[[ -x "$CHROMIUM" ]] || die "chromium package installed but $CHROMIUM is missing"
log "chromium installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
