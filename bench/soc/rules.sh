#!/usr/bin/env bash
# Detection engine (issue #7), against the peers in ../shared/peers/soc in the same run on the same file, each pinned
# to one core (taskset -c 0):
#   1. spbe soc replay with Wazuh's full stock ruleset (decoders, lists, rules, correlation);
#   2. SEC with the two SSH brute-force rules of ../shared/peers/soc/ssh_bruteforce.sec (--notail);
#   3. fail2ban-regex with Debian's stock sshd filter (matching only; once, it is slow).
# spbe and SEC alternate for ROUNDS rounds. For spbe two rates are given: the replay's own (lines over the time spent on
# them) and the whole process's (lines over wall time, start-up and loading 4,500 rules included), which is what the
# SEC and fail2ban-regex rates are. Input: ../shared/data/logs/loghub_OpenSSH_2k.log repeated to LINES lines.
# Target: spbe >= SEC's lines/s on one core.
#
#   bench/soc/rules.sh [LINES] [ROUNDS]   (defaults 500000 and 5)
set -euo pipefail
lines=${1:-500000}
rounds=${2:-5}
. "$(dirname "$0")/input.sh"
command -v sec >/dev/null && command -v fail2ban-regex >/dev/null || {
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends sec fail2ban >/dev/null
}
# Note: published as it is deployed (ReadyToRun: the code that runs once, such as loading the rules, is not compiled
# again at start); hot code is still recompiled for this machine as it runs.
dotnet publish "$root/src/Spbe.Security.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$work/spbe-cli" -v q -nologo >/dev/null
spbe="$work/spbe-cli/spbe.dll"
rate() { python3 -c "print(round($1 / $2))"; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "== machine: $(nproc) cores, $(uname -r); $(date -u +%FT%TZ); input $(wc -l < "$input") lines; every program on core 0"
spbe_own=(); spbe_whole=(); sec_rates=()
for round in $(seq 1 "$rounds"); do
  /usr/bin/time -f '%e %M' -o "$work/spbe.time" taskset -c 0 \
    dotnet "$spbe" soc replay "$input" --ruleset "$shared/data/wazuh-4.14.7" --stats > "$work/spbe.out" 2>/dev/null
  read -r spbe_s spbe_kb < "$work/spbe.time"
  own=$(head -1 "$work/spbe.out" | sed -E 's/.* = ([0-9,]+) lines\/s.*/\1/' | tr -d ,)
  whole=$(rate "$lines" "$spbe_s")
  spbe_own+=("$own"); spbe_whole+=("$whole")
  alerts=$(taskset -c 0 /usr/bin/time -f '%e %M' -o "$work/sec.time" \
    sec --conf="$shared/peers/soc/ssh_bruteforce.sec" --input="$input" --notail --fromstart --log=/dev/null | grep -c ALERT || true)
  read -r sec_s sec_kb < "$work/sec.time"
  sec_rate=$(rate "$lines" "$sec_s"); sec_rates+=("$sec_rate")
  echo "round $round: spbe $own lines/s replay, $whole lines/s whole process ($spbe_s s wall, $((spbe_kb / 1024)) MB peak RSS)" \
    "| SEC $sec_rate lines/s ($sec_s s wall, $((sec_kb / 1024)) MB peak RSS, $alerts alerts)"
done
echo "== spbe's last round"
head -8 "$work/spbe.out"
echo "== median over $rounds rounds: spbe $(median "${spbe_own[@]}") lines/s replay, $(median "${spbe_whole[@]}") lines/s whole process;" \
  "SEC $(median "${sec_rates[@]}") lines/s"

echo "== fail2ban-regex $(fail2ban-regex --version 2>/dev/null | head -1 | awk '{print $NF}') (Debian sshd filter)"
/usr/bin/time -f '%e %M' -o "$work/f2b.time" taskset -c 0 \
  fail2ban-regex "$input" /etc/fail2ban/filter.d/sshd.conf 2>/dev/null | grep -E '^Lines|Failregex:' || true
read -r f2b_s f2b_kb < "$work/f2b.time"
echo "fail2ban-regex: $(rate "$lines" "$f2b_s") lines/s ($f2b_s s wall, $((f2b_kb / 1024)) MB peak RSS)"
