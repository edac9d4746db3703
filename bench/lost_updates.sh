#!/bin/sh
# lost_updates.sh - how often the unsafe race loses updates in free mode,
# with tracing on and with --no-trace.
#
# Runs `interleave run race threads=4 --format json` (unsafe, the default
# iterations) N times each way, the two ways taking turns so that a busy
# machine disturbs both alike, and prints, per way, the lost-update rate
# (lost / expected) as mean, min and max over the runs, how many runs lost
# at least one update, and the run time (the report's elapsed_ns, from the
# lanes' start to their end) as mean and median; then the ratio of the
# median run times, traced / --no-trace (the aim: at most 3), and the
# machine's load.  Tracing must not hide the race: both ways should lose
# updates on every run.
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
echo "machine: $(getconf _NPROCESSORS_ONLN) online CPUs, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
: >"$work/trace"
: >"$work/no-trace"
i=0
while [ $i -lt "$runs" ]; do
    "$bin" run race threads=4 "$@" --format json >>"$work/trace"
    "$bin" run race threads=4 "$@" --no-trace --format json >>"$work/no-trace"
    i=$((i + 1))
done

python3 - "$work/trace" "$work/no-trace" <<'PY'
import json, sys

import statistics

print("%-9s %6s %9s %9s %9s %12s %12s %12s" % ("tracing", "runs", "mean", "min", "max",
                                                "runs losing", "mean time", "median time"))
medians = []
for path, name in zip(sys.argv[1:], ("on", "off")):
    with open(path) as f:
        runs = [json.loads(line) for line in f if line.strip()]
    bad = [r for r in runs if r["verdict"] != "completed"]
    if bad:
        sys.exit("a run did not complete: %s" % bad[0]["message"])
    rates = [r["results"]["lost"] / r["results"]["expected"] for r in runs]
    losing = sum(1 for r in runs if r["results"]["lost"] > 0)
    ms = sum(r["elapsed_ns"] for r in runs) / len(runs) / 1e6
    med = statistics.median(r["elapsed_ns"] for r in runs) / 1e6
    medians.append(med)
    print("%-9s %6d %8.1f%% %8.1f%% %8.1f%% %8d/%-3d %9.1f ms %9.1f ms" % (
        name, len(runs), 100 * sum(rates) / len(rates), 100 * min(rates), 100 * max(rates),
        losing, len(runs), ms, med))
print("ratio traced / --no-trace (median run time): %.2f  (aim: at most 3)" % (
    medians[0] / medians[1]))
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
