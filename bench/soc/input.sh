# Sourced by the SOC benchmarks: sets root, shared, work, log and input (the OpenSSH sample repeated to $lines lines,
# made once and kept in the work directory).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
shared="$root/../shared"
work=${SPBE_BENCH_DIR:-/tmp/spbe-bench-soc}
log="$shared/data/logs/loghub_OpenSSH_2k.log"
[ -f "$log" ] || { echo "bench: $log is missing (the shared data beside the repository)"; exit 1; }
mkdir -p "$work"
input="$work/ssh_$lines.log"
if [ ! -f "$input" ]; then
  : > "$input.tmp"
  while [ "$(wc -l < "$input.tmp")" -lt "$lines" ]; do cat "$log" >> "$input.tmp"; done
  head -n "$lines" "$input.tmp" > "$input"; rm -f "$input.tmp"
fi
