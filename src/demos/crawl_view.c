/*
 * crawl_view.c - how the crawler demo is shown (view/view.h).
 *
 * A crawler's row waits for a response from the connect to the response
 * (a thread in a blocking read, a coroutine awaiting its socket), waits
 * idle while the frontier is empty (a Condition, an asyncio.Event), or for
 * the lock.  D marks a request for a page some lane had asked for before:
 * a duplicate fetch.
 *
 * Thread: the front end's main thread.
 */
#include "config.h"

#include "demos/crawl.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "view/draw.h"
#include "view/view.h"
#include "util/vec.h"

enum { CRV_RESPONSE = 0, CRV_IDLE = 1, CRV_TASKS = 2, CRV_LOOP = 3 };

static const WaitClass crv_waits[] = {
    [CRV_RESPONSE] = {"response", "the server's response", "awaits response", 'h', "\u2591", 0},
    [CRV_IDLE] = {"idle", "work (the frontier is empty)", "idle", 'i', "\u2508", 1},
    [CRV_TASKS] = {"tasks", "its fetchers (gather)", "awaits tasks", 'w', "\u2504", 2},
    [CRV_LOOP] = {"select", "epoll_wait (idle)", "loop idle", '_', "\u2581", 3},
};

static int crv_wait_class(const Arena *arena, const int64_t *params, unsigned lane, uint32_t obj)
{
    const char *name = arena_obj_name(arena, obj);

    if (params[CRAWL_P_VARIANT] == CRAWL_ASYNC && lane == 0) {
        return CRV_LOOP;
    }
    if (strcmp(name, "http") == 0 || strncmp(name, "socket", 6) == 0) {
        return CRV_RESPONSE;
    }
    if (strcmp(name, "more") == 0 || strcmp(name, "frontier changed") == 0) {
        return CRV_IDLE;
    }
    if (obj > 0 && obj < ARENA_MAX_OBJS && arena->objs[obj].kind == OBJ_FUTURE) {
        return CRV_TASKS;
    }
    return -1;
}

static bool crv_wait_in_use(const int64_t *params, unsigned k)
{
    int64_t v = params[CRAWL_P_VARIANT];
    return k == CRV_RESPONSE || (k == CRV_IDLE && v != CRAWL_SEQUENTIAL) ||
           ((k == CRV_LOOP || k == CRV_TASKS) && v == CRAWL_ASYNC);
}

/* ---- marks: duplicate fetches ---------------------------------------- */

typedef struct CrvMarks {
    unsigned nlanes;
    size_t *scanned;
    uint64_t *first; /* per page: time + 1 of its first request seen, 0 = none */
    unsigned *first_lane;
    TimelineMark *marks;
    size_t nmarks, cap;
} CrvMarks;

static void crv_marks_free(void *self)
{
    CrvMarks *m = self;
    if (m != NULL) {
        free(m->scanned);
        free(m->first);
        free(m->first_lane);
        free(m->marks);
        free(m);
    }
}

static void *crv_marks_new(const ViewCtx *ctx)
{
    CrvMarks *m = calloc(1, sizeof(*m));
    if (m == NULL) {
        return NULL;
    }
    m->nlanes = run_nlanes(ctx->run);
    m->scanned = calloc(m->nlanes > 0 ? m->nlanes : 1, sizeof(*m->scanned));
    m->first = calloc(CRAWL_MAX_PAGES_VIEW, sizeof(*m->first));
    m->first_lane = calloc(CRAWL_MAX_PAGES_VIEW, sizeof(*m->first_lane));
    if (m->scanned == NULL || m->first == NULL || m->first_lane == NULL) {
        crv_marks_free(m);
        return NULL;
    }
    return m;
}

static void crv_mark(CrvMarks *m, uint64_t t, unsigned lane)
{
    TimelineMark *p = vec_grow(m->marks, &m->cap, m->nmarks + 1, sizeof(*p));
    if (p == NULL) {
        return;
    }
    m->marks = p;
    m->marks[m->nmarks++] =
        (TimelineMark){.t = t, .lane = (uint16_t)lane, .ascii = 'D', .style = UI_ERROR};
}

static void crv_marks_scan(void *self, const ViewCtx *ctx)
{
    CrvMarks *m = self;

    for (unsigned l = 0; l < m->nlanes; l++) {
        const Event *ev;
        size_t n = run_lane_events(ctx->run, l, &ev);
        for (size_t j = m->scanned[l]; j < n; j++) {
            uint64_t p;
            if (ev[j].kind != EV_NET_CONNECT || ev[j].value < 0 ||
                ev[j].value >= CRAWL_MAX_PAGES_VIEW) {
                continue;
            }
            p = (uint64_t)ev[j].value;
            if (m->first[p] == 0) {
                m->first[p] = ev[j].t + 1;
                m->first_lane[p] = l;
            } else if (ev[j].t + 1 >= m->first[p]) {
                crv_mark(m, ev[j].t, l); /* asked for again */
            } else {
                /* the one seen first came later: it is the duplicate */
                crv_mark(m, m->first[p] - 1, m->first_lane[p]);
                m->first[p] = ev[j].t + 1;
                m->first_lane[p] = l;
            }
        }
        m->scanned[l] = n;
    }
}

static size_t crv_marks_get(void *self, const TimelineMark **out)
{
    CrvMarks *m = self;
    *out = m->marks;
    return m->nmarks;
}

static const MarkSource crv_marks = {
    .new = crv_marks_new,
    .free = crv_marks_free,
    .scan = crv_marks_scan,
    .marks = crv_marks_get,
};

static const LegendItem crv_legend[] = {
    {'D', NULL, UI_ERROR, "duplicate fetch"},
};

static bool crv_summary(const ViewCtx *ctx, StrBuf *out)
{
    const Arena *a = ctx->arena;
    int64_t fetched, requests, dup, missed, rate;

    if (run_verdict(ctx->run) != VERDICT_COMPLETED || !arena_result_get(a, "fetched", &fetched) ||
        !arena_result_get(a, "requests", &requests) || !arena_result_get(a, "duplicates", &dup) ||
        !arena_result_get(a, "unfetched", &missed)) {
        return false;
    }
    strbuf_addf(out, "completed: %" PRId64 " pages in %" PRId64 " requests", fetched, requests);
    if (arena_result_get(a, "pages_per_s", &rate)) {
        strbuf_addf(out, ", %" PRId64 " pages/s", rate);
    }
    if (dup > 0) {
        strbuf_addf(out, "; %" PRId64 " fetched twice or more", dup);
    }
    if (missed > 0) {
        strbuf_addf(out, "; %" PRId64 " missed", missed);
    }
    return dup == 0 && missed == 0;
}

const DemoView crawl_view = {
    .waits = crv_waits,
    .nwaits = ARRAY_SIZE(crv_waits),
    .wait_class = crv_wait_class,
    .wait_in_use = crv_wait_in_use,
    .legend = crv_legend,
    .nlegend = ARRAY_SIZE(crv_legend),
    .marks = &crv_marks,
    .code_window = true,
    .summary = crv_summary,
};
