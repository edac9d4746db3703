/*
 * panel_timeline.c - the lesson screen's timeline (see panel_timeline.h).
 */
#include "config.h"

#include "ui/panel_timeline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view/draw.h"
#include "view/timeline.h"
#include "util/vec.h"

static int panel_timeline_zoom_min(const PanelTimeline *pt)
{
    return pt->stepping ? -12 : 0;
}

static int panel_timeline_zoom_max(const PanelTimeline *pt)
{
    return pt->stepping ? 0 : 30;
}

static void panel_timeline_free_lanes(PanelTimeline *pt)
{
    for (unsigned i = 0; i < pt->nlanes; i++) {
        free(pt->lanes[i].ev);
    }
    free(pt->lanes);
    pt->lanes = NULL;
    pt->nlanes = 0;
    if (pt->under != NULL && pt->under->free != NULL) {
        pt->under->free(pt->under_state);
    }
    pt->under = NULL;
    pt->under_state = NULL;
    if (pt->marks != NULL && pt->marks_state != NULL) {
        pt->marks->free(pt->marks_state);
    }
    pt->marks = NULL;
    pt->marks_state = NULL;
    timeline_steps_free(pt->steps);
    pt->steps = NULL;
}

int panel_timeline_reset(PanelTimeline *pt, const Run *run, const PanelClass *under,
                         const MarkSource *marks)
{
    bool stepping = run != NULL && run_arena(run)->stepping != 0;

    panel_timeline_free_lanes(pt);
    if (stepping != pt->stepping) {
        pt->zoom = 0; /* zoom means different things in the two modes */
    }
    pt->run = run;
    pt->stepping = stepping;
    pt->follow = true;
    pt->t0 = 0;
    pt->scroll_req = 0;
    if (run == NULL) {
        return 0;
    }
    pt->lanes = calloc(run_nlanes(run) > 0 ? run_nlanes(run) : 1, sizeof(*pt->lanes));
    if (pt->lanes == NULL) {
        return -ENOMEM;
    }
    pt->nlanes = run_nlanes(run);
    if (stepping) {
        pt->steps = timeline_steps_new(pt->nlanes); /* NULL: frames build their own */
    }
    pt->under = under;
    pt->marks = marks;
    if ((under != NULL && under->new != NULL) || marks != NULL) {
        ViewCtx ctx;
        view_ctx_init(&ctx, run);
        if (under != NULL && under->new != NULL) {
            pt->under_state = under->new (&ctx);
        }
        if (marks != NULL) {
            pt->marks_state = marks->new (&ctx);
        }
    }
    return 0;
}

void panel_timeline_fini(PanelTimeline *pt)
{
    panel_timeline_free_lanes(pt);
    pt->run = NULL;
}

/* Which kinds the free-mode rows keep: a table, filled once, so taking
 * in a tick's tens of thousands of events costs one load each. */
static bool panel_timeline_keeps(unsigned kind)
{
    static bool keeps[EV_KIND_COUNT], filled;

    if (!filled) {
        for (unsigned k = 0; k < EV_KIND_COUNT; k++) {
            keeps[k] = timeline_free_keeps(k) || event_kind_effect(k) != EV_EFFECT_NONE;
        }
        filled = true;
    }
    return kind < EV_KIND_COUNT && keeps[kind];
}

void panel_timeline_scan(PanelTimeline *pt)
{
    if (pt->run == NULL) {
        return;
    }
    if ((pt->under != NULL && pt->under->scan != NULL) || pt->marks_state != NULL) {
        ViewCtx ctx;
        view_ctx_init(&ctx, pt->run);
        if (pt->under != NULL && pt->under->scan != NULL) {
            pt->under->scan(pt->under_state, &ctx);
        }
        if (pt->marks_state != NULL) {
            pt->marks->scan(pt->marks_state, &ctx);
        }
    }
    if (pt->stepping) {
        return; /* step mode draws from the run's own logs: they are short */
    }
    for (unsigned i = 0; i < pt->nlanes; i++) {
        PanelTimelineLane *l = &pt->lanes[i];
        const Event *ev;
        size_t n = run_lane_events(pt->run, i, &ev);
        for (size_t j = l->scanned; j < n; j++) {
            if (!panel_timeline_keeps(ev[j].kind)) {
                continue;
            }
            if (l->n == l->cap) {
                Event *p = vec_grow(l->ev, &l->cap, l->n + 1, sizeof(*p));
                if (p == NULL) {
                    break; /* the timeline misses some marks; the run goes on */
                }
                l->ev = p;
            }
            l->ev[l->n++] = ev[j];
        }
        l->scanned = n;
    }
}

void panel_timeline_zoom(PanelTimeline *pt, int dir)
{
    if (dir > 0 && pt->zoom < panel_timeline_zoom_max(pt)) {
        pt->zoom++;
    } else if (dir < 0 && pt->zoom > panel_timeline_zoom_min(pt)) {
        pt->zoom--;
    }
}

void panel_timeline_scroll(PanelTimeline *pt, int quarters)
{
    if (quarters < 0) {
        pt->follow = false;
    }
    pt->scroll_req += quarters; /* the view's size is known when it is drawn */
}

void panel_timeline_follow(PanelTimeline *pt)
{
    pt->follow = true;
}

void panel_timeline_scroll_lanes(PanelTimeline *pt, int n)
{
    if (n < 0 && (unsigned)-n > pt->lane0) {
        pt->lane0 = 0;
    } else {
        pt->lane0 = (unsigned)((int)pt->lane0 + n);
    }
}

int panel_timeline_under_rows(const PanelTimeline *pt, int rows)
{
    int dh;
    ViewCtx ctx;

    if (pt->under == NULL || pt->run == NULL) {
        return 0;
    }
    view_ctx_init(&ctx, pt->run);
    dh = pt->under->want != NULL ? pt->under->want(&ctx, rows) : (rows >= 30 ? 3 : 2);
    return dh < 0 ? 0 : dh > 6 ? 6 : dh;
}

/* Free-mode slice: the part of events from the last state change before
 * t0.  Returns the first index to hand to the renderer. */
static size_t panel_timeline_slice(const Event *ev, size_t n, uint64_t t0)
{
    size_t lo = event_at_or_after(ev, 0, n, t0);
    while (lo > 0) {
        unsigned k = ev[lo - 1].kind;
        lo--;
        /* a release, or a sem_wait that went straight on, changes no state */
        if (k != EV_LOCK_RELEASE && !(k == EV_SEM_WAIT && ev[lo].value > 0)) {
            break;
        }
    }
    return lo;
}

/*
 * The legend from row ly, w columns wide: running and ready, then the
 * demo's waits (what tells its lanes apart) with '#' as the lock wait, or
 * '#' as blocked when the demo has none; lock marks; the demo's own items;
 * a lane process's death, zombie time and reap, when one died; then,
 * where the rows already taken have room, what blank means and the step
 * glyphs.  An item never gets cut: what does not fit goes to a second
 * row, and what does not fit there is left out.  With g NULL it only counts.
 * Returns the rows taken (1 or 2).
 */
static int panel_timeline_legend(const PanelTimeline *pt, Grid *g, int ly, int w)
{
    const DemoView *dv = view_of(run_config(pt->run)->demo);
    const int64_t *params = run_config(pt->run)->params;
    int lx = 0, row = 0;
    struct {
        char ch; /* 0: text only */
        const char *utf8;
        int style;
        const char *text;
        bool extra; /* never starts a row of its own */
    } items[6 + VIEW_MAX_WAITS + 8];
    size_t n = 0;

    items[n++] = (typeof(items[0])){'=', NULL, STYLE_RUNNING, "running", false};
    items[n++] = (typeof(items[0])){'.', NULL, STYLE_READY, "ready", false};
    for (unsigned k = 0; k < dv->nwaits && k < VIEW_MAX_WAITS; k++) {
        if (view_wait_in_use(dv, params, k)) {
            const WaitClass *wc = &dv->waits[k];
            items[n++] = (typeof(items[0])){wc->ascii, wc->utf8,
                                            UI_ACCENT_0 + (int)(wc->accent % VIEW_ACCENTS),
                                            wc->legend, false};
        }
    }
    if (timeline_has_waits(run_arena(pt->run))) {
        items[n++] = (typeof(items[0])){'#', NULL, STYLE_BLOCKED,
                                        dv->nwaits > 0 ? "lock wait" : "blocked", false};
        items[n++] = (typeof(items[0])){'L', NULL, STYLE_MARK, "lock", false};
        items[n++] = (typeof(items[0])){'U', NULL, STYLE_MARK, "unlock", false};
    }
    for (unsigned k = 0; k < dv->nlegend && n < ARRAY_SIZE(items) - 2; k++) {
        const LegendItem *li = &dv->legend[k];
        items[n++] = (typeof(items[0])){li->ascii, li->utf8, li->style, li->text, false};
    }
    {
        /* a lane process that died: the timeline marks where (X), its
         * zombie time (z) and, in step mode, the reap on the reaper's row
         * (Z); each said here unless the demo gives that glyph itself */
        const Arena *a = run_arena(pt->run);
        bool died = false, own_x = false, own_z = false, own_r = false;
        for (unsigned i = 0; i < run_nlanes(pt->run); i++) {
            died = died || arena_lane_state(a, i) == LANE_DIED;
        }
        for (unsigned k = 0; k < dv->nlegend; k++) {
            own_x = own_x || dv->legend[k].ascii == 'X';
            own_z = own_z || dv->legend[k].ascii == 'z';
            own_r = own_r || dv->legend[k].ascii == 'Z';
        }
        if (died && !own_x && n < ARRAY_SIZE(items) - 2) {
            items[n++] = (typeof(items[0])){'X', "\u2717", UI_ERROR, "died", false};
        }
        if (died && !own_z && n < ARRAY_SIZE(items) - 2) {
            items[n++] = (typeof(items[0])){'z', NULL, STYLE_BLOCKED, "zombie", false};
        }
        if (died && pt->stepping && !own_r && n < ARRAY_SIZE(items) - 2) {
            items[n++] = (typeof(items[0])){'Z', NULL, STYLE_MARK, "reaped", false};
        }
    }
    if (dv->nwaits == 0) {
        items[n++] = (typeof(items[0])){0, NULL, STYLE_DIM, "(blank) finished", true};
        if (pt->stepping) {
            items[n++] =
                (typeof(items[0])){0, NULL, STYLE_DIM, "l load + add s store f fetch_add", true};
        }
    }
    for (size_t i = 0; i < n; i++) {
        int len = (items[i].ch != 0 ? 2 : 0) + draw_width(items[i].text, (size_t)-1);
        if (lx > 0 && lx + len > w) {
            if (items[i].extra || row == 1) {
                break;
            }
            row++;
            lx = 0;
        }
        if (lx + len > w) {
            break;
        }
        if (g != NULL) {
            if (items[i].ch != 0) {
                draw_glyph(g, lx, ly + row, items[i].utf8, items[i].ch, items[i].style);
            }
            draw_text(g, lx + len - draw_width(items[i].text, (size_t)-1), ly + row, w,
                      items[i].text, (size_t)-1, STYLE_DIM);
        }
        lx += len + 2;
    }
    return row + 1;
}

int panel_timeline_rows(const PanelTimeline *pt, int lanes, int under_rows, int w)
{
    return 1 + lanes + under_rows + 1 +
           (pt->run != NULL ? panel_timeline_legend(pt, NULL, 0, w) : 1);
}

void panel_timeline_draw(PanelTimeline *pt, Grid *g, int y, int rows, int tw, int dh,
                         const WaitFor *wf, bool paused, uint64_t now)
{
    unsigned nlanes = run_nlanes(pt->run);
    unsigned shown = nlanes < (unsigned)rows ? nlanes : (unsigned)rows;
    const Event **ev = calloc(nlanes > 0 ? nlanes : 1, sizeof(*ev));
    size_t *counts = calloc(nlanes > 0 ? nlanes : 1, sizeof(*counts));
    const TimelineMark **lmarks = NULL;
    size_t *lnmarks = NULL;
    char(*labels)[VIEW_LABEL_MAX] = calloc(nlanes > 0 ? nlanes : 1, sizeof(*labels));
    const char **lp = calloc(nlanes > 0 ? nlanes : 1, sizeof(*lp));
    bool stepping = pt->stepping;
    const Arena *a = run_arena(pt->run);
    TimelineInput in;
    TimelineView view = {0, 0, 3};
    int cols = tw - 4;
    uint64_t end, span, per;
    char unit[32], head[256], lanes[96] = "";
    const DemoView *dv = view_of(run_config(pt->run)->demo);
    TimelineWaits waits = {dv->waits, dv->nwaits, dv->wait_class, a, run_config(pt->run)->params};
    if (ev == NULL || counts == NULL || labels == NULL || lp == NULL) {
        free(ev);
        free(counts);
        free(labels);
        free(lp);
        return;
    }
    /* every lane's events (a lane off screen may hold what one on screen
     * waits for), drawn from lane0 on as many as fit */
    pt->visits = 0;
    for (unsigned i = 0; i < nlanes; i++) {
        if (stepping) {
            counts[i] = run_lane_events(pt->run, i, &ev[i]);
            if (pt->steps != NULL) {
                /* the index takes in what came since the last frame */
                uint64_t before = timeline_steps_visits(pt->steps);
                (void)timeline_steps_add(pt->steps, &waits, i, ev[i], counts[i]);
                pt->visits += timeline_steps_visits(pt->steps) - before;
            }
        } else {
            ev[i] = pt->lanes[i].ev;
            counts[i] = pt->lanes[i].n;
        }
    }
    if (pt->lane0 + shown > nlanes) {
        pt->lane0 = nlanes - shown;
    }
    memset(&in, 0, sizeof(in));
    in.nlanes = nlanes;
    in.events = ev;
    in.counts = counts;
    in.stepping = stepping;
    in.lane0 = pt->lane0;
    in.nrows = shown;
    in.steps = stepping ? pt->steps : NULL;
    in.visits = &pt->visits;
    if (a->process_lanes > 0) {
        /* a row per process: its pid beside the lane */
        for (unsigned i = 0; i < nlanes; i++) {
            int n = view_lane_label(pt->run, i, labels[i], VIEW_LABEL_MAX);
            lp[i] = labels[i];
            view.label_w = n > view.label_w ? n : view.label_w;
        }
        in.labels = lp;
        cols = tw - view.label_w - 1;
    }
    if (pt->marks_state != NULL && pt->marks->lane_marks != NULL) {
        /* each lane's marks in time order: only those in view are looked at */
        lmarks = calloc(nlanes > 0 ? nlanes : 1, sizeof(*lmarks));
        lnmarks = calloc(nlanes > 0 ? nlanes : 1, sizeof(*lnmarks));
        if (lmarks != NULL && lnmarks != NULL) {
            for (unsigned i = 0; i < nlanes; i++) {
                lnmarks[i] = pt->marks->lane_marks(pt->marks_state, i, &lmarks[i]);
            }
            in.lane_marks = lmarks;
            in.lane_nmarks = lnmarks;
        }
    } else if (pt->marks_state != NULL) {
        in.nmarks = pt->marks->marks(pt->marks_state, &in.marks);
    }
    if (stepping) {
        in.t_end = run_steps(pt->run) > arena_step(a) ? run_steps(pt->run) : arena_step(a);
    } else if (!run_done(pt->run)) {
        in.t_end = now; /* live, or frozen where the pause stopped it */
    } else {
        in.t_end = run_elapsed_ns(pt->run); /* as the text report draws it */
    }
    end = timeline_end(&in);
    if (pt->zoom < panel_timeline_zoom_min(pt) || pt->zoom > panel_timeline_zoom_max(pt)) {
        pt->zoom = 0;
    }
    if (stepping) {
        span = (uint64_t)cols << (-pt->zoom);
    } else {
        span = (end > 0 ? end : 1) >> pt->zoom;
        if (span < (uint64_t)cols) {
            span = (uint64_t)cols;
        }
    }
    if (pt->scroll_req < 0) {
        uint64_t back = (uint64_t)(-pt->scroll_req) * (span / 4 > 0 ? span / 4 : 1);
        pt->t0 = pt->t0 > back ? pt->t0 - back : 0;
    } else if (pt->scroll_req > 0) {
        pt->t0 += (uint64_t)pt->scroll_req * (span / 4 > 0 ? span / 4 : 1);
        if (pt->t0 + span >= end) {
            pt->follow = true;
        }
    }
    pt->scroll_req = 0;
    if (pt->follow) {
        pt->t0 = end > span ? end - span : 0;
        if (stepping && end <= span) {
            pt->t0 = 0;
        }
    }
    if (pt->t0 + span > end && end > span) {
        pt->t0 = end - span;
    }
    view.t0 = pt->t0;
    view.span = stepping || pt->zoom > 0 || pt->t0 > 0 ? span : 0;
    if (!stepping) {
        for (unsigned i = 0; i < nlanes; i++) {
            size_t s = panel_timeline_slice(ev[i], counts[i], view.t0);
            ev[i] += s;
            counts[i] -= s;
        }
    }
    in.waits = &waits;
    per = timeline_render(g, 0, y + 1, tw, &in, &view);
    if (dh > 0 && pt->under != NULL) {
        /* the axis moves down under the demo's panel, which shares it */
        int ay = y + 1 + (int)shown;
        ViewCtx ctx;
        for (int cx = 0; cx < tw; cx++) {
            Cell *from = grid_at(g, cx, ay), *to = grid_at(g, cx, ay + dh);
            if (from != NULL && to != NULL) {
                *to = *from;
            }
        }
        draw_fill(g, 0, ay, tw, dh, STYLE_TEXT);
        view_ctx_init(&ctx, pt->run);
        ctx.wf = wf;
        ctx.t0 = view.t0;
        ctx.per = per;
        ctx.t_end = end;
        /* an under panel's time axis starts 4 columns in (labels of 3):
         * wider labels move it along */
        pt->under->draw(pt->under_state, g,
                        (Rect){view.label_w - 3, ay, tw - (view.label_w - 3), dh}, &ctx);
    }
    timeline_format_time(per, stepping, unit, sizeof(unit));
    snprintf(head, sizeof(head), "timeline (%s%s per column)", unit,
             stepping ? (per == 1 ? " step" : " steps") : "");
    if (shown < nlanes) {
        char a0[LANE_NAME_MAX], a1[LANE_NAME_MAX];
        lane_name(pt->lane0, a0);
        lane_name(pt->lane0 + shown - 1, a1);
        snprintf(lanes, sizeof(lanes), "lanes %s-%s of %u ([ ] scroll)", a0, a1, nlanes);
    }
    {
        /* what does not fit is left out, the least needed first */
        const DrawPart parts[] = {
            {head, UI_HEADING, 5},
            {pt->follow ? (run_done(pt->run) || paused ? "" : "following") : "scrolled: f follows",
             UI_HEADING, pt->follow ? 2 : 4},
            {lanes, STYLE_DIM, 3},
        };
        draw_parts(g, 0, y, tw, parts, ARRAY_SIZE(parts));
    }
    panel_timeline_legend(pt, g, y + 2 + (int)shown + dh, g->w);
    free(ev);
    free(counts);
    free(lmarks);
    free(lnmarks);
    free(labels);
    free(lp);
}
