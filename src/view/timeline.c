/*
 * timeline.c - rendering lanes' states into a grid (see timeline.h).
 *
 * Step mode needs to know, for a parked lane, whether the mutex it waits
 * for was held by another lane at that step.  That is answered from the
 * hold intervals of every lane (lock at step a, unlock at step r: held
 * during steps a+1..r), kept per lock in order of a.  Likewise a lane in a
 * semaphore wait is blocked only while the count is 0: the counts come
 * from the semaphore events of every lane (each says the count it saw or
 * left), kept per semaphore in order of step.  These tables, and each
 * lane's row walk as it stood every TL_STEPS_EVERY events, are an index
 * (TimelineSteps) that a front end extends as a run's events come in, so
 * a frame walks only the steps it shows; a render without one builds it
 * from every event, as a one-off report does.
 *
 * Blocked has sub-states for the waits the input's wait classes explain (a
 * full buffer, an empty one, join, ...); they are kept apart from plain
 * blocked through the column's majority vote, so a column says which wait
 * it was.
 */
#include "config.h"

#include "view/timeline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/schedule.h"
#include "view/draw.h"
#include "view/view.h"
#include "util/vec.h"

/* One hold of a lock (step mode), in its object's list. */
typedef struct Hold {
    uint16_t lane;
    uint64_t from, to; /* held during steps from+1 .. to; UINT64_MAX: still held */
} Hold;

/* A count as an event saw or left it (step mode), in its object's list: a
 * semaphore's, a latch's, a read-write lock's readers, a pipe's messages. */
typedef struct TlCount {
    uint64_t t;    /* step of the event */
    uint64_t seq;  /* lane << 40 | its index: one lane's events of a step in order,
                    * a lower lane's before */
    int64_t delta; /* pipes: +1 a write, -1 a read */
    int64_t count; /* after the event (pipes: the running sum of deltas) */
} TlCount;

/* An object's holds by from (holds of one lock never overlap), or its
 * counts by (t, seq). */
typedef struct HoldList {
    Hold *h;
    size_t n, cap;
} HoldList;

typedef struct CountList {
    TlCount *c;
    size_t n, cap;
} CountList;

/* The states of a row: LaneState, then the explained waits (wait class k
 * is state TL_ST_WAIT + k). */
enum { TL_ST_WAIT = LANE_STATE_COUNT, TL_NSTATES = TL_ST_WAIT + VIEW_MAX_WAITS };

/* The input and what explains its waits. */
typedef struct TlIn {
    const TimelineInput *in;
    const TimelineWaits *waits; /* NULL = plain */
} TlIn;

/* The row state of lane blocked on obj (a cond or a semaphore). */
static unsigned timeline_wait_state(const TlIn *in, unsigned lane, uint32_t obj)
{
    const TimelineWaits *w = in->waits;
    int k;
    if (w == NULL || w->wait_class == NULL) {
        return LANE_BLOCKED;
    }
    k = w->wait_class(w->arena, w->params, lane, obj);
    if (k < 0 || (unsigned)k >= w->nwaits || k >= VIEW_MAX_WAITS) {
        return LANE_BLOCKED;
    }
    return TL_ST_WAIT + (unsigned)k;
}

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
    case EV_ATOMIC_CAS:
        return 'f';
    case EV_LOCK_ACQUIRE:
    case EV_RLOCK_ACQUIRE:
    case EV_RW_WRITE:
        return 'L';
    case EV_LOCK_RELEASE:
    case EV_RLOCK_RELEASE:
    case EV_RW_WRITE_RELEASE:
        return 'U';
    case EV_COND_WAIT:
    case EV_EVENT_WAIT:
        return 'W';
    case EV_COND_WAKE:
    case EV_EVENT_WAKE:
        return 'w';
    case EV_COND_SIGNAL:
    case EV_EVENT_SET:
        return '!';
    case EV_COND_BROADCAST:
        return '*';
    case EV_GIL_ACQUIRE:
        return 'G';
    case EV_GIL_RELEASE:
        return 'g';
    case EV_GIL_DROP_REQUEST:
        return 'd';
    case EV_GIL_SWITCHED:
        return 'x';
    case EV_IO_END:
        return 'o';
    case EV_PIPE_WRITE:
        return '>';
    case EV_PIPE_READ:
        return '<';
    case EV_REAP:
        return 'Z';
    default:
        return '=';
    }
}

static bool timeline_is_op(unsigned kind)
{
    /* a ready event is recorded by a coroutine's loop, not by the lane */
    return kind != EV_LANE_START && kind != EV_LANE_END && kind != EV_LOCK_WAIT &&
           kind != EV_RW_ASK && kind != EV_LATCH_ASK && kind != EV_GIL_WAIT && kind != EV_NONE &&
           kind != EV_MARK && kind != EV_VIOLATION && kind != EV_PIPE_WAIT &&
           kind != EV_LANE_DIED && kind != EV_LANE_REAPED &&
           event_kind_effect(kind) != EV_EFFECT_READY;
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

static int timeline_style(unsigned state)
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
    case LANE_DIED:
        return STYLE_BLOCKED;
    default:
        return STYLE_NEW;
    }
}

/* Put the glyph of state at (x, y). */
static void timeline_put_state(Grid *g, int x, int y, const TlIn *in, unsigned state)
{
    static const char glyphs[LANE_STATE_COUNT] = {
        [LANE_NEW] = ' ',     [LANE_RUNNING] = '=',  [LANE_READY] = '.',
        [LANE_BLOCKED] = '#', [LANE_FINISHED] = ' ', [LANE_DIED] = 'z',
    };
    if (state >= TL_ST_WAIT && in->waits != NULL && state - TL_ST_WAIT < in->waits->nwaits) {
        const WaitClass *wc = &in->waits->waits[state - TL_ST_WAIT];
        draw_glyph(g, x, y, wc->utf8, wc->ascii, UI_ACCENT_0 + (int)(wc->accent % VIEW_ACCENTS));
        return;
    }
    if (state >= LANE_STATE_COUNT) {
        state = LANE_BLOCKED;
    }
    grid_put(g, x, y, glyphs[state], (CellStyle)timeline_style(state));
}

bool timeline_has_waits(const Arena *a)
{
    uint32_t n = arena_nobjs(a);
    for (uint32_t o = 1; o < n && o < ARENA_MAX_OBJS; o++) {
        switch (a->objs[o].kind) {
        case OBJ_MUTEX:
        case OBJ_SEM:
        case OBJ_COND:
        case OBJ_RLOCK:
        case OBJ_RWLOCK:
        case OBJ_BARRIER:
        case OBJ_LATCH:
        case OBJ_EVENT:
            return true;
        default:
            break;
        }
    }
    return false;
}

bool timeline_free_keeps(unsigned kind)
{
    switch (kind) {
    case EV_LANE_START:
    case EV_LANE_END:
    case EV_LOCK_WAIT:
    case EV_LOCK_ACQUIRE:
    case EV_LOCK_RELEASE:
    case EV_COND_WAIT:
    case EV_COND_WAKE:
    case EV_SEM_WAIT:
    case EV_SEM_ACQUIRE:
    case EV_GIL_WAIT:
    case EV_GIL_ACQUIRE:
    case EV_GIL_RELEASE:
    case EV_IO_BEGIN:
    case EV_IO_END:
    case EV_PIPE_WAIT:
    case EV_PIPE_READ:
    case EV_LANE_DIED:
    case EV_LANE_REAPED:
    case EV_RLOCK_ACQUIRE:
    case EV_RW_ASK:
    case EV_RW_READ:
    case EV_RW_WRITE:
    case EV_BARRIER_WAIT:
    case EV_BARRIER_PASS:
    case EV_EVENT_WAIT:
    case EV_EVENT_WAKE:
    case EV_LATCH_ASK:
    case EV_LATCH_WAIT:
        return true;
    default:
        return false;
    }
}

/* Free mode: the state after event e (state before it: state).  Every
 * kind it acts on is one timeline_free_keeps() keeps. */
static unsigned timeline_free_next(const TlIn *in, unsigned lane, const Event *e, unsigned state)
{
    switch (e->kind) {
    case EV_LANE_START:
    case EV_LOCK_ACQUIRE:
    case EV_COND_WAKE:
    case EV_SEM_ACQUIRE:
    case EV_GIL_ACQUIRE:
    case EV_IO_END:
    case EV_PIPE_READ:
    case EV_RLOCK_ACQUIRE:
    case EV_RW_READ:
    case EV_RW_WRITE:
    case EV_BARRIER_PASS:
    case EV_EVENT_WAKE:
    case EV_LATCH_WAIT:
        return LANE_RUNNING;
    case EV_LOCK_WAIT: /* a mutex's or an RLock's */
    case EV_RW_ASK:
        return LANE_BLOCKED;
    case EV_BARRIER_WAIT:
        /* arrived: asleep till the round fills (the lane that fills it
         * records its pass at once) */
        return timeline_wait_state(in, lane, e->obj);
    case EV_EVENT_WAIT:
        /* value 0: the flag was down, the lane sleeps till a set */
        return e->value == 0 ? timeline_wait_state(in, lane, e->obj) : state;
    case EV_LATCH_ASK:
        /* value: the count it saw; above 0 it waits */
        return e->value > 0 ? timeline_wait_state(in, lane, e->obj) : state;
    case EV_COND_WAIT:
    case EV_GIL_WAIT:
    case EV_GIL_RELEASE: /* till it takes the GIL again (or ends) */
    case EV_IO_BEGIN:
    case EV_PIPE_WAIT:
        return timeline_wait_state(in, lane, e->obj);
    case EV_LANE_DIED:
        return LANE_DIED; /* a zombie until reaped */
    case EV_LANE_REAPED:
        return LANE_FINISHED;
    case EV_SEM_WAIT:
        /* value: the count it saw; above 0 it goes straight on */
        return e->value <= 0 ? timeline_wait_state(in, lane, e->obj) : state;
    case EV_LANE_END:
        return LANE_FINISHED;
    default:
        /* the kinds from the event-loop block on say it themselves */
        switch (event_kind_effect(e->kind)) {
        case EV_EFFECT_WAIT:
            return timeline_wait_state(in, lane, e->obj);
        case EV_EFFECT_RUN:
            return LANE_RUNNING;
        case EV_EFFECT_READY:
            return LANE_READY;
        default:
            return state;
        }
    }
}

/* Events a free-mode column looks at one by one; a column with more is
 * sampled (timeline_column_sampled). */
#define TL_COLUMN_EVENTS 64
/* Moments a sampled column looks at. */
#define TL_COLUMN_SAMPLES 32

/* The state after ev[at], from the last event at or before it that sets
 * one (a release, a sem_wait that went straight on, keep it): looks at
 * most TL_COLUMN_EVENTS events back, then says `state`. */
static unsigned timeline_free_state_after(const TlIn *in, unsigned lane, const Event *ev, size_t at,
                                          unsigned state)
{
    for (size_t k = 0; k < TL_COLUMN_EVENTS && k <= at; k++) {
        unsigned s = timeline_free_next(in, lane, &ev[at - k], TL_NSTATES);
        if (s != TL_NSTATES) {
            return s;
        }
    }
    return state;
}

/*
 * A column of more than TL_COLUMN_EVENTS events (ev[i .. j), times in
 * [a, b)), entered in `state`: the lane's state is looked up at
 * TL_COLUMN_SAMPLES moments, one in each equal part of the column at a
 * fixed pseudo-random place (so a pattern as regular as the samples cannot
 * fool them), and each counts for its part.  A frame's work then does not
 * grow with the events a run recorded; a column this dense shows the
 * state the lane spent most of it in, never a lock mark.  Returns the
 * state after the column (exact, from its last events).
 */
static unsigned timeline_column_sampled(const TlIn *in, unsigned lane, const Event *ev, size_t i,
                                        size_t j, uint64_t a, uint64_t b, unsigned state,
                                        uint64_t *dur)
{
    uint64_t part = (b - a) / TL_COLUMN_SAMPLES;
    size_t at = i; /* the first event after the moment looked at */

    for (unsigned m = 0; m < TL_COLUMN_SAMPLES; m++) {
        uint64_t h = (a / (part > 0 ? part : 1) + m) * 0x9e3779b97f4a7c15u;
        uint64_t t = a + m * part + (part > 0 ? (h >> 32) % part : 0);
        size_t step = 1, hi;
        unsigned s;
        /* the first event after t: gallop forward, then bisect */
        while (at + step < j && ev[at + step].t <= t) {
            at += step;
            step *= 2;
        }
        hi = at + step < j ? at + step + 1 : j;
        while (at < hi) {
            size_t mid = at + (hi - at) / 2;
            if (ev[mid].t <= t) {
                at = mid + 1;
            } else {
                hi = mid;
            }
        }
        s = at > i ? timeline_free_state_after(in, lane, ev, at - 1, state) : state;
        dur[s] += part > 0 ? part : 1;
    }
    return timeline_free_state_after(in, lane, ev, j - 1, state);
}

/* Free mode: time-weighted majority state per column. */
static void timeline_row_free(Grid *g, int x, int y, int w, const TlIn *in, unsigned lane,
                              const Event *ev, size_t n, uint64_t t0, uint64_t per)
{
    unsigned state = LANE_NEW;
    size_t i = 0;

    for (int c = 0; c < w; c++) {
        uint64_t a = t0 + (uint64_t)c * per, b = a + per, at = a;
        uint64_t dur[TL_NSTATES] = {0};
        int locks = 0;
        char mark = 0;
        unsigned best = LANE_NEW;

        /* events before the window only move the state */
        while (i < n && ev[i].t < a) {
            state = timeline_free_next(in, lane, &ev[i], state);
            i++;
        }
        if (n - i > TL_COLUMN_EVENTS && ev[i + TL_COLUMN_EVENTS].t < b) {
            /* a dense column: find its end by bisection, then sample it */
            size_t lo = event_at_or_after(ev, i + TL_COLUMN_EVENTS, n, b);
            state = timeline_column_sampled(in, lane, ev, i, lo, a, b, state, dur);
            i = lo;
            locks = 2;
            at = b;
        }
        while (i < n && ev[i].t < b) {
            unsigned k = ev[i].kind;
            dur[state] += ev[i].t - at;
            at = ev[i].t;
            state = timeline_free_next(in, lane, &ev[i], state);
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
        /* a lane that did anything in this slice shows it: the longest of
         * the states it was alive in wins over not started and finished,
         * however short (a lane that ran 2 us of a 10 us column is drawn) */
        for (unsigned s = LANE_NEW; s < TL_NSTATES; s++) {
            bool alive = s != LANE_NEW && s != LANE_FINISHED;
            bool best_alive = best != LANE_NEW && best != LANE_FINISHED;
            if (dur[s] > 0 &&
                ((alive && !best_alive) || (alive == best_alive && dur[s] > dur[best]))) {
                best = s;
            }
        }
        if (locks == 1 && best != LANE_FINISHED) {
            grid_put(g, x + c, y, mark, STYLE_MARK);
        } else {
            timeline_put_state(g, x + c, y, in, best);
        }
    }
}

/* Holds of one lock never overlap, so with its holds sorted by from the
 * only candidate is the last one that starts before step. */
static bool timeline_held_by_other(const HoldList *holds, uint32_t obj, unsigned lane,
                                   uint64_t step)
{
    const HoldList *hl;
    size_t lo = 0, hi;

    if (obj >= ARENA_MAX_OBJS) {
        return false;
    }
    hl = &holds[obj];
    hi = hl->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (hl->h[mid].from < step) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo == 0) {
        return false;
    }
    lo--;
    return step <= hl->h[lo].to && hl->h[lo].lane != lane;
}

/* The count of obj during step k (after the events of steps before k);
 * -1 when no event says. */
static int64_t timeline_sem_count(const CountList *counts, uint32_t obj, uint64_t k)
{
    const CountList *cl;
    size_t lo = 0, hi;

    if (obj >= ARENA_MAX_OBJS) {
        return -1;
    }
    cl = &counts[obj];
    hi = cl->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cl->c[mid].t < k) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo == 0 ? -1 : cl->c[lo - 1].count;
}

/* What the step-mode rows share: the input, and the index of every
 * lane's holds, counts and row walks (TimelineSteps). */
typedef struct StepCtx {
    const TlIn *in;
    const struct TimelineSteps *ix;
    bool from_start; /* walk each row from the lane's first event (an index
                      * built for one render: it walked them all anyway) */
} StepCtx;

/* A lane's standing while its step-mode row is drawn, step by step. */
typedef struct StepWalk {
    const Event *ev;
    size_t n, i;
    bool started, finished;
    uint32_t asleep;  /* cond slept on, between a cond_wait and its cond_wake; 0 = none */
    uint32_t waiting; /* mutex waited for, 0 = none */
    uint32_t sem;     /* semaphore waited for, between sem_wait and sem_acquire; 0 = none */
    unsigned effect;  /* the state a wait or ready event left (event_kind_effect), 0 = none */
    uint32_t gil;     /* global lock or I/O waited on, from gil_wait, gil_drop or io_begin to
                       * gil_take or io_end; 0 = none */
    uint32_t pipe;    /* pipe waited for, between pipe_wait and pipe_read; 0 = none */
    uint32_t latch;   /* latch waited at, between latch_ask and latch_wait; 0 = none */
    bool to_write;    /* `waiting` is a read-write lock asked for writing: readers block it */
    bool died;        /* its process died: a zombie until reaped (then finished) */
} StepWalk;

#define TL_STEPS_EVERY 1024 /* a lane's row walk is kept every this many events */

struct TimelineSteps {
    unsigned nlanes;
    bool failed;      /* out of memory: renders build their own */
    size_t *taken;    /* events of each lane taken in */
    StepWalk *walk;   /* each lane's walk over them (ev, n unused) */
    StepWalk **check; /* check[lane][c]: its walk after c * TL_STEPS_EVERY events */
    size_t *ncheck, *capcheck;
    HoldList *holds;  /* [ARENA_MAX_OBJS]: each lock's holds */
    CountList *sems;  /* [ARENA_MAX_OBJS]: semaphore, latch and readers counts */
    CountList *pipes; /* [ARENA_MAX_OBJS]: messages in each pipe */
    uint64_t visits;  /* events taken in, in all */
};

/* What event e (the lane's next) does to the lane's walk. */
static void timeline_walk_event(StepWalk *wk, const TlIn *in, unsigned lane, const Event *e)
{
    unsigned kind = e->kind;
    if (kind == EV_LANE_START) {
        wk->started = true;
    } else if (kind == EV_LANE_END) {
        wk->finished = true;
    } else if (kind == EV_LOCK_WAIT || kind == EV_RW_ASK) {
        /* a mutex, an RLock or a read-write lock: blocked while held */
        wk->waiting = e->obj;
        wk->to_write = kind == EV_RW_ASK && e->value != 0;
    } else if (kind == EV_LOCK_ACQUIRE || kind == EV_RLOCK_ACQUIRE || kind == EV_RW_READ ||
               kind == EV_RW_WRITE) {
        wk->waiting = 0;
    } else if (kind == EV_COND_WAIT || kind == EV_BARRIER_WAIT ||
               (kind == EV_EVENT_WAIT && e->value == 0)) {
        /* asleep till woken: a barrier's last arrival passes in the
         * same step, a set event's wait returns at once */
        wk->asleep = e->obj;
    } else if (kind == EV_COND_WAKE || kind == EV_BARRIER_PASS || kind == EV_EVENT_WAKE) {
        wk->asleep = 0;
    } else if (kind == EV_LATCH_ASK) {
        wk->latch = e->obj;
    } else if (kind == EV_LATCH_WAIT) {
        wk->latch = 0;
    } else if (kind == EV_SEM_WAIT) {
        wk->sem = e->obj;
    } else if (kind == EV_SEM_ACQUIRE) {
        wk->sem = 0;
    } else if (kind == EV_GIL_WAIT || kind == EV_IO_BEGIN ||
               (kind == EV_GIL_RELEASE && wk->gil == 0)) {
        wk->gil = e->obj;
    } else if (kind == EV_GIL_ACQUIRE || kind == EV_IO_END) {
        wk->gil = 0;
    } else if (kind == EV_PIPE_WAIT) {
        wk->pipe = e->obj;
    } else if (kind == EV_PIPE_READ) {
        wk->pipe = 0;
    } else if (kind == EV_LANE_DIED) {
        wk->died = true;
    } else if (kind == EV_LANE_REAPED) {
        wk->died = false;
        wk->finished = true;
    } else {
        switch (event_kind_effect(kind)) {
        case EV_EFFECT_WAIT:
            wk->effect = timeline_wait_state(in, lane, e->obj);
            break;
        case EV_EFFECT_READY:
            wk->effect = LANE_READY;
            break;
        case EV_EFFECT_RUN:
            wk->effect = 0;
            break;
        default:
            break;
        }
    }
}

/* Advance walk to step k (1-based, increasing) and return the lane's state
 * in step k, with the op glyph if it ran. */
static unsigned timeline_step_state(StepWalk *wk, unsigned lane, uint64_t k, const StepCtx *sc,
                                    char *glyph)
{
    *glyph = 0;
    while (wk->i < wk->n && wk->ev[wk->i].t < k) {
        timeline_walk_event(wk, sc->in, lane, &wk->ev[wk->i]);
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
    if (wk->died) {
        return LANE_DIED;
    }
    if (!wk->started) {
        return LANE_NEW;
    }
    if (wk->pipe != 0 && timeline_sem_count(sc->ix->pipes, wk->pipe, k) <= 0) {
        return timeline_wait_state(sc->in, lane, wk->pipe); /* empty: it waits */
    }
    if (wk->asleep != 0) {
        return timeline_wait_state(sc->in, lane, wk->asleep);
    }
    if (wk->effect != 0) {
        return wk->effect;
    }
    if (wk->sem != 0 && timeline_sem_count(sc->ix->sems, wk->sem, k) == 0) {
        return timeline_wait_state(sc->in, lane, wk->sem);
    }
    if (wk->gil != 0) {
        return timeline_wait_state(sc->in, lane, wk->gil);
    }
    if (wk->latch != 0 && timeline_sem_count(sc->ix->sems, wk->latch, k) > 0) {
        return timeline_wait_state(sc->in, lane, wk->latch);
    }
    if (wk->waiting != 0 && timeline_held_by_other(sc->ix->holds, wk->waiting, lane, k)) {
        return LANE_BLOCKED;
    }
    if (wk->waiting != 0 && wk->to_write && timeline_sem_count(sc->ix->sems, wk->waiting, k) > 0) {
        return LANE_BLOCKED; /* readers inside */
    }
    return LANE_READY;
}

/* ------------------------------------------------------------------ */
/* the step-mode index                                                 */
/* ------------------------------------------------------------------ */

TimelineSteps *timeline_steps_new(unsigned nlanes)
{
    TimelineSteps *ix = calloc(1, sizeof(*ix));
    size_t nl = nlanes > 0 ? nlanes : 1;

    if (ix == NULL) {
        return NULL;
    }
    ix->nlanes = nlanes;
    ix->taken = calloc(nl, sizeof(*ix->taken));
    ix->walk = calloc(nl, sizeof(*ix->walk));
    ix->check = calloc(nl, sizeof(*ix->check));
    ix->ncheck = calloc(nl, sizeof(*ix->ncheck));
    ix->capcheck = calloc(nl, sizeof(*ix->capcheck));
    ix->holds = calloc(ARENA_MAX_OBJS, sizeof(*ix->holds));
    ix->sems = calloc(ARENA_MAX_OBJS, sizeof(*ix->sems));
    ix->pipes = calloc(ARENA_MAX_OBJS, sizeof(*ix->pipes));
    if (ix->taken == NULL || ix->walk == NULL || ix->check == NULL || ix->ncheck == NULL ||
        ix->capcheck == NULL || ix->holds == NULL || ix->sems == NULL || ix->pipes == NULL) {
        timeline_steps_free(ix);
        return NULL;
    }
    return ix;
}

void timeline_steps_free(TimelineSteps *ix)
{
    if (ix == NULL) {
        return;
    }
    for (unsigned l = 0; ix->check != NULL && l < ix->nlanes; l++) {
        free(ix->check[l]);
    }
    for (size_t o = 0; o < ARENA_MAX_OBJS; o++) {
        if (ix->holds != NULL) {
            free(ix->holds[o].h);
        }
        if (ix->sems != NULL) {
            free(ix->sems[o].c);
        }
        if (ix->pipes != NULL) {
            free(ix->pipes[o].c);
        }
    }
    free(ix->holds);
    free(ix->sems);
    free(ix->pipes);
    free(ix->check);
    free(ix->ncheck);
    free(ix->capcheck);
    free(ix->walk);
    free(ix->taken);
    free(ix);
}

/* A hold or a count taken in by one timeline_steps_add() call (one lane's
 * new events), with its object, before it joins its object's list. */
typedef struct NewHold {
    uint32_t obj;
    Hold h;
} NewHold;

typedef struct NewCount {
    uint32_t obj;
    TlCount c;
} NewCount;

static int timeline_newhold_cmp(const void *pa, const void *pb)
{
    const NewHold *a = pa, *b = pb;
    if (a->obj != b->obj) {
        return a->obj < b->obj ? -1 : 1;
    }
    return a->h.from < b->h.from ? -1 : (a->h.from > b->h.from ? 1 : 0);
}

static int timeline_newcount_cmp(const void *pa, const void *pb)
{
    const NewCount *a = pa, *b = pb;
    if (a->obj != b->obj) {
        return a->obj < b->obj ? -1 : 1;
    }
    if (a->c.t != b->c.t) {
        return a->c.t < b->c.t ? -1 : 1;
    }
    return a->c.seq < b->c.seq ? -1 : (a->c.seq > b->c.seq ? 1 : 0);
}

/* Whether count a comes before count b: by step, then by order. */
static bool timeline_count_before(const TlCount *a, const TlCount *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

/*
 * Merge one call's new holds (sorted by object, then from) into their
 * objects' lists, from the back: only a list's holds later than the
 * earliest new one move, so a lane's events taken in after another's
 * that ran at the same steps cost what they overlap, not the whole list.
 * False when out of memory.
 */
static bool timeline_merge_holds(TimelineSteps *ix, const NewHold *nh, size_t n)
{
    for (size_t g = 0; g < n;) {
        HoldList *hl = &ix->holds[nh[g].obj];
        size_t e = g, i, j, k;
        Hold *p;
        while (e < n && nh[e].obj == nh[g].obj) {
            e++;
        }
        p = vec_grow(hl->h, &hl->cap, hl->n + (e - g), sizeof(*p));
        if (p == NULL) {
            return false;
        }
        hl->h = p;
        i = hl->n;
        j = e;
        k = hl->n + (e - g);
        while (j > g) {
            if (i > 0 && hl->h[i - 1].from > nh[j - 1].h.from) {
                hl->h[--k] = hl->h[--i];
            } else {
                hl->h[--k] = nh[--j].h;
            }
        }
        hl->n += e - g;
        g = e;
    }
    return true;
}

/* The same for counts (sorted by object, step, order); a pipe's running
 * counts (running) are summed again from the first new one on. */
static bool timeline_merge_counts(CountList *lists, const NewCount *nc, size_t n, bool running)
{
    for (size_t g = 0; g < n;) {
        CountList *cl = &lists[nc[g].obj];
        size_t e = g, i, j, k;
        TlCount *p;
        while (e < n && nc[e].obj == nc[g].obj) {
            e++;
        }
        p = vec_grow(cl->c, &cl->cap, cl->n + (e - g), sizeof(*p));
        if (p == NULL) {
            return false;
        }
        cl->c = p;
        i = cl->n;
        j = e;
        k = cl->n + (e - g);
        while (j > g) {
            if (i > 0 && timeline_count_before(&nc[j - 1].c, &cl->c[i - 1])) {
                cl->c[--k] = cl->c[--i];
            } else {
                cl->c[--k] = nc[--j].c;
            }
        }
        cl->n += e - g;
        for (size_t m = i; running && m < cl->n; m++) {
            /* i: where the first new one went */
            cl->c[m].count = (m > 0 ? cl->c[m - 1].count : 0) + cl->c[m].delta;
        }
        g = e;
    }
    return true;
}

/* The new holds and counts of one timeline_steps_add() call. */
typedef struct StepsBatch {
    NewHold *holds;
    size_t nh, caph;
    NewCount *sems;
    size_t ns, caps;
    NewCount *pipes;
    size_t np, capp;
} StepsBatch;

static bool timeline_batch_count(NewCount **v, size_t *n, size_t *cap, uint32_t obj, TlCount c)
{
    NewCount *p = vec_grow(*v, cap, *n + 1, sizeof(*p));
    if (p == NULL) {
        return false;
    }
    *v = p;
    p[(*n)++] = (NewCount){obj, c};
    return true;
}

/* What event i of lane (e) adds to the holds and counts (into batch,
 * or, for a release, to the hold it ends).  False when out of memory. */
static bool timeline_steps_event(TimelineSteps *ix, StepsBatch *bt, unsigned lane, size_t i,
                                 const Event *e)
{
    uint64_t seq = (uint64_t)lane << 40 | (uint64_t)i;

    if (e->obj >= ARENA_MAX_OBJS) {
        return true; /* no object the tables know */
    }
    switch (e->kind) {
    case EV_LOCK_ACQUIRE:
    case EV_RW_WRITE:
    case EV_RLOCK_ACQUIRE: {
        /* a mutex, an RLock's first take (depth 1), a write lock */
        NewHold *p;
        if (e->kind == EV_RLOCK_ACQUIRE && e->value != 1) {
            return true;
        }
        p = vec_grow(bt->holds, &bt->caph, bt->nh + 1, sizeof(*p));
        if (p == NULL) {
            return false;
        }
        bt->holds = p;
        p[bt->nh++] = (NewHold){e->obj, {(uint16_t)lane, e->t, UINT64_MAX}};
        return true;
    }
    case EV_LOCK_RELEASE:
    case EV_RW_WRITE_RELEASE:
    case EV_RLOCK_RELEASE: {
        HoldList *hl = &ix->holds[e->obj];
        size_t lo = 0, hi = hl->n;
        if (e->kind == EV_RLOCK_RELEASE && e->value != 0) {
            return true;
        }
        /* taken in this call (the batch is this lane's) ... */
        for (size_t j = bt->nh; j-- > 0;) {
            if (bt->holds[j].obj == e->obj && bt->holds[j].h.to == UINT64_MAX) {
                bt->holds[j].h.to = e->t;
                return true;
            }
        }
        /* ... or before: holds of a lock never overlap, so the lane's is
         * the last one that began before this step */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (hl->h[mid].from < e->t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo > 0 && hl->h[lo - 1].lane == lane && hl->h[lo - 1].to == UINT64_MAX) {
            hl->h[lo - 1].to = e->t;
        }
        return true;
    }
    case EV_SEM_WAIT:
    case EV_SEM_ACQUIRE:
    case EV_SEM_POST:
    case EV_LATCH_ASK:
    case EV_LATCH_COUNT_DOWN:
    case EV_RW_READ:
    case EV_RW_READ_RELEASE:
        /* a semaphore's count as the event saw or left it; a latch's count
         * (latch_ask: the count seen; count_down: after) and a read-write
         * lock's readers (read_lock, read_unlock: after) the same way */
        return timeline_batch_count(&bt->sems, &bt->ns, &bt->caps, e->obj,
                                    (TlCount){e->t, seq, 0, e->value});
    case EV_PIPE_WRITE:
    case EV_PIPE_READ:
        /* the messages in the pipe after each event: a write +1, a read -1.
         * A tombstone the sandbox wrote for a dead writer has no event: a
         * reader that takes one shows as waiting until it does */
        return timeline_batch_count(&bt->pipes, &bt->np, &bt->capp, e->obj,
                                    (TlCount){e->t, seq, e->kind == EV_PIPE_WRITE ? 1 : -1, 0});
    default:
        return true;
    }
}

/* Put a call's batch into the index's lists.  False when out of memory. */
static bool timeline_steps_merge(TimelineSteps *ix, StepsBatch *bt)
{
    if (bt->nh > 1) {
        qsort(bt->holds, bt->nh, sizeof(*bt->holds), timeline_newhold_cmp);
    }
    if (bt->ns > 1) {
        qsort(bt->sems, bt->ns, sizeof(*bt->sems), timeline_newcount_cmp);
    }
    if (bt->np > 1) {
        qsort(bt->pipes, bt->np, sizeof(*bt->pipes), timeline_newcount_cmp);
    }
    return timeline_merge_holds(ix, bt->holds, bt->nh) &&
           timeline_merge_counts(ix->sems, bt->sems, bt->ns, false) &&
           timeline_merge_counts(ix->pipes, bt->pipes, bt->np, true);
}

/* Keep lane's walk as it stands now (after taken[lane] events). */
static bool timeline_steps_check(TimelineSteps *ix, unsigned lane)
{
    StepWalk *p = vec_grow(ix->check[lane], &ix->capcheck[lane], ix->ncheck[lane] + 1, sizeof(*p));
    if (p == NULL) {
        return false;
    }
    ix->check[lane] = p;
    p[ix->ncheck[lane]++] = ix->walk[lane];
    return true;
}

int timeline_steps_add(TimelineSteps *ix, const TimelineWaits *waits, unsigned lane,
                       const Event *ev, size_t n)
{
    TimelineInput none = {0};
    TlIn tin = {&none, waits};
    StepsBatch bt = {0};

    if (ix->failed) {
        return -ENOMEM;
    }
    if (lane >= ix->nlanes || n < ix->taken[lane]) {
        return -EINVAL;
    }
    if (ix->ncheck[lane] == 0 && !timeline_steps_check(ix, lane)) {
        ix->failed = true;
        return -ENOMEM;
    }
    for (size_t i = ix->taken[lane]; i < n && !ix->failed; i++) {
        if (!timeline_steps_event(ix, &bt, lane, i, &ev[i])) {
            ix->failed = true;
            break;
        }
        timeline_walk_event(&ix->walk[lane], &tin, lane, &ev[i]);
        ix->taken[lane] = i + 1;
        ix->visits++;
        if ((i + 1) % TL_STEPS_EVERY == 0 && !timeline_steps_check(ix, lane)) {
            ix->failed = true;
        }
    }
    if (!ix->failed && !timeline_steps_merge(ix, &bt)) {
        ix->failed = true;
    }
    free(bt.holds);
    free(bt.sems);
    free(bt.pipes);
    return ix->failed ? -ENOMEM : 0;
}

uint64_t timeline_steps_visits(const TimelineSteps *ix)
{
    return ix->visits;
}

/* Whether ix holds exactly in's events (every lane's count). */
static bool timeline_steps_fit(const TimelineSteps *ix, const TimelineInput *in)
{
    if (ix == NULL || ix->failed || ix->nlanes != in->nlanes) {
        return false;
    }
    for (unsigned l = 0; l < in->nlanes; l++) {
        if (ix->taken[l] != in->counts[l]) {
            return false;
        }
    }
    return true;
}

/* Lane's row from step t0 + 1 on.  Its walk starts from the index's copy
 * of it kept last before the view, so the row looks at the events of the
 * steps it shows and at most TL_STEPS_EVERY before them.  Returns the
 * events it walked. */
static size_t timeline_row_steps(Grid *g, int x, int y, int w, const Event *ev, size_t n,
                                 unsigned lane, uint64_t t0, uint64_t per, uint64_t end,
                                 const StepCtx *sc)
{
    static const unsigned prio[LANE_STATE_COUNT] = {
        [LANE_NEW] = 0,     [LANE_FINISHED] = 1, [LANE_READY] = 2,
        [LANE_BLOCKED] = 3, [LANE_RUNNING] = 4,  [LANE_DIED] = 2,
    };
    /* the events before the view's first step are all walked by then */
    size_t c = event_at_or_after(ev, 0, n, t0 + 1) / TL_STEPS_EVERY, from;
    StepWalk wk = {0};

    if (sc->from_start || sc->ix->ncheck[lane] == 0) {
        c = 0; /* the walk from the start */
    } else {
        if (c >= sc->ix->ncheck[lane]) {
            c = sc->ix->ncheck[lane] - 1;
        }
        wk = sc->ix->check[lane][c];
    }
    wk.ev = ev;
    wk.n = n;
    wk.i = from = c * TL_STEPS_EVERY;
    for (int col = 0; col < w; col++) {
        unsigned best = LANE_NEW;
        char glyph = 0, gl;
        for (uint64_t k = t0 + (uint64_t)col * per + 1; k <= t0 + (uint64_t)(col + 1) * per; k++) {
            unsigned s;
            if (k > end) {
                break;
            }
            s = timeline_step_state(&wk, lane, k, sc, &gl);
            /* an explained wait ranks as blocked */
            if (prio[s >= TL_ST_WAIT ? LANE_BLOCKED : s] >
                prio[best >= TL_ST_WAIT ? LANE_BLOCKED : best]) {
                best = s;
            }
            if (gl != 0) {
                glyph = gl;
            }
        }
        if (best == LANE_RUNNING && per == 1 && glyph != 0) {
            grid_put(g, x + col, y, glyph, STYLE_RUNNING);
        } else {
            timeline_put_state(g, x + col, y, sc->in, best);
        }
    }
    return wk.i - from;
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
        if (c + 1 + len > w) { /* the tick, then the label */
            break;
        }
        grid_put(g, x + c, y, '|', STYLE_AXIS);
        grid_puts(g, x + c + 1, y, label, STYLE_AXIS);
        c += len + 1 < gap ? gap : len + 3;
    }
}

/* The column of time t: step mode, steps t0 + c * per + 1 .. t0 + (c + 1)
 * * per; free mode, times [t0 + c * per, t0 + (c + 1) * per).  False when
 * t is before the view. */
static bool timeline_col(bool stepping, uint64_t t, uint64_t t0, uint64_t per, uint64_t *col)
{
    if (stepping) {
        if (t <= t0) {
            return false;
        }
        *col = (t - t0 - 1) / per;
    } else {
        if (t < t0) {
            return false;
        }
        *col = (t - t0) / per;
    }
    return true;
}

/* The first of the n marks (time order) at or after t. */
static size_t timeline_mark_from(const TimelineMark *m, size_t n, uint64_t t)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m[mid].t < t) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* The first of the n marks (time order) at or after t, from k on, where
 * m[k] is known to be before t: it gallops from k (1, 2, 4, ... marks on)
 * and bisects the last step, so finding the next column's first mark
 * looks at about twice the log of the marks in between, near each other,
 * not at the log of all the lane's marks spread over its list. */
static size_t timeline_mark_gallop(const TimelineMark *m, size_t n, size_t k, uint64_t t)
{
    size_t step = 1, lo = k, hi;

    while (lo + step < n && m[lo + step].t < t) {
        lo += step;
        step *= 2;
    }
    hi = lo + step < n ? lo + step : n; /* m[hi] is at or after t, or hi == n */
    return lo + 1 + timeline_mark_from(m + lo + 1, hi - lo - 1, t);
}

/* The column of mark m in a view from t0, per a column; false when it is
 * before the view. */
static bool timeline_mark_col(const TimelineMark *m, bool stepping, uint64_t t0, uint64_t per,
                              uint64_t *col)
{
    return timeline_col(stepping, m->t, t0, per, col);
}

/* Lane l's marks (in->lane_marks) per column of its row: how many, and the
 * first, found by bisection (the view's first) and galloping (each next
 * column's), so a frame looks at a bounded number of marks however many
 * the run made.  Columns as in timeline_mark_col. */
static void timeline_lane_marks(const TimelineInput *in, unsigned l, int cols, uint64_t t0,
                                uint64_t per, uint32_t *count, const TimelineMark **which)
{
    uint64_t base = in->stepping ? t0 + 1 : t0;
    const TimelineMark *m = in->lane_marks[l];
    size_t n = in->lane_nmarks[l], k = timeline_mark_from(m, n, base);

    while (k < n) {
        uint64_t col = (m[k].t - base) / per;
        size_t next;
        if (col >= (uint64_t)cols) {
            break;
        }
        /* the next column's first mark */
        next = timeline_mark_gallop(m, n, k, base + (col + 1) * per);
        count[col] = (uint32_t)(next - k < UINT32_MAX ? next - k : UINT32_MAX);
        which[col] = &m[k];
        k = next;
    }
}

/*
 * The marks over the rows of lanes first..last-1 (row y is lane first),
 * cols columns from x.  A mark takes its column's cell, so a row marked in
 * column after column would show marks and nothing of the lane's states
 * (a slow free run loses updates in every slice): in a run of marked
 * columns, only one column in each TL_MARK_SPREAD shows its mark (the one
 * with the most marks, the first of equals), and the lane's bar shows in
 * between.  A mark alone, as in step mode, always shows.
 */
#define TL_MARK_SPREAD 4

static void timeline_marks(Grid *grid, int x, int y, int cols, const TimelineInput *in,
                           const TimelineView *view, uint64_t per, unsigned first, unsigned last)
{
    unsigned rows = last - first;
    uint32_t *count;
    const TimelineMark **which;

    if ((in->lane_marks == NULL && in->nmarks == 0) || rows == 0 || cols < 1) {
        return;
    }
    count = calloc((size_t)rows * (size_t)cols, sizeof(*count));
    which = calloc((size_t)rows * (size_t)cols, sizeof(*which));
    if (count == NULL || which == NULL) {
        free(count);
        free(which);
        return; /* no marks this frame; the states still show */
    }
    if (in->lane_marks != NULL) {
        for (unsigned l = first; l < last; l++) {
            timeline_lane_marks(in, l, cols, view->t0, per, count + (size_t)(l - first) * cols,
                                which + (size_t)(l - first) * cols);
        }
    }
    for (size_t k = 0; in->lane_marks == NULL && k < in->nmarks; k++) {
        const TimelineMark *m = &in->marks[k];
        uint64_t col;
        size_t at;
        if (m->label[0] != '\0' || m->lane < first || m->lane >= last ||
            !timeline_mark_col(m, in->stepping, view->t0, per, &col) || col >= (uint64_t)cols) {
            continue; /* a span is drawn by timeline_spans */
        }
        at = (size_t)(m->lane - first) * (size_t)cols + col;
        count[at]++;
        which[at] = m;
    }
    for (unsigned r = 0; r < rows && y + (int)r < grid->h; r++) {
        const uint32_t *cnt = count + (size_t)r * (size_t)cols;
        int c = 0;
        while (c < cols) {
            int end = c;
            if (cnt[c] == 0) {
                c++;
                continue;
            }
            while (end < cols && cnt[end] > 0) {
                end++;
            }
            /* the run c..end-1: one mark in each TL_MARK_SPREAD columns */
            for (int k = c; k < end; k += TL_MARK_SPREAD) {
                int best = k;
                const TimelineMark *m;
                for (int j = k; j < k + TL_MARK_SPREAD && j < end; j++) {
                    best = cnt[j] > cnt[best] ? j : best;
                }
                m = which[(size_t)r * (size_t)cols + (size_t)best];
                draw_glyph(grid, x + best, y + (int)r, m->utf8, m->ascii, m->style);
            }
            c = end;
        }
    }
    free(count);
    free(which);
}

/*
 * The spans among the marks (a mark with a label, until its end): each
 * label over the rows of lanes first..last-1 from column x, where it fits
 * whole before its span ends; a span that began before the view shows its
 * label from the left.
 */
static void timeline_spans(Grid *grid, int x, int y, int cols, const TimelineInput *in,
                           const TimelineView *view, uint64_t per, unsigned first, unsigned last)
{
    for (size_t k = 0; k < in->nmarks; k++) {
        const TimelineMark *m = &in->marks[k];
        uint64_t col, stop;
        size_t len;
        if (m->label[0] == '\0' || m->lane < first || m->lane >= last ||
            y + (int)(m->lane - first) >= grid->h) {
            continue;
        }
        if (!timeline_col(in->stepping, m->t, view->t0, per, &col)) {
            if (m->until <= view->t0) {
                continue;
            }
            col = 0;
        }
        len = strlen(m->label);
        if (m->until == UINT64_MAX || !timeline_col(in->stepping, m->until, view->t0, per, &stop)) {
            stop = (uint64_t)cols;
        } else if (in->stepping) {
            stop++; /* until is the span's last step */
        }
        if (col + len <= stop && col + len <= (uint64_t)cols) {
            grid_puts(grid, x + (int)col, y + (int)(m->lane - first), m->label,
                      (CellStyle)m->style);
        }
    }
}

uint64_t timeline_render(Grid *grid, int x, int y, int w, const TimelineInput *in,
                         const TimelineView *view)
{
    TlIn tin = {in, in->waits};
    int lw = view->label_w < 3 ? 3 : view->label_w;
    int cols = w - lw - 1;
    uint64_t end = timeline_end(in);
    uint64_t span, per;
    TimelineSteps *own = NULL; /* an index built for this render */
    StepCtx sc = {&tin, NULL, false};
    uint64_t visits = 0;
    unsigned first, last;

    if (cols < 1) {
        return 1;
    }
    span = view->span > 0 ? view->span : (end > view->t0 ? end - view->t0 : 1);
    per = (span + (uint64_t)cols - 1) / (uint64_t)cols;
    if (per == 0) {
        per = 1;
    }
    if (in->stepping) {
        /* every lane's holds and counts: the caller's index when it holds
         * these events, else one built from them here */
        if (timeline_steps_fit(in->steps, in)) {
            sc.ix = in->steps;
        } else {
            own = timeline_steps_new(in->nlanes);
            for (unsigned l = 0; own != NULL && l < in->nlanes; l++) {
                (void)timeline_steps_add(own, in->waits, l, in->events[l], in->counts[l]);
            }
            if (own == NULL || own->failed) {
                /* out of memory: the rows go without the other lanes' holds */
                timeline_steps_free(own);
                own = timeline_steps_new(in->nlanes);
                if (own == NULL) {
                    return per;
                }
            }
            sc.ix = own;
            sc.from_start = true;
            visits += own->visits;
        }
    }
    first = in->lane0 < in->nlanes ? in->lane0 : in->nlanes;
    last = in->nrows > 0 && first + in->nrows < in->nlanes ? first + in->nrows : in->nlanes;
    for (unsigned l = first; l < last; l++) {
        char name[LANE_NAME_MAX];
        int row = y + (int)(l - first);
        if (row >= grid->h) {
            break;
        }
        lane_name(l, name);
        grid_puts(grid, x, row, in->labels != NULL && in->labels[l] != NULL ? in->labels[l] : name,
                  STYLE_TEXT);
        grid_put(grid, x + lw, row, '|', STYLE_AXIS);
        if (in->stepping) {
            visits += timeline_row_steps(grid, x + lw + 1, row, cols, in->events[l], in->counts[l],
                                         l, view->t0, per, end, &sc);
        } else {
            timeline_row_free(grid, x + lw + 1, row, cols, &tin, l, in->events[l], in->counts[l],
                              view->t0, per);
        }
    }
    timeline_steps_free(own);
    timeline_marks(grid, x + lw + 1, y, cols, in, view, per, first, last);
    timeline_spans(grid, x + lw + 1, y, cols, in, view, per, first, last);
    for (unsigned l = first; l < last; l++) {
        /* where a lane process died: X, over its last step (only events
         * from the view's start on can be in a column) */
        int row = y + (int)(l - first);
        for (size_t i = event_at_or_after(in->events[l], 0, in->counts[l], view->t0);
             i < in->counts[l]; i++) {
            const Event *e = &in->events[l][i];
            uint64_t col;
            visits++;
            if (!timeline_col(in->stepping, e->t, view->t0, per, &col)) {
                continue; /* before the view */
            }
            if (col >= (uint64_t)cols) {
                break; /* past it, as every later one */
            }
            if (e->kind == EV_LANE_DIED && row < grid->h) {
                draw_glyph(grid, x + lw + 1 + (int)col, row, "\u2717", 'X', UI_ERROR);
            }
        }
    }
    timeline_axis(grid, x + lw, y + (int)(last - first), cols + 1, view->t0, per, in->stepping,
                  end);
    if (in->visits != NULL) {
        *in->visits += visits;
    }
    return per;
}
