#!/usr/bin/env bash
# PKI throughput, each figure next to `openssl speed` for the same algorithm measured in the same run (2 processes,
# this machine's 2 cores):
#   1. issuance per second with the ledger written (tests/Spbe.Security.Benchmarks pki-issue: a real CA on SQLite,
#      one hash-chained ledger entry per certificate), issuing CA key ECDSA P-256 and RSA-3072;
#   2. OCSP GET answers per second from the pre-signed cache (wrk, the lighter load generator, against the host's
#      /pki/ocsp/{base64}; hey spends as much CPU as the server on these 2 cores);
#   3. RFC 3161 timestamps per second (hey POSTing an openssl ts query to /pki/tsa; every answer is signed);
#   4. peak resident memory (VmHWM) of the host over 2 and 3.
#
#   bench/pki/run.sh [ISSUANCES] [OCSP_SECONDS] [TSA_REQUESTS] [CONCURRENCY]   (defaults 5000 15 20000 32)
#
# Issue #4 targets: issuance >= 500/s on 2 cores, OCSP GET from cache >= 20,000/s.
set -euo pipefail
issuances=${1:-5000}
ocsp_seconds=${2:-15}
tsa_total=${3:-20000}
conc=${4:-32}
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v hey >/dev/null || { echo "bench: hey is missing (apt-get install -y hey)"; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install -y wrk)"; exit 1; }

dotnet build "$root/src/Spbe.Security.Host" -c Release -v q -nologo >/dev/null
dotnet build "$root/src/Spbe.Security.Cli" -c Release -v q -nologo >/dev/null
dotnet build "$root/tests/Spbe.Security.Benchmarks" -c Release -v q -nologo >/dev/null
host_dll="$root/artifacts/bin/Spbe.Security.Host/release/Spbe.Security.Host.dll"
cli_dll="$root/artifacts/bin/Spbe.Security.Cli/release/spbe.dll"
bench_dll="$root/artifacts/bin/Spbe.Security.Benchmarks/release/Spbe.Security.Benchmarks.dll"

work=$(mktemp -d /tmp/spbe-bench-pki.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
spbe() { (cd "$work" && dotnet "$cli_dll" "$@"); }

echo "== machine: $(nproc) cores, $(uname -r); $(date -u +%FT%TZ)"
echo "== openssl speed, 2 processes, 3 s each (the ceiling for one private-key operation per answer)"
openssl speed -multi 2 -seconds 3 ecdsap256 rsa3072 2>/dev/null | awk '/^rsa 3072 bits/ {printf "openssl rsa3072   sign %9.1f/s\n", $6} /nistp256\)/ {printf "openssl ecdsap256 sign %9.1f/s\n", $7}'

echo "== issuance (pejabat-signing, ledger written), $issuances certificates, 16 callers"
dotnet "$bench_dll" pki-issue ecdsa-p256 "$issuances" 16
dotnet "$bench_dll" pki-issue rsa-3072 "$issuances" 16

echo "== host: OCSP (GET, pre-signed) and TSA"
spbe pki init >/dev/null
echo "kata-sandi-bench-yang-panjang" | spbe identity user add --nip 198503302010011002 --name "Budi Santoso" --opd DISKOMINFO --jabatan "Kepala Dinas" --password-stdin >/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/leaf.key" 2>/dev/null
openssl req -new -key "$work/leaf.key" -subj "/CN=Budi Santoso" -out "$work/leaf.csr"
spbe pki issue --profile pejabat-signing --csr "$work/leaf.csr" --nip 198503302010011002 --out "$work/leaf.pem" 2>/dev/null
http_port=$(free_port); https_port=$(free_port)
(cd "$work" && exec env Host__HttpPort="$http_port" Host__HttpsPort="$https_port" dotnet "$host_dll" >"$work/host.log" 2>&1) &
host_pid=$!; pids+=("$host_pid")
for _ in $(seq 1 600); do curl -fsS -o /dev/null "http://127.0.0.1:$http_port/readyz" 2>/dev/null && break; sleep 0.05; done

openssl ocsp -issuer "$work/data/pki/issuing.crt" -cert "$work/leaf.pem" -no_nonce -reqout "$work/ocsp.req" >/dev/null
ocsp_url="http://127.0.0.1:$http_port/pki/ocsp/$(python3 -c 'import base64,sys,urllib.parse;print(urllib.parse.quote(base64.b64encode(open(sys.argv[1],"rb").read()).decode(),safe=""))' "$work/ocsp.req")"
curl -fsS -o "$work/ocsp.resp" "$ocsp_url"
openssl ocsp -issuer "$work/data/pki/issuing.crt" -cert "$work/leaf.pem" -no_nonce -respin "$work/ocsp.resp" -CAfile "$work/data/pki/root.crt" 2>&1 | grep -E "verify|leaf.pem"
openssl ts -query -data "$work/leaf.csr" -sha256 -cert -out "$work/q.tsq" 2>/dev/null
tsa_url="http://127.0.0.1:$http_port/pki/tsa"

report() { # label file total unit
  local rps p50 p95 p99 ok
  rps=$(awk '/Requests\/sec/ {print $2}' "$2")
  p50=$(awk '/50% in/ {print $3*1000}' "$2"); p95=$(awk '/95% in/ {print $3*1000}' "$2"); p99=$(awk '/99% in/ {print $3*1000}' "$2")
  ok=$(awk '/\[200\]/ {print $2}' "$2")
  printf '%-30s %10.1f %s  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  (%s of %s answered 200)\n' "$1" "$rps" "$4" "$p50" "$p95" "$p99" "${ok:-0}" "$3"
}
# warm-up (JIT, tiering), not measured; then a pause so background compilation finishes
wrk -t2 -c"$conc" -d5s "$ocsp_url" >/dev/null
hey -n 2000 -c 16 -m POST -T application/timestamp-query -D "$work/q.tsq" "$tsa_url" >/dev/null
sleep 5
wrk -t2 -c"$conc" -d"${ocsp_seconds}s" --latency "$ocsp_url" >"$work/ocsp.wrk"
awk -v c="$conc" '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2} /requests in/ {n=$1} /Non-2xx/ {bad=$NF}
  END {printf "%-30s %10.1f answers/s  p50 %s  p90 %s  p99 %s  (%s requests, non-2xx: %s)\n", "OCSP GET (cached), wrk c=" c, rps, p50, p90, p99, n, (bad==""?0:bad)}' "$work/ocsp.wrk"
hey -n "$tsa_total" -c 16 -m POST -T application/timestamp-query -D "$work/q.tsq" "$tsa_url" >"$work/tsa.hey"
report "TSA (ECDSA P-256), c=16" "$work/tsa.hey" "$tsa_total" "tokens/s "
curl -fsS -o "$work/r.tsr" -H 'Content-Type: application/timestamp-query' --data-binary @"$work/q.tsq" "$tsa_url"
openssl ts -verify -data "$work/leaf.csr" -in "$work/r.tsr" -CAfile "$work/data/pki/root.crt" -untrusted "$work/data/pki/issuing.crt" 2>/dev/null | grep Verification
rss=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$host_pid/status")
echo "== host peak RSS (VmHWM) over the OCSP and TSA runs: ${rss} MB"
echo "== OCSP answers served pre-signed: $(curl -fsS "http://127.0.0.1:$http_port/metrics" | awk '/^spbe_pki_ocsp_cached_answers_total/ {print $2}')"
