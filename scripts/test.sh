#!/usr/bin/env bash
# Run the whole test suite. Sets everything up first. When DATABASE_URL / REDIS_URL are set it
# runs against them (starting the local PostgreSQL / Redis if they are installed but stopped).
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test

local_host() { case "$1" in *127.0.0.1*|*localhost*) return 0;; *) return 1;; esac; }
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
if [ -n "${DATABASE_URL:-}" ] && [[ "$DATABASE_URL" == postgres* ]] && local_host "$DATABASE_URL"; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      echo "==> installing PostgreSQL"; $SUDO apt-get update -qq; $SUDO apt-get install -y -qq postgresql >/dev/null
    fi
    echo "==> starting PostgreSQL"
    for v in $(ls /etc/postgresql); do $SUDO pg_ctlcluster --skip-systemctl-redirect "$v" main start || true; done
    for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
fi
if [ -n "${REDIS_URL:-}" ] && local_host "$REDIS_URL"; then
  if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
    command -v redis-server >/dev/null || { echo "==> installing Redis"; $SUDO apt-get update -qq; $SUDO apt-get install -y -qq redis-server >/dev/null; }
    echo "==> starting Redis"
    mkdir -p /tmp/redis-logistics
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /tmp/redis-logistics
    for _ in $(seq 30); do (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && break; sleep 1; done
  fi
fi
echo "==> pytest (database: ${DATABASE_URL:-SQLite}; broker: ${REDIS_URL:-none})"
exec .venv/bin/python -m pytest --create-db "$@"
