#!/bin/sh
# prodcons_throughput.sh - items per second through the condvar queue, with
# tracing on and off, next to Python's queue.Queue on the same machine.
#
# Runs `interleave run prodcons variant=condvar producers=1 consumers=1
# capacity=CAP items=ITEMS --format json` RUNS times with tracing on and
# RUNS times with --no-trace, reading the results' items_per_s (items
# over the lanes' run time), then bench/queue_py.py ITEMS CAP RUNS times
# (queue.Queue(maxsize=CAP), one producer thread, one consumer thread, a
# sentinel; skipped without python3).  Prints the median, min and max
# items/s of each, the ratios of the medians to Python's, and traced /
# --no-trace.  The traced and untraced runs take turns.
#
# Usage: prodcons_throughput.sh [-n RUNS] [-i ITEMS] [-c CAP] [-b INTERLEAVE]
#   RUNS 7, ITEMS 200000, CAP 64; INTERLEAVE defaults to $INTERLEAVE, then
#   ./interleave.
set -eu

runs=7
items=200000
cap=64
bin=${INTERLEAVE:-./interleave}
here=$(cd "$(dirname "$0")" && pwd)
while [ $# -gt 0 ]; do
    case "$1" in
    -n) runs=$2; shift 2 ;;
    -i) items=$2; shift 2 ;;
    -c) cap=$2; shift 2 ;;
    -b) bin=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "prodcons_throughput.sh: unknown argument '$1' (try -h)" >&2; exit 2 ;;
    esac
done
for v in "$runs" "$items" "$cap"; do
    case "$v" in
    ''|*[!0-9]*|0) echo "prodcons_throughput.sh: -n, -i and -c take positive integers" >&2; exit 2 ;;
    esac
done
if [ ! -x "$bin" ]; then
    echo "prodcons_throughput.sh: $bin: not an executable (build first, or pass -b)" >&2
    exit 2
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "prodcons_throughput.sh: python3 is needed to read the JSON results" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/prodcons-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "prodcons_throughput: $runs runs each, items=$items capacity=$cap, 1 producer, 1 consumer"
echo "machine: $(getconf _NPROCESSORS_ONLN) online CPUs, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
: >"$work/trace"
: >"$work/no-trace"
: >"$work/python"
i=0
while [ $i -lt "$runs" ]; do
    # the two ways take turns, so a busy machine disturbs both alike
    for mode in trace no-trace; do
        if [ "$mode" = trace ]; then
            set -- --format json
        else
            set -- --no-trace --format json
        fi
        "$bin" run prodcons variant=condvar producers=1 consumers=1 capacity="$cap" \
            items="$items" "$@" >"$work/one" || {
            echo "prodcons_throughput.sh: the $mode run failed:" >&2
            cat "$work/one" >&2
            exit 1
        }
        python3 -c 'import json,sys; d=json.load(open(sys.argv[1]));
assert d["verdict"] == "completed" and d["results"]["consumed"] == d["results"]["items"], d["message"]
print(d["results"]["items_per_s"])' "$work/one" >>"$work/$mode"
    done
    python3 "$here/queue_py.py" "$items" "$cap" >>"$work/python"
    i=$((i + 1))
done

python3 - "$work" <<'PY'
import statistics, sys
work = sys.argv[1]
rows = {}
for name in ("trace", "no-trace", "python"):
    with open(work + "/" + name) as f:
        rows[name] = [float(x) for x in f.read().split()]
py = statistics.median(rows["python"])
labels = {"trace": "interleave condvar, tracing on",
          "no-trace": "interleave condvar, --no-trace",
          "python": "python3 queue.Queue"}
print("%-32s %12s %12s %12s %10s" % ("", "median/s", "min/s", "max/s", "vs python"))
for name in ("trace", "no-trace", "python"):
    v = rows[name]
    med = statistics.median(v)
    print("%-32s %12.0f %12.0f %12.0f %9.2fx" % (labels[name], med, min(v), max(v), med / py))
print("traced / --no-trace: %.2f (aim: at least 0.7); traced / python: %.2f (aim: at least 3)" % (
    statistics.median(rows["trace"]) / statistics.median(rows["no-trace"]),
    statistics.median(rows["trace"]) / py))
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
