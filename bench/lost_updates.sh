#!/bin/sh
# lost_updates.sh - how often the unsafe race loses updates in free mode,
# with tracing on and with --no-trace.
#
# Runs `interleave run race threads=4 --format json` (unsafe, the default
# iterations) N times each way and prints, per way, the lost-update rate
# (lost / expected) as mean, min and max over the runs, how many runs lost
# at least one update, and the mean run time.  Tracing must not hide the
# race: both ways should lose updates on every run.
#
# Usage: lost_updates.sh [-n RUNS] [-b INTERLEAVE] [-- extra run arguments]
#   RUNS defaults to 20; INTERLEAVE to $INTERLEAVE, then ./interleave.
set -eu

runs=20
bin=${INTERLEAVE:-./interleave}
while [ $# -gt 0 ]; do
    case "$1" in
    -n) runs=$2; shift 2 ;;
    -b) bin=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "lost_updates.sh: unknown argument '$1' (try -h)" >&2; exit 2 ;;
    esac
done
case "$runs" in
''|*[!0-9]*|0) echo "lost_updates.sh: -n: must be a positive integer" >&2; exit 2 ;;
esac
if [ ! -x "$bin" ]; then
    echo "lost_updates.sh: $bin: not an executable (build first, or pass -b)" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/lost-updates.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "lost_updates: $runs runs each of: $bin run race threads=4 $* --format json"
echo "machine: $(getconf _NPROCESSORS_ONLN) online CPUs"
for mode in trace no-trace; do
    : >"$work/$mode"
    i=0
    while [ $i -lt "$runs" ]; do
        if [ "$mode" = trace ]; then
            "$bin" run race threads=4 "$@" --format json >>"$work/$mode"
        else
            "$bin" run race threads=4 "$@" --no-trace --format json >>"$work/$mode"
        fi
        i=$((i + 1))
    done
done

python3 - "$work/trace" "$work/no-trace" <<'PY'
import json, sys

print("%-9s %6s %9s %9s %9s %12s %12s" % ("tracing", "runs", "mean", "min", "max",
                                           "runs losing", "mean time"))
for path, name in zip(sys.argv[1:], ("on", "off")):
    with open(path) as f:
        runs = [json.loads(line) for line in f if line.strip()]
    bad = [r for r in runs if r["verdict"] != "completed"]
    if bad:
        sys.exit("a run did not complete: %s" % bad[0]["message"])
    rates = [r["results"]["lost"] / r["results"]["expected"] for r in runs]
    losing = sum(1 for r in runs if r["results"]["lost"] > 0)
    ms = sum(r["elapsed_ns"] for r in runs) / len(runs) / 1e6
    print("%-9s %6d %8.1f%% %8.1f%% %8.1f%% %8d/%-3d %9.1f ms" % (
        name, len(runs), 100 * sum(rates) / len(rates), 100 * min(rates), 100 * max(rates),
        losing, len(runs), ms))
PY
