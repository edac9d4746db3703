/*
 * asyncio_view.c - how the event-loop demo is shown (view/view.h).
 *
 * Rows: A is the OS thread (the loop), each row under it a coroutine.  A
 * coroutine is running ('='), ready (the loop has not got to it yet, '.'),
 * or waits for one of four things, each its own glyph and colour: a timer
 * (asyncio.sleep), I/O (a descriptor in epoll), another task, an event.
 * The loop's own row shows it waiting in epoll_wait ("select") when no
 * coroutine is ready.
 *
 * Marks on the rows: X where a coroutine saw CancelledError at its await,
 * B where a blocking call began (nothing else on the loop runs until it
 * returns), ! where a timer fired late (the loop was busy).  Under the
 * lanes, on the same time axis: the ready queue's length ("ready").
 *
 * Thread: the front end's main thread.
 */
#include "config.h"

#include "demos/asyncio.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "view/draw.h"
#include "view/queueview.h"
#include "view/view.h"
#include "util/vec.h"

/* a timer later than this is marked: below it, it is the machine's noise
 * (waking a thread takes tens of microseconds); step mode's virtual clock
 * has none */
#define AIOV_LATE_NS 2000000

enum { AIOV_TIMER = 0, AIOV_IO = 1, AIOV_TASK = 2, AIOV_EVENT = 3, AIOV_SELECT = 4 };

static const WaitClass aiov_waits[] = {
    [AIOV_TIMER] = {"timer", "a timer (sleep)", "awaits timer", 'z', "\u2508", 0},
    [AIOV_IO] = {"io", "I/O (epoll)", "awaits I/O", 'i', "\u2591", 1},
    [AIOV_TASK] = {"task", "another task", "awaits task", 'w', "\u2504", 2},
    [AIOV_EVENT] = {"event", "an event", "awaits event", 'e', "\u2506", 3},
    [AIOV_SELECT] = {"select", "epoll_wait (idle)", "loop idle", '_', "\u2581", 3},
};

static int aiov_wait_class(const Arena *arena, const int64_t *params, unsigned lane, uint32_t obj)
{
    const char *name = arena_obj_name(arena, obj);

    (void)params;
    if (lane == AIO_LOOP_LANE) {
        return AIOV_SELECT;
    }
    if (obj == 0 || obj >= ARENA_MAX_OBJS) {
        return -1;
    }
    if (arena->objs[obj].kind == OBJ_FUTURE) {
        return AIOV_TASK;
    }
    if (strcmp(name, "sleep") == 0) {
        return AIOV_TIMER;
    }
    if (strncmp(name, "pipe", 4) == 0) {
        return AIOV_IO;
    }
    return AIOV_EVENT;
}

static bool aiov_wait_in_use(const int64_t *params, unsigned k)
{
    switch (k) {
    case AIOV_IO:
        return params[AIO_VARIANT] == AIO_IO;
    case AIOV_EVENT:
        return false;
    default:
        return true;
    }
}

/* ------------------------------------------------------------------ */
/* marks: cancelled, blocking call, late timer                         */
/* ------------------------------------------------------------------ */

typedef struct AiovMarks {
    unsigned nlanes;
    size_t *scanned;
    TimelineMark *marks;
    size_t nmarks, cap;
} AiovMarks;

static void aiov_marks_free(void *self)
{
    AiovMarks *m = self;
    if (m != NULL) {
        free(m->scanned);
        free(m->marks);
        free(m);
    }
}

static void *aiov_marks_new(const ViewCtx *ctx)
{
    AiovMarks *m = calloc(1, sizeof(*m));
    if (m == NULL) {
        return NULL;
    }
    m->nlanes = run_nlanes(ctx->run);
    m->scanned = calloc(m->nlanes > 0 ? m->nlanes : 1, sizeof(*m->scanned));
    if (m->scanned == NULL) {
        aiov_marks_free(m);
        return NULL;
    }
    return m;
}

static void aiov_mark(AiovMarks *m, uint64_t t, unsigned lane, char ascii, const char *utf8,
                      int style)
{
    TimelineMark *p = vec_grow(m->marks, &m->cap, m->nmarks + 1, sizeof(*p));
    if (p == NULL) {
        return;
    }
    m->marks = p;
    m->marks[m->nmarks++] = (TimelineMark){
        .t = t, .lane = (uint16_t)lane, .ascii = ascii, .utf8 = utf8, .style = style};
}

static void aiov_marks_scan(void *self, const ViewCtx *ctx)
{
    AiovMarks *m = self;

    for (unsigned l = 0; l < m->nlanes; l++) {
        const Event *ev;
        size_t n = run_lane_events(ctx->run, l, &ev);
        for (size_t j = m->scanned[l]; j < n; j++) {
            if (ev[j].kind == EV_CO_RESUME && ev[j].value == -ECANCELED) {
                aiov_mark(m, ev[j].t, l, 'X', "\u2717", UI_ERROR);
            } else if (ev[j].kind == EV_CO_BLOCK) {
                aiov_mark(m, ev[j].t, l, 'B', NULL, UI_ERROR);
            } else if (ev[j].kind == EV_CO_READY && ev[j].value > AIOV_LATE_NS) {
                aiov_mark(m, ev[j].t, l, '!', NULL, UI_ERROR);
            }
        }
        m->scanned[l] = n;
    }
}

static size_t aiov_marks_get(void *self, const TimelineMark **out)
{
    AiovMarks *m = self;
    *out = m->marks;
    return m->nmarks;
}

static const MarkSource aiov_marks = {
    .new = aiov_marks_new,
    .free = aiov_marks_free,
    .scan = aiov_marks_scan,
    .marks = aiov_marks_get,
};

static const LegendItem aiov_legend[] = {
    {'X', "\u2717", UI_ERROR, "cancelled"},
    {'B', NULL, UI_ERROR, "blocking call"},
    {'!', NULL, UI_ERROR, "timer late"},
};

/* ------------------------------------------------------------------ */
/* the ready queue, under the lanes                                    */
/* ------------------------------------------------------------------ */

static void *aiov_ready_new(const ViewCtx *ctx)
{
    return queuetrack_new(run_nlanes(ctx->run));
}

static void aiov_ready_free(void *self)
{
    queuetrack_free(self);
}

static void aiov_ready_scan(void *self, const ViewCtx *ctx)
{
    queuetrack_scan(self, ctx->run, "ready");
}

static int aiov_ready_want(const ViewCtx *ctx, int avail)
{
    (void)ctx;
    return avail >= 30 ? 3 : 2;
}

static void aiov_ready_draw(void *self, Grid *g, Rect r, const ViewCtx *ctx)
{
    int64_t vmax = run_nlanes(ctx->run) > 1 ? (int64_t)run_nlanes(ctx->run) - 1 : 1;

    if (self != NULL) {
        queuetrack_draw(self, g, r.x + 4, r.y, r.w - 4, r.h, ctx->t0, ctx->per, ctx->t_end,
                        ctx->stepping, vmax);
    }
    for (int k = 0; k < r.h; k++) {
        grid_put(g, r.x + 3, r.y + k, '|', STYLE_AXIS);
    }
    if (r.h >= 2) {
        draw_textf(g, r.x, r.y, 3, STYLE_AXIS, "%3" PRId64, vmax);
    }
    draw_text(g, r.x, r.y + r.h - 1, 3, "rdy", (size_t)-1, STYLE_AXIS);
}

static const PanelClass aiov_ready_panel = {
    .name = "ready queue",
    .new = aiov_ready_new,
    .free = aiov_ready_free,
    .scan = aiov_ready_scan,
    .want = aiov_ready_want,
    .draw = aiov_ready_draw,
};

/* ------------------------------------------------------------------ */
/* the summary                                                         */
/* ------------------------------------------------------------------ */

static bool aiov_summary(const ViewCtx *ctx, StrBuf *out)
{
    int64_t total, waits, late = 0, late_max = 0, blocked = 0, v;
    char t1[32], t2[32], t3[32];

    if (run_verdict(ctx->run) != VERDICT_COMPLETED ||
        !arena_result_get(ctx->arena, "total", &total) ||
        !arena_result_get(ctx->arena, "wait_sum", &waits)) {
        return false;
    }
    (void)arena_result_get(ctx->arena, "late", &late);
    (void)arena_result_get(ctx->arena, "late_max", &late_max);
    (void)arena_result_get(ctx->arena, "block_time", &blocked);
    demo_unit_format(DEMO_UNIT_NS, total, ctx->stepping, t1, sizeof(t1));
    demo_unit_format(DEMO_UNIT_NS, waits, ctx->stepping, t2, sizeof(t2));
    if (blocked > 0) {
        demo_unit_format(DEMO_UNIT_NS, blocked, ctx->stepping, t3, sizeof(t3));
        demo_unit_format(DEMO_UNIT_NS, late_max, ctx->stepping, t2, sizeof(t2));
        strbuf_addf(out,
                    "completed in %s: a blocking call held the loop %s, timers fired up to %s "
                    "late",
                    t1, t3, t2);
        return false;
    }
    if (arena_result_get(ctx->arena, "timeouts", &v) && v > 0) {
        strbuf_addf(out, "completed in %s: wait_for timed out, the task cleaned up and finished",
                    t1);
        return true;
    }
    strbuf_addf(out, "completed in %s of loop time; the waits add up to %s%s", t1, t2,
                waits > total ? ": they overlapped" : "");
    return late == 0;
}

const DemoView asyncio_view = {
    .waits = aiov_waits,
    .nwaits = ARRAY_SIZE(aiov_waits),
    .wait_class = aiov_wait_class,
    .wait_in_use = aiov_wait_in_use,
    .legend = aiov_legend,
    .nlegend = ARRAY_SIZE(aiov_legend),
    .under = &aiov_ready_panel,
    .marks = &aiov_marks,
    .code_window = true,
    .summary = aiov_summary,
};
