/*
 * gil.c - the GIL demo: a global interpreter lock on real threads.
 *
 * DESIGN
 * Each lane is a real pthread (or a forked process) running a small
 * bytecode-like loop.  A *work unit* is a fixed amount of real computation,
 * calibrated at set-up to take about 1 us on this machine (gil_calibrate);
 * an *I/O op* lets go of the lock, blocks for real (clock_nanosleep), and
 * asks for the lock back.  Before a lane may run a unit it must hold the
 * global lock, which comes in three modes:
 *
 *   old   CPython <= 3.1: a plain lock (a mutex, a condition variable and
 *         a flag).  Every check_interval units ("ticks") the holder lets go
 *         and at once asks again, with no hand-off: on several cores the
 *         woken waiter mostly finds the lock taken again (a futile
 *         wake-up, counted), "the GIL battle".
 *   new   CPython 3.2+, after Python/ceval_gil.c (take_gil, drop_gil): a
 *         waiter does a timed wait of interval_us; if it times out and no
 *         switch happened meanwhile (switch_number unchanged) it sets the
 *         drop request; the holder polls the request after each unit (the
 *         eval breaker) and drops the lock; with forced switching
 *         (FORCE_SWITCHING, on by default) the dropper then waits on
 *         switch_cond until another lane has taken the lock.
 *   none  free-threaded (PEP 703): no global lock at all.
 *
 * The code below follows ceval_gil.c's algorithm step by step (it is our
 * own code; the names of CPython's fields are kept so the two can be read
 * side by side).  The lock's state is mirrored into the arena: the object
 * "GIL" (kind mutex: its value is the holding lane, -1 = free; its pad is
 * the index of the variable "drop_request"), so the front end shows who
 * holds it, and the step scheduler decides exactly who may move (core/
 * sched.c's blocker row for EV_GIL_ACQUIRE).
 *
 * Step mode.  Only one lane runs at a time, so the lock needs no pthread
 * objects there: its state changes between the lanes' points, and time is
 * the schedule.  A lane asking for a held GIL may be granted a step as long
 * as no drop request is out: that step is one switch interval passing (the
 * timed wait expiring), which sets the request when no switch happened
 * since the lane began to wait.  Once a request is out, a step for a
 * waiter is refused ("lane B waits for the GIL held by A"); the student
 * steps the holder, whose next unit sees the request and drops the lock.
 * With forced switching the dropper's next operation waits until another
 * lane took the lock (EV_GIL_SWITCH_WAIT, blocked; the taker changes it to
 * EV_GIL_SWITCHED, as CPython's taker signals switch_cond).  A work unit
 * is one step; futile wake-ups are a free-mode figure (in step mode no
 * lane wakes unless the student picks it).
 *
 * Workloads (the variants): cpu (a countdown of units), io (I/O ops), mixed
 * (lane A is CPU-bound, the others do I/O: the convoy effect), and counter
 * (a read-modify-write of a shared counter, with or without a switch point
 * between the read and the write, and an optional per-object lock).  The
 * same total work runs in `threads` lanes, in `threads` processes (one lock
 * per process), or sequentially in one lane.
 *
 * LOCKING
 * Per GIL: mu (CPython's gil->mutex) guards locked and the waits on cv;
 * switch_mu (gil->switch_mutex) guards last_holder changes and switch_cv.
 * Order: mu, then switch_mu (take_gil takes switch_mu inside mu).  The
 * counter's per-object lock is taken only while the lane holds no GIL, or
 * with a try-lock that never waits, so a lane never waits for it holding
 * the GIL (CPython's lock.acquire() drops the GIL before it blocks).
 */
#include "config.h"

#include "demos/gil.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/sched.h"
#include "prims/il_mutex.h"
#include "prims/il_shared.h"

/* Samples of one figure (slices, waits, overshoots), shared by every lane:
 * each lane appends with a fetch-and-add on n. */
typedef struct GilSamples {
    _Atomic uint64_t n; /* offered; those past cap are counted, not kept */
    uint64_t cap;       /* immutable after setup */
    int64_t *v;         /* in the shared heap; ns (free) or steps (step) */
} GilSamples;

/* One global lock (CPython's struct _gil_runtime_state). */
typedef struct GilLock {
    pthread_mutex_t mu;             /* gil->mutex */
    pthread_cond_t cv;              /* gil->cond: waiters sleep here */
    pthread_mutex_t switch_mu;      /* gil->switch_mutex (forced switching) */
    pthread_cond_t switch_cv;       /* gil->switch_cond */
    _Atomic int locked;             /* gil->locked; written under mu */
    _Atomic int last_holder;        /* gil->last_holder: a lane, -1 = none yet */
    _Atomic uint64_t switch_number; /* gil->switch_number: takes by a new lane */
    ArenaObj *obj;                  /* "GIL": value = holder, -1 = free; immutable */
    uint32_t index;                 /* its arena index; immutable */
    IlVar *req;                     /* "drop_request" (new GIL), else NULL; immutable */
    _Atomic uint64_t drop_requests; /* requests set */
    _Atomic uint64_t forced;        /* forced switches: droppers that waited for a taker */
    _Atomic uint64_t futile;        /* old GIL: wake-ups that found it taken again */
    _Atomic uint64_t handoffs;      /* takes by a lane other than the last holder */
} GilLock;

typedef struct GilState {
    int64_t mode, workload, lanes, threads, work, io_ops, check, cores, split, objlock;
    bool forced;          /* FORCE_SWITCHING */
    uint64_t interval_ns; /* the switch interval */
    uint32_t io_us;
    uint32_t spin;    /* iterations of gil_spin in one work unit */
    uint64_t unit_ns; /* what one unit took at calibration */
    bool pshared;
    unsigned ngils;
    GilLock *gils; /* one, or one per process lane; none without a GIL */
    IlVar *counter;
    IlMutex obj_lock; /* objlock=1: the counter's own lock */
    int work_label, add_label, io_label;
    GilSamples slices, waits, overshoot;
} GilState;

/* What one lane keeps to itself. */
typedef struct GilLane {
    GilState *st;
    GilLock *g; /* NULL without a GIL */
    unsigned lane;
    bool stepping;
    uint64_t t_held; /* when it took the GIL */
    uint64_t t_want; /* when it wanted to run again (a drop on request, an I/O's end) */
    bool contended;  /* t_want is a real wait, to be sampled */
    int64_t ticks;   /* old GIL: units since the last check */
    uint64_t x;      /* the spin's state */
} GilLane;

/* ------------------------------------------------------------------ */
/* work units                                                          */
/* ------------------------------------------------------------------ */

/* n rounds of xorshift: real, unpredictable work the compiler keeps. */
static uint64_t gil_spin(uint64_t x, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        __asm__ volatile("" : "+r"(x));
    }
    return x;
}

static uint64_t gil_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Iterations of gil_spin that take about 1 us here: the fastest of a few
 * timed rounds (the least disturbed by other load).  Sets *unit_ns to what
 * one unit of that size takes. */
static uint32_t gil_calibrate(uint64_t *unit_ns)
{
    const uint32_t n = 50000;
    uint64_t best = UINT64_MAX, x = 88172645463325252ull;
    double per_iter;
    uint32_t spin;

    for (int r = 0; r < 9; r++) {
        uint64_t t0 = gil_now_ns(), dt;
        x = gil_spin(x, n);
        dt = gil_now_ns() - t0;
        if (dt < best) {
            best = dt;
        }
    }
    per_iter = (double)best / n;
    if (per_iter <= 0.0) {
        per_iter = 0.001;
    }
    spin = (uint32_t)(1000.0 / per_iter + 0.5);
    if (spin < 1) {
        spin = 1;
    }
    *unit_ns = (uint64_t)((double)spin * per_iter + 0.5);
    return spin;
}

static void gil_sample(GilSamples *s, int64_t v)
{
    uint64_t i = atomic_fetch_add_explicit(&s->n, 1, memory_order_relaxed);
    if (i < s->cap) {
        s->v[i] = v;
    }
}

/* One work unit (about 1 us of real computation): one step in step mode,
 * recorded as a computation on label with the lane's register reg. */
static void gil_unit(GilLane *me, int label, int64_t reg)
{
    uint32_t obj = label > 0 ? (uint32_t)label : 0;
    sched_point(EV_COMPUTE, obj);
    me->x = gil_spin(me->x, me->st->spin);
    if (me->stepping) {
        atomic_store_explicit(&sched_self->slot->reg, reg, memory_order_relaxed);
        sched_count_op();
        sched_record(EV_COMPUTE, obj, reg);
    }
}

/* ------------------------------------------------------------------ */
/* the global lock                                                     */
/* ------------------------------------------------------------------ */

static void gil_lock(pthread_mutex_t *mu)
{
    sched_check_rc(pthread_mutex_lock(mu), "pthread_mutex_lock");
}

static void gil_unlock(pthread_mutex_t *mu)
{
    sched_check_rc(pthread_mutex_unlock(mu), "pthread_mutex_unlock");
}

static int gil_init_lock(GilLock *g, Arena *arena, const char *name, const char *req_name,
                         bool pshared, bool requests)
{
    pthread_mutexattr_t ma;
    pthread_condattr_t ca;
    int idx, rc;

    idx = arena_obj_new(arena, OBJ_MUTEX, name, -1);
    if (idx < 0) {
        return idx;
    }
    g->obj = &arena->objs[idx];
    g->index = (uint32_t)idx;
    g->req = NULL;
    if (requests) {
        g->req = il_var_new(arena, req_name, 0);
        if (g->req == NULL) {
            return -ENOSPC;
        }
        /* the step scheduler reads the request through the GIL's pad */
        g->obj->pad = (uint16_t)il_var_index(g->req);
    }
    atomic_store(&g->locked, 0);
    atomic_store(&g->last_holder, -1);
    rc = pthread_mutexattr_init(&ma);
    if (rc == 0 && pshared) {
        rc = pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    }
    if (rc == 0) {
        rc = pthread_mutex_init(&g->mu, &ma);
    }
    if (rc == 0) {
        rc = pthread_mutex_init(&g->switch_mu, &ma);
    }
    (void)pthread_mutexattr_destroy(&ma);
    if (rc != 0) {
        return -rc;
    }
    rc = pthread_condattr_init(&ca);
    if (rc == 0) {
        rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* timed waits: a steady clock */
    }
    if (rc == 0 && pshared) {
        rc = pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
    }
    if (rc == 0) {
        rc = pthread_cond_init(&g->cv, &ca);
    }
    if (rc == 0) {
        rc = pthread_cond_init(&g->switch_cv, &ca);
    }
    (void)pthread_condattr_destroy(&ca);
    return -rc;
}

static void gil_fini_lock(GilLock *g)
{
    (void)pthread_cond_destroy(&g->cv);
    (void)pthread_cond_destroy(&g->switch_cv);
    (void)pthread_mutex_destroy(&g->mu);
    (void)pthread_mutex_destroy(&g->switch_mu);
}

static int64_t gil_request(const GilLock *g)
{
    return g->req != NULL ? atomic_load_explicit(&g->req->value, memory_order_relaxed) : 0;
}

static void gil_set_request(GilLock *g, int64_t v)
{
    if (g->req != NULL) {
        atomic_store_explicit(&g->req->value, v, memory_order_relaxed);
    }
}

/* The lanes waiting for a switch of g see one (CPython's taker signals
 * switch_cond): their published operation becomes EV_GIL_SWITCHED, which
 * does not block.  Step mode: the lanes are parked, one step runs at a
 * time.  Free mode: called with switch_mu held, under which a dropper
 * publishes its wait and clears it, so the front end never takes a lane
 * that was already switched, but not yet back on a CPU, for one stuck in
 * its wait (a false deadlock when the other lanes have finished). */
static void gil_wake_switch_waiters(GilLock *g)
{
    Arena *a = sched_self->arena;
    for (unsigned i = 0; i < a->nlanes; i++) {
        ArenaLane *l = &a->lanes[i];
        if (atomic_load(&l->op) == EV_GIL_SWITCH_WAIT && atomic_load(&l->op_obj) == g->index &&
            atomic_load(&l->state) != LANE_FINISHED) {
            atomic_store(&l->op, EV_GIL_SWITCHED);
        }
    }
}

/* The calling lane now holds g (CPython: the _ready: part of take_gil).
 * Free mode: called with mu held.  Returns the lane that held it last. */
static int gil_taken(GilLane *me)
{
    GilLock *g = me->g;
    int prev;
    bool forced = me->st->forced && me->st->mode == GIL_NEW;

    if (forced && !me->stepping) {
        gil_lock(&g->switch_mu); /* before last_holder changes: see drop_gil */
    }
    atomic_store_explicit(&g->locked, 1, memory_order_relaxed);
    atomic_store_explicit(&g->obj->value, (int64_t)me->lane, memory_order_relaxed);
    prev = atomic_load_explicit(&g->last_holder, memory_order_relaxed);
    if (prev != (int)me->lane) {
        atomic_store_explicit(&g->last_holder, (int)me->lane, memory_order_relaxed);
        atomic_fetch_add_explicit(&g->switch_number, 1, memory_order_relaxed);
        if (prev >= 0) {
            atomic_fetch_add_explicit(&g->handoffs, 1, memory_order_relaxed);
        }
    }
    if (forced) {
        gil_wake_switch_waiters(g);
        if (!me->stepping) {
            /* every lane waiting for a switch has one now: CPython signals
             * one, as at most one waits there; broadcast wakes each lane
             * whose op gil_wake_switch_waiters() changed */
            sched_check_rc(pthread_cond_broadcast(&g->switch_cv), "pthread_cond_broadcast");
            gil_unlock(&g->switch_mu);
        }
    }
    if (gil_request(g) != 0) {
        gil_set_request(g, 0); /* RESET_GIL_DROP_REQUEST: we hold it now */
    }
    return prev;
}

/* Set the drop request: the holder should let go (SET_GIL_DROP_REQUEST). */
static void gil_request_drop(GilLock *g)
{
    gil_set_request(g, 1);
    atomic_fetch_add_explicit(&g->drop_requests, 1, memory_order_relaxed);
    sched_record(EV_GIL_DROP_REQUEST, g->index,
                 atomic_load_explicit(&g->obj->value, memory_order_relaxed));
}

/* take_gil(), free mode, new GIL: timed waits of the interval; a timeout
 * with no switch meanwhile sets the drop request.  Returns whether the
 * lane had to wait. */
static bool gil_take_new_free(GilLane *me)
{
    GilLock *g = me->g;
    bool waited = false;

    gil_lock(&g->mu);
    while (atomic_load_explicit(&g->locked, memory_order_relaxed)) {
        uint64_t saved = atomic_load_explicit(&g->switch_number, memory_order_relaxed);
        uint64_t dl = gil_now_ns() + me->st->interval_ns;
        struct timespec ts = {(time_t)(dl / 1000000000u), (long)(dl % 1000000000u)};
        int rc = pthread_cond_timedwait(&g->cv, &g->mu, &ts);

        waited = true;
        if (rc != 0 && rc != ETIMEDOUT) {
            sched_fail("pthread_cond_timedwait", rc);
        }
        /* timed out and no switch occurred meanwhile: ask the holder */
        if (rc == ETIMEDOUT && atomic_load_explicit(&g->locked, memory_order_relaxed) &&
            atomic_load_explicit(&g->switch_number, memory_order_relaxed) == saved) {
            gil_request_drop(g);
        }
    }
    me->contended |= waited;
    return waited;
}

/* take, free mode, old GIL: a plain lock with no hand-off. */
static void gil_take_old_free(GilLane *me)
{
    GilLock *g = me->g;

    gil_lock(&g->mu);
    while (atomic_load_explicit(&g->locked, memory_order_relaxed)) {
        me->contended = true;
        sched_check_rc(pthread_cond_wait(&g->cv, &g->mu), "pthread_cond_wait");
        if (atomic_load_explicit(&g->locked, memory_order_relaxed)) {
            /* woken, and the lock is taken again: for nothing */
            atomic_fetch_add_explicit(&g->futile, 1, memory_order_relaxed);
            sched_record(EV_GIL_FUTILE, g->index,
                         atomic_load_explicit(&g->obj->value, memory_order_relaxed));
        }
    }
}

/* take, step mode: a step granted while the GIL is held is one turn of
 * take_gil's loop: the lane reads switch_number, waits an interval, times
 * out, and since no other lane ran during its step, no switch happened:
 * it sets the drop request (sched.c grants such a step only while no
 * request is out; after that the lane waits for the holder). */
static void gil_take_step(GilLane *me)
{
    GilLock *g = me->g;

    for (;;) {
        sched_point(EV_GIL_ACQUIRE, g->index);
        if (atomic_load_explicit(&g->obj->value, memory_order_relaxed) < 0) {
            return;
        }
        me->contended = true;
        gil_request_drop(g);
    }
}

/* take_gil(): wait for the GIL and hold it. */
static void gil_take(GilLane *me)
{
    GilLock *g = me->g;
    uint64_t t0, now;
    int prev;

    if (g == NULL) {
        return;
    }
    sched_record(EV_GIL_WAIT, g->index, 0);
    t0 = sched_wait_begin(EV_GIL_ACQUIRE, g->index);
    if (!me->contended) {
        me->t_want = t0;
    }
    /* the wait is over before the GIL shows its new owner, so the front
     * end never sees a lane waiting for a GIL it holds (a false cycle) */
    if (me->stepping) {
        gil_take_step(me);
        sched_wait_end(t0);
        prev = gil_taken(me);
    } else {
        sched_point(EV_GIL_ACQUIRE, g->index); /* slow motion only */
        if (me->st->mode == GIL_OLD) {
            gil_take_old_free(me);
        } else {
            gil_take_new_free(me);
        }
        sched_wait_end(t0);
        prev = gil_taken(me);
        gil_unlock(&g->mu);
    }
    now = arena_time(sched_self->arena);
    if (me->contended) {
        gil_sample(&me->st->waits, (int64_t)(now - me->t_want));
    }
    me->contended = false;
    me->t_held = now;
    sched_count_op();
    sched_record(EV_GIL_ACQUIRE, g->index, prev);
}

/* drop_gil(): let go of the GIL; why is GIL_WHY_*.  New GIL with forced
 * switching: after a drop on request, wait until another lane took it. */
static void gil_drop(GilLane *me, int why)
{
    GilLock *g = me->g;
    uint64_t now;
    bool switched = false;

    if (g == NULL) {
        return;
    }
    sched_point(EV_GIL_RELEASE, g->index);
    now = arena_time(sched_self->arena);
    gil_sample(&me->st->slices, (int64_t)(now - me->t_held));
    if (why == GIL_WHY_DROP || why == GIL_WHY_CHECK) {
        me->t_want = now; /* it wants the GIL back at once */
        me->contended = true;
    }
    sched_count_op();
    /* recorded before the lock is free: no take can carry an earlier time */
    sched_record(EV_GIL_RELEASE, g->index, why);
    atomic_store_explicit(&g->last_holder, (int)me->lane, memory_order_relaxed);
    if (me->stepping) {
        atomic_store_explicit(&g->locked, 0, memory_order_relaxed);
        atomic_store_explicit(&g->obj->value, -1, memory_order_relaxed);
    } else {
        gil_lock(&g->mu);
        atomic_store_explicit(&g->locked, 0, memory_order_relaxed);
        atomic_store_explicit(&g->obj->value, -1, memory_order_relaxed);
        sched_check_rc(pthread_cond_signal(&g->cv), "pthread_cond_signal");
        gil_unlock(&g->mu);
    }
    /* FORCE_SWITCHING: not at the lane's end (CPython passes no thread
     * state there), and only when a request is out */
    if (me->st->mode != GIL_NEW || !me->st->forced || why == GIL_WHY_END || gil_request(g) == 0) {
        return;
    }
    if (me->stepping) {
        if (atomic_load_explicit(&g->last_holder, memory_order_relaxed) == (int)me->lane) {
            uint64_t t0;
            gil_set_request(g, 0);
            atomic_fetch_add_explicit(&g->forced, 1, memory_order_relaxed);
            t0 = sched_wait_begin(EV_GIL_SWITCH_WAIT, g->index);
            sched_point(EV_GIL_SWITCH_WAIT, g->index); /* until a taker changes the op */
            sched_wait_end(t0);
            switched = true;
        }
    } else {
        gil_lock(&g->switch_mu);
        if (atomic_load_explicit(&g->last_holder, memory_order_relaxed) == (int)me->lane) {
            uint64_t t0;
            gil_set_request(g, 0);
            atomic_fetch_add_explicit(&g->forced, 1, memory_order_relaxed);
            t0 = sched_wait_begin(EV_GIL_SWITCH_WAIT, g->index);
            /* one wait, as in CPython: a spurious wake-up ends it early */
            sched_check_rc(pthread_cond_wait(&g->switch_cv, &g->switch_mu), "pthread_cond_wait");
            sched_wait_end(t0);
            switched = true;
        }
        gil_unlock(&g->switch_mu);
    }
    if (switched) {
        sched_count_op();
        sched_record(EV_GIL_SWITCHED, g->index,
                     atomic_load_explicit(&g->last_holder, memory_order_relaxed));
    }
}

/* The eval breaker, checked after a unit and at a switch point: the new
 * GIL drops on request, the old one every check_interval ticks. */
static void gil_check(GilLane *me)
{
    GilLock *g = me->g;

    if (g == NULL) {
        return;
    }
    if (me->st->mode == GIL_NEW) {
        if (gil_request(g) != 0) {
            gil_drop(me, GIL_WHY_DROP);
            gil_take(me);
        }
    } else if (++me->ticks >= me->st->check) {
        me->ticks = 0;
        gil_drop(me, GIL_WHY_CHECK); /* release, then at once ask again */
        gil_take(me);
    }
}

/* One I/O op: drop the GIL, block for io_us for real, take it back. */
static void gil_io(GilLane *me)
{
    GilState *st = me->st;
    uint64_t t0, begin, want, now;

    gil_drop(me, GIL_WHY_IO);
    begin = arena_time(sched_self->arena);
    sched_record(EV_IO_BEGIN, (uint32_t)st->io_label, st->io_us);
    t0 = sched_wait_begin(EV_IO_END, (uint32_t)st->io_label);
    sched_point(EV_IO_END, (uint32_t)st->io_label); /* step mode: the I/O completes */
    if (!me->stepping) {
        uint64_t dl = gil_now_ns() + (uint64_t)st->io_us * 1000u;
        struct timespec ts = {(time_t)(dl / 1000000000u), (long)(dl % 1000000000u)};
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
        }
    }
    sched_wait_end(t0);
    now = arena_time(sched_self->arena);
    sched_count_op();
    sched_record(EV_IO_END, (uint32_t)st->io_label,
                 me->stepping ? 0 : (int64_t)((now - begin) / 1000u));
    /* the op asked for io_us: from then on the lane wants to run */
    want = me->stepping ? now : begin + (uint64_t)st->io_us * 1000u;
    me->t_want = want < now ? want : now;
    me->contended = true;
    gil_take(me);
    now = arena_time(sched_self->arena);
    gil_sample(&st->overshoot, (int64_t)(now - want));
}

/* The counter's per-object lock, never waited for while holding the GIL. */
static void gil_obj_lock(GilLane *me)
{
    if (me->g == NULL) {
        il_mutex_lock(&me->st->obj_lock);
        return;
    }
    if (il_mutex_trylock(&me->st->obj_lock)) {
        return;
    }
    gil_drop(me, GIL_WHY_IO); /* a blocking call lets go of the GIL */
    il_mutex_lock(&me->st->obj_lock);
    me->t_want = arena_time(sched_self->arena);
    me->contended = true;
    gil_take(me);
}

/* ------------------------------------------------------------------ */
/* the lanes                                                           */
/* ------------------------------------------------------------------ */

/* CPU-bound: a countdown of work units. */
static void gil_role_cpu(GilLane *me)
{
    for (int64_t i = me->st->work; i > 0; i--) {
        gil_unit(me, me->st->work_label, i - 1);
        gil_check(me);
    }
}

/* I/O-bound: io_ops times a little work, then a blocking I/O op. */
static void gil_role_io(GilLane *me)
{
    for (int64_t i = 0; i < me->st->io_ops; i++) {
        gil_unit(me, me->st->work_label, i);
        gil_check(me);
        gil_io(me);
    }
}

/* BROKEN ON PURPOSE (without the GIL, or with a switch point): counter =
 * counter + 1 as a read, a computation and a write.  Under a GIL with no
 * switch point between the read and the write (CPython 3.10+ checks the
 * eval breaker only at backward jumps and calls) nobody can run between
 * them, and no update is lost.  With switch_point=1 (a call between them)
 * the holder may drop the GIL after its read: the others' updates made
 * meanwhile are overwritten by its stale write.  Without the GIL (gil=none,
 * PEP 703) lanes run the three steps at the same time on several cores and
 * lose updates in every run; objlock=1 puts the counter's own lock around
 * them and loses none. */
static void gil_role_counter_broken(GilLane *me)
{
    GilState *st = me->st;
    for (int64_t i = 0; i < st->work; i++) {
        int64_t reg;
        if (st->objlock) {
            gil_obj_lock(me);
        }
        reg = il_load(st->counter);           /* read */
        gil_unit(me, st->add_label, reg + 1); /* compute on a private copy (a call) */
        if (st->split) {
            gil_check(me); /* a switch point between the read and the write */
        }
        il_store(st->counter, reg + 1); /* write: may overwrite others' updates */
        if (st->objlock) {
            il_mutex_unlock(&st->obj_lock);
        }
        gil_check(me); /* the loop's backward jump */
    }
}

/* Pin the calling lane to one CPU (the first it may use). */
static void gil_pin(void)
{
    cpu_set_t set, one;
    if (sched_getaffinity(0, sizeof(set), &set) != 0) {
        return;
    }
    for (int c = 0; c < CPU_SETSIZE; c++) {
        if (CPU_ISSET(c, &set)) {
            CPU_ZERO(&one);
            CPU_SET(c, &one);
            (void)sched_setaffinity(0, sizeof(one), &one);
            return;
        }
    }
}

/* Run the roles of lane: its own, or every lane's in turn (sequential). */
static void gil_run(DemoCtx *ctx, unsigned lane, void (*role)(GilLane *, unsigned))
{
    GilState *st = ctx->state;
    GilLane me = {0};
    unsigned first = lane, last = lane;

    me.st = st;
    me.lane = lane;
    me.stepping = ctx->arena->stepping != 0;
    me.x = 0x9e3779b97f4a7c15ull ^ lane;
    if (st->ngils > 0) {
        me.g = &st->gils[st->lanes == GIL_LANES_PROCESSES ? lane : 0];
    }
    if (st->cores == 1) {
        gil_pin();
    }
    if (st->lanes == GIL_LANES_SEQUENTIAL) {
        first = 0;
        last = (unsigned)st->threads - 1;
    }
    gil_take(&me);
    for (unsigned v = first; v <= last; v++) {
        role(&me, v);
    }
    gil_drop(&me, GIL_WHY_END);
    sched_self->slot->reg = (int64_t)(me.x & 1); /* the work's result is used */
}

static void gil_as_cpu(GilLane *me, unsigned v)
{
    (void)v;
    gil_role_cpu(me);
}

static void gil_as_io(GilLane *me, unsigned v)
{
    (void)v;
    gil_role_io(me);
}

static void gil_as_mixed(GilLane *me, unsigned v)
{
    if (v == 0) {
        gil_role_cpu(me);
    } else {
        gil_role_io(me);
    }
}

static void gil_as_counter_broken(GilLane *me, unsigned v)
{
    (void)v;
    gil_role_counter_broken(me);
}

static void gil_lane_cpu(DemoCtx *ctx, unsigned lane)
{
    gil_run(ctx, lane, gil_as_cpu);
}

static void gil_lane_io(DemoCtx *ctx, unsigned lane)
{
    gil_run(ctx, lane, gil_as_io);
}

static void gil_lane_mixed(DemoCtx *ctx, unsigned lane)
{
    gil_run(ctx, lane, gil_as_mixed);
}

static void gil_lane_counter_broken(DemoCtx *ctx, unsigned lane)
{
    gil_run(ctx, lane, gil_as_counter_broken);
}

/* ------------------------------------------------------------------ */
/* set-up and results                                                  */
/* ------------------------------------------------------------------ */

static unsigned gil_lanes(const int64_t *params)
{
    return params[GIL_LANES] == GIL_LANES_SEQUENTIAL ? 1u : (unsigned)params[GIL_THREADS];
}

static LaneKind gil_lane_kind(const int64_t *params, unsigned lane)
{
    (void)lane;
    return params[GIL_LANES] == GIL_LANES_PROCESSES ? LANE_KIND_PROCESS : LANE_KIND_THREAD;
}

/* Work units and I/O ops of the whole run. */
static void gil_totals(const int64_t *p, uint64_t *units, uint64_t *ios)
{
    uint64_t n = (uint64_t)p[GIL_THREADS], w = (uint64_t)p[GIL_WORK], o = (uint64_t)p[GIL_IO_OPS];
    switch (p[GIL_WORKLOAD]) {
    case GIL_IO:
        *units = n * o;
        *ios = n * o;
        break;
    case GIL_MIXED:
        *units = w + (n - 1) * o;
        *ios = (n - 1) * o;
        break;
    default:
        *units = n * w;
        *ios = 0;
        break;
    }
}

static uint64_t gil_events_per_lane(const int64_t *params)
{
    uint64_t units, ios, per, lanes = gil_lanes(params);
    gil_totals(params, &units, &ios);
    per = (units + lanes - 1) / lanes;
    /* a step run records each unit, a free one only the GIL's hand-offs
     * (a long free run with a short interval overflows its ring: the
     * timeline misses events, the figures do not, they are counted apart)
     * and the counter's loads and stores */
    if (params[GIL_WORKLOAD] == GIL_COUNTER) {
        per *= params[GIL_OBJLOCK] ? 8 : 4;
        return (per > (1u << 21) ? (1u << 21) : per) + 64;
    }
    per = per * 2 + ios / lanes * 8;
    return (per > (1u << 17) ? (1u << 17) : per) + 64;
}

static uint64_t gil_caps(const int64_t *params, uint64_t *ios_out)
{
    uint64_t units, ios, cap;
    gil_totals(params, &units, &ios);
    cap = units + 2 * ios + 1024;
    if (cap > (1u << 20)) {
        cap = 1u << 20;
    }
    *ios_out = ios + 16;
    return cap;
}

static uint64_t gil_shared_bytes(const int64_t *params)
{
    uint64_t ios, cap = gil_caps(params, &ios);
    return (2 * cap + ios) * sizeof(int64_t) + (uint64_t)params[GIL_THREADS] * sizeof(GilLock) +
           sizeof(GilState) + 4096;
}

static int gil_samples_init(GilSamples *s, SharedHeap *heap, uint64_t cap)
{
    s->cap = cap;
    s->v = shared_heap_alloc(heap, (size_t)cap, sizeof(int64_t));
    atomic_store(&s->n, 0);
    return s->v != NULL ? 0 : -ENOMEM;
}

static int gil_setup(DemoCtx *ctx)
{
    const int64_t *p = ctx->params;
    GilState *st = shared_heap_alloc(ctx->heap, 1, sizeof(*st));
    uint64_t ios, cap;
    int rc;

    if (st == NULL) {
        return -ENOMEM;
    }
    st->mode = p[GIL_MODE];
    st->workload = p[GIL_WORKLOAD];
    st->lanes = p[GIL_LANES];
    st->threads = p[GIL_THREADS];
    st->work = p[GIL_WORK];
    st->io_ops = p[GIL_IO_OPS];
    st->check = p[GIL_CHECK_INTERVAL];
    st->cores = p[GIL_CORES];
    st->split = p[GIL_SWITCH_POINT];
    st->objlock = p[GIL_OBJLOCK];
    st->forced = p[GIL_FORCED] != 0;
    st->interval_ns = (uint64_t)p[GIL_INTERVAL_US] * 1000u;
    st->io_us = (uint32_t)p[GIL_IO_US];
    st->pshared = ctx->arena->process_lanes > 0;
    st->spin = gil_calibrate(&st->unit_ns);
    st->work_label = il_label_new(ctx->arena, "work");
    st->add_label = il_label_new(ctx->arena, "add");
    st->io_label = il_label_new(ctx->arena, "io");
    if (st->work_label < 0 || st->add_label < 0 || st->io_label < 0) {
        return -ENOSPC;
    }
    if (st->mode != GIL_NONE) {
        st->ngils = st->lanes == GIL_LANES_PROCESSES ? ctx->nlanes : 1;
        st->gils = shared_heap_alloc(ctx->heap, st->ngils, sizeof(GilLock));
        if (st->gils == NULL) {
            return -ENOMEM;
        }
        for (unsigned i = 0; i < st->ngils; i++) {
            char name[32] = "GIL", req[32] = "drop_request";
            if (st->ngils > 1) {
                char ln[LANE_NAME_MAX];
                lane_name(i, ln);
                snprintf(name, sizeof(name), "GIL %s", ln);
                snprintf(req, sizeof(req), "drop_request %s", ln);
            }
            rc = gil_init_lock(&st->gils[i], ctx->arena, name, req, st->pshared,
                               st->mode == GIL_NEW);
            if (rc < 0) {
                return rc;
            }
        }
    }
    if (st->workload == GIL_COUNTER) {
        st->counter = il_var_new(ctx->arena, "counter", 0);
        if (st->counter == NULL) {
            return -ENOSPC;
        }
        if (st->objlock) {
            rc = il_mutex_init(&st->obj_lock, ctx->arena, "counter_lock");
            if (rc < 0) {
                return rc;
            }
        }
    }
    cap = gil_caps(p, &ios);
    if (gil_samples_init(&st->slices, ctx->heap, cap) < 0 ||
        gil_samples_init(&st->waits, ctx->heap, cap) < 0 ||
        gil_samples_init(&st->overshoot, ctx->heap, ios) < 0) {
        return -ENOMEM;
    }
    ctx->state = st;
    return 0;
}

static int gil_cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Add name_p50 and name_p90 of s (nearest rank), when it has samples. */
static void gil_add_percentiles(Arena *arena, GilSamples *s, const char *p50, const char *p90)
{
    uint64_t n = atomic_load(&s->n);
    if (n > s->cap) {
        n = s->cap;
    }
    if (n == 0) {
        return;
    }
    qsort(s->v, (size_t)n, sizeof(int64_t), gil_cmp64);
    (void)arena_result_add(arena, p50, s->v[(n - 1) / 2]);
    (void)arena_result_add(arena, p90, s->v[(n * 9 + 9) / 10 - 1]);
}

static void gil_finish(DemoCtx *ctx, int verdict)
{
    GilState *st = ctx->state;
    Arena *a = ctx->arena;
    bool stepping = a->stepping != 0;
    uint64_t wall = arena_time(a), units, ios, seq;
    uint64_t drops = 0, forced = 0, futile = 0, switches = 0;

    if (st == NULL) {
        return;
    }
    gil_totals(ctx->params, &units, &ios);
    for (unsigned i = 0; i < st->ngils; i++) {
        drops += atomic_load(&st->gils[i].drop_requests);
        forced += atomic_load(&st->gils[i].forced);
        futile += atomic_load(&st->gils[i].futile);
        switches += atomic_load(&st->gils[i].handoffs);
    }
    seq = units * st->unit_ns + ios * st->io_us * 1000u;
    if (!stepping) {
        (void)arena_result_add(a, "wall", (int64_t)wall);
        (void)arena_result_add(a, "sequential", (int64_t)seq);
        (void)arena_result_add(a, "speedup", wall > 0 ? (int64_t)(seq * 1000.0 / wall + 0.5) : 0);
        (void)arena_result_add(a, "unit", (int64_t)st->unit_ns);
    }
    gil_add_percentiles(a, &st->slices, "slice_p50", "slice_p90");
    gil_add_percentiles(a, &st->waits, "wait_p50", "wait_p90");
    (void)arena_result_add(a, "switches", (int64_t)switches);
    if (!stepping && wall > 0) {
        (void)arena_result_add(a, "switch_rate", (int64_t)(switches * 1e9 / wall + 0.5));
    }
    (void)arena_result_add(a, "drop_requests", (int64_t)drops);
    (void)arena_result_add(a, "forced_switches", (int64_t)forced);
    (void)arena_result_add(a, "futile_wakeups", (int64_t)futile);
    if (ios > 0) {
        gil_add_percentiles(a, &st->overshoot, "overshoot_p50", "overshoot_p90");
    }
    if (st->workload == GIL_COUNTER) {
        int64_t expected = st->threads * st->work, final = il_var_peek(st->counter);
        (void)arena_result_add(a, "expected", expected);
        (void)arena_result_add(a, "final", final);
        if (verdict == VERDICT_COMPLETED) {
            (void)arena_result_add(a, "lost", expected - final);
        }
    }
    if (verdict == VERDICT_COMPLETED) {
        for (unsigned i = 0; i < st->ngils; i++) {
            gil_fini_lock(&st->gils[i]);
        }
        if (st->workload == GIL_COUNTER && st->objlock) {
            il_mutex_destroy(&st->obj_lock);
        }
        ctx->state = NULL; /* the shared heap goes with the run */
    }
}

/* ------------------------------------------------------------------ */
/* pseudo-code, variants, parameters                                   */
/* ------------------------------------------------------------------ */

static const DemoCodeLine gil_code_cpu_new[] = {
    {"take_gil()", EV_GIL_ACQUIRE, NULL},
    {"repeat work times:", EV_NONE, NULL},
    {"    one work unit (about 1 us)", EV_COMPUTE, NULL},
    {"    if drop_request:          # the eval breaker", EV_NONE, NULL},
    {"        drop_gil()", EV_GIL_RELEASE, NULL},
    {"        wait until another lane took it", EV_GIL_SWITCH_WAIT, NULL},
    {"        (it did: forced switching)", EV_GIL_SWITCHED, NULL},
    {"        take_gil()   # waits interval_us, then", EV_NONE, NULL},
    {"                     # sets drop_request", EV_NONE, NULL},
    {"drop_gil()", EV_NONE, NULL},
};

static const DemoCodeLine gil_code_cpu_old[] = {
    {"take_gil()", EV_GIL_ACQUIRE, NULL},
    {"repeat work times:", EV_NONE, NULL},
    {"    one work unit (about 1 us)", EV_COMPUTE, NULL},
    {"    ticks += 1", EV_NONE, NULL},
    {"    if ticks == check_interval:", EV_NONE, NULL},
    {"        ticks = 0", EV_NONE, NULL},
    {"        release_gil()   # no hand-off", EV_GIL_RELEASE, NULL},
    {"        take_gil()      # at once again", EV_NONE, NULL},
    {"release_gil()", EV_NONE, NULL},
};

static const DemoCodeLine gil_code_cpu_none[] = {
    {"repeat work times:       # no GIL", EV_NONE, NULL},
    {"    one work unit (about 1 us)", EV_COMPUTE, NULL},
};

static const DemoCodeLine gil_code_io[] = {
    {"take_gil()", EV_GIL_ACQUIRE, NULL},
    {"repeat io_ops times:", EV_NONE, NULL},
    {"    one work unit (about 1 us)", EV_COMPUTE, NULL},
    {"    drop_gil()          # before blocking", EV_GIL_RELEASE, NULL},
    {"    sleep io_us         # real blocking I/O", EV_IO_END, NULL},
    {"    take_gil()          # waits for the holder", EV_NONE, NULL},
    {"    (forced switching)", EV_GIL_SWITCH_WAIT, NULL},
    {"drop_gil()", EV_NONE, NULL},
};

static const DemoCodeLine gil_code_io_none[] = {
    {"repeat io_ops times:    # no GIL", EV_NONE, NULL},
    {"    one work unit (about 1 us)", EV_COMPUTE, NULL},
    {"    sleep io_us         # real blocking I/O", EV_IO_END, NULL},
};

static const DemoCodeLine gil_code_mixed[] = {
    {"take_gil()", EV_GIL_ACQUIRE, NULL},
    {"lane A (CPU-bound): repeat work times:", EV_NONE, NULL},
    {"    one work unit; if drop_request: drop, take", EV_COMPUTE, NULL},
    {"other lanes (I/O): repeat io_ops times:", EV_NONE, NULL},
    {"    drop_gil()          # before blocking", EV_GIL_RELEASE, NULL},
    {"    sleep io_us         # real blocking I/O", EV_IO_END, NULL},
    {"    take_gil()          # waits a whole interval", EV_NONE, NULL},
    {"    (forced switching)", EV_GIL_SWITCH_WAIT, NULL},
    {"drop_gil()", EV_NONE, NULL},
};

static const DemoCodeLine gil_code_counter[] = {
    {"take_gil()", EV_GIL_ACQUIRE, NULL},
    {"repeat work times:", EV_NONE, NULL},
    {"    [objlock=1: lock counter_lock]", EV_LOCK_TRY, NULL},
    {"    reg = load counter", EV_LOAD, NULL},
    {"    reg = reg + 1       # a call: about 1 us", EV_COMPUTE, NULL},
    {"    [switch_point=1: if drop_request:", EV_NONE, NULL},
    {"        drop_gil(); take_gil()]", EV_GIL_RELEASE, NULL},
    {"    store counter = reg", EV_STORE, NULL},
    {"    [objlock=1: unlock counter_lock]", EV_LOCK_RELEASE, NULL},
    {"    if drop_request: drop_gil(); take_gil()", EV_GIL_SWITCH_WAIT, NULL},
    {"drop_gil()", EV_NONE, NULL},
};

static const DemoCodeLine gil_code_counter_none[] = {
    {"repeat work times:       # no GIL", EV_NONE, NULL},
    {"    [objlock=1: lock counter_lock]", EV_LOCK_ACQUIRE, NULL},
    {"    reg = load counter", EV_LOAD, NULL},
    {"    reg = reg + 1", EV_COMPUTE, NULL},
    {"    store counter = reg", EV_STORE, NULL},
    {"    [objlock=1: unlock counter_lock]", EV_LOCK_RELEASE, NULL},
};

static const DemoCodeLine *gil_code(const int64_t *params, size_t *n)
{
    bool none = params[GIL_MODE] == GIL_NONE;
#define GIL_CODE(t)                                                                                \
    do {                                                                                           \
        *n = ARRAY_SIZE(t);                                                                        \
        return t;                                                                                  \
    } while (0)
    switch (params[GIL_WORKLOAD]) {
    case GIL_IO:
        if (none) {
            GIL_CODE(gil_code_io_none);
        }
        GIL_CODE(gil_code_io);
    case GIL_MIXED:
        if (none) {
            GIL_CODE(gil_code_io_none);
        }
        GIL_CODE(gil_code_mixed);
    case GIL_COUNTER:
        if (none) {
            GIL_CODE(gil_code_counter_none);
        }
        GIL_CODE(gil_code_counter);
    default:
        if (none) {
            GIL_CODE(gil_code_cpu_none);
        }
        if (params[GIL_MODE] == GIL_OLD) {
            GIL_CODE(gil_code_cpu_old);
        }
        GIL_CODE(gil_code_cpu_new);
    }
#undef GIL_CODE
}

static const DemoVariant gil_variants[] = {
    [GIL_CPU] = {"cpu", "CPU-bound lanes: a countdown of work units", false, gil_lane_cpu, NULL, 0},
    [GIL_IO] = {"io", "I/O-bound lanes: blocking I/O ops, the GIL let go around each", false,
                gil_lane_io, NULL, 0},
    [GIL_MIXED] = {"mixed", "lane A CPU-bound, the others I/O: the convoy effect", false,
                   gil_lane_mixed, NULL, 0},
    [GIL_COUNTER] = {"counter",
                     "counter += 1 in every lane: lost without the GIL or with a switch point",
                     true, gil_lane_counter_broken, NULL, 0},
};

static const DemoResultField gil_results[] = {
    {"wall", DEMO_UNIT_TIME, "wall time from the lanes' start to the last one's end"},
    {"sequential", DEMO_UNIT_TIME, "the same work in one lane: units x unit + I/O ops x io_us"},
    {"speedup", DEMO_UNIT_RATIO, "sequential / wall: above 1 the lanes ran the work faster"},
    {"unit", DEMO_UNIT_TIME, "one work unit, as calibrated at the start"},
    {"slice_p50", DEMO_UNIT_TIME, "time a lane held the GIL at a stretch, median"},
    {"slice_p90", DEMO_UNIT_TIME, "time a lane held the GIL at a stretch, 90th percentile"},
    {"wait_p50", DEMO_UNIT_TIME, "wait for the GIL (from wanting it to holding it), median"},
    {"wait_p90", DEMO_UNIT_TIME, "wait for the GIL, 90th percentile"},
    {"switches", DEMO_UNIT_COUNT, "hand-offs: the GIL taken by another lane than its last holder"},
    {"switch_rate", DEMO_UNIT_RATE, "hand-offs per second"},
    {"drop_requests", DEMO_UNIT_COUNT, "new GIL: waiters that timed out and asked for a drop"},
    {"forced_switches", DEMO_UNIT_COUNT,
     "new GIL: droppers that waited for another lane to take it"},
    {"futile_wakeups", DEMO_UNIT_COUNT, "old GIL: waiters woken that found it taken again"},
    {"overshoot_p50", DEMO_UNIT_TIME,
     "I/O ops: how much later than asked the lane ran again, median"},
    {"overshoot_p90", DEMO_UNIT_TIME, "I/O overshoot, 90th percentile"},
    {"expected", DEMO_UNIT_COUNT, "counter: threads x work, what the counter should end at"},
    {"final", DEMO_UNIT_COUNT, "counter: what it ended at"},
    {"lost", DEMO_UNIT_COUNT, "counter: updates lost (expected - final)"},
};

static const char *const gil_modes[] = {"old", "new", "none", NULL};
static const char *const gil_lane_kinds[] = {"threads", "processes", "sequential", NULL};

static const DemoParam gil_params[] = {
    [GIL_THREADS] = {"threads", "lanes sharing the work (the same total work for every lanes=)", 1,
                     64, 2, NULL, NULL},
    [GIL_WORK] = {"work", "work units (about 1 us each) per CPU lane; increments per counter lane",
                  1, GIL_MAX_WORK, 200000, NULL, NULL},
    [GIL_MODE] = {"gil", "the global lock: old (check interval), new (3.2+), none (PEP 703)", 0, 2,
                  GIL_NEW, gil_modes, NULL},
    [GIL_WORKLOAD] = {"workload", "what the lanes run", 0, 3, GIL_CPU, NULL, gil_variants},
    [GIL_INTERVAL_US] = {"interval_us", "new GIL: switch interval in us (sys.setswitchinterval)", 1,
                         1000000, 5000, NULL, NULL},
    [GIL_CHECK_INTERVAL] = {"check_interval", "old GIL: ticks (work units) between releases", 1,
                            1000000, 100, NULL, NULL},
    [GIL_FORCED] = {"forced", "new GIL: forced switching (1 = on, as in CPython)", 0, 1, 1, NULL,
                    NULL},
    [GIL_IO_US] = {"io_us", "length of one blocking I/O op in us", 1, 1000000, 1000, NULL, NULL},
    [GIL_IO_OPS] = {"io_ops", "I/O ops per I/O lane", 1, GIL_MAX_IO_OPS, 100, NULL, NULL},
    [GIL_CORES] = {"cores", "1 = every lane pinned to one CPU (sched_setaffinity), 0 = all", 0, 1,
                   0, NULL, NULL},
    [GIL_LANES] = {"lanes", "what runs the work: threads, processes (a GIL each), or one lane", 0,
                   2, GIL_LANES_THREADS, gil_lane_kinds, NULL},
    [GIL_SWITCH_POINT] = {"switch_point",
                          "counter: 1 = a switch point between the read and the write", 0, 1, 0,
                          NULL, NULL},
    [GIL_OBJLOCK] = {"objlock", "counter: 1 = the counter's own lock around its update", 0, 1, 0,
                     NULL, NULL},
};

const DemoClass gil_demo = {
    .name = "gil",
    .summary = "threads under one global lock: old and new GIL, no GIL, CPU and I/O work",
    .params = gil_params,
    .nparams = ARRAY_SIZE(gil_params),
    .lanes = gil_lanes,
    .events_per_lane = gil_events_per_lane,
    .setup = gil_setup,
    .finish = gil_finish,
    .code = gil_code,
    .results = gil_results,
    .nresults = ARRAY_SIZE(gil_results),
    .view = &gil_view,
    .lane_kind = gil_lane_kind,
    .shared_bytes = gil_shared_bytes,
};
