#!/usr/bin/env bash
# TTE throughput (issue #5): documents signed per second (PAdES B-B and B-LT, ECDSA P-256 and RSA-3072, the 1 MB and
# 10 MB naskah dinas from ../shared/data/pdf/bench) and documents verified per second, each next to the limit measured
# in the same run: one SHA-256 pass over the document plus one private-key operation (same callers).
# Target: signing at B-B reaches at least 50 % of that limit.
# Each rate is taken after a warm-up of the same operation (the JIT optimises hot methods after a few dozen calls), and
# each caller signs into its own reused output buffer, as the server streams a signed file to a response.
#
#   bench/tte/run.sh [COUNT] [CONCURRENCY]   (defaults 200 2)
set -euo pipefail
count=${1:-200}
conc=${2:-2}
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus="$root/../shared/data/pdf/bench"
[ -d "$corpus" ] || { echo "bench: $corpus is missing (the shared data beside the repository)"; exit 1; }
dotnet build "$root/tests/Spbe.Security.Benchmarks" -c Release -v q -nologo >/dev/null
bench_dll="$root/artifacts/bin/Spbe.Security.Benchmarks/release/Spbe.Security.Benchmarks.dll"

echo "== machine: $(nproc) cores, $(uname -r); $(date -u +%FT%TZ)"
for file in bench-1mb-keputusan-tpp.pdf bench-10mb-keputusan-tpp-uncompressed.pdf.gz; do
  n=$count
  [[ $file == *10mb* ]] && n=$((count / 4))
  for key in ecdsa-p256 rsa-3072; do
    for level in B-B B-LT; do
      dotnet "$bench_dll" tte "$corpus/$file" "$key" "$level" "$n" "$conc"
    done
  done
done
