#!/usr/bin/env bash
# Detection engine (issue #7), against the peers in ../shared/peers/soc in the same run on the same file:
#   1. spbe soc replay with Wazuh's full stock ruleset (decoders, lists, rules, correlation), one thread;
#   2. SEC with the two SSH brute-force rules of ../shared/peers/soc/ssh_bruteforce.sec (--notail, one core);
#   3. fail2ban-regex with Debian's stock sshd filter (matching only).
# Input: ../shared/data/logs/loghub_OpenSSH_2k.log repeated to LINES lines. Target: spbe >= SEC's lines/s.
#
#   bench/soc/rules.sh [LINES]   (default 500000)
set -euo pipefail
lines=${1:-500000}
. "$(dirname "$0")/input.sh"
command -v sec >/dev/null && command -v fail2ban-regex >/dev/null || {
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends sec fail2ban >/dev/null
}
dotnet build "$root/src/Spbe.Security.Cli" -c Release -v q -nologo >/dev/null
spbe="$root/artifacts/bin/Spbe.Security.Cli/release/spbe.dll"

echo "== machine: $(nproc) cores, $(uname -r); $(date -u +%FT%TZ); input $(wc -l < "$input") lines"
echo "== spbe soc replay, Wazuh 4.14.7 stock ruleset"
/usr/bin/time -f 'spbe: %e s wall, %M KB peak RSS, %P CPU' -o "$work/spbe.time" \
  dotnet "$spbe" soc replay "$input" --ruleset "$shared/data/wazuh-4.14.7" --stats 2>/dev/null | head -8
cat "$work/spbe.time"
echo "== SEC $(sec --version 2>/dev/null | head -1 | awk '{print $NF}') (2 rules)"
alerts=$(/usr/bin/time -f 'sec: %e s wall, %M KB peak RSS, %P CPU' -o "$work/sec.time" \
  sec --conf="$shared/peers/soc/ssh_bruteforce.sec" --input="$input" --notail --fromstart --log=/dev/null | grep -c ALERT || true)
sec_s=$(awk '{print $2}' "$work/sec.time")
echo "$(cat "$work/sec.time"); $alerts alerts; $(python3 -c "print(f'{$lines/$sec_s:,.0f}')") lines/s"
echo "== fail2ban-regex $(fail2ban-regex --version 2>/dev/null | head -1 | awk '{print $NF}') (Debian sshd filter)"
/usr/bin/time -f 'fail2ban-regex: %e s wall, %M KB peak RSS, %P CPU' -o "$work/f2b.time" \
  fail2ban-regex "$input" /etc/fail2ban/filter.d/sshd.conf 2>/dev/null | grep -E '^Lines|Failregex:' || true
f2b_s=$(awk '{print $2}' "$work/f2b.time")
echo "$(cat "$work/f2b.time"); $(python3 -c "print(f'{$lines/$f2b_s:,.0f}')") lines/s"
