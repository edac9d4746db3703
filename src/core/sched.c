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
 * and the controller waits for that to end before it grants another step,
 * so at most one lane runs at any moment.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

_Thread_local LaneCtx *sched_self;
_Thread_local jmp_buf *sched_abort_jump;

typedef struct SchedLane {
    LaneCtx ctx;
    pthread_cond_t cv; /* the lane waits here for a grant */
    bool grant;        /* GUARDED_BY(Sched.mu) */
} SchedLane;

struct Sched {
    Arena *arena;          /* immutable */
    SchedMode mode;        /* immutable */
    unsigned nlanes;       /* immutable */
    uint32_t pace_us;      /* immutable */
    bool pshared;          /* immutable: process-shared (the run has process lanes) */
    pthread_mutex_t mu;    /* guards lane states, grants, the gate count, the dead */
    pthread_cond_t ctl_cv; /* the controller waits here */
    unsigned arrived;      /* GUARDED_BY(mu): lanes waiting at the start gate */
    _Atomic uint32_t go;   /* the start gate is open (a futex word) */
    unsigned dead;         /* GUARDED_BY(mu): lanes that died (LANE_DIED), not handled */
    int first_dead;        /* GUARDED_BY(mu): the first of them, -1 = none */
    unsigned handled_dead; /* GUARDED_BY(mu): lanes that died, handled by the demo */
    SchedReapFn reap_fn;   /* immutable after start: the sandbox's reaper, NULL = none */
    void *reap_arg;
    pid_t sandbox;  /* immutable: the process whose lanes may reap */
    bool aborting;  /* GUARDED_BY(mu): sched_abort() was called */
    unsigned rr;    /* round-robin cursor; controller only */
    uint64_t steps; /* steps granted; controller only */
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
    for (unsigned i = 0; i < s->nlanes && rc == 0; i++) {
        rc = pthread_cond_init(&s->lanes[i].cv, &ca);
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
    }
    return s;
}

void sched_free(Sched *sched)
{
    if (sched == NULL) {
        return;
    }
    /* every lane has ended: nothing waits on these any more */
    for (unsigned i = 0; i < sched->nlanes; i++) {
        (void)pthread_cond_destroy(&sched->lanes[i].cv);
    }
    (void)pthread_cond_destroy(&sched->ctl_cv);
    (void)pthread_mutex_destroy(&sched->mu);
}

/* The start gate's futex: process-private unless lanes are processes. */
static void sched_futex(Sched *s, int op, uint32_t val)
{
    (void)syscall(SYS_futex, (uint32_t *)&s->go, op | (s->pshared ? 0 : FUTEX_PRIVATE_FLAG), val,
                  NULL, NULL, 0);
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
    atomic_store_explicit(&a->started, 1u, memory_order_release);
    atomic_store_explicit(&sched->go, 1u, memory_order_release);
    sched_unlock(sched);
    sched_futex(sched, FUTEX_WAKE, INT_MAX);
    return 0;
}

void sched_lane_begin(Sched *sched, unsigned lane)
{
    LaneCtx *c = &sched->lanes[lane].ctx;
    sched_self = c;
    sched_lock(sched);
    atomic_store(&c->slot->state, LANE_RUNNING);
    sched_unlock(sched);
    sched_record(EV_LANE_START, 0, 0);
}

void sched_lane_end(void)
{
    LaneCtx *c = sched_self;
    Sched *s = c->sched;
    sched_record(EV_LANE_END, 0, (int64_t)atomic_load(&c->slot->ops));
    sched_lock(s);
    atomic_store(&c->slot->op, EV_NONE);
    atomic_store(&c->slot->op_obj, 0);
    atomic_store(&c->slot->state, LANE_FINISHED);
    sched_signal(s, &s->ctl_cv, true);
    sched_unlock(s);
    sched_self = NULL;
}

void sched_lane_died(Sched *sched, unsigned lane, bool handled)
{
    ArenaLane *slot = &sched->arena->lanes[lane];

    sched_lock(sched);
    if (atomic_load(&slot->state) != LANE_FINISHED && atomic_load(&slot->state) != LANE_DIED) {
        atomic_store(&slot->state, LANE_DIED);
        atomic_store(&slot->op, EV_NONE);
        atomic_store(&slot->op_obj, 0);
        if (handled) {
            sched->handled_dead++; /* it counts as ended: the run goes on */
        } else {
            sched->dead++;
            if (sched->first_dead < 0) {
                sched->first_dead = (int)lane;
            }
        }
        sched_signal(sched, &sched->ctl_cv, true);
    }
    sched_unlock(sched);
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
            all = sched_ended(atomic_load(&sched->arena->lanes[i].state));
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

void sched_point_slow(LaneCtx *ctx, uint32_t op, uint32_t obj)
{
    Sched *s = ctx->sched;
    SchedLane *l = &s->lanes[ctx->lane];

    atomic_store_explicit(&ctx->slot->op, op, memory_order_relaxed);
    atomic_store_explicit(&ctx->slot->op_obj, obj, memory_order_relaxed);
    if (s->mode == SCHED_FREE) {
        struct timespec ts = {(time_t)(s->pace_us / 1000000u),
                              (long)(s->pace_us % 1000000u) * 1000L};
        nanosleep(&ts, NULL);
        return;
    }
    sched_lock(s);
    atomic_store(&ctx->slot->state, LANE_READY);
    sched_signal(s, &s->ctl_cv, true);
    while (!l->grant && !s->aborting) {
        sched_wait(s, &l->cv);
    }
    if (s->aborting) {
        sched_abort_lane(s, ctx);
    }
    l->grant = false;
    sched_unlock(s);
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
    sched->aborting = true;
    for (unsigned i = 0; i < sched->nlanes; i++) {
        sched_signal(sched, &sched->lanes[i].cv, true);
    }
    sched_unlock(sched);
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

static const struct {
    uint32_t op;
    int (*blocker)(const Arena *a, uint32_t obj);
    const char *what; /* for "blocked on mutex m" */
} sched_blockers[] = {
    {EV_LOCK_ACQUIRE, sched_block_mutex, "mutex"},
    {EV_SEM_ACQUIRE, sched_block_sem, "semaphore"},
    {EV_COND_SLEEP, sched_block_cond_sleep, "cond"},
    {EV_COND_WAKE, sched_block_cond_woken, "mutex"},
    {EV_COND_SPURIOUS, sched_block_cond_woken, "mutex"},
    {EV_PIPE_READ, sched_block_pipe_read, "pipe"},
    {EV_PIPE_WRITE, sched_block_pipe_write, "pipe"},
    /* the holder re-enters with EV_RLOCK_REENTER, which has no row */
    {EV_RLOCK_ACQUIRE, sched_block_mutex, "rlock"},
    {EV_RW_READ, sched_block_rw_read, "rwlock"},
    {EV_RW_WRITE, sched_block_rw_write, "rwlock"},
    {EV_BARRIER_SLEEP, sched_block_positive, "barrier"},
    {EV_LATCH_WAIT, sched_block_positive, "latch"},
    {EV_EVENT_SLEEP, sched_block_event, "event"},
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
        if (st == LANE_NEW || st == LANE_RUNNING) {
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

/* Why lane cannot take a step, into buf.  Caller holds mu. */
static void sched_why_not(Sched *s, unsigned lane, char *buf, size_t len)
{
    char me[LANE_NAME_MAX], other[LANE_NAME_MAX];
    ArenaLane *slot = &s->arena->lanes[lane];
    const char *obj;
    uint32_t op;
    int b;

    lane_name(lane, me);
    if (atomic_load(&slot->state) == LANE_FINISHED) {
        snprintf(buf, len, "lane %s has finished", me);
        return;
    }
    if (atomic_load(&slot->state) == LANE_DIED) {
        snprintf(buf, len, "lane %s has died", me);
        return;
    }
    b = sched_blocker(s, lane);
    op = atomic_load(&slot->op);
    obj = arena_obj_name(s->arena, atomic_load(&slot->op_obj));
    if (op == EV_COND_SLEEP) {
        snprintf(buf, len, "lane %s is asleep on cond %s (not signalled)", me, obj);
        return;
    }
    if (op == EV_COND_WAKE || op == EV_COND_SPURIOUS) {
        uint32_t m = s->arena->objs[atomic_load(&slot->op_obj)].pad;
        lane_name((unsigned)(b < 0 ? 0 : b), other);
        snprintf(buf, len, "lane %s was woken on cond %s and is blocked on mutex %s held by %s%s",
                 me, obj, arena_obj_name(s->arena, m), (unsigned)b == lane ? "itself " : "",
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
    if (b == SCHED_NO_HOLDER) {
        snprintf(buf, len, "lane %s is blocked on %s %s (count %lld)", me, sched_blocker_what(op),
                 obj, (long long)atomic_load(&s->arena->objs[atomic_load(&slot->op_obj)].value));
        return;
    }
    lane_name((unsigned)(b < 0 ? 0 : b), other);
    snprintf(buf, len, "lane %s is blocked on %s %s held by %s%s", me, sched_blocker_what(op), obj,
             (unsigned)b == lane ? "itself " : "", (unsigned)b == lane ? "" : other);
}

/* Grant one step and wait until the lane parks again, finishes or dies.
 * Returns 0, or -IL_ECRASH when a lane of the run has died (this one or
 * another).  Caller holds mu and checked the lane is runnable. */
static int sched_step_locked(Sched *s, unsigned lane)
{
    SchedLane *l = &s->lanes[lane];
    ArenaLane *slot = &s->arena->lanes[lane];

    s->steps++;
    atomic_store(&s->arena->step, s->steps);
    atomic_store(&slot->steps, atomic_load(&slot->steps) + 1);
    atomic_store(&slot->state, LANE_RUNNING);
    l->grant = true;
    sched_signal(s, &l->cv, false);
    /* a lane that dies on its step leaves RUNNING for DIED (sched_lane_died) */
    while (atomic_load(&slot->state) == LANE_RUNNING) {
        sched_wait(s, &s->ctl_cv);
    }
    sched_refresh_locked(s);
    return s->dead > 0 ? -IL_ECRASH : 0;
}

/* The error for a step that ended with a dead lane. */
static int sched_died_error(Sched *s, IlError *err)
{
    char name[LANE_NAME_MAX];
    lane_name((unsigned)(s->first_dead >= 0 ? s->first_dead : 0), name);
    return il_error_set(err, -IL_ECRASH, "lane %s died", name);
}

int sched_step(Sched *sched, unsigned lane, IlError *err)
{
    int rc = 0;
    sched_lock(sched);
    if (lane >= sched->nlanes) {
        rc = il_error_set(err, -IL_ESCHEDULE, "no such lane");
    } else if (!sched_runnable_locked(sched, lane)) {
        char why[256];
        sched_why_not(sched, lane, why, sizeof(why));
        rc = il_error_set(err, -IL_ESCHEDULE, "%s", why);
    } else if (sched_step_locked(sched, lane) < 0) {
        rc = sched_died_error(sched, err);
    }
    sched_unlock(sched);
    return rc;
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

int sched_grant(Sched *sched, const SchedToken *tok, IlError *err)
{
    int rc = 0;

    sched_lock(sched);
    if (tok->lane >= sched->nlanes) {
        char last[LANE_NAME_MAX];
        lane_name(sched->nlanes - 1, last);
        rc = il_error_set(err, -IL_ESCHEDULE, "no such lane (this run has A..%s)", last);
    } else if (tok->kind == TOK_SPURIOUS) {
        rc = sched_spurious_locked(sched, tok->lane);
        if (rc < 0) {
            char me[LANE_NAME_MAX];
            lane_name(tok->lane, me);
            rc = il_error_set(err, -IL_ESCHEDULE, "lane %s is not asleep on a condition variable",
                              me);
        }
    } else if (tok->kind == TOK_RUN) {
        if (!sched_runnable_locked(sched, tok->lane)) {
            char why[256];
            sched_why_not(sched, tok->lane, why, sizeof(why));
            rc = il_error_set(err, -IL_ESCHEDULE, "%s", why);
        }
        while (rc == 0 && sched_runnable_locked(sched, tok->lane)) {
            if (sched_step_locked(sched, tok->lane) < 0) {
                rc = sched_died_error(sched, err);
            }
        }
    } else {
        for (uint32_t i = 0; i < tok->count; i++) {
            if (!sched_runnable_locked(sched, tok->lane)) {
                char why[256];
                sched_why_not(sched, tok->lane, why, sizeof(why));
                if (tok->count > 1) {
                    rc = il_error_set(err, -IL_ESCHEDULE, "step %u of %u: %s", i + 1, tok->count,
                                      why);
                } else {
                    rc = il_error_set(err, -IL_ESCHEDULE, "%s", why);
                }
                break;
            }
            if (sched_step_locked(sched, tok->lane) < 0) {
                rc = sched_died_error(sched, err);
                break;
            }
        }
    }
    sched_unlock(sched);
    return rc;
}

int sched_next_round_robin(Sched *sched)
{
    int pick = -1;
    sched_lock(sched);
    for (unsigned k = 0; k < sched->nlanes; k++) {
        unsigned i = (sched->rr + k) % sched->nlanes;
        if (sched_runnable_locked(sched, i)) {
            pick = (int)i;
            sched->rr = (i + 1) % sched->nlanes;
            break;
        }
    }
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
    bool all = true;
    sched_lock(sched);
    for (unsigned i = 0; i < sched->nlanes && all; i++) {
        all = sched_ended(atomic_load(&sched->arena->lanes[i].state));
    }
    all = all && sched->dead == 0; /* a death not handled is no finish */
    sched_unlock(sched);
    return all;
}

uint64_t sched_steps(const Sched *sched)
{
    return sched->steps;
}
