#!/usr/bin/env python3
"""gil_py.py - the GIL demo's workloads in CPython, for bench/gil_fidelity.sh.

usage: gil_py.py WHAT [ARGS...]; prints one JSON object.

  cpu THREADS N [INTERVAL_S]   THREADS threads each counting N down (or one
                               thread counting THREADS*N when THREADS is 1):
                               wall time, and the GIL's slices and waits as
                               each thread sees them (runs between gaps of
                               more than GAP_NS in its own progress)
  proc PROCS N                 PROCS processes each counting N down
  io THREADS OPS US            THREADS threads each sleeping OPS times US us
  mixed OPS US N               one thread counting N down beside one that
                               sleeps OPS times US us: how late each sleep
                               came back (the overshoot), median
"""
import json
import multiprocessing
import sys
import threading
import time

GAP_NS = 200_000  # a thread that made no progress for 200 us did not hold the GIL
STRIDE = 64       # decrements between two looks at the clock


def count(n, out=None):
    """Count n down; with out, record slices and gaps of this thread."""
    if out is None:
        while n > 0:
            n -= 1
        return
    clock = time.perf_counter_ns
    start = last = clock()
    slices, gaps = [], []
    while n > 0:
        k = STRIDE
        while k > 0:
            k -= 1
        n -= STRIDE
        now = clock()
        if now - last > GAP_NS:
            slices.append(last - start)
            gaps.append(now - last)
            start = now
        last = now
    slices.append(last - start)
    out.append((slices, gaps))


def pct(values, p):
    if not values:
        return 0
    v = sorted(values)
    return v[max(0, (len(v) * p + 99) // 100 - 1)]


def cmd_cpu(threads, n, interval=None):
    if interval is not None:
        sys.setswitchinterval(interval)
    out = []
    if threads == 1:
        t0 = time.perf_counter_ns()
        count(n, out)
        wall = time.perf_counter_ns() - t0
    else:
        ts = [threading.Thread(target=count, args=(n, out)) for _ in range(threads)]
        t0 = time.perf_counter_ns()
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        wall = time.perf_counter_ns() - t0
    slices = [s for sl, _ in out for s in sl[1:-1]] or [s for sl, _ in out for s in sl]
    gaps = [g for _, gp in out for g in gp]
    return {"wall": wall, "slice_p50": pct(slices, 50), "slice_p90": pct(slices, 90),
            "wait_p50": pct(gaps, 50), "wait_p90": pct(gaps, 90)}


def cmd_proc(procs, n):
    ps = [multiprocessing.Process(target=count, args=(n,)) for _ in range(procs)]
    t0 = time.perf_counter_ns()
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    return {"wall": time.perf_counter_ns() - t0}


def sleeper(ops, us, late):
    for _ in range(ops):
        t = time.perf_counter_ns()
        time.sleep(us / 1e6)
        late.append(time.perf_counter_ns() - t - us * 1000)


def cmd_io(threads, ops, us):
    late = []
    ts = [threading.Thread(target=sleeper, args=(ops, us, late)) for _ in range(threads)]
    t0 = time.perf_counter_ns()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return {"wall": time.perf_counter_ns() - t0, "overshoot_p50": pct(late, 50)}


def cmd_mixed(ops, us, n):
    late = []
    cpu = threading.Thread(target=count, args=(n,), daemon=True)
    cpu.start()
    time.sleep(0.02)  # the CPU thread holds the GIL by now
    sleeper(ops, us, late)
    return {"overshoot_p50": pct(late, 50), "overshoot_p90": pct(late, 90)}


def main():
    what, args = sys.argv[1], sys.argv[2:]
    if what == "cpu":
        r = cmd_cpu(int(args[0]), int(args[1]), float(args[2]) if len(args) > 2 else None)
    elif what == "proc":
        r = cmd_proc(int(args[0]), int(args[1]))
    elif what == "io":
        r = cmd_io(int(args[0]), int(args[1]), int(args[2]))
    elif what == "mixed":
        r = cmd_mixed(int(args[0]), int(args[1]), int(args[2]))
    else:
        sys.exit("gil_py.py: unknown workload " + what)
    print(json.dumps(r))


if __name__ == "__main__":
    main()
