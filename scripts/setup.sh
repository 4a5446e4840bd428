#!/usr/bin/env bash
# Installs everything the project needs on a Debian machine, and nothing when it is already there:
#   - Debian packages: chromium (browser tests, screenshots), fonts-thai-tlwg (Thai glyphs in
#     charts and screenshots; a bare machine has no Thai font);
#   - .venv with Python 3.11 and the package in editable mode with its test extra.
# Safe to run again: each step checks first, so a second run takes about a second.
set -euo pipefail

cd "$(dirname "$0")/.."

APT_PACKAGES=(chromium fonts-thai-tlwg)
VENV=.venv
STAMP="$VENV/.installed-from-pyproject.sha256"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "setup: need root (or sudo) to run: $*" >&2
    exit 2
  fi
}

install_debian_packages() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    return
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  # Update the package lists only when something must be installed: it is the slow part.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
}

find_python() {
  if command -v python3.11 >/dev/null 2>&1; then
    echo python3.11
  elif python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo python3
  else
    echo "setup: Python 3.11 or newer is needed (python3.11 not found)" >&2
    exit 2
  fi
}

create_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    echo "setup: creating $VENV"
    "$(find_python)" -m venv "$VENV"
  fi
}

install_python_packages() {
  # Reinstall only when pyproject.toml changed since the last successful install.
  local want
  want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && [ -x "$VENV/bin/tambon" ]; then
    return
  fi
  echo "setup: installing Python packages into $VENV"
  "$VENV/bin/python" -m pip install -q -e '.[test]'
  echo "$want" >"$STAMP"
}

install_debian_packages
create_venv
install_python_packages
echo "setup: ready (.venv, chromium, fonts-thai-tlwg)"
