/*
 * sched.c - the step scheduler (see sched.h for the design).
 *
 * Each lane moves through these states, mirrored in its arena slot:
 *
 *   NEW --gate, begin--> RUNNING --point--> READY/BLOCKED --grant--> RUNNING ...
 *                                                           \--end--> FINISHED
 *   (a lane process that ends before its lane function returned: DIED)
 *
 * In step mode a lane is RUNNING only between a grant and its next point,
 * and the next step is granted only once that step has ended (by the lane
 * itself, following the plan: see sched_plan_next_locked), so at most one
 * lane runs at any moment.  A parked lane sleeps on its grant word, a
 * futex: the lane that grants it a step sets the word and wakes it, one
 * hand-off per step; a lane granted its own next step does not sleep.
 *
 * The Sched lives in the run's shared heap, so lane processes reach the
 * same mutex, condition variables and grants as lane threads.  When the
 * run has process lanes, those are process-shared, and the mutex is
 * robust: a lane process that dies while it holds it (killed in the
 * middle of a step) leaves it to the next locker with EOWNERDEAD, which
 * marks it consistent and goes on (the dead lane is reported by the
 * watcher, sched_lane_died).  A run of threads only keeps the cheaper
 * process-private kinds.
 */
#include "config.h"

#include "core/sched.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

_Thread_local LaneCtx *sched_self;
_Thread_local jmp_buf *sched_abort_jump;

/* A lane's grant word, a futex: what the lane waits on while parked. */
enum {
    SCHED_GRANT_NONE = 0,   /* no grant yet, the lane is not asleep */
    SCHED_GRANT_GIVEN = 1,  /* granted a step: the lane takes it and resets the word */
    SCHED_GRANT_ASLEEP = 2, /* no grant yet, the lane sleeps in FUTEX_WAIT */
};

/* Each lane's part of the scheduler starts a cache line of its own: the
 * lane and whoever grants it a step write its grant word. */
typedef struct SchedLane {
    _Alignas(64) LaneCtx ctx;
    _Atomic uint32_t grant; /* SCHED_GRANT_*: a futex word (a host: a grant to a guest) */
    bool holds;             /* GUARDED_BY(Sched.mu): granted a step and running it */
    bool guest;             /* immutable: a coroutine lane, run by its host's thread */
    bool hosting;           /* immutable once set: this lane's thread runs the guests */
    bool daemon;            /* immutable after the gate: the run does not wait for it */
    int host;               /* a guest's host lane, -1 = none yet; immutable once set */
    int running;            /* a host: the guest whose step it runs, -1 = none;
                             * GUARDED_BY(Sched.mu) */
} SchedLane;

/* Tokens of a plan copied into the shared heap at a time (lane processes
 * read the plan too). */
#define SCHED_PLAN_WINDOW 64

/* Why a plan stopped: 0 = it goes on, a SchedStop + 1, or the window ran
 * out (the controller copies the next tokens and goes on). */
#define SCHED_PLAN_GOING 0
#define SCHED_PLAN_WINDOW_END (SCHED_STOP_COUNT + 1)

/*
 * The grants a run carries out without its controller (sched_run): the
 * lane that ends a step picks the next grant itself.  GUARDED_BY(Sched.mu),
 * and changed only by the lane holding the step (or the controller while
 * none does).
 */
typedef struct SchedPlan {
    SchedToken win[SCHED_PLAN_WINDOW]; /* tokens base .. base + nwin - 1 */
    size_t base, nwin, n;              /* n: tokens in the whole plan */
    size_t at;                         /* the token being taken, or the next one */
    uint32_t done;                     /* steps of token `at` taken so far */
    bool in_tok;                       /* token `at` has begun */
    bool round_robin;                  /* after the tokens: one step each, round-robin */
    bool rr_step;                      /* the step going on is a round-robin one */
    bool checks;                       /* before a token: every lane finished? none can move? */
    uint64_t livelock_steps;           /* 0 = no livelock rule */
    int stop;                          /* SCHED_PLAN_GOING, a SchedStop + 1, or WINDOW_END */
    uint64_t span;                     /* livelock: steps without progress */
    char why[320];                     /* refused: why */
} SchedPlan;

struct Sched {
    Arena *arena;          /* immutable */
    SchedMode mode;        /* immutable */
    unsigned nlanes;       /* immutable */
    uint32_t pace_us;      /* immutable */
    bool pshared;          /* immutable: process-shared (the run has process lanes) */
    pthread_mutex_t mu;    /* guards lane states, grants, the plan, the gate count, the dead */
    pthread_cond_t ctl_cv; /* the controller waits here */
    unsigned arrived;      /* GUARDED_BY(mu): lanes waiting at the start gate */
    _Atomic uint32_t go;   /* the start gate is open (a futex word) */
    unsigned dead;         /* GUARDED_BY(mu): lanes that died (LANE_DIED), not handled */
    int first_dead;        /* GUARDED_BY(mu): the first of them, -1 = none */
    _Atomic bool aborting; /* sched_abort() was called; set under mu */
    bool daemons;          /* immutable after the gate: some lane is a daemon */
    unsigned rr;           /* GUARDED_BY(mu): round-robin cursor */
    uint64_t steps;        /* GUARDED_BY(mu): steps granted */
    uint64_t ll_total;     /* GUARDED_BY(mu): progress of all lanes when it last changed */
    uint64_t ll_since;     /* GUARDED_BY(mu): the step it last changed at */
    SchedPlan plan;
    unsigned handled_dead; /* GUARDED_BY(mu): lanes that died, handled by the demo */
    SchedReapFn reap_fn;   /* immutable after start: the sandbox's reaper, NULL = none */
    void *reap_arg;
    pid_t sandbox; /* immutable: the process whose lanes may reap */
    SchedLane lanes[];
};

static const char *const sched_mode_names[SCHED_MODE_COUNT] = {
    [SCHED_FREE] = "free",
    [SCHED_STEP] = "step",
    [SCHED_REPLAY] = "replay",
};

const char *sched_mode_name(int mode)
{
    return (mode >= 0 && mode < SCHED_MODE_COUNT) ? sched_mode_names[mode] : "?";
}

int sched_mode_parse(const char *name)
{
    for (int i = 0; i < SCHED_MODE_COUNT; i++) {
        if (strcmp(name, sched_mode_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

void sched_fail(const char *call, int rc)
{
    LaneCtx *c = sched_self;
    arena_fatal(c->arena, c->lane, call, rc);
}

/* A pthread call on the scheduler's own objects failed: a bug or broken
 * system state.  Report it and end the calling process (arena_fatal). */
static void sched_check(Sched *s, int rc, const char *call)
{
    if (UNLIKELY(rc != 0)) {
        arena_fatal(s->arena, sched_self != NULL ? (int)sched_self->lane : -1, call, rc);
    }
}

/* Take mu.  A lane process that died holding it leaves it EOWNERDEAD:
 * the state it guards is atomics and flags, each written whole, so mark
 * it consistent and go on. */
static void sched_lock(Sched *s)
{
    int rc = pthread_mutex_lock(&s->mu);
    if (rc == EOWNERDEAD) {
        rc = pthread_mutex_consistent(&s->mu);
    }
    sched_check(s, rc, "pthread_mutex_lock");
}

static void sched_unlock(Sched *s)
{
    sched_check(s, pthread_mutex_unlock(&s->mu), "pthread_mutex_unlock");
}

/* pthread_cond_wait on one of the scheduler's condition variables. */
static void sched_wait(Sched *s, pthread_cond_t *cv)
{
    int rc = pthread_cond_wait(cv, &s->mu);
    if (rc == EOWNERDEAD) {
        rc = pthread_mutex_consistent(&s->mu);
    }
    sched_check(s, rc, "pthread_cond_wait");
}

static void sched_signal(Sched *s, pthread_cond_t *cv, bool all)
{
    sched_check(s, all ? pthread_cond_broadcast(cv) : pthread_cond_signal(cv),
                all ? "pthread_cond_broadcast" : "pthread_cond_signal");
}

static int sched_init_sync(Sched *s)
{
    pthread_mutexattr_t ma;
    pthread_condattr_t ca;
    int rc;

    rc = pthread_mutexattr_init(&ma);
    if (rc != 0) {
        return -rc;
    }
    if (s->pshared) {
        rc = pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
        if (rc == 0) {
            rc = pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
        }
    }
    if (rc == 0) {
        rc = pthread_mutex_init(&s->mu, &ma);
    }
    (void)pthread_mutexattr_destroy(&ma);
    if (rc != 0) {
        return -rc;
    }
    rc = pthread_condattr_init(&ca);
    if (rc == 0 && s->pshared) {
        rc = pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
    }
    if (rc == 0) {
        rc = pthread_cond_init(&s->ctl_cv, &ca);
    }
    (void)pthread_condattr_destroy(&ca);
    return -rc;
}

Sched *sched_new(SharedHeap *heap, Arena *arena, SchedMode mode, unsigned nlanes, uint32_t pace_us)
{
    Sched *s = shared_heap_alloc(heap, 1, sizeof(*s) + nlanes * sizeof(SchedLane));
    if (s == NULL) {
        return NULL;
    }
    s->arena = arena;
    s->mode = mode;
    s->nlanes = nlanes;
    s->pace_us = pace_us;
    s->pshared = arena->process_lanes > 0;
    s->first_dead = -1;
    arena->stepping = mode != SCHED_FREE;
    if (sched_init_sync(s) < 0) {
        return NULL; /* the heap's bytes go with the heap */
    }
    for (unsigned i = 0; i < nlanes; i++) {
        SchedLane *l = &s->lanes[i];
        l->ctx.arena = arena;
        l->ctx.ring = arena_ring(arena, i);
        l->ctx.slot = &arena->lanes[i];
        l->ctx.sched = s;
        l->ctx.lane = (uint16_t)i;
        l->ctx.slow = mode != SCHED_FREE || pace_us > 0;
        l->ctx.tracing = arena->tracing != 0;
        l->ctx.stepping = mode != SCHED_FREE;
        l->host = -1;
        l->running = -1;
        if (arena->lanes[i].kind == LANE_KIND_COROUTINE) {
            /* a guest: at the gate from the start, and it parks only where it
             * awaits, through its host */
            l->guest = true;
            l->ctx.slow = false;
            s->arrived++;
        }
    }
    return s;
}

void sched_free(Sched *sched)
{
    if (sched == NULL) {
        return;
    }
    /* every lane has ended: nothing waits on these any more */
    (void)pthread_cond_destroy(&sched->ctl_cv);
    (void)pthread_mutex_destroy(&sched->mu);
}

/* The start gate's futex: process-private unless lanes are processes. */
static void sched_futex(Sched *s, int op, uint32_t val)
{
    (void)syscall(SYS_futex, (uint32_t *)&s->go, op | (s->pshared ? 0 : FUTEX_PRIVATE_FLAG), val,
                  NULL, NULL, 0);
}

/* FUTEX_WAIT / FUTEX_WAKE on a word of the scheduler. */
static void sched_futex_word(Sched *s, _Atomic uint32_t *word, int op, uint32_t val)
{
    (void)syscall(SYS_futex, (uint32_t *)word, op | (s->pshared ? 0 : FUTEX_PRIVATE_FLAG), val,
                  NULL, NULL, 0);
}

/* Give lane the step that sched_begin_step_locked() counted: set its grant
 * word, and wake it if it sleeps.  Thread: whoever granted the step, after
 * letting go of mu. */
static void sched_wake_lane(Sched *s, unsigned lane)
{
    _Atomic uint32_t *w;
    if (s->lanes[lane].guest && s->lanes[lane].host >= 0) {
        /* a coroutine runs on its host's thread: the grant wakes the host */
        lane = (unsigned)s->lanes[lane].host;
    }
    w = &s->lanes[lane].grant;
    if (atomic_exchange(w, SCHED_GRANT_GIVEN) == SCHED_GRANT_ASLEEP) {
        sched_futex_word(s, w, FUTEX_WAKE, 1);
    }
}

/* Park the calling lane until it is granted a step, and take the grant.
 * Thread: the lane of l, without mu. */
static void sched_await_grant(Sched *s, SchedLane *l)
{
    for (;;) {
        uint32_t v = atomic_load(&l->grant);
        if (v == SCHED_GRANT_GIVEN) {
            atomic_store(&l->grant, SCHED_GRANT_NONE);
            return;
        }
        if (v == SCHED_GRANT_NONE &&
            !atomic_compare_exchange_strong(&l->grant, &v, SCHED_GRANT_ASLEEP)) {
            continue; /* granted in between */
        }
        sched_futex_word(s, &l->grant, FUTEX_WAIT, SCHED_GRANT_ASLEEP);
    }
}

void sched_lane_gate(Sched *sched)
{
    sched_lock(sched);
    sched->arrived++;
    sched_signal(sched, &sched->ctl_cv, true);
    sched_unlock(sched);
    /* no mutex on the way out: every lane leaves the gate at once */
    while (atomic_load_explicit(&sched->go, memory_order_acquire) == 0) {
        sched_futex(sched, FUTEX_WAIT, 0);
    }
}

int sched_open_gate(Sched *sched)
{
    Arena *a = sched->arena;

    sched_lock(sched);
    while (sched->arrived < sched->nlanes && sched->dead == 0) {
        sched_wait(sched, &sched->ctl_cv);
    }
    if (sched->dead > 0) {
        sched_unlock(sched);
        return -IL_ECRASH;
    }
    /* the clock's origin: the lanes' start.  Lanes read it only after
     * `go`; the front end only after `started` */
    clock_reset_origin(&a->clock);
    a->clock.paused = &a->paused_ns; /* the arena's mapping: the same address everywhere */
    atomic_store_explicit(&a->started, 1u, memory_order_release);
    atomic_store_explicit(&sched->go, 1u, memory_order_release);
    sched_unlock(sched);
    sched_futex(sched, FUTEX_WAKE, INT_MAX);
    return 0;
}

/* The running lane's own copy of its context (see LaneCtx). */
static _Thread_local LaneCtx sched_lane_ctx;

void sched_lane_begin(Sched *sched, unsigned lane)
{
    LaneCtx *c = &sched_lane_ctx;
    if (sched->lanes[lane].guest) {
        /* a coroutine shares its host's thread (and its thread-local copy):
         * it keeps the shared context; its host recorded its start and
         * keeps its state */
        c = &sched->lanes[lane].ctx;
        c->clock = sched->arena->clock;
        sched_self = c;
        return;
    }
    *c = sched->lanes[lane].ctx;
    /* after the gate: the clock's origin is the lanes' start */
    c->clock = sched->arena->clock;
    sched_self = c;
    sched_lock(sched);
    atomic_store(&c->slot->state, LANE_RUNNING);
    sched_unlock(sched);
    sched_record(EV_LANE_START, 0, 0);
}

static int sched_plan_next_locked(Sched *s);
static void sched_begin_step_locked(Sched *s, unsigned lane);

void sched_lane_end(void)
{
    LaneCtx *c = sched_self;
    Sched *s = c->sched;
    SchedLane *l = &s->lanes[c->lane];
    int next = -1;

    sched_record(EV_LANE_END, 0, (int64_t)atomic_load(&c->slot->ops));
    sched_lock(s);
    atomic_store(&c->slot->op, EV_NONE);
    atomic_store(&c->slot->op_obj, 0);
    atomic_store(&c->slot->state, LANE_FINISHED);
    if (l->guest) {
        /* a coroutine's step ends once its host has done its bookkeeping
         * (the tasks that awaited it): the host hands the next one on, in
         * sched_host_wait() or at its own end */
        sched_signal(s, &s->ctl_cv, true);
        sched_unlock(s);
        sched_self = NULL;
        return;
    }
    if (l->hosting && l->running >= 0) {
        /* the loop ends in its last guest's step: it hands the next one on */
        s->lanes[l->running].holds = false;
        l->running = -1;
        next = sched_plan_next_locked(s);
    } else if (l->holds) {
        /* the lane finished in a granted step: it hands the next one on */
        l->holds = false;
        next = sched_plan_next_locked(s);
    }
    if (next >= 0) {
        sched_begin_step_locked(s, (unsigned)next);
    } else {
        sched_signal(s, &s->ctl_cv, true);
    }
    sched_unlock(s);
    if (next >= 0) {
        sched_wake_lane(s, (unsigned)next);
    }
    sched_self = NULL;
}

void sched_lane_died(Sched *sched, unsigned lane, bool handled)
{
    ArenaLane *slot = &sched->arena->lanes[lane];
    SchedLane *l = &sched->lanes[lane];
    int next = -1;

    sched_lock(sched);
    if (atomic_load(&slot->state) != LANE_FINISHED && atomic_load(&slot->state) != LANE_DIED) {
        atomic_store(&slot->state, LANE_DIED);
        atomic_store(&slot->op, EV_NONE);
        atomic_store(&slot->op_obj, 0);
        if (handled) {
            sched->handled_dead++; /* it counts as ended: the run goes on */
            if (l->holds) {
                /* it died in a granted step: the plan goes on from here, as
                 * when a lane finishes in its step (sched_lane_end) */
                l->holds = false;
                next = sched_plan_next_locked(sched);
            }
        } else {
            sched->dead++;
            if (sched->first_dead < 0) {
                sched->first_dead = (int)lane;
            }
        }
        if (next >= 0) {
            sched_begin_step_locked(sched, (unsigned)next);
        } else {
            sched_signal(sched, &sched->ctl_cv, true);
        }
    }
    sched_unlock(sched);
    if (next >= 0) {
        sched_wake_lane(sched, (unsigned)next);
    }
}

void sched_set_reaper(Sched *sched, SchedReapFn fn, void *arg)
{
    sched->reap_fn = fn;
    sched->reap_arg = arg;
    sched->sandbox = getpid();
}

int sched_reap(unsigned lane, int *status)
{
    Sched *s = sched_self->sched;
    if (s->reap_fn == NULL || lane >= s->nlanes) {
        return -ECHILD;
    }
    if (getpid() != s->sandbox) {
        return -EPERM; /* a lane process is the dead lane's sibling, not its parent */
    }
    if (!atomic_load(&s->arena->lanes[lane].ended)) {
        return -EAGAIN; /* alive: waiting for it here could stop a step for good */
    }
    return s->reap_fn(s->reap_arg, lane, status);
}

int sched_dead_lane(Sched *sched)
{
    int d;
    sched_lock(sched);
    d = sched->first_dead;
    sched_unlock(sched);
    return d;
}

static bool sched_ended(uint32_t st)
{
    return st == LANE_FINISHED || st == LANE_DIED;
}

int sched_wait_done(Sched *sched)
{
    int rc;

    sched_lock(sched);
    for (;;) {
        bool all = true;
        for (unsigned i = 0; i < sched->nlanes && all; i++) {
            /* with no unhandled death, a dead lane's death was handled */
            all = sched->lanes[i].daemon || sched_ended(atomic_load(&sched->arena->lanes[i].state));
        }
        if (all || sched->dead > 0) {
            break;
        }
        sched_wait(sched, &sched->ctl_cv);
    }
    rc = sched->dead > 0 ? -IL_ECRASH : 0;
    sched_unlock(sched);
    return rc;
}

/* The run is being abandoned (sched_abort): the parked lane ends here,
 * without returning into the demo's code.  Its slot says it finished.
 * Caller holds mu; it is let go. */
ATTR_NORETURN static void sched_abort_lane(Sched *s, LaneCtx *ctx)
{
    atomic_store(&ctx->slot->state, LANE_FINISHED);
    sched_signal(s, &s->ctl_cv, true);
    sched_unlock(s);
    sched_self = NULL;
    if (ctx->arena->lanes[ctx->lane].kind == LANE_KIND_PROCESS) {
        _exit(0);
    }
    if (sched_abort_jump != NULL) {
        longjmp(*sched_abort_jump, 1);
    }
    pthread_exit(NULL);
}

/* A parked lane woke: if the run is being given up, end the lane here. */
static void sched_check_abort(Sched *s, LaneCtx *ctx)
{
    if (UNLIKELY(atomic_load(&s->aborting))) {
        sched_lock(s);
        sched_abort_lane(s, ctx);
    }
}

void sched_point_slow(LaneCtx *ctx, uint32_t op, uint32_t obj)
{
    Sched *s = ctx->sched;
    SchedLane *l = &s->lanes[ctx->lane];
    int next;

    atomic_store_explicit(&ctx->slot->op, op, memory_order_relaxed);
    atomic_store_explicit(&ctx->slot->op_obj, obj, memory_order_relaxed);
    if (s->mode == SCHED_FREE) {
        struct timespec ts = {(time_t)(s->pace_us / 1000000u),
                              (long)(s->pace_us % 1000000u) * 1000L};
        nanosleep(&ts, NULL);
        sched_clock_fresh(ctx);
        return;
    }
    sched_lock(s);
    atomic_store(&ctx->slot->state, LANE_READY);
    if (atomic_load(&s->aborting)) {
        sched_abort_lane(s, ctx);
    }
    if (!l->holds) {
        /* the lane's first point: the controller waits for every lane */
        sched_signal(s, &s->ctl_cv, true);
        sched_unlock(s);
        sched_await_grant(s, l);
        sched_check_abort(s, ctx);
        return;
    }
    /* the lane's step ends here, and it picks the next grant itself */
    l->holds = false;
    next = sched_plan_next_locked(s);
    if (next == (int)ctx->lane) {
        /* granted the next step too: no hand-off at all */
        sched_begin_step_locked(s, ctx->lane);
        sched_unlock(s);
        return;
    }
    if (next >= 0) {
        sched_begin_step_locked(s, (unsigned)next);
    } else {
        sched_signal(s, &s->ctl_cv, true); /* the plan stopped: over to the controller */
    }
    sched_unlock(s);
    if (next >= 0) {
        sched_wake_lane(s, (unsigned)next); /* one hand-off, lane to lane */
    }
    sched_await_grant(s, l);
    sched_check_abort(s, ctx);
}

unsigned sched_wake_all(uint32_t sleep_op, uint32_t obj, uint32_t wake_op)
{
    Arena *a = sched_self->arena;
    unsigned woken = 0;

    for (unsigned i = 0; i < a->nlanes; i++) {
        ArenaLane *l = &a->lanes[i];
        if (atomic_load(&l->op) == sleep_op && atomic_load(&l->op_obj) == obj &&
            atomic_load(&l->state) != LANE_FINISHED) {
            atomic_store(&l->op, wake_op);
            woken++;
        }
    }
    return woken;
}

void sched_abort(Sched *sched)
{
    sched_lock(sched);
    atomic_store(&sched->aborting, true);
    sched_unlock(sched);
    /* every parked lane wakes, sees the flag and ends (sched_check_abort) */
    for (unsigned i = 0; i < sched->nlanes; i++) {
        sched_wake_lane(sched, i);
    }
}

/* Blockers, one per blocking operation kind: what stops a lane whose next
 * operation is op on obj.  Try-locks and timed locks are absent on purpose:
 * they never wait in step mode. */
static int sched_block_mutex(const Arena *a, uint32_t obj)
{
    int64_t owner = atomic_load(&a->objs[obj].value);
    return owner >= 0 ? (int)owner : -1;
}

static int sched_block_sem(const Arena *a, uint32_t obj)
{
    return atomic_load(&a->objs[obj].value) <= 0 ? SCHED_NO_HOLDER : -1;
}

/* Asleep on a condition variable: nothing but a signal, a broadcast or a
 * spurious wakeup (which change the lane's pending op) lets it go on. */
static int sched_block_cond_sleep(const Arena *a, uint32_t obj)
{
    (void)a;
    (void)obj;
    return SCHED_NO_HOLDER;
}

/* Woken from a condition wait: it needs the cond's mutex back. */
static int sched_block_cond_woken(const Arena *a, uint32_t obj)
{
    uint32_t m = a->objs[obj].pad;
    if (m == 0 || m >= ARENA_MAX_OBJS) {
        return -1;
    }
    return sched_block_mutex(a, m);
}

/* Taking a global interpreter lock (event.h, EV_GIL_ACQUIRE): it waits for
 * the holder only once a drop request is out (the variable whose index is
 * the object's pad; a pad of 0 means the lock takes no requests, like a
 * mutex); before that, a step is a switch interval that passes. */
static int sched_block_gil(const Arena *a, uint32_t obj)
{
    int64_t owner = atomic_load(&a->objs[obj].value);
    uint32_t req = a->objs[obj].pad;

    if (owner < 0) {
        return -1;
    }
    if (req != 0 && req < ARENA_MAX_OBJS && atomic_load(&a->objs[req].value) == 0) {
        return -1;
    }
    return (int)owner;
}

/* Forced switching: a lane that dropped a global lock on request waits
 * until another lane took it; the taker changes its pending op. */
static int sched_block_gil_switch(const Arena *a, uint32_t obj)
{
    (void)a;
    (void)obj;
    return SCHED_NO_HOLDER;
}

/* The pipe of object obj, or NULL. */
static const ArenaPipe *sched_pipe(const Arena *a, uint32_t obj)
{
    uint32_t p = a->objs[obj].pad;
    if (a->objs[obj].kind != OBJ_PIPE || p >= atomic_load(&((Arena *)a)->npipes)) {
        return NULL;
    }
    return &a->pipes[p];
}

/* The one unfinished lane of set (a pipe's writers or readers), -1 when
 * none, SCHED_NO_HOLDER when several. */
static int sched_pipe_side(const Arena *a, const uint64_t set[2])
{
    int found = -1;
    for (unsigned l = 0; l < a->nlanes; l++) {
        uint32_t st = atomic_load(&((Arena *)a)->lanes[l].state);
        if (!arena_lane_in(set, l) || st == LANE_FINISHED || st == LANE_DIED) {
            continue;
        }
        if (found != -1) {
            return SCHED_NO_HOLDER;
        }
        found = (int)l;
    }
    return found == -1 ? SCHED_NO_HOLDER : found;
}

/* A read waits while the pipe is empty and none of its writers died. */
static int sched_block_pipe_read(const Arena *a, uint32_t obj)
{
    const ArenaPipe *p = sched_pipe(a, obj);
    if (p == NULL || atomic_load(&a->objs[obj].value) > 0 ||
        atomic_load(&((ArenaPipe *)p)->dead_writer) != 0) {
        return -1;
    }
    return sched_pipe_side(a, p->writers);
}

/* A write waits while the pipe is full. */
static int sched_block_pipe_write(const Arena *a, uint32_t obj)
{
    const ArenaPipe *p = sched_pipe(a, obj);
    if (p == NULL || atomic_load(&a->objs[obj].value) < (int64_t)p->capacity) {
        return -1;
    }
    return sched_pipe_side(a, p->readers);
}

/* A read-write lock's value: readers inside (>= 0) or -2 - the writer. */
static int sched_block_rw_read(const Arena *a, uint32_t obj)
{
    int64_t v = atomic_load(&a->objs[obj].value);
    return v <= -2 ? (int)(-2 - v) : -1;
}

static int sched_block_rw_write(const Arena *a, uint32_t obj)
{
    int64_t v = atomic_load(&a->objs[obj].value);
    if (v <= -2) {
        return (int)(-2 - v);
    }
    return v > 0 ? SCHED_NO_HOLDER : -1;
}

/* Asleep at a barrier or on an event, or waiting for a latch: blocked while
 * the object's value says so (a barrier's round not full, an event's flag
 * down, a latch's count above 0).  In step mode the lane that fills the
 * round or sets the event also turns the sleepers' pending op into
 * EV_BARRIER_PASS / EV_EVENT_WAKE, which never block. */
static int sched_block_positive(const Arena *a, uint32_t obj)
{
    return atomic_load(&a->objs[obj].value) > 0 ? SCHED_NO_HOLDER : -1;
}

static int sched_block_event(const Arena *a, uint32_t obj)
{
    return atomic_load(&a->objs[obj].value) == 0 ? SCHED_NO_HOLDER : -1;
}

/* A future (a task, a thread's handle) that is not done: the lane that
 * runs it, or no lane while nobody has picked it up. */
static int sched_block_future(const Arena *a, uint32_t obj)
{
    uint16_t by = a->objs[obj].pad;
    if (atomic_load(&a->objs[obj].value) >= FUT_DONE) {
        return -1;
    }
    return by > 0 && by <= a->nlanes ? (int)by - 1 : SCHED_NO_HOLDER;
}

/* A coroutine awaits (obj is its OBJ_AWAIT): it can go on once its loop
 * marked the await done; until then it waits for the lane of the task it
 * awaits, or for no lane (a timer, a descriptor, an event). */
static int sched_block_await(const Arena *a, uint32_t obj)
{
    uint32_t what = a->objs[obj].pad;
    if (atomic_load(&a->objs[obj].value) != 0) {
        return -1;
    }
    if (what > 0 && what < ARENA_MAX_OBJS && a->objs[what].kind == OBJ_FUTURE) {
        int b = sched_block_future(a, what);
        return b != -1 ? b : SCHED_NO_HOLDER;
    }
    return SCHED_NO_HOLDER;
}

/* A work queue: an item, or the queue shut down, lets a taker go on. */
static int sched_block_queue(const Arena *a, uint32_t obj)
{
    return atomic_load(&a->objs[obj].value) > 0 || a->objs[obj].pad != 0 ? -1 : SCHED_NO_HOLDER;
}

/* An event loop waits for a timer or a descriptor: with none left to wait
 * for (the select label's value), nothing will ever wake it. */
static int sched_block_select(const Arena *a, uint32_t obj)
{
    return atomic_load(&a->objs[obj].value) > 0 ? -1 : SCHED_NO_HOLDER;
}

static const struct {
    uint32_t op;
    int (*blocker)(const Arena *a, uint32_t obj);
    const char *what;  /* for "blocked on mutex m" */
    const char *waits; /* a refusal, before the object's name: "lane B waits for the GIL held
                        * by A"; NULL = "is blocked on <what>" */
    const char *alone; /* after the object's name when no lane holds it; NULL = its count */
} sched_blockers[] = {
    {EV_LOCK_ACQUIRE, sched_block_mutex, "mutex", NULL, NULL},
    {EV_SEM_ACQUIRE, sched_block_sem, "semaphore", NULL, NULL},
    {EV_COND_SLEEP, sched_block_cond_sleep, "cond", NULL, NULL},
    {EV_COND_WAKE, sched_block_cond_woken, "mutex", NULL, NULL},
    {EV_COND_SPURIOUS, sched_block_cond_woken, "mutex", NULL, NULL},
    {EV_GIL_ACQUIRE, sched_block_gil, "global lock", "waits for the", NULL},
    {EV_GIL_SWITCH_WAIT, sched_block_gil_switch, "global lock",
     "waits until another lane takes the", " (forced switching)"},
    {EV_PIPE_READ, sched_block_pipe_read, "pipe", NULL, NULL},
    {EV_PIPE_WRITE, sched_block_pipe_write, "pipe", NULL, NULL},
    /* the holder re-enters with EV_RLOCK_REENTER, which has no row */
    {EV_RLOCK_ACQUIRE, sched_block_mutex, "rlock", NULL, NULL},
    {EV_RW_READ, sched_block_rw_read, "rwlock", NULL, NULL},
    {EV_RW_WRITE, sched_block_rw_write, "rwlock", NULL, NULL},
    {EV_BARRIER_SLEEP, sched_block_positive, "barrier", NULL, NULL},
    {EV_LATCH_WAIT, sched_block_positive, "latch", NULL, NULL},
    {EV_EVENT_SLEEP, sched_block_event, "event", NULL, NULL},
    {EV_AWAIT_SLEEP, sched_block_await, "timer", NULL, NULL},
    {EV_AWAIT_IO, sched_block_await, "descriptor", NULL, NULL},
    {EV_AWAIT_TASK, sched_block_await, "task", NULL, NULL},
    {EV_AWAIT_EVENT, sched_block_await, "event", NULL, NULL},
    {EV_CO_START, sched_block_await, "turn", NULL, NULL},
    {EV_LOOP_POLL, sched_block_select, "event loop", NULL, NULL},
    {EV_FUT_WAIT, sched_block_future, "future", NULL, NULL},
    {EV_QUEUE_TAKE, sched_block_queue, "work queue", NULL, NULL},
};

bool sched_op_blocks(uint32_t op)
{
    for (size_t i = 0; i < ARRAY_SIZE(sched_blockers); i++) {
        if (sched_blockers[i].op == op) {
            return true;
        }
    }
    return false;
}

int sched_op_blocker(const Arena *arena, uint32_t op, uint32_t obj)
{
    if (obj == 0 || obj >= ARENA_MAX_OBJS) {
        return -1;
    }
    for (size_t i = 0; i < ARRAY_SIZE(sched_blockers); i++) {
        if (sched_blockers[i].op == op) {
            return sched_blockers[i].blocker(arena, obj);
        }
    }
    return -1;
}

static const char *sched_blocker_what(uint32_t op)
{
    for (size_t i = 0; i < ARRAY_SIZE(sched_blockers); i++) {
        if (sched_blockers[i].op == op) {
            return sched_blockers[i].what;
        }
    }
    return "object";
}

/* The index of op's row in sched_blockers, or -1. */
static int sched_blocker_row(uint32_t op)
{
    for (size_t i = 0; i < ARRAY_SIZE(sched_blockers); i++) {
        if (sched_blockers[i].op == op) {
            return (int)i;
        }
    }
    return -1;
}

/* What stops lane (see sched_op_blocker): -1 = nothing, a lane, or
 * SCHED_NO_HOLDER.  A lane waiting for a mutex it holds itself waits for
 * itself.  Caller holds mu. */
static int sched_blocker(Sched *s, unsigned lane)
{
    ArenaLane *slot = &s->arena->lanes[lane];
    return sched_op_blocker(s->arena, atomic_load(&slot->op), atomic_load(&slot->op_obj));
}

static bool sched_runnable_locked(Sched *s, unsigned lane)
{
    uint32_t st = atomic_load(&s->arena->lanes[lane].state);
    if (s->lanes[lane].hosting || st == LANE_NEW) {
        /* a host moves with its guests; a guest not created yet cannot */
        return false;
    }
    return !sched_ended(st) && sched_blocker(s, lane) == -1;
}

bool sched_runnable(Sched *sched, unsigned lane)
{
    bool r;
    sched_lock(sched);
    r = lane < sched->nlanes && sched_runnable_locked(sched, lane);
    sched_unlock(sched);
    return r;
}

/* Refresh READY/BLOCKED and blocked_by in the slots.  Caller holds mu. */
static void sched_refresh_locked(Sched *s)
{
    for (unsigned i = 0; i < s->nlanes; i++) {
        ArenaLane *slot = &s->arena->lanes[i];
        uint32_t st = atomic_load(&slot->state);
        if (s->lanes[i].hosting) {
            continue; /* parked in sched_host_wait: BLOCKED until a guest moves */
        }
        if (st == LANE_READY || st == LANE_BLOCKED) {
            int b = sched_blocker(s, i);
            atomic_store(&slot->state, b != -1 ? LANE_BLOCKED : LANE_READY);
            atomic_store(&slot->blocked_by, b >= 0 ? b : -1);
        } else {
            atomic_store(&slot->blocked_by, -1);
        }
    }
}

static bool sched_quiescent_locked(Sched *s)
{
    for (unsigned i = 0; i < s->nlanes; i++) {
        uint32_t st = atomic_load(&s->arena->lanes[i].state);
        if ((st == LANE_NEW && !s->lanes[i].guest) || st == LANE_RUNNING) {
            return false;
        }
    }
    return true;
}

int sched_wait_quiescent(Sched *sched)
{
    int rc;
    sched_lock(sched);
    while (!sched_quiescent_locked(sched) && sched->dead == 0) {
        sched_wait(sched, &sched->ctl_cv);
    }
    sched_refresh_locked(sched);
    rc = sched->dead > 0 ? -IL_ECRASH : 0;
    sched_unlock(sched);
    return rc;
}

const char *sched_holder_phrase(uint32_t op)
{
    return op == EV_PIPE_READ ? "written by" : op == EV_PIPE_WRITE ? "read by" : "held by";
}

void sched_describe_op(const Arena *arena, uint32_t op, uint32_t obj, char *buf, size_t len)
{
    const char *name = arena_obj_name(arena, obj);
    switch (op) {
    case EV_NONE:
        snprintf(buf, len, "-");
        break;
    case EV_COMPUTE:
        snprintf(buf, len, "%s", name[0] != '\0' ? name : "compute");
        break;
    case EV_ATOMIC_ADD:
        snprintf(buf, len, "atomic add %s", name);
        break;
    case EV_SEM_ACQUIRE:
        snprintf(buf, len, "sem_wait %s", name);
        break;
    case EV_COND_WAIT:
        snprintf(buf, len, "wait %s", name);
        break;
    case EV_COND_SLEEP:
        snprintf(buf, len, "asleep on %s", name);
        break;
    case EV_COND_WAKE:
    case EV_COND_SPURIOUS: {
        uint32_t m = obj < ARENA_MAX_OBJS ? arena->objs[obj].pad : 0;
        snprintf(buf, len, "%s %s, relock %s",
                 op == EV_COND_WAKE ? "woken on" : "spurious wakeup on", name,
                 arena_obj_name(arena, m));
        break;
    }
    case EV_COND_SIGNAL:
        snprintf(buf, len, "signal %s", name);
        break;
    case EV_COND_BROADCAST:
        snprintf(buf, len, "broadcast %s", name);
        break;
    case EV_AWAIT_SLEEP:
    case EV_AWAIT_IO:
    case EV_AWAIT_TASK:
    case EV_AWAIT_EVENT: {
        /* obj is the lane's await: say what it awaits */
        uint32_t w = obj < ARENA_MAX_OBJS ? arena->objs[obj].pad : 0;
        snprintf(buf, len, "await %s%s%s", op == EV_AWAIT_TASK ? "task " : "",
                 op == EV_AWAIT_IO ? "I/O on " : "", arena_obj_name(arena, w));
        break;
    }
    case EV_CO_START:
        snprintf(buf, len, "start (its first turn)");
        break;
    case EV_LOOP_POLL:
        snprintf(buf, len, "event loop: runs its coroutines");
        break;
    case EV_FUT_WAIT:
        snprintf(buf, len, "wait for %s", name);
        break;
    case EV_QUEUE_TAKE:
        snprintf(buf, len, "take from %s", name);
        break;
    case EV_GIL_ACQUIRE:
        snprintf(buf, len, "take %s", name);
        break;
    case EV_GIL_RELEASE:
        snprintf(buf, len, "drop %s", name);
        break;
    case EV_GIL_SWITCH_WAIT:
        snprintf(buf, len, "wait until another lane takes %s", name);
        break;
    case EV_GIL_SWITCHED:
        snprintf(buf, len, "%s taken by another lane: go on", name);
        break;
    case EV_IO_END:
        snprintf(buf, len, "I/O on %s completes", name);
        break;
    case EV_PIPE_READ:
        snprintf(buf, len, "read pipe %s", name);
        break;
    case EV_PIPE_WRITE:
        snprintf(buf, len, "write pipe %s", name);
        break;
    case EV_REAP:
        snprintf(buf, len, "reap a dead child");
        break;
    default:
        snprintf(buf, len, "%s %s", event_kind_name(op), name);
        break;
    }
}

void sched_why_blocked(const Arena *arena, unsigned lane, char *buf, size_t len)
{
    char me[LANE_NAME_MAX], other[LANE_NAME_MAX];
    const ArenaLane *slot = &arena->lanes[lane];
    const char *obj;
    uint32_t op;
    int b, row;

    lane_name(lane, me);
    if (atomic_load(&slot->state) == LANE_FINISHED) {
        snprintf(buf, len, "lane %s has finished", me);
        return;
    }
    if (atomic_load(&slot->state) == LANE_DIED) {
        snprintf(buf, len, "lane %s has died", me);
        return;
    }
    b = sched_op_blocker(arena, atomic_load(&slot->op), atomic_load(&slot->op_obj));
    op = atomic_load(&slot->op);
    obj = arena_obj_name(arena, atomic_load(&slot->op_obj));
    if (op == EV_COND_SLEEP) {
        snprintf(buf, len, "lane %s is asleep on cond %s (not signalled)", me, obj);
        return;
    }
    if (atomic_load(&slot->state) == LANE_NEW && slot->kind == LANE_KIND_COROUTINE) {
        snprintf(buf, len, "lane %s is a coroutine that has not been created yet", me);
        return;
    }
    if (op >= EV_AWAIT_SLEEP && op <= EV_AWAIT_EVENT) {
        uint32_t w = arena->objs[atomic_load(&slot->op_obj)].pad;
        static const char *const why[] = {"its timer is not due", "not ready", "not done",
                                          "not set"};
        if (b >= 0) {
            lane_name((unsigned)b, other);
            snprintf(buf, len, "lane %s awaits task %s (run by %s, not done)", me,
                     arena_obj_name(arena, w), other);
        } else {
            snprintf(buf, len, "lane %s awaits %s%s (%s)", me, op == EV_AWAIT_IO ? "I/O on " : "",
                     arena_obj_name(arena, w), why[op - EV_AWAIT_SLEEP]);
        }
        return;
    }
    if (op == EV_FUT_WAIT) {
        if (b >= 0) {
            lane_name((unsigned)b, other);
            snprintf(buf, len, "lane %s waits for %s (%s runs it)", me, obj, other);
        } else {
            snprintf(buf, len, "lane %s waits for %s (nobody runs it yet)", me, obj);
        }
        return;
    }
    if (op == EV_QUEUE_TAKE) {
        snprintf(buf, len, "lane %s waits for an item of %s (empty)", me, obj);
        return;
    }
    if (op == EV_COND_WAKE || op == EV_COND_SPURIOUS) {
        uint32_t m = arena->objs[atomic_load(&slot->op_obj)].pad;
        lane_name((unsigned)(b < 0 ? 0 : b), other);
        snprintf(buf, len, "lane %s was woken on cond %s and is blocked on mutex %s held by %s%s",
                 me, obj, arena_obj_name(arena, m), (unsigned)b == lane ? "itself " : "",
                 (unsigned)b == lane ? "" : other);
        return;
    }
    if (op == EV_PIPE_READ || op == EV_PIPE_WRITE) {
        bool rd = op == EV_PIPE_READ;
        if (b >= 0) {
            lane_name((unsigned)b, other);
        }
        snprintf(buf, len, "lane %s is blocked %s pipe %s: it is %s%s%s%s", me,
                 rd ? "reading" : "writing", obj, rd ? "empty" : "full",
                 b >= 0 ? (rd ? " and only " : " and only ") : "", b >= 0 ? other : "",
                 b >= 0 ? (rd ? " writes to it" : " reads it") : "");
        return;
    }
    row = sched_blocker_row(op);
    if (row >= 0 && sched_blockers[row].waits != NULL) {
        lane_name((unsigned)(b < 0 ? 0 : b), other);
        if (b == SCHED_NO_HOLDER) {
            snprintf(buf, len, "lane %s %s %s%s", me, sched_blockers[row].waits, obj,
                     sched_blockers[row].alone != NULL ? sched_blockers[row].alone : "");
        } else {
            snprintf(buf, len, "lane %s %s %s held by %s", me, sched_blockers[row].waits, obj,
                     other);
        }
        return;
    }
    if (b == SCHED_NO_HOLDER) {
        snprintf(buf, len, "lane %s is blocked on %s %s (count %lld)", me, sched_blocker_what(op),
                 obj, (long long)atomic_load(&arena->objs[atomic_load(&slot->op_obj)].value));
        return;
    }
    lane_name((unsigned)(b < 0 ? 0 : b), other);
    snprintf(buf, len, "lane %s is blocked on %s %s held by %s%s", me, sched_blocker_what(op), obj,
             (unsigned)b == lane ? "itself " : "", (unsigned)b == lane ? "" : other);
}

/* Why lane cannot take a step, into buf.  Caller holds mu. */
static void sched_why_not(Sched *s, unsigned lane, char *buf, size_t len)
{
    if (s->lanes[lane].hosting && !sched_ended(atomic_load(&s->arena->lanes[lane].state))) {
        char me[LANE_NAME_MAX];
        lane_name(lane, me);
        snprintf(buf, len, "lane %s runs the event loop: it moves when one of its coroutines does",
                 me);
        return;
    }
    sched_why_blocked(s->arena, lane, buf, len);
}

/* Count a step for lane and mark it running: the grant word is set by
 * sched_wake_lane(), or not at all when the lane whose step ended goes on
 * by itself.  Caller holds mu (the controller, or the lane whose step
 * ended); lane is runnable. */
static void sched_begin_step_locked(Sched *s, unsigned lane)
{
    ArenaLane *slot = &s->arena->lanes[lane];

    s->steps++;
    atomic_store(&s->arena->step, s->steps);
    atomic_store(&slot->steps, atomic_load(&slot->steps) + 1);
    atomic_store(&slot->state, LANE_RUNNING);
    s->lanes[lane].holds = true;
}

/* The error for a step that ended with a dead lane. */
static int sched_died_error(Sched *s, IlError *err)
{
    char name[LANE_NAME_MAX];
    lane_name((unsigned)(s->first_dead >= 0 ? s->first_dead : 0), name);
    return il_error_set(err, -IL_ECRASH, "lane %s died", name);
}

/* A spurious wakeup of lane: asleep on a cond, it becomes woken (it then
 * needs the mutex back).  No step is taken.  Returns 0, or -1 when the lane
 * is not asleep on a cond.  Caller holds mu; the lanes are parked. */
static int sched_spurious_locked(Sched *s, unsigned lane)
{
    ArenaLane *slot = &s->arena->lanes[lane];
    uint32_t obj = atomic_load(&slot->op_obj);

    if (sched_ended(atomic_load(&slot->state)) || atomic_load(&slot->op) != EV_COND_SLEEP ||
        obj == 0 || obj >= ARENA_MAX_OBJS) {
        return -1;
    }
    atomic_store(&slot->op, EV_COND_SPURIOUS);
    atomic_fetch_sub(&s->arena->objs[obj].value, 1); /* one sleeper fewer not yet woken */
    sched_refresh_locked(s);
    return 0;
}

/* Every lane finished, or died in a way the demo handles (a death not
 * handled is no finish).  Caller holds mu. */
static bool sched_all_finished_locked(Sched *s)
{
    for (unsigned i = 0; i < s->nlanes; i++) {
        if (!s->lanes[i].daemon && !sched_ended(atomic_load(&s->arena->lanes[i].state))) {
            return false;
        }
    }
    return s->dead == 0;
}

static bool sched_any_runnable_locked(Sched *s)
{
    for (unsigned i = 0; i < s->nlanes; i++) {
        if (sched_runnable_locked(s, i)) {
            return true;
        }
    }
    return false;
}

/* The round-robin rule: the next runnable lane at or after the cursor,
 * which moves past it; -1 when none is runnable.  Caller holds mu. */
static int sched_rr_locked(Sched *s)
{
    for (unsigned k = 0; k < s->nlanes; k++) {
        unsigned i = (s->rr + k) % s->nlanes;
        if (sched_runnable_locked(s, i)) {
            s->rr = (i + 1) % s->nlanes;
            return (int)i;
        }
    }
    return -1;
}

/* True when the lanes made no progress in the last livelock_steps steps
 * of a plan with the livelock rule (and not every lane has finished);
 * sets plan.span.  The watch persists from plan to plan.  Caller holds mu. */
static bool sched_livelocked_locked(Sched *s)
{
    SchedPlan *p = &s->plan;
    uint64_t total = 0;

    if (p->livelock_steps == 0) {
        return false;
    }
    for (unsigned i = 0; i < s->nlanes; i++) {
        total += atomic_load(&s->arena->lanes[i].progress);
    }
    if (total != s->ll_total) {
        s->ll_total = total;
        s->ll_since = s->steps;
        return false;
    }
    if (s->steps - s->ll_since < p->livelock_steps || sched_all_finished_locked(s)) {
        return false;
    }
    p->span = s->steps - s->ll_since;
    return true;
}

static int sched_plan_stop(Sched *s, int stop)
{
    s->plan.stop = stop;
    return -1;
}

/* Refuse the plan's token: plan.why says why.  Returns -1. */
static int sched_plan_refuse(Sched *s, const char *fmt, ...) ATTR_FORMAT(printf, 2, 3);

static int sched_plan_refuse(Sched *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->plan.why, sizeof(s->plan.why), fmt, ap);
    va_end(ap);
    return sched_plan_stop(s, SCHED_STOP_REFUSED + 1);
}

/*
 * The plan's next grant, decided by whoever holds the run: the lane whose
 * step just ended (or finished it), or the controller starting a plan.
 * Takes the tokens in order: a token of steps grants its lane one step at
 * a time and is refused at a step its lane cannot take; `A*` grants its
 * lane while it can move; `~A` wakes a sleeper and takes no step.  Before
 * a token (with plan.checks) the plan stops when every lane has finished
 * or none can move; after one, and after each round-robin step, when the
 * livelock rule says so.  After the tokens, round-robin (with
 * plan.round_robin) until no lane can move.  Exactly the rules the
 * controller applied when it granted every step itself, in the same order.
 * Returns the lane to grant (which may be the lane whose step ended), or
 * -1 once the plan stopped (plan.stop says why).  Caller holds mu, and no
 * lane runs.
 */
static int sched_plan_next_locked(Sched *s)
{
    SchedPlan *p = &s->plan;
    char why[256], name[LANE_NAME_MAX];

    if (p->stop != SCHED_PLAN_GOING) {
        return -1;
    }
    if (s->dead > 0) {
        return sched_plan_stop(s, SCHED_STOP_CRASH + 1);
    }
    for (;;) {
        const SchedToken *t;
        if (p->in_tok) {
            t = &p->win[p->at - p->base];
            if (t->kind == TOK_RUN) {
                if (sched_runnable_locked(s, t->lane)) {
                    return t->lane;
                }
            } else if (p->done < t->count) {
                if (!sched_runnable_locked(s, t->lane)) {
                    sched_why_not(s, t->lane, why, sizeof(why));
                    if (t->count > 1) {
                        return sched_plan_refuse(s, "step %u of %u: %s", p->done + 1, t->count,
                                                 why);
                    }
                    return sched_plan_refuse(s, "%s", why);
                }
                p->done++;
                return t->lane;
            }
            /* the token is taken */
            p->in_tok = false;
            p->at++;
            if (sched_livelocked_locked(s)) {
                return sched_plan_stop(s, SCHED_STOP_LIVELOCK + 1);
            }
        }
        if (p->rr_step) {
            p->rr_step = false;
            if (sched_livelocked_locked(s)) {
                return sched_plan_stop(s, SCHED_STOP_LIVELOCK + 1);
            }
        }
        if (p->at >= p->n) {
            /* every lane but the daemons finished: the daemons are cut off */
            int lane = p->round_robin && !sched_all_finished_locked(s) ? sched_rr_locked(s) : -1;
            if (lane < 0) {
                return sched_plan_stop(s, SCHED_STOP_END + 1);
            }
            p->rr_step = true;
            return lane;
        }
        if (p->at >= p->base + p->nwin) {
            return sched_plan_stop(s, SCHED_PLAN_WINDOW_END);
        }
        t = &p->win[p->at - p->base];
        /* a spurious wakeup needs no runnable lane: it may be what makes one;
         * once every lane finished, a token left over is refused below like
         * any step for a finished lane ("lane A has finished") */
        if (p->checks && t->kind != TOK_SPURIOUS && !sched_any_runnable_locked(s) &&
            !sched_all_finished_locked(s)) {
            return sched_plan_stop(s, SCHED_STOP_STUCK + 1);
        }
        if (t->lane >= s->nlanes) {
            lane_name(s->nlanes - 1, name);
            return sched_plan_refuse(s, "no such lane (this run has A..%s)", name);
        }
        if (t->kind == TOK_SPURIOUS) {
            if (sched_spurious_locked(s, t->lane) < 0) {
                lane_name(t->lane, name);
                return sched_plan_refuse(s, "lane %s is not asleep on a condition variable", name);
            }
            p->at++;
            if (sched_livelocked_locked(s)) {
                return sched_plan_stop(s, SCHED_STOP_LIVELOCK + 1);
            }
            continue;
        }
        if (t->kind == TOK_RUN && !sched_runnable_locked(s, t->lane)) {
            sched_why_not(s, t->lane, why, sizeof(why));
            return sched_plan_refuse(s, "%s", why);
        }
        p->in_tok = true;
        p->done = 0;
    }
}

static bool sched_any_running_locked(Sched *s)
{
    for (unsigned i = 0; i < s->nlanes; i++) {
        if (atomic_load(&s->arena->lanes[i].state) == LANE_RUNNING) {
            return true;
        }
    }
    return false;
}

int sched_run(Sched *sched, const SchedToken *tok, size_t n, const SchedRunOpts *opts,
              SchedOutcome *out, IlError *err)
{
    SchedPlan *p = &sched->plan;
    int rc = 0;

    sched_lock(sched);
    p->n = n;
    p->at = 0;
    p->in_tok = false;
    p->rr_step = false;
    p->round_robin = opts->round_robin;
    p->checks = opts->checks;
    p->livelock_steps = opts->livelock_steps;
    p->span = 0;
    p->why[0] = '\0';
    do {
        int lane;
        p->base = p->at;
        p->nwin = n - p->at < SCHED_PLAN_WINDOW ? n - p->at : SCHED_PLAN_WINDOW;
        if (p->nwin > 0) {
            memcpy(p->win, &tok[p->at], p->nwin * sizeof(*tok));
        }
        p->stop = SCHED_PLAN_GOING;
        lane = sched_plan_next_locked(sched);
        if (lane >= 0) {
            sched_begin_step_locked(sched, (unsigned)lane);
            sched_wake_lane(sched, (unsigned)lane);
            /* the lanes hand the steps on among themselves until the plan
             * stops; a lane that dies on its step leaves RUNNING for DIED */
            while (p->stop == SCHED_PLAN_GOING &&
                   (sched->dead == 0 || sched_any_running_locked(sched))) {
                sched_wait(sched, &sched->ctl_cv);
            }
            if (p->stop == SCHED_PLAN_GOING) {
                p->stop = SCHED_STOP_CRASH + 1;
            }
        }
    } while (p->stop == SCHED_PLAN_WINDOW_END);
    sched_refresh_locked(sched);
    out->stop = (SchedStop)(p->stop - 1);
    out->at = p->at;
    out->span = p->span;
    if (out->stop == SCHED_STOP_REFUSED) {
        rc = il_error_set(err, -IL_ESCHEDULE, "%s", p->why);
    } else if (out->stop == SCHED_STOP_CRASH) {
        rc = sched_died_error(sched, err);
    }
    sched_unlock(sched);
    return rc;
}

int sched_grant(Sched *sched, const SchedToken *tok, IlError *err)
{
    SchedRunOpts opts = {false, false, 0};
    SchedOutcome out;
    return sched_run(sched, tok, 1, &opts, &out, err);
}

int sched_step(Sched *sched, unsigned lane, IlError *err)
{
    SchedToken tok = {(uint16_t)lane, TOK_STEPS, 1, 0};
    if (lane >= sched->nlanes) {
        return il_error_set(err, -IL_ESCHEDULE, "no such lane");
    }
    return sched_grant(sched, &tok, err);
}

int sched_next_round_robin(Sched *sched)
{
    int pick;
    sched_lock(sched);
    pick = sched_rr_locked(sched);
    sched_unlock(sched);
    return pick;
}

uint32_t sched_runnable_mask(Sched *sched, bool *all_finished)
{
    uint32_t mask = 0;
    bool all = true;
    sched_lock(sched);
    for (unsigned i = 0; i < sched->nlanes; i++) {
        /* with no unhandled death, a dead lane's death was handled: ended */
        all = all && sched_ended(atomic_load(&sched->arena->lanes[i].state));
        if (i < 32 && sched_runnable_locked(sched, i)) {
            mask |= 1u << i;
        }
    }
    all = all && sched->dead == 0;
    sched_unlock(sched);
    if (all_finished != NULL) {
        *all_finished = all;
    }
    return mask;
}

bool sched_all_finished(Sched *sched)
{
    bool all;
    sched_lock(sched);
    all = sched_all_finished_locked(sched);
    sched_unlock(sched);
    return all;
}

uint64_t sched_steps(const Sched *sched)
{
    return sched->steps;
}

bool sched_op_awaits(uint32_t op)
{
    switch (op) {
    case EV_AWAIT_SLEEP:
    case EV_AWAIT_IO:
    case EV_AWAIT_TASK:
    case EV_AWAIT_EVENT:
    case EV_CO_START:
    case EV_FUT_WAIT:
    case EV_QUEUE_TAKE:
    case EV_LOOP_POLL:
        return true;
    default:
        return false;
    }
}

LaneCtx *sched_ctx_of(Sched *sched, unsigned lane)
{
    return &sched->lanes[lane].ctx;
}

SchedMode sched_mode(const Sched *sched)
{
    return sched->mode;
}

void sched_set_daemon(Sched *sched, unsigned lane)
{
    if (lane < sched->nlanes) {
        sched->lanes[lane].daemon = true;
        sched->daemons = true;
    }
}

bool sched_has_daemons(const Sched *sched)
{
    return sched->daemons;
}

void sched_host_adopt(Sched *sched)
{
    unsigned host = sched_self->lane;

    sched_lock(sched);
    sched->lanes[host].hosting = true;
    for (unsigned i = 0; i < sched->nlanes; i++) {
        if (sched->lanes[i].guest) {
            sched->lanes[i].host = (int)host;
        }
    }
    sched_unlock(sched);
}

void sched_guest_spawn(Sched *sched, unsigned lane, uint32_t await_obj)
{
    LaneCtx *c = &sched->lanes[lane].ctx;
    uint64_t t = arena_time(sched->arena);

    sched_record_for(c, t, EV_LANE_START, 0, 0);
    sched_record_for(c, t, EV_CO_READY, 0, 0);
    sched_lock(sched);
    atomic_store(&c->slot->op, EV_CO_START);
    atomic_store(&c->slot->op_obj, await_obj);
    atomic_store(&c->slot->state, LANE_READY);
    sched_unlock(sched);
}

void sched_guest_abandon(Sched *sched, unsigned lane)
{
    ArenaLane *slot = &sched->arena->lanes[lane];

    sched_lock(sched);
    atomic_store(&slot->op, EV_NONE);
    atomic_store(&slot->op_obj, 0);
    atomic_store(&slot->state, LANE_FINISHED);
    sched_signal(sched, &sched->ctl_cv, true);
    sched_unlock(sched);
}

unsigned sched_host_wait(Sched *sched, int prev)
{
    unsigned host = sched_self->lane;
    SchedLane *h = &sched->lanes[host];
    ArenaLane *hslot = &sched->arena->lanes[host];
    int next = -1;

    sched_lock(sched);
    if (prev >= 0 && atomic_load(&sched->arena->lanes[prev].state) == LANE_RUNNING) {
        atomic_store(&sched->arena->lanes[prev].state, LANE_READY);
    }
    atomic_store(&hslot->state, LANE_BLOCKED);
    if (atomic_load(&sched->aborting)) {
        sched_abort_lane(sched, sched_self);
    }
    if (h->running >= 0) {
        /* a guest's step ends here, the host's bookkeeping done: pick the
         * next grant, as a lane whose step ends does (sched_point_slow) */
        sched->lanes[h->running].holds = false;
        h->running = -1;
        next = sched_plan_next_locked(sched);
        if (next >= 0 && sched->lanes[next].guest && sched->lanes[next].host == (int)host) {
            /* another guest of this loop: no hand-off at all */
            sched_begin_step_locked(sched, (unsigned)next);
            h->running = next;
            atomic_store(&hslot->state, LANE_RUNNING);
            sched_unlock(sched);
            return (unsigned)next;
        }
        if (next >= 0) {
            sched_begin_step_locked(sched, (unsigned)next);
        } else {
            sched_signal(sched, &sched->ctl_cv, true); /* the plan stopped */
        }
    } else {
        /* the host's first park: the controller waits for every lane */
        sched_signal(sched, &sched->ctl_cv, true);
    }
    sched_unlock(sched);
    if (next >= 0) {
        sched_wake_lane(sched, (unsigned)next);
    }
    for (;;) {
        /* a grant to one of the guests wakes the host (sched_wake_lane) */
        sched_await_grant(sched, h);
        sched_check_abort(sched, sched_self);
        sched_lock(sched);
        for (unsigned i = 0; i < sched->nlanes; i++) {
            if (sched->lanes[i].guest && sched->lanes[i].host == (int)host &&
                sched->lanes[i].holds) {
                h->running = (int)i;
                atomic_store(&hslot->state, LANE_RUNNING);
                sched_unlock(sched);
                return i;
            }
        }
        sched_unlock(sched);
    }
}
