#!/usr/bin/env bash
# CPU time of a process's threads over a window, summed by thread name (Hangfire's "Worker #1", ".NET TP Worker", ...),
# in clock ticks (100 a second). Usage: thread-cpu.sh <pid> <seconds>
# docs/performance.md ("Hangfire's workers woken instead of polling") ran it beside `-- idle 1 200 5`, 60 s after the start.
set -euo pipefail
pid=$1 seconds=$2
snapshot() {
  for task in /proc/"$pid"/task/*; do
    # comm may hold spaces; utime and stime are fields 14 and 15 of stat, counted after the ")" that ends comm.
    printf '%s\t%s\t%s\n' "${task##*/}" "$(cat "$task/comm" 2>/dev/null || true)" \
      "$(sed 's/.*) //' "$task/stat" 2>/dev/null | awk '{print $12 + $13}' || true)"
  done
}
before=$(snapshot)
sleep "$seconds"
after=$(snapshot)
awk -F'\t' 'NR == FNR { start[$1] = $3; next }
            $3 != "" { spent = $3 - ($1 in start ? start[$1] : 0); used[$2] += spent; total += spent }
            END { printf "total %d ticks in '"$seconds"' s\n", total; for (n in used) if (used[n] > 0) printf "%6d  %s\n", used[n], n }' \
  <(echo "$before") <(echo "$after") | sort -k1,1nr
