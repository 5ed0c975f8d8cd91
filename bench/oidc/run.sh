#!/usr/bin/env bash
# OIDC provider throughput, against the peer in ../shared/peers/oidc (panva oidc-provider 9, a certified OP) in the
# same run, on loopback:
#   1. client_credentials JWT access tokens per second at concurrency 16 (hey, same arguments for both servers; the
#      peer issues JWTs with PEER_JWT=1), with p50/p95/p99 latency;
#   2. the refresh-token grant (rotation) and a full sign-in (code + PKCE through the real login form), ours only;
#   3. peak resident memory (VmHWM) of our host across the whole run.
# Both servers are checked first with openid-client (a certified RP library) through the peer's client.mjs.
#
#   bench/oidc/run.sh [TOKENS] [CONCURRENCY]      (defaults 20000 and 16)
#
# Issue #3 targets: ours >= 2x the peer in tokens/s, our p95 < 25 ms, RSS < 300 MB under load.
set -euo pipefail
total=${1:-20000}
conc=${2:-16}
root=$(cd "$(dirname "$0")/../.." && pwd)
peer_dir="$root/../shared/peers/oidc"
[ -d "$peer_dir" ] || { echo "bench: $peer_dir is missing (the peer comes from ../shared)"; exit 1; }
command -v hey >/dev/null || { echo "bench: hey is missing (apt-get install -y hey)"; exit 1; }

dotnet build "$root/src/Spbe.Security.Host" -c Release -v q -nologo >/dev/null
dotnet build "$root/src/Spbe.Security.Cli" -c Release -v q -nologo >/dev/null
host_dll="$root/artifacts/bin/Spbe.Security.Host/release/Spbe.Security.Host.dll"
cli_dll="$root/artifacts/bin/Spbe.Security.Cli/release/spbe.dll"


work=$(mktemp -d /tmp/spbe-bench-oidc.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
http_port=$(free_port); https_port=$(free_port); peer_port=$(free_port)

svc_secret="bench-layanan-rahasia-yang-panjang-0123456789"
web_secret="bench-portal-rahasia-yang-panjang-0123456789"
nip=198503302010011001
password="kata-sandi-bench-yang-panjang"
spbe() { (cd "$work" && dotnet "$cli_dll" "$@"); }
echo "$svc_secret" | spbe identity client add --client-id bench-layanan --grant client_credentials --secret-stdin >/dev/null
echo "$web_secret" | spbe identity client add --client-id bench-portal --grant authorization_code --grant refresh_token \
  --redirect-uri https://rp.bench.invalid/cb --scope profile --scope offline_access --secret-stdin >/dev/null
echo "$password" | spbe identity user add --nip "$nip" --name "Pengguna Bench" --opd DISKOMINFO --password-stdin >/dev/null

# Note: the per-address sign-in limit would throttle a load test from one address; it is raised for this run only.
(cd "$work" && exec env Host__HttpPort="$http_port" Host__HttpsPort="$https_port" Sso__SignInAttemptsPerMinute=100000 \
  dotnet "$host_dll" >"$work/host.log" 2>&1) &
host_pid=$!; pids+=("$host_pid")
for _ in $(seq 1 600); do curl -fsS -o /dev/null "http://127.0.0.1:$http_port/readyz" 2>/dev/null && break; sleep 0.05; done
base="https://127.0.0.1:$https_port"
openssl s_client -connect "127.0.0.1:$https_port" </dev/null 2>/dev/null | openssl x509 >"$work/host.pem"

peer_work=/tmp/oidcpeer
if [ ! -d "$peer_work/node_modules/oidc-provider" ]; then
  mkdir -p "$peer_work" && (cd "$peer_work" && npm init -y >/dev/null && npm install oidc-provider@9 openid-client@6 >/dev/null 2>&1)
fi
cp "$peer_dir/provider.mjs" "$peer_dir/client.mjs" "$root/bench/oidc/flows.mjs" "$peer_work/"
(cd "$peer_work" && exec env PEER_PORT="$peer_port" PEER_JWT=1 PEER_LIFETIME_S=900 node provider.mjs >"$work/peer.log" 2>&1) &
peer_pid=$!; pids+=("$peer_pid")
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$peer_port/.well-known/openid-configuration" 2>/dev/null && break; sleep 0.1; done

echo "== machine: $(nproc) cores, $(uname -r); hey -n $total -c $conc; $(date -u +%FT%TZ)"
echo "== openid-client check: peer"
(cd "$peer_work" && node client.mjs "http://127.0.0.1:$peer_port" svc-client svc-secret-please-change-0123456789 200 4 api.read | sed 's/access_token=.*/access_token=(hidden)/')
echo "== openid-client check: ours"
(cd "$peer_work" && NODE_EXTRA_CA_CERTS="$work/host.pem" node client.mjs "$base" bench-layanan "$svc_secret" 200 4 "" | sed 's/access_token=.*/access_token=(hidden)/')

hey_run() { # label url auth body
  hey -n "$total" -c "$conc" -m POST -H "Authorization: Basic $3" -T application/x-www-form-urlencoded -d "$4" "$2" >"$work/$1.hey"
  local rps p50 p95 p99 ok
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.hey")
  p50=$(awk '/50%% in/ || /50% in/ {print $3*1000}' "$work/$1.hey")
  p95=$(awk '/95% in/ {print $3*1000}' "$work/$1.hey")
  p99=$(awk '/99% in/ {print $3*1000}' "$work/$1.hey")
  ok=$(awk '/\[200\]/ {print $2}' "$work/$1.hey")
  printf '%-34s %9.1f tokens/s  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  (%s of %s answered 200)\n' "$1" "$rps" "$p50" "$p95" "$p99" "${ok:-0}" "$total"
  echo "$rps" >"$work/$1.rps"
}
echo "== client_credentials, JWT access tokens"
# warm-up (JIT, connection pools, caches) for both, not measured
hey -n 2000 -c "$conc" -m POST -H "Authorization: Basic $(printf 'svc-client:svc-secret-please-change-0123456789' | base64 -w0)" \
  -T application/x-www-form-urlencoded -d "grant_type=client_credentials&scope=api.read" "http://127.0.0.1:$peer_port/token" >/dev/null
hey -n 2000 -c "$conc" -m POST -H "Authorization: Basic $(printf 'bench-layanan:%s' "$svc_secret" | base64 -w0)" \
  -T application/x-www-form-urlencoded -d "grant_type=client_credentials" "$base/connect/token" >/dev/null
# Note: both servers get their warm-up, then a pause, so that background JIT tiering (.NET) and V8 optimisation
# finish before anything is measured; measuring right after start-up measures the compilers.
sleep 5
hey_run "peer oidc-provider 9 (node)" "http://127.0.0.1:$peer_port/token" "$(printf 'svc-client:svc-secret-please-change-0123456789' | base64 -w0)" "grant_type=client_credentials&scope=api.read"
hey_run "ours (Spbe.Security, https)" "$base/connect/token" "$(printf 'bench-layanan:%s' "$svc_secret" | base64 -w0)" "grant_type=client_credentials"
ratio=$(awk -v a="$(cat "$work/ours (Spbe.Security, https).rps")" -v b="$(cat "$work/peer oidc-provider 9 (node).rps")" 'BEGIN {printf "%.2f", a/b}')
echo "ratio ours/peer: ${ratio}x"

echo "== interactive flows (ours): full sign-in (code + PKCE via /masuk) and refresh rotation"
(cd "$peer_work" && NODE_EXTRA_CA_CERTS="$work/host.pem" node flows.mjs "$base" bench-portal "$web_secret" https://rp.bench.invalid/cb \
  "$nip" "$password" 400 8 5000 16)
rss=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$host_pid/status")
echo "== our host peak RSS (VmHWM) over the run: ${rss} MB"
