#!/usr/bin/env bash
# `make run`: migrations, a Redis, demo data, a local mail sink (unless SMTP_HOST is set),
# then the web app and a worker until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export BASE_URL=${BASE_URL:-http://$HOST:$PORT}
MAIL_LOG=${MAIL_LOG:-var/mail.log}

scripts/ensure-redis.sh
"$VENV/bin/house" migrate
"$VENV/bin/house" demo

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT INT TERM

if [ -z "${SMTP_HOST:-}" ]; then
  export SMTP_HOST=127.0.0.1 SMTP_PORT=${MAIL_SINK_PORT:-8025}
  "$VENV/bin/house" mail-sink --port "$SMTP_PORT" --log "$MAIL_LOG" &
  pids+=($!)
  mail="emails are not sent: they are appended to $MAIL_LOG"
else
  mail="emails go to $SMTP_HOST:${SMTP_PORT:-25}"
fi

"$VENV/bin/arq" house.worker.WorkerSettings &
pids+=($!)

echo
echo "house is running at $BASE_URL  (Ctrl-C stops it and its worker)"
echo "Sign in with a demo login above, e.g. admin@demo.house / house-demo-2026"
echo "Mail: $mail"
echo
"$VENV/bin/uvicorn" house.app:create_app --factory --host "$HOST" --port "$PORT"
