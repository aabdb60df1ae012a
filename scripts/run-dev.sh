#!/usr/bin/env bash
# Serve the app with its background worker and the viewflow timer loop; stop all three together.
set -euo pipefail
PY=${PY:-.venv/bin/python}
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
"$PY" manage.py db_worker --interval 2 &
pids+=($!)
( while true; do "$PY" manage.py timers_sweep >/dev/null 2>&1 || true; sleep 60; done ) &
pids+=($!)
# Notifications every 5 minutes; the daily digest once, in the 17:00 hour (emails print on the console here).
( while true; do "$PY" manage.py notify_scan >/dev/null 2>&1 || true; sleep 300; done ) &
pids+=($!)
( while true; do sleep 3600; [ "$(date +%H)" = 17 ] && { "$PY" manage.py send_digests || true; }; done ) &
pids+=($!)
echo
echo "Ứng dụng: http://127.0.0.1:8000   (API: /api/docs/, quản trị: /admin/)"
"$PY" manage.py runserver 127.0.0.1:8000
