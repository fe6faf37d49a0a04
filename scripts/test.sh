#!/usr/bin/env bash
# `make test`: lint and types, then the whole suite on SQLite and on PostgreSQL, with the
# real Redis, a real arq worker, a real SMTP server and Debian's Chromium.
# Under CI=true a missing PostgreSQL, Redis or Chromium fails the run; elsewhere the part
# that needs it is skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
CI=${CI:-}
PG=${HOUSE_TEST_POSTGRES:-postgresql://postgres@127.0.0.1:5432/test}
export HOUSE_TEST_REDIS_URL=${HOUSE_TEST_REDIS_URL:-redis://127.0.0.1:6379/13}

missing() {
  if [ "$CI" = "true" ]; then echo "CI=true and $1" >&2; exit 1; fi
  echo "WARNING: $1: $2" >&2
}

echo "== lint and types"
"$VENV/bin/ruff" check house tests bench
"$VENV/bin/ruff" format --check house tests bench
"$VENV/bin/mypy"
echo "== layers (import-linter contracts in pyproject.toml)"
"$VENV/bin/lint-imports" --no-cache

echo "== services"
scripts/ensure-redis.sh "$HOUSE_TEST_REDIS_URL" || missing "no Redis" "the tests that need it are skipped"
if [ ! -x "${HOUSE_CHROMIUM:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests"
    (apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }) \
      || missing "chromium could not be installed" "browser tests are skipped"
  else
    missing "no Chromium at /usr/bin/chromium" "install Debian's chromium; browser tests are skipped"
  fi
fi
pg_ok=1
"$VENV/bin/python" -c "
import asyncio, asyncpg, sys
async def main():
    conn = await asyncpg.connect(sys.argv[1], timeout=3)
    await conn.close()
asyncio.run(main())" "$PG" 2>/dev/null || pg_ok=0

echo "== tests on SQLite"
HOUSE_TEST_DB=sqlite "$VENV/bin/pytest" "$@"
if [ $pg_ok = 1 ]; then
  echo "== tests on PostgreSQL"
  HOUSE_TEST_DB=postgres "$VENV/bin/pytest" "$@"
else
  missing "PostgreSQL does not answer at $PG" "the PostgreSQL run is skipped"
fi
