#!/usr/bin/env bash
# SOC ingest (issue #6), against syslog-ng in the same run on the same input:
#   1. syslog-ng (../shared/peers/soc/syslog-ng-loopback-tcp5514.conf: TCP in, flat file out) fed by loggen;
#   2. the Spbe.Security host (Release build) fed by the same loggen on its syslog TCP port: events/s into the
#      write-ahead log (received, durable) and into the event store (SQLite + FTS5), no loss, and its peak RSS;
#   3. query latency for one-hour windows over an event store of EVENTS events (tests/Spbe.Security.Benchmarks soc-query).
# Input: ../shared/data/logs/loghub_OpenSSH_2k.log repeated to LINES lines, sent unchanged (loggen -d: no new header).
# Targets: ingest into WAL and store >= 0.5x syslog-ng's rate; steady-state RSS < 400 MB.
# The rates are sustained ones: each receiver first takes a warm-up of 200,000 lines that is not timed (the .NET host
# compiles its hot paths in its first seconds; syslog-ng gets the same warm-up for a like-for-like run).
#
#   bench/soc/run.sh [LINES] [EVENTS] [ROUNDS]   (defaults 500000 10000000 3; EVENTS=0 skips the query part)
#
# syslog-ng-core conflicts with the rsyslog package the tests use, so it is unpacked from Debian's package into the
# work directory (with its libraries installed from Debian) instead of being installed.
set -euo pipefail
lines=${1:-500000}
events=${2:-10000000}
rounds=${3:-3}
. "$(dirname "$0")/input.sh"
rm -rf "$work/data" "$work/peer"
mkdir -p "$work/peer"

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

# Note: the watch loops below cost almost nothing (bash's clock, one curl or stat per 0.2 s): an earlier version started
# python and re-read the output file every 50 ms, which took a good part of a core from the program being measured.
now_us() { echo "${EPOCHREALTIME/./}"; }
per_s() { echo $(( $1 * 1000000 / ($3 - $2) )); }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
warm=$(( lines < 200000 ? lines : 200000 ))
head -n "$warm" "$input" > "$work/warm.log"
send() { loggen -i -S -R "$1" -d -r 1000000 -I 120 127.0.0.1 "$2"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "== machine: $(nproc) cores, $(uname -r); $(date -u +%FT%TZ); input $(wc -l < "$input") lines, $(du -h "$input" | cut -f1)"
echo "   both receivers run side by side; each first takes a warm-up of $warm lines (not timed), then $rounds rounds"
echo "   of the $lines lines, alternating syslog-ng and spbe (this machine's speed varies by 10-20 % from minute to minute)"

sed "s|/tmp/peer/|$work/peer/|g" "$shared/peers/soc/syslog-ng-loopback-tcp5514.conf" > "$work/peer/sng.conf"
"$sng/usr/sbin/syslog-ng" -F --module-path "$modules" -f "$work/peer/sng.conf" -R "$work/peer/sng.persist" -p "$work/peer/sng.pid" -c "$work/peer/sng.ctl" &
sng_pid=$!
dotnet build "$root/src/Spbe.Security.Host" -c Release -v q -nologo >/dev/null
host_dll="$root/artifacts/bin/Spbe.Security.Host/release/Spbe.Security.Host.dll"
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
(cd "$work" && Spbe__DataDirectory="$work/data" Host__HttpPort=0 Host__HttpsPort=0 Soc__SyslogTcpPort=$port Soc__SyslogUdpPort=$port \
  Soc__SyslogTlsPort=0 Soc__RelpPort=0 exec dotnet "$host_dll" > "$work/host.log" 2>&1) &
host_pid=$!
trap 'kill "$sng_pid" "$host_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q "Now listening on: http://" "$work/host.log" && break; sleep 0.5; done
http=$(grep -o "Now listening on: http://[0-9.:]*" "$work/host.log" | head -1 | awk '{print $4}')
metric() { curl -s "$http/metrics" | awk -v m="$1" '$1 ~ "^"m { s += $2 } END { printf "%d", s }'; }
out="$work/peer/sng_received.log"
touch "$out"
echo "syslog-ng $("$sng/usr/sbin/syslog-ng" --version | head -1 | awk '{print $3}'): TCP -> flat file;  spbe: TCP -> WAL (fsync per batch) -> SQLite/FTS5 store"

# syslog-ng: it has everything once its file stops growing; the file's last write time ends the run.
peer_run() {
  local before; before=$(wc -l < "$out")
  local t0; t0=$(now_us)
  send "$1" 5514 > "$work/peer/loggen.out" 2>&1 || { cat "$work/peer/loggen.out"; exit 1; }
  local size=-1
  while [ "$(stat -c %s "$out")" != "$size" ]; do size=$(stat -c %s "$out"); sleep 0.3; done
  local t1; t1=$(stat -c %.6Y "$out"); t1=${t1/./}
  peer_received=$(( $(wc -l < "$out") - before ))
  peer_rate=$(per_s "$peer_received" "$t0" "$t1")
}

# spbe: received (in the WAL, acknowledged) and stored (searchable), from its /metrics.
peak_rss=0
spbe_run() {
  local lines_in; lines_in=$(wc -l < "$1")
  local r0; r0=$(metric spbe_soc_received_total)
  local s0; s0=$(metric spbe_soc_stored_total)
  local t0; t0=$(now_us)
  local wal_done=""
  send "$1" "$port" > "$work/loggen.out" 2>&1 &
  local loggen_pid=$!
  while true; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$host_pid/status")
    [ "$rss" -gt "$peak_rss" ] && peak_rss=$rss
    received=$(( $(metric spbe_soc_received_total) - r0 ))
    stored=$(( $(metric spbe_soc_stored_total) - s0 ))
    if [ -z "$wal_done" ] && [ "$received" -ge "$lines_in" ]; then wal_done=$(now_us); fi
    [ "$stored" -ge "$lines_in" ] && break
    if [ $(( $(now_us) - t0 )) -gt 300000000 ]; then echo "timed out: $received received, $stored stored"; break; fi
    sleep 0.2
  done
  local t1; t1=$(now_us)
  wait "$loggen_pid" || true
  wal_rate=$(per_s "$received" "$t0" "${wal_done:-$t1}")
  store_rate=$(per_s "$stored" "$t0" "$t1")
}

peer_run "$work/warm.log"; spbe_run "$work/warm.log"
warm_rss=$peak_rss
peer_rates=(); wal_rates=(); store_rates=(); store_ratios=()
for round in $(seq 1 "$rounds"); do
  peer_run "$input"
  spbe_run "$input"
  echo "round $round: syslog-ng $peer_received lines, $peer_rate lines/s | spbe $received received, $stored stored: WAL $wal_rate lines/s, store $store_rate lines/s = $(ratio "$store_rate" "$peer_rate")x"
  peer_rates+=("$peer_rate"); wal_rates+=("$wal_rate"); store_rates+=("$store_rate"); store_ratios+=("$(ratio "$store_rate" "$peer_rate")")
done
dropped=$(metric spbe_soc_dropped_total)
echo "median of $rounds rounds: syslog-ng $(median "${peer_rates[@]}") lines/s; spbe into the WAL (durable, acknowledged) $(median "${wal_rates[@]}") lines/s,"
echo "  into the store (searchable) $(median "${store_rates[@]}") lines/s; store/syslog-ng per round $(median "${store_ratios[@]}")x (median), $(printf '%s ' "${store_ratios[@]}")"
echo "spbe dropped: $dropped; peak RSS: $((warm_rss / 1024)) MB after the warm-up, $((peak_rss / 1024)) MB over all rounds"
count=$(dotnet "$root/artifacts/bin/Spbe.Security.Cli/release/spbe.dll" soc count --json --data "$work/data" 2>/dev/null || echo '{}')
echo "spbe soc count: $count"
kill "$host_pid" "$sng_pid"; wait "$host_pid" "$sng_pid" 2>/dev/null || true

if [ "$events" -gt 0 ]; then
  echo "== query latency, one-hour windows over $events stored events"
  dotnet build "$root/tests/Spbe.Security.Benchmarks" -c Release -v q -nologo >/dev/null
  dotnet "$root/artifacts/bin/Spbe.Security.Benchmarks/release/Spbe.Security.Benchmarks.dll" soc-query "$work/store-$events" "$events" "$log"
fi
