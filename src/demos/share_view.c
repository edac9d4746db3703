/*
 * share_view.c - how the threads-vs-processes demo is shown (view/view.h).
 *
 * The lesson is where the counter lives, so the panel beside the timeline
 * shows each lane's view of it: for every lane its process (pid), and the
 * value of the counter it last read or wrote.  Threads share one process
 * and one counter, so their values run together; forked processes show a
 * copy each, counting on their own, while the parent's stays 0.
 *
 * The values come from the events (a load or store of the counter carries
 * the value; the parent's final look is its "print" step): the front end
 * cannot read a lane process's private memory, only what it recorded.
 * The parent waiting for its workers (the semaphore "done" at 0) is the
 * demo's own wait, join (┄/J).
 *
 * Thread: the front end's main thread.
 */
#include "config.h"

#include "demos/share.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view/draw.h"
#include "view/view.h"

enum { SHV_JOIN = 0, SHV_RESULTS = 1 };

static const WaitClass shv_waits[] = {
    [SHV_JOIN] = {"join", "its workers (join)", "waits: join", 'J', "\u2504", 2},
    [SHV_RESULTS] = {"results", "a worker's count (pipe)", "waits: a count", 'R', "\u25c7", 1},
};

static int shv_wait_class(const Arena *arena, const int64_t *params, unsigned lane, uint32_t obj)
{
    const char *name = arena_obj_name(arena, obj);
    (void)params;
    if (lane != 0) {
        return -1;
    }
    return strcmp(name, "done") == 0 ? SHV_JOIN : strcmp(name, "results") == 0 ? SHV_RESULTS : -1;
}

static bool shv_wait_in_use(const int64_t *params, unsigned k)
{
    bool pipes = params[SHARE_VARIANT] == SHARE_PIPE || params[SHARE_VARIANT] == SHARE_HYBRID;
    return k == SHV_RESULTS ? pipes : !pipes;
}

/* The arena object called name, whatever its kind; 0 = none. */
static uint32_t shv_obj(const Arena *arena, const char *name)
{
    for (uint32_t i = 1; i < arena_nobjs(arena); i++) {
        if (strcmp(arena_obj_name(arena, i), name) == 0) {
            return i;
        }
    }
    return 0;
}

/* What each lane last saw of the counter, taken from its events. */
typedef struct ShvLane {
    size_t scanned; /* events of the lane's log looked at */
    int64_t value;  /* the counter as the lane last read or wrote it */
    bool seen;      /* value is set */
} ShvLane;

typedef struct ShvCopies {
    uint32_t counter, print; /* objects, 0 = not found yet */
    unsigned nlanes;
    ShvLane lanes[];
} ShvCopies;

static void *shv_copies_new(const ViewCtx *ctx)
{
    unsigned n = run_nlanes(ctx->run);
    ShvCopies *c = calloc(1, sizeof(*c) + (n > 0 ? n : 1) * sizeof(ShvLane));
    if (c != NULL) {
        c->nlanes = n;
    }
    return c;
}

static void shv_copies_free(void *self)
{
    free(self);
}

static void shv_copies_scan(void *self, const ViewCtx *ctx)
{
    ShvCopies *c = self;

    if (c == NULL) {
        return;
    }
    if (c->counter == 0) {
        c->counter = shv_obj(ctx->arena, "counter");
        c->print = shv_obj(ctx->arena, "print");
        if (c->counter == 0) {
            return; /* not set up yet */
        }
    }
    for (unsigned l = 0; l < c->nlanes; l++) {
        ShvLane *sl = &c->lanes[l];
        const Event *ev;
        size_t n = run_lane_events(ctx->run, l, &ev);
        for (size_t j = sl->scanned; j < n; j++) {
            const Event *e = &ev[j];
            bool counter = e->obj == c->counter &&
                           (e->kind == EV_LOAD || e->kind == EV_STORE || e->kind == EV_ATOMIC_ADD);
            if (counter || (e->kind == EV_COMPUTE && e->obj == c->print && c->print != 0)) {
                sl->value = e->value;
                sl->seen = true;
            }
        }
        sl->scanned = n;
    }
}

static int shv_copies_want(const ViewCtx *ctx, int avail)
{
    (void)ctx;
    return avail >= 120 ? 44 : 38;
}

/* The heading's second half: how many counters this variant has. */
static const char *shv_where(int64_t variant)
{
    switch (variant) {
    case SHARE_THREADS:
        return "one, shared by the threads";
    case SHARE_PROCESSES:
        return "a copy per process";
    case SHARE_PIPE:
    case SHARE_HYBRID:
        return "a copy each; counts sent back";
    default:
        return "one, in MAP_SHARED memory";
    }
}

/*
 * "counter: a copy per process", then one row per lane: its name and
 * role, its pid, and the counter as it last saw it ("-" before it looked),
 * then a line saying what the parent sees.
 */
static void shv_copies_draw(void *self, Grid *g, Rect r, const ViewCtx *ctx)
{
    ShvCopies *c = self;
    int64_t variant = ctx->cfg->params[SHARE_VARIANT];
    int x = r.x, w = r.w, row = r.y, bottom = r.y + r.h;
    unsigned n = run_nlanes(ctx->run);

    draw_textf(g, x, row++, w, UI_HEADING, "counter: %s", shv_where(variant));
    if (row < bottom) {
        draw_text(g, x, row++, w, "lane        process     its counter", (size_t)-1, STYLE_DIM);
    }
    for (unsigned l = 0; l < n && row < bottom; l++) {
        RunLaneInfo li;
        char name[LANE_NAME_MAX], val[32] = "-", pid[24] = "-";
        int style = STYLE_TEXT;

        run_lane_info(ctx->run, l, &li);
        lane_name(l, name);
        if (li.pid > 0) {
            snprintf(pid, sizeof(pid), "pid %d", (int)li.pid);
        }
        if (c != NULL && l < c->nlanes && c->lanes[l].seen) {
            snprintf(val, sizeof(val), "%" PRId64, c->lanes[l].value);
        }
        if (l == 0) {
            style = UI_ACCENT_2;
        } else if (variant == SHARE_PROCESSES) {
            style = UI_ACCENT_0 + (int)(l % 2); /* a copy each: told apart */
        }
        draw_textf(g, x, row++, w, style, "%-2s %-8s %-11s %s", name, l == 0 ? "parent" : "worker",
                   pid, val);
    }
    if (row >= bottom) {
        return;
    }
    if (variant == SHARE_PIPE || variant == SHARE_HYBRID) {
        draw_text(g, x, row, w, "each counts alone; the parent adds", (size_t)-1, STYLE_DIM);
    } else if (variant == SHARE_PROCESSES) {
        draw_text(g, x, row, w, "each process counts in its own copy", (size_t)-1, STYLE_DIM);
    } else if (variant == SHARE_THREADS) {
        draw_text(g, x, row, w, "one process: every thread sees one counter", (size_t)-1,
                  STYLE_DIM);
    } else {
        draw_text(g, x, row, w, "separate processes, one shared counter", (size_t)-1, STYLE_DIM);
    }
}

static const PanelClass shv_copies_panel = {
    .name = "copies",
    .new = shv_copies_new,
    .free = shv_copies_free,
    .scan = shv_copies_scan,
    .want = shv_copies_want,
    .draw = shv_copies_draw,
};

static bool shv_summary(const ViewCtx *ctx, StrBuf *out)
{
    int64_t expected, parent, unseen, copies;
    int64_t variant = ctx->cfg->params[SHARE_VARIANT];

    if (run_verdict(ctx->run) != VERDICT_COMPLETED ||
        !arena_result_get(ctx->arena, "expected", &expected) ||
        !arena_result_get(ctx->arena, "parent", &parent) ||
        !arena_result_get(ctx->arena, "unseen", &unseen) ||
        !arena_result_get(ctx->arena, "copies", &copies)) {
        return false;
    }
    if (variant == SHARE_PROCESSES) {
        strbuf_addf(out,
                    "completed: the parent's counter is %" PRId64 ", expected %" PRId64
                    ": each of the %" PRId64 " workers counted in its own copy",
                    parent, expected, copies - 1);
        return false;
    }
    if (unseen > 0) {
        strbuf_addf(out,
                    "completed: the parent sees %" PRId64 ", expected %" PRId64 ": %" PRId64
                    " update%s lost to the race",
                    parent, expected, unseen, unseen == 1 ? "" : "s");
        return false;
    }
    strbuf_addf(out, "completed: the parent sees %" PRId64 " as expected, no update lost", parent);
    if (variant == SHARE_HYBRID && arena_result_get(ctx->arena, "speedup_pct", &copies)) {
        strbuf_addf(out, "; %" PRId64 ".%02" PRId64 "x the speed of one thread", copies / 100,
                    copies % 100);
    }
    return true;
}

/* "copies of counter: A (parent) 0; B 1000; C 1000" after the figures. */
static void shv_report_text(const ViewCtx *ctx, StrBuf *out, int width)
{
    ShvCopies *c = shv_copies_new(ctx);

    (void)width;
    if (c == NULL) {
        return;
    }
    shv_copies_scan(c, ctx);
    strbuf_add(out, "\ncounter as each lane last saw it:");
    for (unsigned l = 0; l < c->nlanes; l++) {
        char name[LANE_NAME_MAX];
        lane_name(l, name);
        if (c->lanes[l].seen) {
            strbuf_addf(out, "%s %s%s %" PRId64, l == 0 ? "" : ";", name, l == 0 ? " (parent)" : "",
                        c->lanes[l].value);
        }
    }
    strbuf_add(out, "\n");
    shv_copies_free(c);
}

/* ,"copies_seen":[0,1000,1000]: each lane's last view, null before it looked. */
static void shv_report_json(const ViewCtx *ctx, StrBuf *out)
{
    ShvCopies *c = shv_copies_new(ctx);

    if (c == NULL) {
        return;
    }
    shv_copies_scan(c, ctx);
    strbuf_add(out, ",\"counter_seen\":[");
    for (unsigned l = 0; l < c->nlanes; l++) {
        if (c->lanes[l].seen) {
            strbuf_addf(out, "%s%" PRId64, l > 0 ? "," : "", c->lanes[l].value);
        } else {
            strbuf_addf(out, "%snull", l > 0 ? "," : "");
        }
    }
    strbuf_add(out, "]");
    shv_copies_free(c);
}

const DemoView share_view = {
    .waits = shv_waits,
    .nwaits = ARRAY_SIZE(shv_waits),
    .wait_class = shv_wait_class,
    .wait_in_use = shv_wait_in_use,
    .side = &shv_copies_panel,
    .summary = shv_summary,
    .report_text = shv_report_text,
    .report_json = shv_report_json,
};
