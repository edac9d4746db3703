/*
 * gil_view.c - how the GIL demo is shown (view/view.h).
 *
 * The lesson is about who may run: so each lane's row tells apart running
 * (with the GIL), waiting for the GIL (░, '~'), and in blocking I/O with the
 * GIL let go (┈, 'i'); a ▼ ('v') marks the moment a waiter's interval ran
 * out and it asked the holder to drop the GIL.
 *
 * Under the lanes, on the timeline's own time axis, the GIL lane: one row
 * with the letter of the lane holding the GIL in each column ('-' when
 * nobody holds it), in a colour slot per lane, and a row with the drop
 * requests (▼) and the old GIL's futile wake-ups (·).  It sits under the
 * lanes rather than beside them because it is a function of time: only on
 * the same axis does a column of the strip line up with the same moment of
 * every lane's row (the host draws demo panels under the lanes, where a
 * queue's depth goes too).  Runs of processes have one GIL each, which
 * never changes hands: the strip says so instead.
 *
 * The summary says the figure each workload is about: the speed-up over
 * one lane, the I/O overshoot beside a CPU lane, the lost updates.
 *
 * Thread: the front end's main thread.
 */
#include "config.h"

#include "demos/gil.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "view/draw.h"
#include "view/view.h"

enum { GV_GIL = 0, GV_IO = 1 };

static const WaitClass gv_waits[] = {
    [GV_GIL] = {"gil", "the GIL", "waits: GIL", '~', "\u2591", 0},
    [GV_IO] = {"io", "I/O (GIL released)", "in I/O", 'i', "\u2508", 1},
};

/* The GIL objects are "GIL" or "GIL A" (one per process); I/O is "io". */
static int gv_wait_class(const Arena *arena, const int64_t *params, unsigned lane, uint32_t obj)
{
    const char *name = arena_obj_name(arena, obj);
    (void)params;
    (void)lane;
    if (strncmp(name, "GIL", 3) == 0) {
        return GV_GIL;
    }
    if (strcmp(name, "io") == 0) {
        return GV_IO;
    }
    return -1;
}

static bool gv_wait_in_use(const int64_t *params, unsigned k)
{
    if (k == GV_GIL) {
        return params[GIL_MODE] != GIL_NONE;
    }
    return params[GIL_WORKLOAD] == GIL_IO || params[GIL_WORKLOAD] == GIL_MIXED;
}

static const LegendItem gv_legend[] = {
    {'v', "\u25bc", UI_ERROR, "drop request"}, {'G', NULL, STYLE_RUNNING, "took GIL"},
    {'g', NULL, STYLE_RUNNING, "dropped GIL"}, {'x', NULL, STYLE_RUNNING, "switched"},
    {'o', NULL, STYLE_RUNNING, "I/O done"},
};

/* ------------------------------------------------------------------ */
/* the scan: holds of the GIL, drop requests, futile wake-ups          */
/* ------------------------------------------------------------------ */

typedef struct GvHold {
    uint64_t from, to; /* held from .. to (ns), or during steps from+1 .. to */
    uint16_t lane;
} GvHold;

typedef struct GvScan {
    unsigned nlanes;
    size_t *scanned; /* events of each lane already taken in */
    uint64_t *open;  /* lane holds the GIL since open - 1; 0 = not */
    GvHold *holds;
    size_t nholds, capholds;
    TimelineMark *marks; /* drop requests ('v') and futile wake-ups ('.') */
    size_t nmarks, capmarks;
} GvScan;

static void gv_scan_free(void *self)
{
    GvScan *s = self;
    if (s != NULL) {
        free(s->scanned);
        free(s->open);
        free(s->holds);
        free(s->marks);
        free(s);
    }
}

static void *gv_scan_new(const ViewCtx *ctx)
{
    GvScan *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        return NULL;
    }
    s->nlanes = run_nlanes(ctx->run);
    s->scanned = calloc(s->nlanes > 0 ? s->nlanes : 1, sizeof(*s->scanned));
    s->open = calloc(s->nlanes > 0 ? s->nlanes : 1, sizeof(*s->open));
    if (s->scanned == NULL || s->open == NULL) {
        gv_scan_free(s);
        return NULL;
    }
    return s;
}

static void gv_add_hold(GvScan *s, unsigned lane, uint64_t from, uint64_t to)
{
    if (s->nholds == s->capholds) {
        size_t cap = s->capholds == 0 ? 256 : s->capholds * 2;
        GvHold *p = realloc(s->holds, cap * sizeof(*p));
        if (p == NULL) {
            return; /* the strip misses a hold; the figures still count it */
        }
        s->holds = p;
        s->capholds = cap;
    }
    s->holds[s->nholds++] = (GvHold){from, to, (uint16_t)lane};
}

static void gv_add_mark(GvScan *s, uint64_t t, unsigned lane, char ascii, const char *utf8,
                        int style)
{
    if (s->nmarks == s->capmarks) {
        size_t cap = s->capmarks == 0 ? 64 : s->capmarks * 2;
        TimelineMark *p = realloc(s->marks, cap * sizeof(*p));
        if (p == NULL) {
            return;
        }
        s->marks = p;
        s->capmarks = cap;
    }
    s->marks[s->nmarks++] = (TimelineMark){
        .t = t, .lane = (uint16_t)lane, .ascii = ascii, .utf8 = utf8, .style = style};
}

static void gv_scan(void *self, const ViewCtx *ctx)
{
    GvScan *s = self;
    if (s == NULL) {
        return;
    }
    for (unsigned l = 0; l < s->nlanes; l++) {
        const Event *ev;
        size_t n = run_lane_events(ctx->run, l, &ev);
        for (size_t j = s->scanned[l]; j < n; j++) {
            switch (ev[j].kind) {
            case EV_GIL_ACQUIRE:
                s->open[l] = ev[j].t + 1;
                break;
            case EV_GIL_RELEASE:
                if (s->open[l] != 0) {
                    gv_add_hold(s, l, s->open[l] - 1, ev[j].t);
                    s->open[l] = 0;
                }
                break;
            case EV_GIL_DROP_REQUEST:
                gv_add_mark(s, ev[j].t, l, 'v', "\u25bc", UI_ERROR);
                break;
            case EV_GIL_FUTILE:
                gv_add_mark(s, ev[j].t, l, '.', "\u00b7", STYLE_DIM);
                break;
            default:
                break;
            }
        }
        s->scanned[l] = n;
    }
}

/* The marks on the lanes' rows: drop requests only (futile wake-ups go to
 * the strip's second row). */
typedef struct GvMarks {
    GvScan *scan;
    TimelineMark *reqs;
    size_t nreqs, cap;
} GvMarks;

static void gv_marks_free(void *self)
{
    GvMarks *m = self;
    if (m != NULL) {
        gv_scan_free(m->scan);
        free(m->reqs);
        free(m);
    }
}

static void *gv_marks_new(const ViewCtx *ctx)
{
    GvMarks *m = calloc(1, sizeof(*m));
    if (m == NULL) {
        return NULL;
    }
    m->scan = gv_scan_new(ctx);
    if (m->scan == NULL) {
        free(m);
        return NULL;
    }
    return m;
}

static void gv_marks_scan(void *self, const ViewCtx *ctx)
{
    GvMarks *m = self;
    size_t before = m->scan->nmarks;
    gv_scan(m->scan, ctx);
    for (size_t i = before; i < m->scan->nmarks; i++) {
        if (m->scan->marks[i].ascii != 'v') {
            continue;
        }
        if (m->nreqs == m->cap) {
            size_t cap = m->cap == 0 ? 64 : m->cap * 2;
            TimelineMark *p = realloc(m->reqs, cap * sizeof(*p));
            if (p == NULL) {
                return;
            }
            m->reqs = p;
            m->cap = cap;
        }
        m->reqs[m->nreqs++] = m->scan->marks[i];
    }
}

static size_t gv_marks_get(void *self, const TimelineMark **out)
{
    GvMarks *m = self;
    *out = m->reqs;
    return m->nreqs;
}

static const MarkSource gv_marks = {
    .new = gv_marks_new,
    .free = gv_marks_free,
    .scan = gv_marks_scan,
    .marks = gv_marks_get,
};

/* ------------------------------------------------------------------ */
/* the GIL lane, under the lanes on the timeline's time axis            */
/* ------------------------------------------------------------------ */

static int gv_strip_want(const ViewCtx *ctx, int avail)
{
    if (ctx->cfg->params[GIL_MODE] == GIL_NONE) {
        return 0; /* no GIL, no strip */
    }
    return avail >= 24 ? 2 : 1;
}

/* Overlap of [a, b) and [c, d). */
static uint64_t gv_overlap(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    uint64_t lo = a > c ? a : c, hi = b < d ? b : d;
    return hi > lo ? hi - lo : 0;
}

/* Add hold [from, to) to the per-column, per-lane time in acc. */
static void gv_acc_hold(uint64_t *acc, unsigned nlanes, int cols, uint64_t t0, uint64_t per,
                        unsigned lane, uint64_t from, uint64_t to)
{
    uint64_t c0, c1;
    if (to <= t0 || lane >= nlanes) {
        return;
    }
    c0 = from > t0 ? (from - t0) / per : 0;
    c1 = (to - 1 - t0) / per;
    for (uint64_t c = c0; c <= c1 && c < (uint64_t)cols; c++) {
        uint64_t a = t0 + c * per;
        acc[c * nlanes + lane] += gv_overlap(a, a + per, from, to);
    }
}

static void gv_strip_draw(void *self, Grid *g, Rect r, const ViewCtx *ctx)
{
    GvScan *s = self;
    int cols = r.w - 4;
    unsigned nl;
    uint64_t *acc;
    /* a column covers [t0 + c * per, + per) in ns, or steps t0 + c * per + 1
     * .. t0 + (c + 1) * per; a lane holds the GIL from the step it took it
     * through the step it dropped it: one step back, the same intervals */
    uint64_t back = ctx->stepping ? 1 : 0;

    draw_text(g, r.x, r.y, 3, "GIL", (size_t)-1, STYLE_AXIS);
    grid_put(g, r.x + 3, r.y, '|', STYLE_AXIS);
    if (r.h >= 2) {
        draw_text(g, r.x, r.y + 1, 3, "req", (size_t)-1, STYLE_AXIS);
        grid_put(g, r.x + 3, r.y + 1, '|', STYLE_AXIS);
    }
    if (s == NULL || cols <= 0) {
        return;
    }
    if (ctx->cfg->params[GIL_LANES] == GIL_LANES_PROCESSES) {
        draw_text(g, r.x + 4, r.y, cols, "one GIL per process: each lane holds its own, always",
                  (size_t)-1, STYLE_DIM);
        return;
    }
    nl = s->nlanes;
    acc = calloc((size_t)cols * (nl > 0 ? nl : 1), sizeof(*acc));
    if (acc == NULL) {
        return;
    }
    for (size_t i = 0; i < s->nholds; i++) {
        const GvHold *h = &s->holds[i];
        gv_acc_hold(acc, nl, cols, ctx->t0, ctx->per, h->lane, h->from >= back ? h->from - back : 0,
                    h->to);
    }
    for (unsigned l = 0; l < nl; l++) {
        if (s->open[l] != 0) { /* held till now */
            uint64_t from = s->open[l] - 1;
            gv_acc_hold(acc, nl, cols, ctx->t0, ctx->per, l, from >= back ? from - back : 0,
                        ctx->t_end > from ? ctx->t_end : from + 1);
        }
    }
    for (int c = 0; c < cols; c++) {
        uint64_t a = ctx->t0 + (uint64_t)c * ctx->per;
        uint64_t best = 0;
        int who = -1;
        if (a >= ctx->t_end) {
            break; /* the run has not got there */
        }
        for (unsigned l = 0; l < nl; l++) {
            if (acc[(size_t)c * nl + l] > best) {
                best = acc[(size_t)c * nl + l];
                who = (int)l;
            }
        }
        if (who >= 0) {
            char nm[LANE_NAME_MAX];
            lane_name((unsigned)who, nm);
            grid_put(g, r.x + 4 + c, r.y, nm[0], UI_ACCENT_0 + (who % VIEW_ACCENTS));
        } else {
            grid_put(g, r.x + 4 + c, r.y, '-', STYLE_DIM);
        }
    }
    free(acc);
    if (r.h >= 2) {
        for (size_t i = 0; i < s->nmarks; i++) {
            const TimelineMark *m = &s->marks[i];
            uint64_t col;
            if (ctx->stepping) {
                if (m->t <= ctx->t0) {
                    continue;
                }
                col = (m->t - ctx->t0 - 1) / ctx->per;
            } else {
                if (m->t < ctx->t0) {
                    continue;
                }
                col = (m->t - ctx->t0) / ctx->per;
            }
            if (col < (uint64_t)cols) {
                Cell *cell = grid_at(g, r.x + 4 + (int)col, r.y + 1);
                /* a drop request wins over a futile wake-up in its column */
                if (m->ascii == 'v' || cell == NULL || cell->ch == ' ') {
                    draw_glyph(g, r.x + 4 + (int)col, r.y + 1, m->utf8, m->ascii, m->style);
                }
            }
        }
    }
}

static const PanelClass gv_strip_panel = {
    .name = "gil",
    .new = gv_scan_new,
    .free = gv_scan_free,
    .scan = gv_scan,
    .want = gv_strip_want,
    .draw = gv_strip_draw,
};

/* ------------------------------------------------------------------ */
/* the summary                                                         */
/* ------------------------------------------------------------------ */

static bool gv_get(const ViewCtx *ctx, const char *name, int64_t *v)
{
    return arena_result_get(ctx->arena, name, v);
}

static bool gv_summary(const ViewCtx *ctx, StrBuf *out)
{
    const int64_t *p = ctx->cfg->params;
    static const char *const modes[] = {"old GIL", "new GIL", "no GIL"};
    static const char *const kinds[] = {"thread", "process", "lane"};
    int64_t v, w;
    char buf[32];
    unsigned n = p[GIL_LANES] == GIL_LANES_SEQUENTIAL ? 1 : (unsigned)p[GIL_THREADS];

    if (run_verdict(ctx->run) != VERDICT_COMPLETED) {
        return false;
    }
    if (p[GIL_WORKLOAD] == GIL_COUNTER && gv_get(ctx, "lost", &v) && gv_get(ctx, "expected", &w)) {
        if (v > 0) {
            strbuf_addf(out,
                        "completed (%s): counter %" PRId64 ", expected %" PRId64 ": %" PRId64
                        " update%s lost",
                        modes[p[GIL_MODE]], w - v, w, v, v == 1 ? "" : "s");
            return false;
        }
        strbuf_addf(out, "completed (%s): counter %" PRId64 " as expected, no update lost",
                    modes[p[GIL_MODE]], w);
        return true;
    }
    strbuf_addf(out, "completed: %u %s%s, %s", n, kinds[p[GIL_LANES]], n == 1 ? "" : "s",
                modes[p[GIL_MODE]]);
    if (p[GIL_WORKLOAD] == GIL_MIXED && gv_get(ctx, "overshoot_p50", &v)) {
        demo_unit_format(DEMO_UNIT_TIME, v, ctx->stepping, buf, sizeof(buf));
        strbuf_addf(out, ": I/O overshoot %s (median)", buf);
    } else if (gv_get(ctx, "speedup", &v)) {
        demo_unit_format(DEMO_UNIT_RATIO, v, false, buf, sizeof(buf));
        strbuf_addf(out, ": speed-up %s over one lane", buf);
    }
    if (gv_get(ctx, "slice_p50", &v)) {
        demo_unit_format(DEMO_UNIT_TIME, v, ctx->stepping, buf, sizeof(buf));
        strbuf_addf(out, ", slices %s", buf);
    }
    return true;
}

const DemoView gil_view = {
    .waits = gv_waits,
    .nwaits = ARRAY_SIZE(gv_waits),
    .wait_class = gv_wait_class,
    .wait_in_use = gv_wait_in_use,
    .legend = gv_legend,
    .nlegend = ARRAY_SIZE(gv_legend),
    .under = &gv_strip_panel,
    .marks = &gv_marks,
    .summary = gv_summary,
};
