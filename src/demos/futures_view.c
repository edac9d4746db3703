/*
 * futures_view.c - how the thread-pool demo is shown (view/view.h).
 *
 * A worker's row waits for a task (the work queue is empty), runs one, and
 * goes back; main's row waits in result() for a future, in as_completed()
 * for the next one to finish, or in join() for a thread: each wait its own
 * glyph and colour.  Marks: E where a task or a thread raised, K at the end
 * of a daemon thread's row when the run cut it off.  The lanes table and
 * the reports name every lane (MainThread, ThreadPoolExecutor-0_0, ...).
 *
 * Thread: the front end's main thread.
 */
#include "config.h"

#include "demos/futures.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view/draw.h"
#include "view/view.h"
#include "util/vec.h"

enum { FUTW_TASK = 0, FUTW_RESULT = 1, FUTW_COMPLETED = 2, FUTW_JOIN = 3 };

static const WaitClass futw_waits[] = {
    [FUTW_TASK] = {"task", "a task (the queue is empty)", "idle worker", 'i', "\u2508", 0},
    [FUTW_RESULT] = {"result", "result() of a future", "result()", 'r', "\u2504", 1},
    [FUTW_COMPLETED] = {"as_completed", "the next task to finish", "as_completed", 'c', "\u2506",
                        2},
    [FUTW_JOIN] = {"join", "join() of a thread", "join()", 'j', "\u2591", 3},
};

static int futw_wait_class(const Arena *arena, const int64_t *params, unsigned lane, uint32_t obj)
{
    const char *name = arena_obj_name(arena, obj);

    (void)params;
    (void)lane;
    if (strcmp(name, "work queue") == 0) {
        return FUTW_TASK;
    }
    if (strcmp(name, "completed") == 0) {
        return FUTW_COMPLETED;
    }
    if (strncmp(name, "future ", 7) == 0) {
        return FUTW_RESULT;
    }
    if (arena->objs[obj].kind == OBJ_FUTURE) {
        return FUTW_JOIN; /* a thread's handle */
    }
    return -1;
}

static bool futw_wait_in_use(const int64_t *params, unsigned k)
{
    int64_t v = params[FUT_P_VARIANT];
    bool pool = v <= FUTV_SHUTDOWN_NOWAIT;

    switch (k) {
    case FUTW_TASK:
    case FUTW_RESULT:
        return pool;
    case FUTW_COMPLETED:
        return v == FUTV_AS_COMPLETED;
    default:
        return !pool || v != FUTV_SHUTDOWN_NOWAIT;
    }
}

/* ---- marks: raised, cut off ---------------------------------------- */

typedef struct FutwMarks {
    unsigned nlanes;
    size_t *scanned;
    TimelineMark *marks;
    size_t nmarks, cap;
    bool cut; /* the daemon's mark is placed */
} FutwMarks;

static void futw_marks_free(void *self)
{
    FutwMarks *m = self;
    if (m != NULL) {
        free(m->scanned);
        free(m->marks);
        free(m);
    }
}

static void *futw_marks_new(const ViewCtx *ctx)
{
    FutwMarks *m = calloc(1, sizeof(*m));
    if (m == NULL) {
        return NULL;
    }
    m->nlanes = run_nlanes(ctx->run);
    m->scanned = calloc(m->nlanes > 0 ? m->nlanes : 1, sizeof(*m->scanned));
    if (m->scanned == NULL) {
        futw_marks_free(m);
        return NULL;
    }
    return m;
}

static void futw_mark(FutwMarks *m, uint64_t t, unsigned lane, char c)
{
    TimelineMark *p = vec_grow(m->marks, &m->cap, m->nmarks + 1, sizeof(*p));
    if (p == NULL) {
        return;
    }
    m->marks = p;
    m->marks[m->nmarks++] =
        (TimelineMark){.t = t, .lane = (uint16_t)lane, .ascii = c, .style = UI_ERROR};
}

static void futw_marks_scan(void *self, const ViewCtx *ctx)
{
    FutwMarks *m = self;
    const DemoClass *demo = ctx->cfg->demo;

    for (unsigned l = 0; l < m->nlanes; l++) {
        const Event *ev;
        size_t n = run_lane_events(ctx->run, l, &ev);
        for (size_t j = m->scanned[l]; j < n; j++) {
            if (ev[j].kind == EV_FUT_RAISE) {
                futw_mark(m, ev[j].t, l, 'E');
            }
        }
        m->scanned[l] = n;
        /* a daemon lane with no end when the run is over was cut off */
        if (!m->cut && run_done(ctx->run) && demo->lane_daemon != NULL &&
            demo->lane_daemon(ctx->cfg->params, l) &&
            arena_lane_state(ctx->arena, l) != LANE_FINISHED) {
            uint64_t end = ctx->t_end > 0 ? ctx->t_end - (ctx->stepping ? 0 : 1) : 0;
            futw_mark(m, end, l, 'K');
            m->cut = true;
        }
    }
}

static size_t futw_marks_get(void *self, const TimelineMark **out)
{
    FutwMarks *m = self;
    *out = m->marks;
    return m->nmarks;
}

static const MarkSource futw_marks = {
    .new = futw_marks_new,
    .free = futw_marks_free,
    .scan = futw_marks_scan,
    .marks = futw_marks_get,
};

static const LegendItem futw_legend[] = {
    {'E', NULL, UI_ERROR, "raised"},
    {'K', NULL, UI_ERROR, "daemon cut off"},
};

/* "2 1 3" from 213. */
static void futw_digits(int64_t v, char *buf, size_t len)
{
    char d[24];
    size_t at = 0;
    int n = snprintf(d, sizeof(d), "%" PRId64, v);
    for (int i = 0; i < n && at + 3 < len; i++) {
        buf[at++] = d[i];
        if (i + 1 < n) {
            buf[at++] = ' ';
        }
    }
    buf[at] = '\0';
}

static bool futw_summary(const ViewCtx *ctx, StrBuf *out)
{
    const Arena *a = ctx->arena;
    int64_t v = ctx->cfg->params[FUT_P_VARIANT], order, completion, raised, seen, x;
    char o[48], c[48];

    if (run_verdict(ctx->run) != VERDICT_COMPLETED) {
        return false;
    }
    if (v == FUTV_DAEMON && arena_result_get(a, "daemon_lines", &x)) {
        strbuf_addf(out,
                    "completed: the writer was joined; the daemon was cut off after %" PRId64
                    " of %d lines",
                    x, FUT_DAEMON_LINES);
        return true;
    }
    if (arena_result_get(a, "raised", &raised) && arena_result_get(a, "seen", &seen) &&
        raised > 0) {
        if (seen == 0) {
            strbuf_add(out, "completed: the thread raised ValueError, join() returned as if "
                            "nothing happened: the error was lost");
            return false;
        }
        strbuf_addf(out, "completed: the ValueError raised %s reached main",
                    v == FUTV_ERROR ? "in a worker" : "in the thread");
        return true;
    }
    if (arena_result_get(a, "order", &order) && arena_result_get(a, "completion", &completion)) {
        futw_digits(completion, c, sizeof(c));
        if (v == FUTV_SHUTDOWN_NOWAIT && arena_result_get(a, "after_main", &x)) {
            strbuf_addf(out,
                        "completed: main ended first; %" PRId64 " tasks finished after it "
                        "(in the order %s)",
                        x, c);
            return true;
        }
        futw_digits(order, o, sizeof(o));
        strbuf_addf(out, "completed: main got the results as %s; the tasks finished as %s", o, c);
        return true;
    }
    return false;
}

const DemoView futures_view = {
    .waits = futw_waits,
    .nwaits = ARRAY_SIZE(futw_waits),
    .wait_class = futw_wait_class,
    .wait_in_use = futw_wait_in_use,
    .legend = futw_legend,
    .nlegend = ARRAY_SIZE(futw_legend),
    .marks = &futw_marks,
    .code_window = true,
    .summary = futw_summary,
};
