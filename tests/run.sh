#!/usr/bin/env bash
# Runs the whole test suite, as README.md says: restore, build (warnings are errors), every test project on SQLite,
# then the relational tests again on PostgreSQL. Ends with one line: "tests: N passed, N failed".
#
# PostgreSQL: uses $SPBE_TEST_POSTGRES when set (an admin connection string); otherwise starts a private server
# from Debian's postgresql package on 127.0.0.1 for the duration of the run. Without one (and outside CI) the
# PostgreSQL leg is left out and the tests that need it say so; under CI=true it is required.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
configuration=${CONFIGURATION:-Release}
results=$(mktemp -d /tmp/spbe-test-results.XXXXXX)
pg_dir=""
pg_bin=""
pg_run=()

stop_postgres() {
  if [ -n "$pg_dir" ]; then
    "${pg_run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
  rm -rf "$results"
}
trap stop_postgres EXIT

start_postgres() {
  local bin port
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] && [ -x "$bin/initdb" ] || return 1
  pg_dir=$(mktemp -d /tmp/spbe-pg.XXXXXX)
  pg_bin=$bin
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  echo test-secret >"$pg_dir/pw"
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres:postgres "$pg_dir"
    pg_run=(runuser -u postgres --)
  fi
  "${pg_run[@]}" "$bin/initdb" -D "$pg_dir/data" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=trust \
    --auth-host=scram-sha-256 --pwfile="$pg_dir/pw" >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log"; return 1; }
  "${pg_run[@]}" "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c fsync=off -c max_connections=200" start >/dev/null || { cat "$pg_dir/server.log"; return 1; }
  export SPBE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=test-secret;Database=postgres"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') started on 127.0.0.1:$port"
}

echo "== restore and build ($configuration)"
if ! dotnet restore Spbe.Security.sln -v q --nologo || ! dotnet build Spbe.Security.sln -c "$configuration" --no-restore -v q --nologo; then
  echo "the build failed: no test ran"
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

if [ -z "${SPBE_TEST_POSTGRES:-}" ] && ! start_postgres; then
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is required under CI=true (install Debian's postgresql)" >&2
    exit 1
  fi
  echo "PostgreSQL not available: the PostgreSQL leg is left out (install Debian's postgresql to run it)"
fi

status=0
# Note: -m:1 runs the test projects one after another: on two cores, the PKI tests (openssl, key generation) running
# beside the headless-Chromium passkey tests made the virtual authenticator miss its turn now and then.
echo "== leg 1: all tests, SQLite"
dotnet test Spbe.Security.sln -c "$configuration" --no-build --nologo -m:1 \
  --logger "trx;LogFilePrefix=sqlite" --results-directory "$results" || status=1

if [ -n "${SPBE_TEST_POSTGRES:-}" ]; then
  echo "== leg 2: relational tests (Category=Database), PostgreSQL"
  SPBE_TEST_DB=postgres dotnet test Spbe.Security.sln -c "$configuration" --no-build --nologo -m:1 \
    --filter "Category=Database" --logger "trx;LogFilePrefix=postgres" --results-directory "$results" || status=1
fi

# Sum the runners' own counts from the TRX files.
read -r passed failed skipped < <(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*' | awk '
  { for (i = 1; i <= NF; i++) { split($i, kv, "=");
      gsub(/"/, "", kv[2]); if (kv[1] == "passed") p += kv[2]; else if (kv[1] == "failed" || kv[1] == "error" || kv[1] == "timeout" || kv[1] == "aborted") f += kv[2]; else if (kv[1] == "notExecuted") s += kv[2] } }
  END { printf "%d %d %d\n", p, f, s }')
if [ "${passed:-0}" -eq 0 ]; then
  echo "no test results found" >&2
  status=1
fi
[ "${failed:-0}" -eq 0 ] || status=1
if [ "${skipped:-0}" -gt 0 ]; then
  echo "($skipped test(s) skipped: see the runner's output for why)"
  [ "${CI:-}" = "true" ] && status=1
fi
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
exit $status
