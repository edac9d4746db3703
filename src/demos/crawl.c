/*
 * crawl.c - the crawler demo: the course's practical exercise.
 *
 * Setup starts a small HTTP server inside the run's sandbox
 * (crawl_server.h) on 127.0.0.1, on a free port, serving `pages` pages of
 * `fanout` links each, every response held back `delay_ms`; it stops with
 * the run (finish stops it; a run that ends otherwise takes it down with
 * the sandbox: its sockets close when the process exits).  The crawlers
 * start at page 0 and fetch every page they find a link to, over real
 * sockets:
 *
 *   sequential      one lane: fetch, parse, repeat
 *   threads         `workers` threads share a frontier queue and a
 *                   visited set, both under one lock (a Condition for
 *                   the idle workers): each page fetched exactly once
 *   threads_nolock  the same, but the visited set without the lock
 *                   (BROKEN ON PURPOSE): a worker checks, fetches, and
 *                   only then marks the page, so two workers that take
 *                   the same page meanwhile both fetch it
 *   asyncio         an event loop (lane A) with main (B) and `workers`
 *                   fetching coroutines: no lock at all, because nothing
 *                   awaits between the check and the mark
 *
 * Every request shows on its lane's row from the connect to the response.
 * The server counts the requests for each page, so the figures are what
 * it served: fetched (distinct pages), requests, duplicates, missed, the
 * crawl's time and pages per second.
 */
#include "config.h"

#include "demos/crawl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "demos/crawl_server.h"
#include "prims/il_cond.h"
#include "prims/il_loop.h"
#include "prims/il_mutex.h"
#include "prims/il_net.h"
#include "prims/il_shared.h"

#define CRAWL_QCAP 8192 /* frontier entries: links are queued once per fetch of their page */

typedef struct CrawlState {
    Arena *arena;
    CrawlServer server;
    _Atomic uint32_t hits[CRAWL_MAX_PAGES]; /* written by the server thread */
    int64_t variant;                        /* immutable after setup */
    unsigned pages, fanout, workers;
    IlVar *visited;             /* visited[0..pages-1]: 1 once a crawler marked the page */
    IlMutex lock;               /* threads: guards the frontier (and, threads, the visited set) */
    IlCond more;                /* threads: idle workers wait here for the frontier or the end */
    unsigned queue[CRAWL_QCAP]; /* the frontier: GUARDED_BY(lock), or the loop's thread */
    unsigned qhead, qcount;
    unsigned busy; /* fetches in flight: GUARDED_BY(lock), or the loop's thread */
    int lbl_http, lbl_parse;
    IlLoop loop;
    IlTask task[1 + CRAWL_MAX_WORKERS]; /* asyncio: main, then the fetchers */
    IlChan chan[CRAWL_MAX_WORKERS];     /* asyncio: each fetcher's socket */
    IlLoopEvent changed;                /* asyncio: the frontier or the end changed */
    _Atomic uint64_t t_first;           /* arena time + 1 of the first request */
    _Atomic uint64_t t_last;            /* arena time of the last response */
} CrawlState;

static unsigned crawl_lanes(const int64_t *params)
{
    switch (params[CRAWL_P_VARIANT]) {
    case CRAWL_SEQUENTIAL:
        return 1;
    case CRAWL_ASYNC:
        return 2 + (unsigned)params[CRAWL_P_WORKERS];
    default:
        return (unsigned)params[CRAWL_P_WORKERS];
    }
}

static LaneKind crawl_lane_kind(const int64_t *params, unsigned lane)
{
    return params[CRAWL_P_VARIANT] == CRAWL_ASYNC && lane > 0 ? LANE_KIND_COROUTINE
                                                              : LANE_KIND_THREAD;
}

static uint64_t crawl_events_per_lane(const int64_t *params)
{
    /* a lane may fetch every page: some 20 events a page, with the awaits */
    return (uint64_t)params[CRAWL_P_PAGES] * 40 + 256;
}

static uint64_t crawl_shared_bytes(const int64_t *params)
{
    (void)params;
    return sizeof(CrawlState) + 65536;
}

static void crawl_push(CrawlState *st, unsigned page)
{
    if (st->qcount < CRAWL_QCAP) {
        st->queue[(st->qhead + st->qcount) % CRAWL_QCAP] = page;
        st->qcount++;
    }
}

static unsigned crawl_pop(CrawlState *st)
{
    unsigned p = st->queue[st->qhead];
    st->qhead = (st->qhead + 1) % CRAWL_QCAP;
    st->qcount--;
    return p;
}

static int crawl_setup(DemoCtx *ctx)
{
    CrawlState *st = shared_heap_alloc(ctx->heap, 1, sizeof(*st));
    Arena *a = ctx->arena;
    int rc = 0;

    if (st == NULL) {
        return -ENOMEM;
    }
    st->arena = a;
    st->variant = ctx->params[CRAWL_P_VARIANT];
    st->pages = (unsigned)ctx->params[CRAWL_P_PAGES];
    st->fanout = (unsigned)ctx->params[CRAWL_P_FANOUT];
    st->workers = (unsigned)ctx->params[CRAWL_P_WORKERS];
    st->visited = il_slots_new(a, "visited", st->pages, 0);
    st->lbl_http = il_label_new(a, "http");
    st->lbl_parse = il_label_new(a, "parse");
    if (st->visited == NULL || st->lbl_http < 0 || st->lbl_parse < 0) {
        return -ENOSPC;
    }
    crawl_push(st, 0); /* the start page */
    switch (st->variant) {
    case CRAWL_SEQUENTIAL:
        rc = arena_lane_set_name(a, 0, "MainThread");
        break;
    case CRAWL_THREADS:
    case CRAWL_THREADS_NOLOCK:
        rc = il_mutex_init(&st->lock, a, "lock");
        if (rc == 0) {
            rc = il_cond_init(&st->more, a, "more");
        }
        for (unsigned k = 0; rc == 0 && k < st->workers; k++) {
            char name[48];
            snprintf(name, sizeof(name), "ThreadPoolExecutor-0_%u", k);
            rc = arena_lane_set_name(a, k, name);
        }
        break;
    case CRAWL_ASYNC:
        rc = il_loop_init(&st->loop, a, ctx->nlanes);
        if (rc == 0) {
            rc = il_loop_event_init(&st->changed, &st->loop, "frontier changed");
        }
        if (rc == 0) {
            rc = arena_lane_set_name(a, 0, "MainThread: the event loop");
        }
        for (unsigned k = 0; rc == 0 && k <= st->workers; k++) {
            char name[32];
            snprintf(name, sizeof(name), k == 0 ? "main()" : "fetcher(%u)", k);
            rc = il_task_init(&st->task[k], &st->loop, 1 + k, name);
            if (rc == 0) {
                rc = arena_lane_set_name(a, 1 + k, name);
            }
            if (rc == 0 && k > 0) {
                snprintf(name, sizeof(name), "socket %u", k);
                rc = il_chan_init(&st->chan[k - 1], &st->loop, -1, name);
            }
        }
        break;
    default:
        break;
    }
    if (rc < 0) {
        return rc;
    }
    /* the server last: nothing above can fail and leave it running */
    rc = crawl_server_start(&st->server, st->pages, st->fanout,
                            (uint32_t)ctx->params[CRAWL_P_DELAY_MS] * 1000u, st->hits);
    if (rc < 0) {
        return rc;
    }
    /* the port as a shared variable: the front end sees it from the start */
    if (il_var_new(a, "port", st->server.port) == NULL) {
        crawl_server_stop(&st->server);
        return -ENOSPC;
    }
    ctx->state = st;
    return 0;
}

/* Fetch page (a thread) and return its links in links[]: how many. */
static unsigned crawl_fetch(CrawlState *st, unsigned page, unsigned *links)
{
    char buf[CRAWL_PAGE_MAX];
    ssize_t n;
    uint64_t zero = 0;

    (void)atomic_compare_exchange_strong(&st->t_first, &zero, arena_time(st->arena) + 1);
    n = il_http_get(st->lbl_http, st->server.port, page, buf, sizeof(buf));
    atomic_store(&st->t_last, arena_time(st->arena));
    if (n <= 0) {
        return 0;
    }
    return crawl_parse_links(buf, (size_t)n, links, CRAWL_MAX_FANOUT);
}

/* ---- sequential ---------------------------------------------------- */

static void crawl_sequential(CrawlState *st)
{
    unsigned links[CRAWL_MAX_FANOUT];

    while (st->qcount > 0) {
        unsigned page = crawl_pop(st);
        unsigned n;
        if (il_load(&st->visited[page]) != 0) {
            continue;
        }
        il_store(&st->visited[page], 1);
        n = crawl_fetch(st, page, links);
        (void)il_compute(st->lbl_parse, n);
        for (unsigned i = 0; i < n; i++) {
            if (links[i] < st->pages && il_var_peek(&st->visited[links[i]]) == 0) {
                crawl_push(st, links[i]);
            }
        }
        il_progress();
    }
}

/* ---- a thread pool --------------------------------------------------- */

/* Take the next page of the frontier, waiting while it is empty and some
 * fetch may still add to it.  Returns false at the end of the crawl.
 * Called and returns with the lock held. */
static bool crawl_take(CrawlState *st, unsigned *page)
{
    while (st->qcount == 0 && st->busy > 0) {
        il_cond_wait(&st->more, &st->lock);
    }
    if (st->qcount == 0) {
        il_cond_broadcast(&st->more); /* the end: wake the others to see it */
        return false;
    }
    *page = crawl_pop(st);
    return true;
}

/* A fetch is over: queue its new links, one fetch fewer in flight. */
static void crawl_done(CrawlState *st, const unsigned *links, unsigned n)
{
    il_mutex_lock(&st->lock);
    for (unsigned i = 0; i < n; i++) {
        if (links[i] < st->pages && il_var_peek(&st->visited[links[i]]) == 0) {
            crawl_push(st, links[i]);
        }
    }
    st->busy--;
    il_cond_broadcast(&st->more);
    il_mutex_unlock(&st->lock);
}

static void crawl_worker(CrawlState *st)
{
    unsigned links[CRAWL_MAX_FANOUT], page, n;

    il_mutex_lock(&st->lock);
    while (crawl_take(st, &page)) {
        /* check and mark under the lock: one worker per page */
        if (il_load(&st->visited[page]) != 0) {
            continue;
        }
        il_store(&st->visited[page], 1);
        st->busy++;
        il_mutex_unlock(&st->lock);
        n = crawl_fetch(st, page, links);
        (void)il_compute(st->lbl_parse, n);
        crawl_done(st, links, n);
        il_progress();
        il_mutex_lock(&st->lock);
    }
    il_mutex_unlock(&st->lock);
}

/* BROKEN ON PURPOSE: the visited set without the lock.  The worker checks
 * the page, fetches it, and marks it only afterwards: another worker that
 * takes the same page before the mark (it is in the frontier once per page
 * that links to it) fetches it again.  Every page is still fetched at
 * least once: the check lets no page through unfetched. */
static void crawl_worker_nolock_broken(CrawlState *st)
{
    unsigned links[CRAWL_MAX_FANOUT], page, n;

    il_mutex_lock(&st->lock);
    while (crawl_take(st, &page)) {
        st->busy++;
        il_mutex_unlock(&st->lock);
        if (il_load(&st->visited[page]) != 0) { /* check, no lock */
            n = 0;
        } else {
            n = crawl_fetch(st, page, links);
            il_store(&st->visited[page], 1); /* mark, long after the check */
            (void)il_compute(st->lbl_parse, n);
            il_progress();
        }
        crawl_done(st, links, n);
        il_mutex_lock(&st->lock);
    }
    il_mutex_unlock(&st->lock);
}

/* ---- an event loop --------------------------------------------------- */

static void crawl_fetcher(CrawlState *st, unsigned k)
{
    unsigned links[CRAWL_MAX_FANOUT];
    char buf[CRAWL_PAGE_MAX];

    for (;;) {
        unsigned page, n = 0;
        ssize_t got;
        uint64_t zero = 0;

        while (st->qcount == 0) {
            if (st->busy == 0) {
                il_loop_event_set(&st->changed); /* the end: wake the others to see it */
                return;
            }
            il_loop_event_clear(&st->changed);
            if (il_loop_event_wait(&st->changed) < 0) {
                return;
            }
        }
        page = crawl_pop(st);
        /* check and mark with no await between: no other coroutine runs */
        if (il_load(&st->visited[page]) != 0) {
            continue;
        }
        il_store(&st->visited[page], 1);
        st->busy++;
        (void)atomic_compare_exchange_strong(&st->t_first, &zero, arena_time(st->arena) + 1);
        got =
            il_co_http_get(&st->chan[k - 1], st->lbl_http, st->server.port, page, buf, sizeof(buf));
        atomic_store(&st->t_last, arena_time(st->arena));
        if (got > 0) {
            n = crawl_parse_links(buf, (size_t)got, links, CRAWL_MAX_FANOUT);
        }
        (void)il_compute(st->lbl_parse, n);
        for (unsigned i = 0; i < n; i++) {
            if (links[i] < st->pages && il_var_peek(&st->visited[links[i]]) == 0) {
                crawl_push(st, links[i]);
            }
        }
        st->busy--;
        il_loop_event_set(&st->changed);
        il_progress();
    }
}

static void crawl_async_main(CrawlState *st)
{
    IlTask *all[CRAWL_MAX_WORKERS];
    for (unsigned k = 0; k < st->workers; k++) {
        all[k] = &st->task[1 + k];
    }
    (void)il_gather(all, st->workers);
}

static void crawl_lane(DemoCtx *ctx, unsigned lane)
{
    CrawlState *st = ctx->state;

    switch (st->variant) {
    case CRAWL_SEQUENTIAL:
        crawl_sequential(st);
        break;
    case CRAWL_THREADS:
        crawl_worker(st);
        break;
    case CRAWL_THREADS_NOLOCK:
        crawl_worker_nolock_broken(st);
        break;
    case CRAWL_ASYNC:
        if (lane == 0) {
            (void)il_loop_run(&st->loop, &st->task[0]);
        } else if (lane == 1) {
            crawl_async_main(st);
        } else {
            crawl_fetcher(st, lane - 1);
        }
        break;
    default:
        break;
    }
}

static void crawl_finish(DemoCtx *ctx, int verdict)
{
    CrawlState *st = ctx->state;
    Arena *a = ctx->arena;
    int64_t fetched = 0, requests = 0, missed = 0;
    uint64_t t0, t1;

    if (st == NULL) {
        return;
    }
    if (verdict == VERDICT_COMPLETED) {
        crawl_server_stop(&st->server); /* every lane is done with it */
    }
    for (unsigned p = 0; p < st->pages; p++) {
        uint32_t h = atomic_load(&st->hits[p]);
        fetched += h > 0;
        requests += h;
    }
    missed = (int64_t)st->pages - fetched;
    t0 = atomic_load(&st->t_first);
    t1 = atomic_load(&st->t_last);
    (void)arena_result_add(a, "fetched", fetched);
    (void)arena_result_add(a, "requests", requests);
    (void)arena_result_add(a, "duplicates", requests - fetched);
    (void)arena_result_add(a, "unfetched", missed);
    (void)arena_result_add(a, "crawl_time", t0 > 0 && t1 >= t0 - 1 ? (int64_t)(t1 - (t0 - 1)) : 0);
    if (!a->stepping && t0 > 0 && t1 > t0 - 1) {
        (void)arena_result_add(a, "pages_per_s", fetched * 1000000000 / (int64_t)(t1 - (t0 - 1)));
    }
    (void)arena_result_add(a, "port", st->server.port);
}

/* ---- pseudo-code and Python ---------------------------------------- */

static const DemoCodeLine crawl_code_seq[] = {
    {"frontier = [0]; visited = set()", EV_NONE, NULL},
    {"while frontier:", EV_NONE, NULL},
    {"    page = frontier.pop()", EV_NONE, NULL},
    {"    if page in visited: continue", EV_LOAD, NULL},
    {"    visited.add(page)", EV_STORE, NULL},
    {"    html = get(page)", EV_NET_CONNECT, NULL},
    {"    frontier += links(html)", EV_COMPUTE, "parse"},
};
static const char *const crawl_py_seq[] = {
    "frontier, visited = [0], set()", "while frontier:",
    "    page = frontier.pop(0)",     "    if page in visited: continue",
    "    visited.add(page)",          "    html = urlopen(f\"{base}/p/{page}\").read()",
    "    frontier += links(html)",
};

static const DemoCodeLine crawl_code_threads[] = {
    {"worker (one of N):", EV_NONE, NULL},
    {"  with lock:", EV_LOCK_ACQUIRE, NULL},
    {"    while not frontier and busy:", EV_NONE, NULL},
    {"        more.wait()", EV_COND_WAIT, NULL},
    {"    page = frontier.pop()", EV_NONE, NULL},
    {"    if page in visited: continue", EV_LOAD, NULL},
    {"    visited.add(page); busy += 1", EV_STORE, NULL},
    {"  html = get(page)   # lock released", EV_NET_CONNECT, NULL},
    {"  with lock: frontier += links", EV_COMPUTE, "parse"},
    {"    busy -= 1; more.notify_all()", EV_COND_BROADCAST, NULL},
};
static const char *const crawl_py_threads[] = {
    "def worker():",
    "    with lock:",
    "        while not frontier and busy:",
    "            more.wait()   # more = Condition(lock)",
    "        page = frontier.pop(0)",
    "        if page in visited: continue",
    "        visited.add(page); busy += 1",
    "    html = urlopen(f\"{base}/p/{page}\").read()",
    "    with lock: frontier += links(html)",
    "        busy -= 1; more.notify_all()",
};

static const DemoCodeLine crawl_code_nolock[] = {
    {"worker (one of N):", EV_NONE, NULL},
    {"  with lock: page = frontier.pop()", EV_LOCK_ACQUIRE, NULL},
    {"  if page in visited: continue", EV_LOAD, NULL},
    {"  html = get(page)   # no lock!", EV_NET_CONNECT, NULL},
    {"  visited.add(page)  # too late", EV_STORE, NULL},
    {"  with lock: frontier += links", EV_COMPUTE, "parse"},
};
static const char *const crawl_py_nolock[] = {
    "def worker():  # BROKEN: visited unguarded",
    "    with lock: page = frontier.pop(0)",
    "    if page in visited: return",
    "    html = urlopen(f\"{base}/p/{page}\").read()",
    "    visited.add(page)",
    "    with lock: frontier += links(html)",
};

static const DemoCodeLine crawl_code_async[] = {
    {"fetcher (one of N coroutines):", EV_CO_START, NULL},
    {"  while not frontier:", EV_NONE, NULL},
    {"      await changed.wait()", EV_AWAIT_EVENT, NULL},
    {"  page = frontier.pop()", EV_NONE, NULL},
    {"  if page in visited: continue", EV_LOAD, NULL},
    {"  visited.add(page)  # no await: no lock", EV_STORE, NULL},
    {"  html = await get(page)", EV_AWAIT_IO, NULL},
    {"  frontier += links(html)", EV_COMPUTE, "parse"},
};
static const char *const crawl_py_async[] = {
    "async def fetcher():",
    "    while not frontier:",
    "        await changed.wait()",
    "    page = frontier.pop(0)",
    "    if page in visited: continue",
    "    visited.add(page)",
    "    r, w = await asyncio.open_connection(host, port)",
    "    frontier += links(await r.read())",
};

#define CRAWL_PY(v, arr) [v] = {arr, ARRAY_SIZE(arr)}
static const struct {
    const char *const *lines;
    size_t n;
} crawl_python[] = {
    CRAWL_PY(CRAWL_SEQUENTIAL, crawl_py_seq),
    CRAWL_PY(CRAWL_THREADS, crawl_py_threads),
    CRAWL_PY(CRAWL_THREADS_NOLOCK, crawl_py_nolock),
    CRAWL_PY(CRAWL_ASYNC, crawl_py_async),
};

static const char *const *crawl_py(const int64_t *params, size_t *n)
{
    int64_t v = params[CRAWL_P_VARIANT];
    if (v < 0 || v >= (int64_t)ARRAY_SIZE(crawl_python)) {
        *n = 0;
        return NULL;
    }
    *n = crawl_python[v].n;
    return crawl_python[v].lines;
}

static const DemoVariant crawl_variants[] = {
    [CRAWL_SEQUENTIAL] = {"sequential", "one thread fetches one page after the other", false,
                          crawl_lane, crawl_code_seq, ARRAY_SIZE(crawl_code_seq)},
    [CRAWL_THREADS] = {"threads",
                       "a pool of worker threads, the visited set under a lock: each page once",
                       false, crawl_lane, crawl_code_threads, ARRAY_SIZE(crawl_code_threads)},
    [CRAWL_THREADS_NOLOCK] = {"threads_nolock",
                              "the visited set without the lock: pages fetched twice", true,
                              crawl_lane, crawl_code_nolock, ARRAY_SIZE(crawl_code_nolock)},
    [CRAWL_ASYNC] = {"asyncio", "an event loop with N fetching coroutines, no lock needed", false,
                     crawl_lane, crawl_code_async, ARRAY_SIZE(crawl_code_async)},
};

static const DemoParam crawl_params[] = {
    [CRAWL_P_VARIANT] = {"variant", "how the pages are fetched", 0, 3, CRAWL_SEQUENTIAL, NULL,
                         crawl_variants},
    [CRAWL_P_PAGES] = {"pages", "pages on the local server (all reachable from page 0)", 2,
                       CRAWL_MAX_PAGES, 30, NULL, NULL},
    [CRAWL_P_FANOUT] = {"fanout", "links on each page", 1, CRAWL_MAX_FANOUT, 3, NULL, NULL},
    [CRAWL_P_WORKERS] = {"workers", "threads or concurrent fetches", 1, CRAWL_MAX_WORKERS, 4, NULL,
                         NULL},
    [CRAWL_P_DELAY_MS] = {"delay_ms", "the server's delay before each response (ms)", 0, 1000, 20,
                          NULL, NULL},
};

static const DemoResultField crawl_results[] = {
    {"fetched", DEMO_UNIT_COUNT, "distinct pages the server served"},
    {"requests", DEMO_UNIT_COUNT, "requests the server served"},
    {"duplicates", DEMO_UNIT_COUNT, "requests beyond the first for a page: pages fetched twice"},
    {"unfetched", DEMO_UNIT_COUNT, "pages never fetched"},
    {"crawl_time", DEMO_UNIT_TIME, "from the first request to the last response"},
    {"pages_per_s", DEMO_UNIT_RATE, "free mode: distinct pages per second of crawl time"},
    {"port", DEMO_UNIT_COUNT, "the server's port on 127.0.0.1 (closed once the run is over)"},
};

const DemoClass crawl_demo = {
    .name = "crawl",
    .summary = "crawl a local web server sequentially, with threads, and with an event loop",
    .params = crawl_params,
    .nparams = ARRAY_SIZE(crawl_params),
    .lanes = crawl_lanes,
    .events_per_lane = crawl_events_per_lane,
    .setup = crawl_setup,
    .lane_main = crawl_lane,
    .finish = crawl_finish,
    .results = crawl_results,
    .nresults = ARRAY_SIZE(crawl_results),
    .view = &crawl_view,
    .lane_kind = crawl_lane_kind,
    .shared_bytes = crawl_shared_bytes,
    .python = crawl_py,
};
