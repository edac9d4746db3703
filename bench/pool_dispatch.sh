#!/bin/sh
# pool_dispatch.sh - what a process pool costs per task, and what it gains
# on CPU-bound work, next to Python's ProcessPoolExecutor(2) on the same
# machine, in one run of this script.
#
# 1. Dispatch: `interleave run pool workers=2 tasks=T cost_us=0
#    chunksize=C --format json`, traced and with --no-trace, for chunk
#    sizes 1 and 100: the parent's wall time (first submit to last result,
#    the workers already forked) over the tasks.  Python: bench/pool_py.py
#    dispatch, the same over ProcessPoolExecutor(2).map(chunksize=C) of a
#    trivial function (its workers started first).
# 2. CPU-bound speed-up: interleave's pool with 1 worker and with 2 on the
#    same tasks (TASKS_CPU of COST_US of CPU work each, the loop turns per
#    microsecond measured once and given to every run): the ratio of the
#    wall times; also busy/wall of the 2-worker run (its tasks' own time
#    added up, over the wall time).  Python: the same tasks one after
#    another in one process, then through ProcessPoolExecutor(2).
#
# Each figure is the median of RUNS runs.  Python is skipped without
# python3 (then only interleave's figures show).  The machine's load is
# printed first: the figures mean something only on an idle machine.
#
# Usage: pool_dispatch.sh [-n RUNS] [-b INTERLEAVE]
#   RUNS 5; INTERLEAVE defaults to $INTERLEAVE, then ./interleave.
set -eu

runs=5
bin=${INTERLEAVE:-./interleave}
here=$(cd "$(dirname "$0")" && pwd)
tasks1=20000   # chunk size 1
tasks100=100000 # chunk size 100
py_tasks1=2000
py_tasks100=100000
tasks_cpu=40
cost_us=5000
py_loops=60000
while [ $# -gt 0 ]; do
    case "$1" in
    -n) runs=$2; shift 2 ;;
    -b) bin=$2; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "pool_dispatch.sh: unknown argument '$1' (try -h)" >&2; exit 2 ;;
    esac
done
case "$runs" in
''|*[!0-9]*|0) echo "pool_dispatch.sh: -n takes a positive integer" >&2; exit 2 ;;
esac
if [ ! -x "$bin" ]; then
    echo "pool_dispatch.sh: $bin: not an executable (build first, or pass -b)" >&2
    exit 2
fi
have_py=0
if command -v python3 >/dev/null 2>&1; then
    have_py=1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pool-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# median of the numbers in file $1 (one per line)
median() {
    sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
        else printf "%.9g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# result field $2 of the JSON report in file $1
field() {
    sed -n "s/.*\"results\":{[^}]*\"$2\":\([0-9]*\).*/\1/p" "$1"
}

run_pool() {
    # run_pool OUT ARGS...: one run's JSON into OUT; fails loudly
    out=$1
    shift
    if ! "$bin" run pool "$@" --format json >"$out" 2>"$work/err"; then
        echo "pool_dispatch.sh: interleave run pool $*: $(cat "$work/err")" >&2
        exit 1
    fi
}

echo "pool_dispatch: $runs runs of each, medians"
echo "machine: $(getconf _NPROCESSORS_ONLN) online CPUs, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo
echo "1. dispatch cost per task (trivial tasks, 2 workers)"
for chunk in 1 100; do
    if [ "$chunk" = 1 ]; then n=$tasks1; pn=$py_tasks1; else n=$tasks100; pn=$py_tasks100; fi
    for mode in traced untraced; do
        : >"$work/d"
        i=0
        while [ $i -lt "$runs" ]; do
            if [ "$mode" = traced ]; then
                run_pool "$work/j" workers=2 tasks=$n cost_us=0 chunksize=$chunk
            else
                run_pool "$work/j" workers=2 tasks=$n cost_us=0 chunksize=$chunk --no-trace
            fi
            echo "$(field "$work/j" wall) $n" | awk '{ printf "%.9g\n", $1 / $2 / 1000 }' >>"$work/d"
            i=$((i + 1))
        done
        eval "il_${mode}_$chunk=\$(median \"\$work/d\")"
    done
    if [ $have_py -eq 1 ]; then
        : >"$work/p"
        i=0
        while [ $i -lt "$runs" ]; do
            python3 "$here/pool_py.py" dispatch "$pn" "$chunk" | awk '{ printf "%.9g\n", $1 * 1e6 }' >>"$work/p"
            i=$((i + 1))
        done
        eval "py_$chunk=\$(median \"\$work/p\")"
    fi
done
printf '   %-10s  %16s  %16s  %16s  %s\n' chunksize "interleave traced" "untraced" "Python" \
    "Python / traced"
for chunk in 1 100; do
    eval "t=\$il_traced_$chunk u=\$il_untraced_$chunk"
    if [ $have_py -eq 1 ]; then
        eval "p=\$py_$chunk"
        printf '   %-10s  %13.2f us  %13.2f us  %13.2f us  %.1fx\n' "$chunk" "$t" "$u" "$p" \
            "$(echo "$p $t" | awk '{ print $1 / $2 }')"
    else
        printf '   %-10s  %13.2f us  %13.2f us  %16s\n' "$chunk" "$t" "$u" "(no python3)"
    fi
done

echo
echo "2. CPU-bound speed-up of 2 workers ($tasks_cpu tasks of ${cost_us} us)"
# the same work in every run: the loop turns per microsecond measured
# once, by the first run, then given to all
run_pool "$work/j" workers=1 tasks=2 cost_us=1000 --no-trace
spins=$(field "$work/j" spins_per_us)
: >"$work/w1"
: >"$work/w2"
: >"$work/bw"
i=0
while [ $i -lt "$runs" ]; do
    run_pool "$work/j" workers=1 tasks=$tasks_cpu cost_us=$cost_us spins_per_us=$spins --no-trace
    field "$work/j" wall >>"$work/w1"
    run_pool "$work/j" workers=2 tasks=$tasks_cpu cost_us=$cost_us spins_per_us=$spins --no-trace
    field "$work/j" wall >>"$work/w2"
    field "$work/j" speedup_pct >>"$work/bw"
    i=$((i + 1))
done
w1=$(median "$work/w1")
w2=$(median "$work/w2")
bw=$(median "$work/bw")
printf '   interleave: 1 worker %.1f ms, 2 workers %.1f ms: %.2fx (busy/wall %.2fx)\n' \
    "$(echo "$w1" | awk '{ print $1 / 1e6 }')" "$(echo "$w2" | awk '{ print $1 / 1e6 }')" \
    "$(echo "$w1 $w2" | awk '{ print $1 / $2 }')" "$(echo "$bw" | awk '{ print $1 / 100 }')"
if [ $have_py -eq 1 ]; then
    : >"$work/ps"
    i=0
    while [ $i -lt "$runs" ]; do
        python3 "$here/pool_py.py" cpu "$tasks_cpu" "$py_loops" | awk '{ printf "%.6f\n", $1 / $2 }' >>"$work/ps"
        i=$((i + 1))
    done
    printf '   Python:     sequential over ProcessPoolExecutor(2): %.2fx\n' "$(median "$work/ps")"
fi
