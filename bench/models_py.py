#!/usr/bin/env python3
"""models_py.py - the models demo's table in Python: the same tasks (CPU
work or a wait of SIZE_MS each) run sequentially, with threads, with
processes and on an event loop, on every CPU or on one.

CPU work is a pure-Python multiply-add loop calibrated at the start to
take SIZE_MS of CPU time; I/O work is time.sleep (asyncio.sleep on the loop).
Threads share CPython's GIL (unless this is a free-threaded build).
cores=one pins this process (and the processes it starts) to one CPU
with os.sched_setaffinity.  Prints one line: "elapsed S" (seconds from
the first task's start to the last one's end).  Standard library only.

Usage: models_py.py cpu|io sequential|threads|processes|asyncio TASKS SIZE_MS all|one
"""
import asyncio
import os
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor


def spin(n):
    x = 1
    for _ in range(n):
        x = (x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
    return x


def calibrate(size_ms):
    """Iterations of spin that take size_ms of CPU time: the best of a few
    timings, in CPU time (time.thread_time), so a busy machine does not make
    the work smaller."""
    n, best = 200000, 0.0
    for _ in range(3):
        t0 = time.thread_time()
        spin(n)
        dt = time.thread_time() - t0
        best = max(best, n / dt)
    return int(best * size_ms / 1000.0)


def cpu_task(iters):
    spin(iters)


def io_task(size_s):
    time.sleep(size_s)


def main():
    if len(sys.argv) != 6:
        sys.stderr.write(__doc__.split("Usage: ")[1])
        return 2
    work, variant, tasks, size_ms, cores = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
        int(sys.argv[4]), sys.argv[5]
    if cores == "one":
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    arg = calibrate(size_ms) if work == "cpu" else size_ms / 1000.0
    fn = cpu_task if work == "cpu" else io_task
    if variant == "processes":
        ex = ProcessPoolExecutor(max_workers=tasks)
        list(ex.map(int, range(tasks)))  # start the workers before the clock
    t0 = time.perf_counter()
    if variant == "sequential":
        for _ in range(tasks):
            fn(arg)
    elif variant == "threads":
        ts = [threading.Thread(target=fn, args=(arg,)) for _ in range(tasks)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    elif variant == "processes":
        list(ex.map(fn, [arg] * tasks))
    elif variant == "asyncio":
        async def one():
            if work == "cpu":
                spin(arg)  # no await: the loop runs one at a time
            else:
                await asyncio.sleep(arg)

        async def run():
            await asyncio.gather(*(one() for _ in range(tasks)))

        asyncio.run(run())
    else:
        sys.stderr.write("unknown variant %s\n" % variant)
        return 2
    print("elapsed %.6f" % (time.perf_counter() - t0))
    if variant == "processes":
        ex.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
