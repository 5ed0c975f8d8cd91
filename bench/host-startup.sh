#!/usr/bin/env bash
# Cold start of the host on embedded defaults: time from process start to the first /readyz 200, and the resident
# memory (RSS) once ready. Measures a first start (empty data directory: keys, certificate, SQLite migrations, OPD
# seed) and restarts on the same data, each RUNS times, against a Release build.
#
#   bench/host-startup.sh [RUNS]        (default 5)
#
# Issue #2 targets: < 3 s to /readyz 200, < 200 MB RSS after start.
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
dotnet build "$root/src/Spbe.Security.Host" -c Release -v q -nologo >/dev/null
dll="$root/artifacts/bin/Spbe.Security.Host/release/Spbe.Security.Host.dll"
work=$(mktemp -d /tmp/spbe-bench-startup.XXXXXX)
trap 'rm -rf "$work"' EXIT
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
tport=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')

measure() { # $1 = label; prints "label ms rss_mb"
  local start end pid rss
  start=$(date +%s%N)
  (cd "$work" && exec env Host__HttpPort="$port" Host__HttpsPort="$tport" dotnet "$dll" >"$work/host.log" 2>&1) &
  pid=$!
  local ready=""
  for _ in $(seq 1 3000); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; then ready=1; break; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "host exited:"; cat "$work/host.log"; exit 1; fi
    sleep 0.01
  done
  if [ -z "$ready" ]; then kill -9 "$pid"; echo "host not ready in 30 s:"; cat "$work/host.log"; exit 1; fi
  end=$(date +%s%N)
  # The subshell execs dotnet, so $pid is the host process itself.
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  printf '%-14s %6d ms  %4d MB RSS\n' "$1" $(( (end - start) / 1000000 )) "$rss"
}

echo "Spbe.Security host (Release), $(nproc) cores, $(uname -r)"
for i in $(seq 1 "$runs"); do
  rm -rf "$work/data"
  measure "first start"
  measure "restart"
done
