#!/usr/bin/env bash
# SOC ingest (issue #6), against syslog-ng in the same run on the same input:
#   1. syslog-ng (../shared/peers/soc/syslog-ng-loopback-tcp5514.conf: TCP in, flat file out) fed by loggen;
#   2. the Spbe.Security host (Release build) fed by the same loggen on its syslog TCP port: events/s into the
#      write-ahead log (received, durable) and into the event store (SQLite + FTS5), no loss, and its peak RSS;
#   3. query latency for one-hour windows over an event store of EVENTS events (tests/Spbe.Security.Benchmarks soc-query).
# Input: ../shared/data/logs/loghub_OpenSSH_2k.log repeated to LINES lines, sent unchanged (loggen -d: no new header).
# Targets: ingest into WAL and store >= 0.5x syslog-ng's rate; steady-state RSS < 400 MB.
#
#   bench/soc/run.sh [LINES] [EVENTS]   (defaults 500000 10000000; EVENTS=0 skips the query part)
#
# syslog-ng-core conflicts with the rsyslog package the tests use, so it is unpacked from Debian's package into the
# work directory (with its libraries installed from Debian) instead of being installed.
set -euo pipefail
lines=${1:-500000}
events=${2:-10000000}
root=$(cd "$(dirname "$0")/../.." && pwd)
shared="$root/../shared"
work=${SPBE_BENCH_DIR:-/tmp/spbe-bench-soc}
log="$shared/data/logs/loghub_OpenSSH_2k.log"
[ -f "$log" ] || { echo "bench: $log is missing (the shared data beside the repository)"; exit 1; }
mkdir -p "$work"
rm -rf "$work/data" "$work/peer"
mkdir -p "$work/peer"

input="$work/ssh_$lines.log"
if [ ! -f "$input" ]; then
  : > "$input.tmp"
  while [ "$(wc -l < "$input.tmp")" -lt "$lines" ]; do cat "$log" >> "$input.tmp"; done
  head -n "$lines" "$input.tmp" > "$input"; rm -f "$input.tmp"
fi

# syslog-ng and loggen from Debian's syslog-ng-core, unpacked
sng="$work/syslog-ng"
if [ ! -x "$sng/usr/sbin/syslog-ng" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends libivykis0 libjson-c5 libnet1 libpcre3 libwrap0 libglib2.0-0 >/dev/null
  (cd "$work" && apt-get download -qq syslog-ng-core >/dev/null && dpkg-deb -x syslog-ng-core_*.deb "$sng")
fi
export LD_LIBRARY_PATH="$sng/usr/lib/x86_64-linux-gnu:$sng/usr/lib/syslog-ng:${LD_LIBRARY_PATH:-}"
modules="$sng/usr/lib/syslog-ng/$(ls "$sng/usr/lib/syslog-ng" | grep -E '^[0-9]' | head -1)"
loggen() { SYSLOGNG_PREFIX="$sng/usr" "$sng/usr/bin/loggen" "$@"; }

now() { date +%s.%N; }
rate() { python3 -c "print(f'{$1/($3-$2):,.0f}')"; }

echo "== machine: $(nproc) cores, $(uname -r); $(date -u +%FT%TZ); input $(wc -l < "$input") lines, $(du -h "$input" | cut -f1)"

echo "== syslog-ng $("$sng/usr/sbin/syslog-ng" --version | head -1 | awk '{print $3}') (TCP -> flat file)"
sed "s|/tmp/peer/|$work/peer/|g" "$shared/peers/soc/syslog-ng-loopback-tcp5514.conf" > "$work/peer/sng.conf"
"$sng/usr/sbin/syslog-ng" -F --module-path "$modules" -f "$work/peer/sng.conf" -R "$work/peer/sng.persist" -p "$work/peer/sng.pid" -c "$work/peer/sng.ctl" &
sng_pid=$!
sleep 2
t0=$(now)
loggen -i -S -R "$input" -d -r 1000000 -I 120 127.0.0.1 5514 > "$work/peer/loggen.out" 2>&1 || { cat "$work/peer/loggen.out"; exit 1; }
touch "$work/peer/sng_received.log"
while [ "$(wc -l < "$work/peer/sng_received.log")" -lt "$lines" ]; do
  sleep 0.05
  if python3 -c "import sys; sys.exit(0 if $(now) - $t0 > 120 else 1)"; then break; fi
done
t1=$(now)
peer_received=$(wc -l < "$work/peer/sng_received.log")
peer_rate=$(rate "$peer_received" "$t0" "$t1")
kill "$sng_pid"; wait "$sng_pid" 2>/dev/null || true
echo "syslog-ng: $peer_received of $lines lines in $(python3 -c "print(f'{$t1-$t0:.2f}')") s = $peer_rate lines/s"

echo "== Spbe.Security host (TCP -> WAL with fsync per batch -> SQLite/FTS5 store)"
dotnet build "$root/src/Spbe.Security.Host" -c Release -v q -nologo >/dev/null
host_dll="$root/artifacts/bin/Spbe.Security.Host/release/Spbe.Security.Host.dll"
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
(cd "$work" && Spbe__DataDirectory="$work/data" Host__HttpPort=0 Host__HttpsPort=0 Soc__SyslogTcpPort=$port Soc__SyslogUdpPort=$port \
  Soc__SyslogTlsPort=0 Soc__RelpPort=0 exec dotnet "$host_dll" > "$work/host.log" 2>&1) &
host_pid=$!
for _ in $(seq 1 120); do grep -q "Now listening on: http://" "$work/host.log" && break; sleep 0.5; done
http=$(grep -o "Now listening on: http://[0-9.:]*" "$work/host.log" | head -1 | awk '{print $4}')
metric() { curl -s "$http/metrics" | awk -v m="$1" '$1 ~ "^"m { s += $2 } END { printf "%d", s }'; }
peak_rss=0; wal_done=""
t0=$(now)
loggen -i -S -R "$input" -d -r 1000000 -I 120 127.0.0.1 "$port" > "$work/loggen.out" 2>&1 &
loggen_pid=$!
while true; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$host_pid/status")
  [ "$rss" -gt "$peak_rss" ] && peak_rss=$rss
  received=$(metric spbe_soc_received_total)
  stored=$(metric spbe_soc_stored_total)
  if [ -z "$wal_done" ] && [ "$received" -ge "$lines" ]; then wal_done=$(now); fi
  [ "$stored" -ge "$lines" ] && break
  if python3 -c "import sys; sys.exit(0 if $(now) - $t0 > 300 else 1)"; then echo "timed out: $received received, $stored stored"; break; fi
  sleep 0.1
done
t1=$(now)
wait "$loggen_pid" || true
dropped=$(metric spbe_soc_dropped_total)
wal_rate=$(rate "$received" "$t0" "${wal_done:-$t1}")
store_rate=$(rate "$stored" "$t0" "$t1")
echo "spbe: $received received, $stored stored, $dropped dropped of $lines lines"
ratio() { python3 -c 'import sys; a, b = (float(x.replace(",", "")) for x in sys.argv[1:]); print(f"{a / b:.2f}")' "$1" "$2"; }
echo "spbe into the WAL (durable, acknowledged point): $wal_rate lines/s = $(ratio "$wal_rate" "$peer_rate")x syslog-ng"
echo "spbe into the store (searchable):                $store_rate lines/s = $(ratio "$store_rate" "$peer_rate")x syslog-ng"
echo "spbe peak RSS during ingest: $((peak_rss / 1024)) MB"
count=$(dotnet "$root/artifacts/bin/Spbe.Security.Cli/release/spbe.dll" soc count --json --data "$work/data" 2>/dev/null || echo '{}')
echo "spbe soc count: $count"
kill "$host_pid"; wait "$host_pid" 2>/dev/null || true

if [ "$events" -gt 0 ]; then
  echo "== query latency, one-hour windows over $events stored events"
  dotnet build "$root/tests/Spbe.Security.Benchmarks" -c Release -v q -nologo >/dev/null
  dotnet "$root/artifacts/bin/Spbe.Security.Benchmarks/release/Spbe.Security.Benchmarks.dll" soc-query "$work/store-$events" "$events" "$log"
fi
