/*
 * prodcons_view.c - how the producer-consumer demo is shown (view/view.h).
 *
 * Lanes of a bounded buffer wait for three different things, and the
 * lesson is about telling them apart: a producer on a full buffer, a
 * consumer on an empty one, and the main lane in join() until every item
 * is done.  Each gets its own glyph and colour slot wherever a wait shows
 * (timeline rows, lanes panel, legend, banners, text report):
 * ▔/F full, ▁/E empty, ┄/J join; '#' stays the wait for the mutex.
 *
 * Beside the timeline the buffer panel shows the slots live, with head
 * and tail, and who waits for which side; under the lanes, on the same
 * time axis, the depth (the count variable, DemoClass.series_var) as a
 * graph.
 *
 * Thread: the front end's main thread.
 */
#include "config.h"

#include "demos/prodcons.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "view/draw.h"
#include "view/queueview.h"
#include "view/view.h"

enum { PCV_FULL = 0, PCV_EMPTY = 1, PCV_JOIN = 2 };

static const WaitClass pcv_waits[] = {
    [PCV_FULL] = {"full", "buffer full", "waits: full", 'F', "\u2594", 0},
    [PCV_EMPTY] = {"empty", "buffer empty", "waits: empty", 'E', "\u2581", 1},
    [PCV_JOIN] = {"join", "join", "join", 'J', "\u2504", 2},
};

/* The role decides full or empty (one cond serves both sides in
 * signal_lost); join's cond is all_done. */
static int pcv_wait_class(const Arena *arena, const int64_t *params, unsigned lane, uint32_t obj)
{
    unsigned producers = (unsigned)params[PC_PRODUCERS];
    unsigned consumers = (unsigned)params[PC_CONSUMERS];

    if (strcmp(arena_obj_name(arena, obj), "all_done") == 0) {
        return PCV_JOIN;
    }
    if (lane >= producers && lane < producers + consumers) {
        return PCV_EMPTY;
    }
    return PCV_FULL;
}

static bool pcv_wait_in_use(const int64_t *params, unsigned k)
{
    return k != PCV_JOIN || params[PC_JOIN] != 0;
}

/* ------------------------------------------------------------------ */
/* the buffer panel, beside the timeline                               */
/* ------------------------------------------------------------------ */

static int pcv_buffer_want(const ViewCtx *ctx, int avail)
{
    /* as wide as its slots want, between 30 columns and what leaves the
     * timeline 46 */
    int cap = (int)ctx->cfg->params[PC_CAPACITY];
    int gmax = avail - 46 < 30 ? 30 : avail - 46;
    int gw = cap <= 64 ? cap * 4 + 3 : 30;
    return gw < 30 ? 30 : gw > gmax ? gmax : gw;
}

/*
 * A heading with the depth, the slots (filled, empty, sentinels) with head
 * and tail, then the lanes waiting on a full buffer, an empty one or in
 * join, each kind in its glyph and colour; what h and t mean when a row is
 * left.
 */
static void pcv_buffer_draw(void *self, Grid *g, Rect r, const ViewCtx *ctx)
{
    const Arena *a = ctx->arena;
    const DemoView *view = view_of(ctx->cfg->demo);
    uint32_t co = queueview_var(a, "count");
    int x = r.x, w = r.w, row = r.y, bottom = r.y + r.h, cx;
    bool any = false;

    (void)self;
    cx = x + draw_text(g, x, row, w, "buffer", (size_t)-1, UI_HEADING);
    if (co != 0) {
        draw_textf(g, cx, row, x + w - cx, STYLE_TEXT, "  count %" PRId64 " of %" PRId64,
                   (int64_t)arena_obj_value(a, co), ctx->cfg->params[PC_CAPACITY]);
    }
    row++;
    if (row + 1 < bottom) {
        int used = queueview_slots_mark(g, x, row, w, a, "buf", "head", "tail", PC_EMPTY,
                                        PC_SENTINEL, view_violation_obj(ctx->run));
        if (used == 0) {
            draw_text(g, x, row, w, "(the slots appear once the run has set up)", (size_t)-1,
                      STYLE_DIM);
            used = 1;
        }
        row += used;
    }
    for (unsigned k = 0; k < ARRAY_SIZE(pcv_waits) && row < bottom; k++) {
        const WaitClass *wc = &pcv_waits[k];
        int style = UI_ACCENT_0 + (int)wc->accent;
        char names[128] = "";
        size_t len = 0;
        int count = 0, nx;
        for (unsigned l = 0; l < run_nlanes(ctx->run); l++) {
            char nm[LANE_NAME_MAX];
            if (view_lane_wait(view, a, ctx->cfg->params, l) != (int)k) {
                continue;
            }
            lane_name(l, nm);
            if (len + strlen(nm) + 3 < sizeof(names)) {
                len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
                                        count > 0 ? ", " : "", nm);
            }
            count++;
        }
        if (count == 0) {
            continue;
        }
        any = true;
        /* "▔ A, B wait: buffer full", "┄ E waits in join" */
        draw_glyph(g, x, row, wc->utf8, wc->ascii, style);
        nx = x + 2 + draw_text(g, x + 2, row, w - 2, names, (size_t)-1, style);
        draw_textf(g, nx, row, x + w - nx, style, " %s%s %s", count == 1 ? "waits" : "wait",
                   k == PCV_JOIN ? " in" : ":", wc->what);
        row++;
    }
    if (!any && row < bottom && !run_done(ctx->run)) {
        draw_text(g, x, row++, w, "no lane waits for the buffer", (size_t)-1, STYLE_DIM);
    }
    if (row < bottom) {
        draw_text(g, x, row, w, "h: take next  t: put next", (size_t)-1, STYLE_DIM);
    }
}

static const PanelClass pcv_buffer_panel = {
    .name = "buffer",
    .want = pcv_buffer_want,
    .draw = pcv_buffer_draw,
};

/* ------------------------------------------------------------------ */
/* the depth graph, under the lanes on the timeline's time axis        */
/* ------------------------------------------------------------------ */

static void *pcv_depth_new(const ViewCtx *ctx)
{
    return queuetrack_new(run_nlanes(ctx->run));
}

static void pcv_depth_free(void *self)
{
    queuetrack_free(self);
}

static void pcv_depth_scan(void *self, const ViewCtx *ctx)
{
    queuetrack_scan(self, ctx->run, "count");
}

static int pcv_depth_want(const ViewCtx *ctx, int avail)
{
    (void)ctx;
    return avail >= 30 ? 3 : 2; /* 3 rows from 30 lines on */
}

/* The depth as columns under the lanes; a label column says the scale:
 * "  4" at the top (the capacity), "cnt" at the bottom (the count
 * variable of the code). */
static void pcv_depth_draw(void *self, Grid *g, Rect r, const ViewCtx *ctx)
{
    int64_t vmax = ctx->cfg->params[PC_CAPACITY];

    if (self != NULL) {
        queuetrack_draw(self, g, r.x + 4, r.y, r.w - 4, r.h, ctx->t0, ctx->per, ctx->t_end,
                        ctx->stepping, vmax);
    }
    for (int k = 0; k < r.h; k++) {
        grid_put(g, r.x + 3, r.y + k, '|', STYLE_AXIS);
    }
    if (r.h >= 2) {
        if (vmax < 1000) {
            draw_textf(g, r.x, r.y, 3, STYLE_AXIS, "%3" PRId64, vmax);
        } else {
            draw_text(g, r.x, r.y, 3, "cap", (size_t)-1, STYLE_AXIS);
        }
    }
    draw_text(g, r.x, r.y + r.h - 1, 3, "cnt", (size_t)-1, STYLE_AXIS);
}

static const PanelClass pcv_depth_panel = {
    .name = "depth",
    .new = pcv_depth_new,
    .free = pcv_depth_free,
    .scan = pcv_depth_scan,
    .want = pcv_depth_want,
    .draw = pcv_depth_draw,
};

const DemoView prodcons_view = {
    .waits = pcv_waits,
    .nwaits = ARRAY_SIZE(pcv_waits),
    .wait_class = pcv_wait_class,
    .wait_in_use = pcv_wait_in_use,
    .side = &pcv_buffer_panel,
    .under = &pcv_depth_panel,
    .code_window = true,
};
