#!/bin/sh
# models_table.sh - the models table: the same CPU-bound and I/O-bound
# tasks run sequentially, with threads (with and without a global lock),
# with processes and on an event loop, on every CPU and on one; times and
# speed-ups measured by interleave, next to Python's (threading,
# concurrent.futures' ProcessPoolExecutor, asyncio) in the same script run.
#
# Each cell is the fastest of RUNS runs (on a shared machine other work
# only ever adds time, so the fastest is the least disturbed) of `interleave run models work=W
# variant=V cores=C tasks=T size_ms=S --format json` (its time result),
# and of bench/models_py.py W V T S C for Python (skipped without python3);
# the speed-up is the sequential run's median time over the cell's, both
# measured here.  Python has no row for threads without the GIL (that needs
# a free-threaded CPython build) nor threads_gil (its threads are that).
#
# Usage: models_table.sh [-n RUNS] [-t TASKS] [-s SIZE_MS] [-b INTERLEAVE]
#   RUNS 5, TASKS 4, SIZE_MS 100; INTERLEAVE defaults to $INTERLEAVE, then
#   ./interleave.
set -eu

runs=5
tasks=4
size=100
bin=${INTERLEAVE:-./interleave}
here=$(cd "$(dirname "$0")" && pwd)
while [ $# -gt 0 ]; do
    case "$1" in
    -n) runs=$2; shift 2 ;;
    -t) tasks=$2; shift 2 ;;
    -s) size=$2; shift 2 ;;
    -b) bin=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "models_table.sh: unknown argument '$1' (try -h)" >&2; exit 2 ;;
    esac
done
if [ ! -x "$bin" ]; then
    echo "models_table.sh: $bin: not an executable (build first, or pass -b)" >&2
    exit 2
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "models_table.sh: python3 is needed to read the JSON results" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/models-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

fastest() { sort -g | head -n 1; }

il_ms() {
    i=0
    : >"$work/r"
    while [ $i -lt "$runs" ]; do
        "$bin" run models work="$1" variant="$2" cores="$3" tasks="$tasks" size_ms="$size" \
            --format json |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["results"]["wall_time"] / 1e6)' >>"$work/r"
        i=$((i + 1))
    done
    fastest <"$work/r"
}

py_ms() {
    i=0
    : >"$work/r"
    while [ $i -lt "$runs" ]; do
        python3 "$here/models_py.py" "$1" "$2" "$tasks" "$size" "$3" | awk '{print $2 * 1000}' >>"$work/r"
        i=$((i + 1))
    done
    fastest <"$work/r"
}

echo "models_table: $tasks tasks of $size ms, the fastest of $runs runs each"
echo "machine: $(getconf _NPROCESSORS_ONLN) online CPUs, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "ms (speed-up over the sequential run of the same side, same work, same cores)"
printf '%-4s %-4s %-12s | %-16s | %-16s\n' work cpus variant interleave Python
for w in cpu io; do
    for c in all one; do
        il_base=""
        py_base=""
        for v in sequential threads threads_gil processes asyncio; do
            il=$(il_ms "$w" "$v" "$c")
            [ -z "$il_base" ] && il_base=$il
            case $v in
            threads) py="-" ;;
            threads_gil) py=$(py_ms "$w" threads "$c") ;;
            *) py=$(py_ms "$w" "$v" "$c") ;;
            esac
            [ -z "$py_base" ] && py_base=$py
            ilc=$(awk -v m="$il" -v b="$il_base" 'BEGIN { printf "%.0f (%.2fx)", m, b / m }')
            if [ "$py" = "-" ]; then pyc="-"; else
                pyc=$(awk -v m="$py" -v b="$py_base" 'BEGIN { printf "%.0f (%.2fx)", m, b / m }')
            fi
            printf '%-4s %-4s %-12s | %-16s | %-16s\n' "$w" "$c" "$v" "$ilc" "$pyc"
        done
    done
done
