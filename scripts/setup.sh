#!/usr/bin/env bash
# Set everything up on a fresh machine: Debian packages, a Python >= 3.12 virtualenv with the
# pinned requirements, compiled translations, the database schema.
#   scripts/setup.sh        what running the system needs
#   scripts/setup.sh test   also what the tests need (Chromium, poppler's pdffonts)
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-run}

# --- Debian packages (only the missing ones) -------------------------------------------------
# (grep without -q: with pipefail, `… | grep -q` can fail on SIGPIPE although it matched)
need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk)
ldconfig -p 2>/dev/null | grep "libpango-1.0.so" >/dev/null || need+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ "$MODE" = test ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v pdffonts >/dev/null 2>&1 || need+=(poppler-utils)
  # the deploy tests: `nginx -t` on deploy/nginx, `systemd-analyze verify` on deploy/systemd, a private redis-server
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
  command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
fi
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "==> installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  # Install only: packages that ship a daemon (nginx, redis) must not start one here.
  norc=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    norc=1; printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  [ -z "$norc" ] || $SUDO rm -f /usr/sbin/policy-rc.d
fi

# --- Python >= 3.12 --------------------------------------------------------------------------
ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
PY=""
for cand in "${PYTHON:-}" python3.13 python3.12 $(ls -d "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV) python3; do
  [ -n "$cand" ] || continue
  if command -v "$cand" >/dev/null 2>&1 && ok "$cand"; then PY=$(command -v "$cand"); break; fi
done
if [ -z "$PY" ]; then
  echo "error: no Python 3.12 or newer found (set PYTHON=/path/to/python3.12)" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ] || ! ok .venv/bin/python; then
  echo "==> creating .venv with $PY"
  rm -rf .venv
  "$PY" -m venv .venv
fi
hash=$(sha256sum requirements.txt | cut -c1-16)
if [ "$(cat .venv/.requirements 2>/dev/null)" != "$hash" ]; then
  echo "==> installing Python packages"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.txt
  echo "$hash" > .venv/.requirements
fi

# --- translations, schema ----------------------------------------------------------------------
mkdir -p var/celery/queue var/celery/processed var/celery/control staticfiles
.venv/bin/python manage.py compilemessages -v0 --ignore=.venv --ignore=var >/dev/null
if [ "$MODE" = run ]; then
  .venv/bin/python manage.py migrate --no-input -v0
fi
