#!/usr/bin/env python3
"""queue_py.py - items per second through Python's queue.Queue.

One producer thread puts ITEMS integers into a queue.Queue(maxsize=
CAPACITY) and then one sentinel (None); one consumer thread gets until it
gets the sentinel, calling task_done() for each item; the main thread
join()s the queue.  The figure is ITEMS divided by the time from starting
the two threads to joining them, the same span interleave's items_per_s
measures (its lanes' start to their end).  Prints one line: items/s.

Usage: queue_py.py ITEMS CAPACITY
"""
import queue
import sys
import threading
import time


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: queue_py.py ITEMS CAPACITY\n")
        return 2
    items, capacity = int(sys.argv[1]), int(sys.argv[2])
    q = queue.Queue(maxsize=capacity)
    taken = [0]

    def producer():
        for x in range(items):
            q.put(x)
        q.put(None)  # one sentinel for the one consumer

    def consumer():
        n = 0
        while True:
            x = q.get()
            if x is None:
                q.task_done()
                break
            n += 1
            q.task_done()
        taken[0] = n

    t0 = time.perf_counter()
    threads = [threading.Thread(target=producer), threading.Thread(target=consumer)]
    for t in threads:
        t.start()
    q.join()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    if taken[0] != items:
        sys.stderr.write("queue_py.py: took %d of %d items\n" % (taken[0], items))
        return 1
    print("%.0f" % (items / elapsed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
