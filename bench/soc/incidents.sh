#!/usr/bin/env bash
# Incidents (issue #8), two figures:
#   1. grouping throughput: ALERTS alerts from SUBJECTS source addresses, in batches of 256 as the intake hands them over,
#      into the incident service on a fresh SQLite store (tests/Spbe.Security.Benchmarks incident-group); with
#      ConnectionStrings__Postgres set, on PostgreSQL instead;
#   2. console page render time with INCIDENTS incidents stored: a Release host on a data directory whose incident store
#      holds a year of INCIDENTS incidents (incident-fill), a csirt-analyst and an opd-admin signed in through the
#      login form with curl, then each page fetched over HTTPS 50 times after 5 warm-ups, one at a time: p50, p95, max.
#
#   bench/soc/incidents.sh [ALERTS] [SUBJECTS] [INCIDENTS]   (defaults 1000000 20000 100000)
set -euo pipefail
alerts=${1:-1000000}
subjects=${2:-20000}
incidents=${3:-100000}
root=$(cd "$(dirname "$0")/../.." && pwd)
for p in src/Spbe.Security.Host src/Spbe.Security.Cli tests/Spbe.Security.Benchmarks; do
  dotnet build "$root/$p" -c Release -v q -nologo >/dev/null
done
host="$root/artifacts/bin/Spbe.Security.Host/release/Spbe.Security.Host.dll"
cli="$root/artifacts/bin/Spbe.Security.Cli/release/spbe.dll"
bench="$root/artifacts/bin/Spbe.Security.Benchmarks/release/Spbe.Security.Benchmarks.dll"
work=$(mktemp -d /tmp/spbe-bench-incidents.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
echo "Spbe.Security incidents (Release), $(nproc) cores, $(uname -r)"

echo "== 1. grouping $alerts alerts"
/usr/bin/time -f "   (driver process: %M KB peak RSS, %e s)" dotnet "$bench" incident-group "$work/group" "$alerts" "$subjects" 256

echo "== 2. console pages with $incidents incidents"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
port=$(free_port); tport=$(free_port)
start_host() {
  (cd "$work" && exec env Host__HttpPort="$port" Host__HttpsPort="$tport" Soc__SyslogUdpPort=0 Soc__SyslogTcpPort=0 Soc__SyslogTlsPort=0 Soc__RelpPort=0 \
    dotnet "$host" >>"$work/host.log" 2>&1) &
  pid=$!
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$work/host.log"; exit 1; }
    sleep 0.1
  done
  echo "host not ready"; cat "$work/host.log"; exit 1
}
stop_host() { kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }

start_host; stop_host   # first start: keys, certificate, stores
password='kata-sandi-bench-yang-panjang-1'
(cd "$work" && printf '%s\n' "$password" | dotnet "$cli" identity user add --nip 198001012005011002 --name "Analis CSIRT" --opd DISKOMINFO --role csirt-analyst --password-stdin >/dev/null)
(cd "$work" && printf '%s\n' "$password" | dotnet "$cli" identity user add --nip 199306062018061007 --name "Admin Bappeda" --opd BAPPEDA --role opd-admin --password-stdin >/dev/null)
dotnet "$bench" incident-fill "$work/data" "$incidents"
ls -la "$work/data/incidents.db" | awk '{printf "   incidents.db: %.0f MB\n", $5/1048576}'
start_host
base="https://127.0.0.1:$tport"

login() { # $1 = NIP, $2 = cookie jar
  local page token
  page=$(curl -ksS -c "$2" -b "$2" "$base/masuk?ReturnUrl=%2F")
  token=$(printf '%s' "$page" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
  curl -ksS -o /dev/null -c "$2" -b "$2" -w '%{http_code}' "$base/masuk?ReturnUrl=%2F" \
    --data-urlencode "Input.Nip=$1" --data-urlencode "Input.Password=$password" --data-urlencode "__RequestVerificationToken=$token" | grep -q 302 \
    || { echo "login of $1 failed"; exit 1; }
}

measure() { # $1 = label, $2 = cookie jar, $3 = path
  local status times
  status=$(curl -ksS -o /dev/null -w '%{http_code}' -b "$2" "$base$3")
  [ "$status" = 200 ] || { echo "$3 answered $status"; exit 1; }
  for _ in 1 2 3 4 5; do curl -ksS -o /dev/null -b "$2" "$base$3"; done
  times=$(for _ in $(seq 1 50); do curl -ksS -o /dev/null -b "$2" -w '%{time_total}\n' "$base$3"; done | sort -n)
  printf '%-46s p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms\n' "$1" \
    "$(printf '%s\n' "$times" | sed -n 25p | awk '{print $1*1000}')" \
    "$(printf '%s\n' "$times" | sed -n 48p | awk '{print $1*1000}')" \
    "$(printf '%s\n' "$times" | tail -1 | awk '{print $1*1000}')"
}

login 198001012005011002 "$work/analyst.jar"
login 199306062018061007 "$work/opd.jar"
newest=$(curl -ksS -b "$work/analyst.jar" "$base/soc/insiden" | grep -o '/soc/insiden/[0-9]*' | head -1)
measure "queue, open incidents (analyst, city-wide)" "$work/analyst.jar" "/soc/insiden?status=terbuka"
measure "queue, all, page 1" "$work/analyst.jar" "/soc/insiden"
measure "queue, all, page 1000" "$work/analyst.jar" "/soc/insiden?halaman=1000"
measure "queue, search '203.0.7.'" "$work/analyst.jar" "/soc/insiden?q=203.0.7."
measure "queue, one OPD (opd-admin)" "$work/opd.jar" "/soc/insiden"
measure "incident detail" "$work/analyst.jar" "$newest"
measure "dashboard (12 months of SLA figures)" "$work/analyst.jar" "/soc"
rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
echo "host RSS after the pages: $rss MB"
