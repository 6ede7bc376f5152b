#!/usr/bin/env bash
# Serve Covenant on 127.0.0.1:8000 with a task worker beside it; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.dev}

$PY manage.py db_worker --queue-name default &
WORKER=$!
$PY manage.py runserver 127.0.0.1:8000 &
SERVER=$!
cleanup() { kill "$SERVER" "$WORKER" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup INT TERM EXIT
sleep 1
$PY manage.py demo_accounts
echo
echo "Covenant runs at http://127.0.0.1:8000/  (task worker pid $WORKER). Ctrl-C stops both."
wait -n "$SERVER" "$WORKER"
