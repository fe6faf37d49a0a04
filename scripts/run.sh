#!/usr/bin/env bash
# `make run`: migrations, a Redis, demo data, then the web app and a worker until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export BASE_URL=${BASE_URL:-http://$HOST:$PORT}

scripts/ensure-redis.sh
"$VENV/bin/house" migrate
"$VENV/bin/house" demo

"$VENV/bin/arq" house.worker.WorkerSettings &
worker=$!
trap 'kill $worker 2>/dev/null || true; wait $worker 2>/dev/null || true' EXIT INT TERM

echo
echo "house is running at $BASE_URL  (worker pid $worker; Ctrl-C stops both)"
echo "Sign in with a demo login above, e.g. admin@demo.house / house-demo-2026"
echo
"$VENV/bin/uvicorn" house.app:create_app --factory --host "$HOST" --port "$PORT"
