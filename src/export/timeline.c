/*
 * timeline.c - rendering lanes' states into a grid (see timeline.h).
 *
 * Step mode needs to know, for a parked lane, whether the mutex it waits
 * for was held by another lane at that step.  That is answered from the
 * hold intervals of every lane (lock at step a, unlock at step r: held
 * during steps a+1..r), gathered in one pass before the rows are drawn.
 */
#include "config.h"

#include "export/timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/schedule.h"

typedef struct Hold {
    uint32_t obj;
    uint16_t lane;
    uint64_t from, to; /* held during steps from+1 .. to */
} Hold;

char timeline_op_glyph(unsigned kind)
{
    switch (kind) {
    case EV_LOAD:
        return 'l';
    case EV_STORE:
        return 's';
    case EV_COMPUTE:
        return '+';
    case EV_ATOMIC_ADD:
        return 'f';
    case EV_LOCK_ACQUIRE:
        return 'L';
    case EV_LOCK_RELEASE:
        return 'U';
    case EV_COND_WAIT:
        return 'W';
    case EV_COND_WAKE:
        return 'w';
    case EV_COND_SIGNAL:
        return '!';
    case EV_COND_BROADCAST:
        return '*';
    default:
        return '=';
    }
}

static bool timeline_is_op(unsigned kind)
{
    return kind != EV_LANE_START && kind != EV_LANE_END && kind != EV_LOCK_WAIT &&
           kind != EV_NONE && kind != EV_MARK && kind != EV_VIOLATION;
}

uint64_t timeline_end(const TimelineInput *in)
{
    uint64_t end = in->t_end;
    for (unsigned l = 0; l < in->nlanes; l++) {
        if (in->counts[l] > 0 && in->events[l][in->counts[l] - 1].t > end) {
            end = in->events[l][in->counts[l] - 1].t;
        }
    }
    return end;
}

void timeline_format_time(uint64_t t, bool stepping, char *buf, size_t len)
{
    if (stepping) {
        snprintf(buf, len, "%llu", (unsigned long long)t);
    } else if (t == 0) {
        snprintf(buf, len, "0");
    } else if (t < 1000) {
        snprintf(buf, len, "%lluns", (unsigned long long)t);
    } else if (t < 1000000) {
        snprintf(buf, len, "%.3gus", (double)t / 1e3);
    } else if (t < 1000000000) {
        snprintf(buf, len, "%.3gms", (double)t / 1e6);
    } else {
        snprintf(buf, len, "%.3gs", (double)t / 1e9);
    }
}

static CellStyle timeline_style(unsigned state)
{
    switch (state) {
    case LANE_RUNNING:
        return STYLE_RUNNING;
    case LANE_READY:
        return STYLE_READY;
    case LANE_BLOCKED:
        return STYLE_BLOCKED;
    case LANE_FINISHED:
        return STYLE_FINISHED;
    default:
        return STYLE_NEW;
    }
}

static char timeline_glyph(unsigned state)
{
    switch (state) {
    case LANE_RUNNING:
        return '=';
    case LANE_READY:
        return '.';
    case LANE_BLOCKED:
        return '#';
    default:
        return ' ';
    }
}

/* Free mode: time-weighted majority state per column. */
static void timeline_row_free(Grid *g, int x, int y, int w, const Event *ev, size_t n,
                              uint64_t t0, uint64_t per)
{
    unsigned state = LANE_NEW;
    size_t i = 0;

    for (int c = 0; c < w; c++) {
        uint64_t a = t0 + (uint64_t)c * per, b = a + per, at = a;
        uint64_t dur[LANE_STATE_COUNT] = {0};
        int locks = 0;
        char mark = 0;
        unsigned best = LANE_NEW;

        /* events before the window only move the state */
        while (i < n && ev[i].t < a) {
            unsigned k = ev[i].kind;
            state = k == EV_LANE_START     ? LANE_RUNNING
                    : k == EV_LOCK_WAIT    ? LANE_BLOCKED
                    : k == EV_COND_WAIT    ? LANE_BLOCKED
                    : k == EV_LOCK_ACQUIRE ? LANE_RUNNING
                    : k == EV_COND_WAKE    ? LANE_RUNNING
                    : k == EV_LANE_END     ? LANE_FINISHED
                                           : state;
            i++;
        }
        while (i < n && ev[i].t < b) {
            unsigned k = ev[i].kind;
            dur[state] += ev[i].t - at;
            at = ev[i].t;
            if (k == EV_LANE_START || k == EV_LOCK_ACQUIRE || k == EV_COND_WAKE) {
                state = LANE_RUNNING;
            } else if (k == EV_LOCK_WAIT || k == EV_COND_WAIT) {
                state = LANE_BLOCKED;
            } else if (k == EV_LANE_END) {
                state = LANE_FINISHED;
            }
            if (k == EV_LOCK_ACQUIRE || k == EV_LOCK_RELEASE) {
                locks++;
                mark = timeline_op_glyph(k);
            }
            if (state != LANE_NEW && dur[state] == 0) {
                dur[state] = 1; /* a state entered in this slice counts */
            }
            i++;
        }
        dur[state] += b - at;
        for (unsigned s = LANE_NEW; s < LANE_STATE_COUNT; s++) {
            if (dur[s] > dur[best]) {
                best = s;
            }
        }
        if (locks == 1 && best != LANE_FINISHED) {
            grid_put(g, x + c, y, mark, STYLE_MARK);
        } else {
            grid_put(g, x + c, y, timeline_glyph(best), timeline_style(best));
        }
    }
}

/* Holds of one mutex never overlap, so with holds sorted by (obj, from)
 * the only candidate is the last hold of obj that starts before step. */
static bool timeline_held_by_other(const Hold *holds, size_t nh, uint32_t obj, unsigned lane,
                                   uint64_t step)
{
    size_t lo = 0, hi = nh;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (holds[mid].obj < obj || (holds[mid].obj == obj && holds[mid].from < step)) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo == 0) {
        return false;
    }
    lo--;
    return holds[lo].obj == obj && holds[lo].from < step && step <= holds[lo].to &&
           holds[lo].lane != lane;
}

static int timeline_hold_cmp(const void *pa, const void *pb)
{
    const Hold *a = pa, *b = pb;
    if (a->obj != b->obj) {
        return a->obj < b->obj ? -1 : 1;
    }
    return a->from < b->from ? -1 : (a->from > b->from ? 1 : 0);
}

/* A lane's standing while its step-mode row is drawn, step by step. */
typedef struct StepWalk {
    const Event *ev;
    size_t n, i;
    bool started, finished;
    bool asleep;      /* between a cond_wait and its cond_wake */
    uint32_t waiting; /* mutex waited for, 0 = none */
} StepWalk;

/* Advance walk to step k (1-based, increasing) and return the lane's state
 * in step k, with the op glyph if it ran. */
static unsigned timeline_step_state(StepWalk *wk, unsigned lane, uint64_t k, const Hold *holds,
                                    size_t nh, char *glyph)
{
    *glyph = 0;
    while (wk->i < wk->n && wk->ev[wk->i].t < k) {
        unsigned kind = wk->ev[wk->i].kind;
        if (kind == EV_LANE_START) {
            wk->started = true;
        } else if (kind == EV_LANE_END) {
            wk->finished = true;
        } else if (kind == EV_LOCK_WAIT) {
            wk->waiting = wk->ev[wk->i].obj;
        } else if (kind == EV_LOCK_ACQUIRE) {
            wk->waiting = 0;
        } else if (kind == EV_COND_WAIT) {
            wk->asleep = true;
        } else if (kind == EV_COND_WAKE) {
            wk->asleep = false;
        }
        wk->i++;
    }
    for (size_t i = wk->i; i < wk->n && wk->ev[i].t == k; i++) {
        if (timeline_is_op(wk->ev[i].kind)) {
            *glyph = timeline_op_glyph(wk->ev[i].kind);
            return LANE_RUNNING;
        }
    }
    if (wk->finished) {
        return LANE_FINISHED;
    }
    if (!wk->started) {
        return LANE_NEW;
    }
    if (wk->asleep) {
        return LANE_BLOCKED;
    }
    if (wk->waiting != 0 && timeline_held_by_other(holds, nh, wk->waiting, lane, k)) {
        return LANE_BLOCKED;
    }
    return LANE_READY;
}

static Hold *timeline_holds(const TimelineInput *in, uint64_t end, size_t *nh)
{
    size_t cap = 0, n = 0;
    Hold *h = NULL;

    for (unsigned l = 0; l < in->nlanes; l++) {
        for (size_t i = 0; i < in->counts[l]; i++) {
            const Event *e = &in->events[l][i];
            if (e->kind == EV_LOCK_ACQUIRE) {
                if (n == cap) {
                    Hold *p;
                    cap = cap == 0 ? 64 : cap * 2;
                    p = realloc(h, cap * sizeof(*h));
                    if (p == NULL) {
                        *nh = n;
                        return h;
                    }
                    h = p;
                }
                h[n++] = (Hold){e->obj, (uint16_t)l, e->t, end + 1};
            } else if (e->kind == EV_LOCK_RELEASE) {
                for (size_t j = n; j-- > 0;) {
                    if (h[j].obj == e->obj && h[j].lane == l && h[j].to == end + 1) {
                        h[j].to = e->t;
                        break;
                    }
                }
            }
        }
    }
    if (n > 1) {
        qsort(h, n, sizeof(*h), timeline_hold_cmp);
    }
    *nh = n;
    return h;
}

static void timeline_row_steps(Grid *g, int x, int y, int w, const Event *ev, size_t n,
                               unsigned lane, uint64_t t0, uint64_t per, uint64_t end,
                               const Hold *holds, size_t nh)
{
    static const unsigned prio[LANE_STATE_COUNT] = {
        [LANE_NEW] = 0, [LANE_FINISHED] = 1, [LANE_READY] = 2, [LANE_BLOCKED] = 3,
        [LANE_RUNNING] = 4,
    };
    StepWalk wk = {ev, n, 0, false, false, false, 0};
    for (int c = 0; c < w; c++) {
        unsigned best = LANE_NEW;
        char glyph = 0, gl;
        for (uint64_t k = t0 + (uint64_t)c * per + 1; k <= t0 + (uint64_t)(c + 1) * per; k++) {
            unsigned s;
            if (k > end) {
                break;
            }
            s = timeline_step_state(&wk, lane, k, holds, nh, &gl);
            if (prio[s] > prio[best]) {
                best = s;
            }
            if (gl != 0) {
                glyph = gl;
            }
        }
        if (best == LANE_RUNNING && per == 1 && glyph != 0) {
            grid_put(g, x + c, y, glyph, STYLE_RUNNING);
        } else {
            grid_put(g, x + c, y, timeline_glyph(best), timeline_style(best));
        }
    }
}

static void timeline_axis(Grid *g, int x, int y, int w, uint64_t t0, uint64_t per, bool stepping,
                          uint64_t end)
{
    int c = 0;
    int gap = stepping && per == 1 ? 5 : 10;
    while (c < w && (c == 0 || t0 + (uint64_t)c * per <= end)) {
        char label[32];
        int len;
        timeline_format_time(t0 + (uint64_t)c * per, stepping, label, sizeof(label));
        len = (int)strlen(label);
        if (c + len > w) {
            break;
        }
        grid_put(g, x + c, y, '|', STYLE_AXIS);
        grid_puts(g, x + c + 1, y, label, STYLE_AXIS);
        c += len + 1 < gap ? gap : len + 3;
    }
}

uint64_t timeline_render(Grid *grid, int x, int y, int w, const TimelineInput *in,
                         const TimelineView *view)
{
    int lw = view->label_w < 3 ? 3 : view->label_w;
    int cols = w - lw - 1;
    uint64_t end = timeline_end(in);
    uint64_t span, per;
    Hold *holds = NULL;
    size_t nh = 0;

    if (cols < 1) {
        return 1;
    }
    span = view->span > 0 ? view->span : (end > view->t0 ? end - view->t0 : 1);
    per = (span + (uint64_t)cols - 1) / (uint64_t)cols;
    if (per == 0) {
        per = 1;
    }
    if (in->stepping) {
        holds = timeline_holds(in, end, &nh);
    }
    for (unsigned l = 0; l < in->nlanes; l++) {
        char name[LANE_NAME_MAX];
        int row = y + (int)l;
        if (row >= grid->h) {
            break;
        }
        lane_name(l, name);
        grid_puts(grid, x, row, name, STYLE_TEXT);
        grid_put(grid, x + lw, row, '|', STYLE_AXIS);
        if (in->stepping) {
            timeline_row_steps(grid, x + lw + 1, row, cols, in->events[l], in->counts[l], l,
                               view->t0, per, end, holds, nh);
        } else {
            timeline_row_free(grid, x + lw + 1, row, cols, in->events[l], in->counts[l],
                              view->t0, per);
        }
    }
    free(holds);
    timeline_axis(grid, x + lw, y + (int)in->nlanes, cols + 1, view->t0, per, in->stepping, end);
    return per;
}
