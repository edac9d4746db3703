#!/bin/sh
# step_cost.sh - what one step costs in step and replay mode, with lanes
# that are threads and lanes that are forked processes.
#
# A step hands the one running lane over to the next: the controller
# grants it (a condition variable signal), the lane runs to its next
# instrumented point and parks again (another signal back).  This runs
# `interleave run race threads=2 iterations=N --schedule "" --format json`
# (the whole run round-robin, 6 steps per increment pair) RUNS times each
# way and prints, per way, the report's elapsed time (from the lanes'
# start to the end: the sandbox's set-up is not in it) divided by the
# steps, as median, min and max over the runs, in microseconds per step.
#
# Then, when bench/step-cost is built (beside INTERLEAVE), it runs it: the
# same steps timed inside one process next to a bare two-way futex hand-off
# between two threads and between two processes, measured in the same
# run, with the ratios (the aim: a step at most 0.6 of the hand-off).
#
# Usage: step_cost.sh [-n RUNS] [-i ITERATIONS] [-b INTERLEAVE]
#   RUNS defaults to 10, ITERATIONS to 20000; INTERLEAVE to $INTERLEAVE,
#   then ./interleave.
set -eu

runs=10
iters=20000
bin=${INTERLEAVE:-./interleave}
while [ $# -gt 0 ]; do
    case "$1" in
    -n) runs=$2; shift 2 ;;
    -i) iters=$2; shift 2 ;;
    -b) bin=$2; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "step_cost.sh: unknown argument '$1' (try -h)" >&2; exit 2 ;;
    esac
done
for v in "$runs" "$iters"; do
    case "$v" in
    ''|*[!0-9]*|0) echo "step_cost.sh: -n and -i take positive integers" >&2; exit 2 ;;
    esac
done
if [ ! -x "$bin" ]; then
    echo "step_cost.sh: $bin: not an executable (build first, or pass -b)" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/step-cost.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "step_cost: $runs runs each of: $bin run race threads=2 iterations=$iters lanes=L --schedule ''"
echo "machine: $(getconf _NPROCESSORS_ONLN) online CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for lanes in threads processes; do
    : >"$work/$lanes"
    i=0
    while [ "$i" -lt "$runs" ]; do
        "$bin" run race threads=2 iterations="$iters" lanes="$lanes" --schedule '' \
            --format json >"$work/out" || true
        # the run's "elapsed_ns":N and "steps":N (the first "steps"; each lane has its own)
        tr ',' '\n' <"$work/out" | awk -F: '
            /"elapsed_ns"/ { e = $2 } /^"steps"/ && s == "" { s = $2 }
            END { if (s > 0) printf "%.3f\n", e / s / 1000 }' >>"$work/$lanes"
        i=$((i + 1))
    done
    sort -n "$work/$lanes" | awk -v l="$lanes" '
        { v[NR] = $1 }
        END { printf "%-10s us per step: median %.2f  min %.2f  max %.2f  (%d runs)\n",
                     l, v[int((NR + 1) / 2)], v[1], v[NR], NR }'
done
helper="$(dirname "$bin")/bench/step-cost"
if [ -x "$helper" ]; then
    echo
    "$helper" -r "$runs" -i "$iters"
fi
