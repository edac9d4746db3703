#!/usr/bin/env python3
"""pool_py.py - the Python side of bench/pool_dispatch.sh.

  pool_py.py dispatch TASKS CHUNK   seconds per trivial task through
                                    ProcessPoolExecutor(2).map(chunksize=CHUNK)
  pool_py.py cpu TASKS LOOPS        seconds for TASKS CPU-bound tasks (LOOPS
                                    iterations of a pure-Python loop each),
                                    one after another in this process, then
                                    through ProcessPoolExecutor(2).map

Prints one line of numbers: dispatch: the seconds per task; cpu: the
sequential and the pool's seconds.  The pool's worker processes are started
(one warm-up map) before the clock starts, as interleave's are before its
parent's first submit.
"""
import sys
import time
from concurrent.futures import ProcessPoolExecutor


def trivial(x):
    return x


def spin(loops):
    x = 0
    for i in range(loops):
        x ^= (x << 1) ^ i
        x &= 0xFFFFFFFF
    return x


def main():
    what, tasks, arg = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(trivial, range(8)))  # start both workers
        if what == "dispatch":
            t = time.perf_counter()
            list(pool.map(trivial, range(tasks), chunksize=arg))
            print("%.9f" % ((time.perf_counter() - t) / tasks))
            return
        t = time.perf_counter()
        for _ in range(tasks):
            spin(arg)
        seq = time.perf_counter() - t
        t = time.perf_counter()
        list(pool.map(spin, [arg] * tasks))
        print("%.6f %.6f" % (seq, time.perf_counter() - t))


if __name__ == "__main__":
    main()
