/*
 * queueview.c - a bounded buffer's slots and depth as cells (see
 * queueview.h).
 *
 * The series walks every lane's log once, keeps the events that changed
 * the variable, and sorts them by time (lanes interleave; within one lane
 * they are already in order).  Sampling keeps the last change of each
 * time slice, so a graph of the samples ends each slice at the right
 * value; a run with few changes keeps them all.
 */
#include "config.h"

#include "view/queueview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "util/vec.h"

/* The object index of the OBJ_VAR or OBJ_SLOT named name, 0 = none. */
static uint32_t queueview_find(const Arena *arena, const char *name, ObjKind kind)
{
    uint32_t n = arena_nobjs(arena);
    for (uint32_t o = 1; o < n && o < ARENA_MAX_OBJS; o++) {
        if (arena->objs[o].kind == kind && strcmp(arena_obj_name(arena, o), name) == 0) {
            return o;
        }
    }
    return 0;
}

static int queueview_cmp(const void *pa, const void *pb)
{
    const QueuePoint *a = pa, *b = pb;
    return a->t < b->t ? -1 : (a->t > b->t ? 1 : 0);
}

size_t queueview_series(const Run *run, const char *var, QueuePoint *out, size_t max)
{
    const Arena *arena = run_arena(run);
    uint32_t obj = queueview_find(arena, var, OBJ_VAR);
    QueuePoint *all = NULL;
    size_t n = 0, cap = 0, kept = 0;
    uint64_t end;

    if (obj == 0 || max == 0) {
        return 0;
    }
    for (unsigned l = 0; l < run_nlanes(run); l++) {
        const Event *ev;
        size_t ne = run_lane_events(run, l, &ev);
        for (size_t i = 0; i < ne; i++) {
            if (ev[i].obj != obj || (ev[i].kind != EV_STORE && ev[i].kind != EV_ATOMIC_ADD)) {
                continue;
            }
            if (n == cap) {
                QueuePoint *p = vec_grow(all, &cap, n + 1, sizeof(*p));
                if (p == NULL) {
                    free(all);
                    return 0;
                }
                all = p;
            }
            all[n++] = (QueuePoint){ev[i].t, ev[i].value};
        }
    }
    if (n == 0) {
        free(all);
        return 0;
    }
    /* mergesort keeps equal times in lane order; qsort is fine: ties are
     * one step (step mode) or the same nanosecond */
    qsort(all, n, sizeof(*all), queueview_cmp);
    if (n <= max) {
        memcpy(out, all, n * sizeof(*all));
        free(all);
        return n;
    }
    end = all[n - 1].t + 1;
    for (size_t i = 0; i < n; i++) {
        size_t slice = (size_t)((unsigned __int128)all[i].t * max / end);
        bool last_of_slice =
            i + 1 == n || (size_t)((unsigned __int128)all[i + 1].t * max / end) != slice;
        if (last_of_slice && kept < max) {
            out[kept++] = all[i];
        }
    }
    free(all);
    return kept;
}

int queueview_depth(Grid *grid, int x, int y, int w, int h, const QueuePoint *points, size_t n,
                    uint64_t t_end, int64_t vmax)
{
    size_t at = 0;
    int64_t v = 0;

    if (w <= 0 || h <= 0 || n == 0) {
        return 0;
    }
    if (t_end == 0) {
        t_end = points[n - 1].t;
    }
    if (vmax <= 0) {
        vmax = 1;
    }
    for (int c = 0; c < w; c++) {
        /* the slice ends at time t_end * (c + 1) / w */
        uint64_t slice_end = (uint64_t)((unsigned __int128)t_end * (unsigned)(c + 1) / (unsigned)w);
        int bar;
        while (at < n && points[at].t <= slice_end) {
            v = points[at].v;
            at++;
        }
        bar = v <= 0 ? 0 : (int)((v * h + vmax - 1) / vmax);
        if (bar > h) {
            bar = h;
        }
        for (int r = 0; r < h; r++) {
            bool filled = r >= h - bar;
            grid_put(grid, x + c, y + r, filled ? '#' : ' ', filled ? STYLE_MARK : STYLE_TEXT);
        }
    }
    return h;
}

uint32_t queueview_var(const Arena *arena, const char *name)
{
    return queueview_find(arena, name, OBJ_VAR);
}

/* One column of a depth graph: a bar for v, '!' when v is out of 0..vmax. */
static void queueview_bar(Grid *grid, int x, int y, int h, int64_t v, int64_t vmax)
{
    int bar = v <= 0 ? 0 : (int)((v * h + vmax - 1) / vmax);

    if (bar > h) {
        bar = h;
    }
    for (int r = 0; r < h; r++) {
        bool filled = r >= h - bar;
        grid_put(grid, x, y + r, filled ? '#' : ' ', filled ? STYLE_MARK : STYLE_TEXT);
    }
    if (v > vmax) {
        grid_put(grid, x, y, '!', STYLE_BLOCKED);
    } else if (v < 0) {
        grid_put(grid, x, y + h - 1, '!', STYLE_BLOCKED);
    }
}

/* Whether a change at time t is in the time up to the end of a column
 * ending at end. */
static bool queueview_before(uint64_t t, uint64_t end, bool stepping)
{
    return stepping ? t <= end : t < end;
}

int queueview_depth_lanes(Grid *grid, int x, int y, int w, int h, const QueuePoint *const *lanes,
                          const size_t *counts, unsigned nlanes, uint64_t t0, uint64_t per,
                          uint64_t t_end, bool stepping, int64_t vmax)
{
    size_t *at;
    QueuePoint last = {0, 0};
    bool any = false;

    if (w <= 0 || h <= 0 || nlanes == 0) {
        return 0;
    }
    at = calloc(nlanes, sizeof(*at));
    if (at == NULL) {
        return 0;
    }
    if (per == 0) {
        per = 1;
    }
    if (vmax <= 0) {
        vmax = 1;
    }
    /* the value at t0: each lane's last change before it, the latest wins */
    for (unsigned l = 0; l < nlanes; l++) {
        size_t lo = 0, hi = counts[l];
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (queueview_before(lanes[l][mid].t, t0, stepping)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        at[l] = lo;
        if (lo > 0 && (!any || lanes[l][lo - 1].t >= last.t)) {
            last = lanes[l][lo - 1];
            any = true;
        }
    }
    for (int c = 0; c < w; c++) {
        uint64_t start = t0 + (uint64_t)c * per, end = start + per;
        if (start >= t_end) { /* after the run's end (so far) */
            for (int r = 0; r < h; r++) {
                grid_put(grid, x + c, y + r, ' ', STYLE_TEXT);
            }
            continue;
        }
        for (unsigned l = 0; l < nlanes; l++) {
            while (at[l] < counts[l] && queueview_before(lanes[l][at[l]].t, end, stepping)) {
                if (!any || lanes[l][at[l]].t >= last.t) {
                    last = lanes[l][at[l]];
                    any = true;
                }
                at[l]++;
            }
        }
        queueview_bar(grid, x + c, y, h, last.v, vmax);
    }
    free(at);
    return h;
}

int queueview_slots(Grid *grid, int x, int y, int w, const Arena *arena, const char *array,
                    const char *head, const char *tail, int64_t empty_value, int64_t sentinel_value)
{
    return queueview_slots_mark(grid, x, y, w, arena, array, head, tail, empty_value,
                                sentinel_value, 0);
}

int queueview_slots_mark(Grid *grid, int x, int y, int w, const Arena *arena, const char *array,
                         const char *head, const char *tail, int64_t empty_value,
                         int64_t sentinel_value, uint32_t mark_obj)
{
    char name[96];
    uint32_t first, n = 0, nobjs = arena_nobjs(arena);
    uint32_t ho = queueview_find(arena, head, OBJ_VAR), to = queueview_find(arena, tail, OBJ_VAR);
    int64_t hv = -1, tv = -1;
    bool wide;

    snprintf(name, sizeof(name), "%.80s[0]", array);
    first = queueview_find(arena, name, OBJ_SLOT);
    if (first == 0 || w <= 0) {
        return 0;
    }
    while (first + n < nobjs && arena->objs[first + n].kind == OBJ_SLOT) {
        snprintf(name, sizeof(name), "%.80s[%u]", array, n);
        if (strcmp(arena_obj_name(arena, first + n), name) != 0) {
            break;
        }
        n++;
    }
    if (ho != 0) {
        hv = arena_obj_value(arena, ho);
    }
    if (to != 0) {
        tv = arena_obj_value(arena, to);
    }
    wide = (int)n * 4 + 1 <= w;
    if (wide) {
        grid_put(grid, x, y, '|', STYLE_AXIS);
    }
    for (uint32_t i = 0; i < n; i++) {
        int64_t v = arena_obj_value(arena, first + i);
        int col = wide ? x + (int)i * 4 : x + (int)i;
        bool empty = v == empty_value;
        CellStyle st = empty ? STYLE_DIM : STYLE_RUNNING;
        if (!wide && col >= x + w) {
            break;
        }
        if (wide) {
            char cell[8];
            if (empty) {
                snprintf(cell, sizeof(cell), "   ");
            } else if (v == sentinel_value) {
                snprintf(cell, sizeof(cell), "  S");
            } else if (v >= 0 && v < 1000) {
                snprintf(cell, sizeof(cell), "%3lld", (long long)v);
            } else {
                snprintf(cell, sizeof(cell), "+++");
            }
            grid_puts(grid, col + 1, y, cell, v == sentinel_value ? STYLE_MARK : st);
            grid_put(grid, col + 4, y, '|', STYLE_AXIS);
        } else {
            grid_put(grid, col, y, empty ? '.' : (v == sentinel_value ? 'S' : '#'), st);
        }
        if ((int64_t)i == hv || (int64_t)i == tv) {
            char mark = (int64_t)i == hv && (int64_t)i == tv ? '*' : ((int64_t)i == hv ? 'h' : 't');
            grid_put(grid, wide ? col + 2 : col, y + 1, mark, STYLE_MARK);
        }
        if (mark_obj != 0 && first + i == mark_obj) {
            grid_put(grid, wide ? col + 2 : col, y + 1, '!', STYLE_BLOCKED);
        }
    }
    return 2;
}

struct QueueTrack {
    unsigned nlanes;
    uint32_t obj;    /* the variable, 0 = not found yet */
    QueuePoint **pt; /* pt[lane]: that lane's changes, time order */
    size_t *n, *cap;
    size_t *scanned; /* events of the lane's log already looked at */
};

QueueTrack *queuetrack_new(unsigned nlanes)
{
    QueueTrack *t = calloc(1, sizeof(*t));
    unsigned n = nlanes > 0 ? nlanes : 1;
    if (t == NULL) {
        return NULL;
    }
    t->nlanes = nlanes;
    t->pt = calloc(n, sizeof(*t->pt));
    t->n = calloc(n, sizeof(*t->n));
    t->cap = calloc(n, sizeof(*t->cap));
    t->scanned = calloc(n, sizeof(*t->scanned));
    if (t->pt == NULL || t->n == NULL || t->cap == NULL || t->scanned == NULL) {
        queuetrack_free(t);
        return NULL;
    }
    return t;
}

void queuetrack_free(QueueTrack *track)
{
    if (track == NULL) {
        return;
    }
    for (unsigned l = 0; track->pt != NULL && l < track->nlanes; l++) {
        free(track->pt[l]);
    }
    free(track->pt);
    free(track->n);
    free(track->cap);
    free(track->scanned);
    free(track);
}

void queuetrack_scan(QueueTrack *track, const Run *run, const char *var)
{
    if (track->obj == 0) {
        /* the demo registers it in the sandbox, once the run has started */
        track->obj = queueview_find(run_arena(run), var, OBJ_VAR);
        if (track->obj == 0) {
            return;
        }
    }
    for (unsigned l = 0; l < track->nlanes && l < run_nlanes(run); l++) {
        const Event *ev;
        size_t n = run_lane_events(run, l, &ev);
        for (size_t j = track->scanned[l]; j < n; j++) {
            if (ev[j].obj != track->obj ||
                (ev[j].kind != EV_STORE && ev[j].kind != EV_ATOMIC_ADD)) {
                continue;
            }
            if (track->n[l] == track->cap[l]) {
                QueuePoint *p = vec_grow(track->pt[l], &track->cap[l], track->n[l] + 1, sizeof(*p));
                if (p == NULL) {
                    break; /* the graph misses some changes; the run goes on */
                }
                track->pt[l] = p;
            }
            track->pt[l][track->n[l]++] = (QueuePoint){ev[j].t, ev[j].value};
        }
        track->scanned[l] = n;
    }
}

int queuetrack_draw(const QueueTrack *track, Grid *grid, int x, int y, int w, int h, uint64_t t0,
                    uint64_t per, uint64_t t_end, bool stepping, int64_t vmax)
{
    return queueview_depth_lanes(grid, x, y, w, h, (const QueuePoint *const *)track->pt, track->n,
                                 track->nlanes, t0, per, t_end, stepping, vmax);
}
