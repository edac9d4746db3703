#!/bin/sh
# explore_rate.sh - schedules per second of the explorer, against a baseline
# measured in the same run: one replay per fresh sandbox.
#
# Two searches, each RUNS times, through `interleave explore --format json`
# (the rate is the report's schedules over its elapsed_ns: the search
# itself, in its one sandbox, reusing the arena, the shared heap and the
# lane threads for every schedule):
#   counter  data/scenarios/counter.scn threads=2 iterations=2, every
#            interleaving (C(12,6) = 924 schedules of 12 steps)
#   abba     data/scenarios/abba.scn rounds=3, at most 4 preemptions (192
#            schedules of about 32 steps, a third of them deadlocked)
# Each search also runs unpinned (INTERLEAVE_EXPLORE_NO_PIN=1): the
# explorer keeps its sandbox on one CPU, since one thread runs at a time.
# The baseline is what the explorer avoids: `interleave run ... --schedule`
# of one 12-step schedule of the counter, a new sandbox each time, RUNS x 20
# replays timed as a whole.  Prints medians and the ratio explorer/baseline.
# Aim (issue 16): at least 2000 schedules/s for both on the 2-core machine.
#
# Usage: explore_rate.sh [-n RUNS] [-b INTERLEAVE] [-s SRCDIR]
set -eu

runs=5
bin=${INTERLEAVE:-./interleave}
src=$(dirname "$0")/..
while [ $# -gt 0 ]; do
    case "$1" in
    -n) runs=$2; shift 2 ;;
    -b) bin=$2; shift 2 ;;
    -s) src=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "explore_rate.sh: unknown argument '$1' (try -h)" >&2; exit 2 ;;
    esac
done
case "$runs" in
''|*[!0-9]*|0) echo "explore_rate.sh: -n takes a positive integer" >&2; exit 2 ;;
esac
if [ ! -x "$bin" ]; then
    echo "explore_rate.sh: $bin: not an executable (build first, or pass -b)" >&2
    exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/explore-rate.XXXXXX")
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.0f", v[int((NR + 1) / 2)] }'; }

echo "explore_rate: $runs runs each; $(getconf _NPROCESSORS_ONLN) online CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
search() { # NAME ARGS...: the rate of each run into $work/NAME
    name=$1
    shift
    : >"$work/$name"
    i=0
    while [ "$i" -lt "$runs" ]; do
        "$bin" explore "$@" --format json >"$work/out" 2>/dev/null || true
        tr ',' '\n' <"$work/out" | awk -F: '
            /"schedules"/ && s == "" { s = $2 } /"elapsed_ns"/ { e = $2 }
            END { if (e > 0) printf "%.1f\n", s / (e / 1e9) }' >>"$work/$name"
        i=$((i + 1))
    done
}
search counter "$src/data/scenarios/counter.scn" threads=2 iterations=2 --preemptions 12
search abba "$src/data/scenarios/abba.scn" rounds=3 --preemptions 4
export INTERLEAVE_EXPLORE_NO_PIN=1
search counter_np "$src/data/scenarios/counter.scn" threads=2 iterations=2 --preemptions 12
search abba_np "$src/data/scenarios/abba.scn" rounds=3 --preemptions 4
unset INTERLEAVE_EXPLORE_NO_PIN
n=$((runs * 20))
t0=$(date +%s%N)
i=0
while [ "$i" -lt "$n" ]; do
    "$bin" run "$src/data/scenarios/counter.scn" threads=2 iterations=2 \
        --schedule "A B A B A B A B A B A B" >/dev/null 2>&1 || true
    i=$((i + 1))
done
t1=$(date +%s%N)
base=$(awk -v n="$n" -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f", n / (ns / 1e9) }')
c=$(median <"$work/counter")
a=$(median <"$work/abba")
echo "counter 2x2, all 924 schedules: median $c schedules/s ($(tr '\n' ' ' <"$work/counter"))"
echo "abba rounds=3, 4 preemptions:   median $a schedules/s ($(tr '\n' ' ' <"$work/abba"))"
echo "the same unpinned: counter median $(median <"$work/counter_np"), abba median $(median <"$work/abba_np") schedules/s"
echo "baseline, one replay per sandbox: $base schedules/s ($n replays)"
awk -v c="$c" -v a="$a" -v b="$base" 'BEGIN { printf "ratio explorer / baseline: counter %.1fx, abba %.1fx\n", c / b, a / b }'
