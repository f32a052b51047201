#!/usr/bin/env bash
# Run the whole system on http://127.0.0.1:8000: web, a Celery worker and Celery beat, with the
# demo school loaded. SQLite and an embedded broker by default; DATABASE_URL / REDIS_URL if set.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
.venv/bin/python manage.py seed_demo
export PATH="$PWD/.venv/bin:$PATH"
echo "==> serving on http://127.0.0.1:8000  (demo users: see README; password demo-2026; Ctrl-C stops)"
exec honcho start -f Procfile
