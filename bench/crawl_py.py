#!/usr/bin/env python3
"""crawl_py.py - the course's crawlers in Python, against interleave's
local server (bench/crawl-server): the same page graph, the same delay.

Modes, each starting at /p/0 and fetching every page it finds a link to,
each page once:
  sequential  one loop, a plain socket per request
  threads     WORKERS threading.Thread workers sharing a frontier list and
              a visited set under one Lock (a Condition for idle workers)
  futures     a concurrent.futures.ThreadPoolExecutor(WORKERS): submit a
              fetch per new page, wait(FIRST_COMPLETED), submit the links
  asyncio     WORKERS coroutines on one event loop, asyncio.open_connection
              per request, an asyncio.Event for idle fetchers; no lock

Prints one line: "pages N seconds S pages_per_s R" (from the first request
to the last response).  Standard library only.

Usage: crawl_py.py MODE PORT WORKERS
"""
import asyncio
import re
import socket
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

LINK = re.compile(rb'href="/p/(\d+)"')


def request(page):
    return ("GET /p/%d HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" % page).encode()


def get(port, page):
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(request(page))
        chunks = []
        while True:
            b = s.recv(4096)
            if not b:
                break
            chunks.append(b)
    return b"".join(chunks)


def links(html):
    return [int(m) for m in LINK.findall(html)]


def sequential(port, workers):
    frontier, visited = [0], set()
    while frontier:
        page = frontier.pop(0)
        if page in visited:
            continue
        visited.add(page)
        frontier += [p for p in links(get(port, page)) if p not in visited]
    return len(visited)


def threads(port, workers):
    frontier, visited = [0], set()
    lock = threading.Lock()
    more = threading.Condition(lock)
    busy = [0]

    def worker():
        while True:
            with lock:
                while not frontier and busy[0]:
                    more.wait()
                if not frontier:
                    more.notify_all()
                    return
                page = frontier.pop(0)
                if page in visited:
                    continue
                visited.add(page)
                busy[0] += 1
            found = links(get(port, page))
            with lock:
                frontier.extend(p for p in found if p not in visited)
                busy[0] -= 1
                more.notify_all()

    ts = [threading.Thread(target=worker) for _ in range(workers)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return len(visited)


def futures(port, workers):
    visited = {0}
    with ThreadPoolExecutor(max_workers=workers) as ex:
        pending = {ex.submit(get, port, 0)}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                for p in links(f.result()):
                    if p not in visited:
                        visited.add(p)
                        pending.add(ex.submit(get, port, p))
    return len(visited)


def run_asyncio(port, workers):
    async def main():
        frontier, visited = [0], set()
        changed = asyncio.Event()
        busy = [0]

        async def aget(page):
            r, w = await asyncio.open_connection("127.0.0.1", port)
            w.write(request(page))
            data = await r.read()
            w.close()
            return data

        async def fetcher():
            while True:
                while not frontier:
                    if busy[0] == 0:
                        changed.set()
                        return
                    changed.clear()
                    await changed.wait()
                page = frontier.pop(0)
                if page in visited:
                    continue
                visited.add(page)  # no await since the check: no lock needed
                busy[0] += 1
                found = links(await aget(page))
                frontier.extend(p for p in found if p not in visited)
                busy[0] -= 1
                changed.set()

        await asyncio.gather(*(fetcher() for _ in range(workers)))
        return len(visited)

    return asyncio.run(main())


MODES = {"sequential": sequential, "threads": threads, "futures": futures, "asyncio": run_asyncio}


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in MODES:
        sys.stderr.write("usage: crawl_py.py sequential|threads|futures|asyncio PORT WORKERS\n")
        return 2
    port, workers = int(sys.argv[2]), int(sys.argv[3])
    t0 = time.perf_counter()
    pages = MODES[sys.argv[1]](port, workers)
    secs = time.perf_counter() - t0
    print("pages %d seconds %.6f pages_per_s %.1f" % (pages, secs, pages / secs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
