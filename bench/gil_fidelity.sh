#!/bin/sh
# gil_fidelity.sh - the GIL demo beside CPython, in one run.
#
# Runs the same workloads in CPython (python3, bench/gil_py.py) and in the
# `gil` demo (new GIL unless said), each REPEATS times, and prints the
# median of each figure side by side with the ratio demo / CPython (the two
# sides' runs take turns, so both see the same load), and the
# machine's load before and after.  A benchmark, not a test: the figures
# depend on the machine and on what else runs on it; run it on a quiet
# machine (the load is printed so a reader can judge).
#
# usage: gil_fidelity.sh [-b INTERLEAVE] [-n REPEATS] [-p PYTHON]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bin=./interleave
runs=3
py=python3
while getopts b:n:p: opt; do
    case $opt in
    b) bin=$OPTARG ;;
    n) runs=$OPTARG ;;
    p) py=$OPTARG ;;
    *) echo "usage: $0 [-b INTERLEAVE] [-n REPEATS] [-p PYTHON]" >&2; exit 2 ;;
    esac
done
if ! command -v "$py" >/dev/null 2>&1; then
    echo "gil_fidelity: no $py: nothing to compare with" >&2
    exit 77
fi

exec "$py" - "$bin" "$runs" "$here/gil_py.py" "$py" <<'PY'
import json, os, statistics, subprocess, sys

BIN, RUNS, PYFILE, PY = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
N_PY = 10_000_000       # decrements per CPython thread
WORK = 400_000          # work units (about 1 us) per demo lane


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def demo(*params):
    out = subprocess.run([BIN, "run", "gil", *params, "--format", "json", "--timeout", "120"],
                         capture_output=True, text=True)
    d = json.loads(out.stdout)
    if d["verdict"] != "completed":
        sys.exit("gil_fidelity: demo run %s: %s" % (" ".join(params), d["message"]))
    return d["results"]


def cpython(*args):
    out = subprocess.run([PY, PYFILE, *map(str, args)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def med(f):
    return statistics.median(f() for _ in range(RUNS))


def pair(fpy, fdemo):
    """Medians of fpy and fdemo, run in turns, so both see the same load."""
    a, b = [], []
    for _ in range(RUNS):
        a.append(fpy())
        b.append(fdemo())
    return statistics.median(a), statistics.median(b)


rows = []


def row(what, py, dm, target, unit):
    rows.append((what, py, dm, target, unit))


print("gil_fidelity: %s, python %s, %d runs each (median), load before: %s"
      % (BIN, subprocess.run([PY, "-c", "import sys; print(sys.version.split()[0])"],
                             capture_output=True, text=True).stdout.strip(), RUNS, load()))

# 2 and 4 CPU threads: slices and waits
row("2 CPU threads: median GIL slice",
    *pair(lambda: cpython("cpu", 2, N_PY)["slice_p50"],
          lambda: demo("threads=2", "work=%d" % WORK)["slice_p50"]), "+-10 %", "ms")
py4, dm4 = [], []
for _ in range(RUNS):
    py4.append(cpython("cpu", 4, N_PY // 2))
    dm4.append(demo("threads=4", "work=%d" % (WORK // 2)))
row("4 CPU threads: median GIL slice", statistics.median(r["slice_p50"] for r in py4),
    statistics.median(r["slice_p50"] for r in dm4), "same shape", "ms")
row("4 CPU threads: wait p90", statistics.median(r["wait_p90"] for r in py4),
    statistics.median(r["wait_p90"] for r in dm4), "same shape", "ms")

# threads / sequential, at 5 ms and at 1 us
def ratio_py(interval=None):
    extra = [interval] if interval is not None else []
    seq = cpython("cpu", 1, 2 * N_PY, *extra)["wall"]
    thr = cpython("cpu", 2, N_PY, *extra)["wall"]
    return thr / seq


def ratio_demo(interval_us=5000):
    seq = demo("threads=2", "work=%d" % WORK, "lanes=sequential")["wall"]
    thr = demo("threads=2", "work=%d" % WORK, "interval_us=%d" % interval_us)["wall"]
    return thr / seq


row("CPU-bound 2 threads / sequential (time)", *pair(ratio_py, ratio_demo), "0.95-1.15", "x")
row("same at a 1 us interval", *pair(lambda: ratio_py(0.000001), lambda: ratio_demo(1)),
    "+-15 %", "x")

# I/O: 20 threads, 50 sleeps of 1 ms each
def io_py():
    seq = cpython("io", 1, 20 * 50, 1000)["wall"]
    return seq / cpython("io", 20, 50, 1000)["wall"]


def io_demo():
    seq = demo("threads=20", "workload=io", "io_ops=50", "io_us=1000", "lanes=sequential")["wall"]
    return seq / demo("threads=20", "workload=io", "io_ops=50", "io_us=1000")["wall"]


row("I/O-bound speed-up, 20 threads", *pair(io_py, io_demo), ">= 0.95 x 20", "x")

# the convoy: a 1 ms sleep beside one CPU thread
row("1 ms sleep beside a CPU thread: overshoot",
    *pair(lambda: cpython("mixed", 40, 1000, 10 * N_PY)["overshoot_p50"],
          lambda: demo("threads=2", "workload=mixed", "work=%d" % (WORK * 2), "io_ops=40",
                       "io_us=1000")["overshoot_p50"]), "+-20 %", "ms")

# processes / sequential
def proc_py():
    seq = cpython("cpu", 1, 2 * N_PY)["wall"]
    return seq / cpython("proc", 2, N_PY)["wall"]


def proc_demo():
    seq = demo("threads=2", "work=%d" % WORK, "lanes=sequential")["wall"]
    return seq / demo("threads=2", "work=%d" % WORK, "lanes=processes")["wall"]


row("processes speed-up, CPU-bound, 2 lanes", *pair(proc_py, proc_demo), ">= 1.9", "x")

# the old GIL and no GIL: the demo alone (CPython 3.11 has neither)
def old_ratio(cores):
    seq = demo("threads=2", "work=%d" % WORK, "lanes=sequential")["wall"]
    return demo("threads=2", "work=%d" % WORK, "gil=old", "cores=%d" % cores)["wall"] / seq


row("old GIL: 2 CPU threads / sequential, 2 cores", None, med(lambda: old_ratio(0)),
    "> 1 (slower)", "x")
row("old GIL: the same pinned to one core", None, med(lambda: old_ratio(1)),
    "below the 2-core figure", "x")
row("old GIL: futile wake-ups, 2 cores", None,
    med(lambda: demo("threads=2", "work=%d" % WORK, "gil=old")["futile_wakeups"]), "> 0", "")
def none_speedup():
    seq = demo("threads=2", "work=%d" % WORK, "lanes=sequential")["wall"]
    return seq / demo("threads=2", "work=%d" % WORK, "gil=none")["wall"]


row("no GIL: CPU-bound 2 threads speed-up", None, med(none_speedup), "like processes", "x")
lost = [demo("threads=4", "work=100000", "workload=counter", "gil=none")["lost"]
        for _ in range(RUNS)]
row("no GIL: counter updates lost, fewest of %d runs" % RUNS, None, min(lost), "> 0 every run", "")
lost = [demo("threads=4", "work=100000", "workload=counter", "gil=none", "objlock=1")["lost"]
        for _ in range(RUNS)]
row("no GIL, objlock=1: updates lost, most of %d runs" % RUNS, None, max(lost), "0", "")


def fmt(v, unit):
    if v is None:
        return "-"
    if unit == "ms":
        return "%.2f ms" % (v / 1e6)
    if unit == "x":
        return "%.2f" % v
    return "%d" % v


print()
print("| behaviour | CPython | demo | demo / CPython | target |")
print("|---|---|---|---|---|")
for what, py, dm, target, unit in rows:
    r = "%.2f" % (dm / py) if py not in (None, 0) and dm is not None else "-"
    print("| %s | %s | %s | %s | %s |" % (what, fmt(py, unit), fmt(dm, unit), r, target))
print()
print("load after: %s" % load())
PY
