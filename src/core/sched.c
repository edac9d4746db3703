/*
 * sched.c - the step scheduler (see sched.h for the design).
 *
 * Each lane moves through these states, mirrored in its arena slot:
 *
 *   NEW --begin--> RUNNING --point--> READY/BLOCKED --grant--> RUNNING ...
 *                                                    \--end--> FINISHED
 *
 * In step mode a lane is RUNNING only between a grant and its next point,
 * and the controller waits for that to end before it grants another step,
 * so at most one lane runs at any moment.
 */
#include "config.h"

#include "core/sched.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

_Thread_local LaneCtx *sched_self;

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
    pthread_mutex_t mu;    /* guards lane states and grants */
    pthread_cond_t ctl_cv; /* the controller waits here */
    unsigned rr;           /* round-robin cursor; controller only */
    uint64_t steps;        /* steps granted; controller only */
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

Sched *sched_new(Arena *arena, SchedMode mode, unsigned nlanes, uint32_t pace_us)
{
    Sched *s = calloc(1, sizeof(*s) + nlanes * sizeof(SchedLane));
    if (s == NULL) {
        return NULL;
    }
    s->arena = arena;
    s->mode = mode;
    s->nlanes = nlanes;
    s->pace_us = pace_us;
    arena->stepping = mode != SCHED_FREE;
    if (pthread_mutex_init(&s->mu, NULL) != 0 || pthread_cond_init(&s->ctl_cv, NULL) != 0) {
        free(s);
        return NULL;
    }
    for (unsigned i = 0; i < nlanes; i++) {
        SchedLane *l = &s->lanes[i];
        if (pthread_cond_init(&l->cv, NULL) != 0) {
            free(s);
            return NULL;
        }
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
    for (unsigned i = 0; i < sched->nlanes; i++) {
        pthread_cond_destroy(&sched->lanes[i].cv);
    }
    pthread_cond_destroy(&sched->ctl_cv);
    pthread_mutex_destroy(&sched->mu);
    free(sched);
}

void sched_lane_begin(Sched *sched, unsigned lane)
{
    LaneCtx *c = &sched->lanes[lane].ctx;
    sched_self = c;
    pthread_mutex_lock(&sched->mu);
    atomic_store(&c->slot->state, LANE_RUNNING);
    pthread_mutex_unlock(&sched->mu);
    sched_record(EV_LANE_START, 0, 0);
}

void sched_lane_end(void)
{
    LaneCtx *c = sched_self;
    Sched *s = c->sched;
    sched_record(EV_LANE_END, 0, (int64_t)atomic_load(&c->slot->ops));
    pthread_mutex_lock(&s->mu);
    atomic_store(&c->slot->op, EV_NONE);
    atomic_store(&c->slot->op_obj, 0);
    atomic_store(&c->slot->state, LANE_FINISHED);
    pthread_cond_broadcast(&s->ctl_cv);
    pthread_mutex_unlock(&s->mu);
    sched_self = NULL;
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
    pthread_mutex_lock(&s->mu);
    atomic_store(&ctx->slot->state, LANE_READY);
    pthread_cond_broadcast(&s->ctl_cv);
    while (!l->grant) {
        pthread_cond_wait(&l->cv, &s->mu);
    }
    l->grant = false;
    pthread_mutex_unlock(&s->mu);
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
};

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
    return st != LANE_FINISHED && sched_blocker(s, lane) == -1;
}

bool sched_runnable(Sched *sched, unsigned lane)
{
    bool r;
    pthread_mutex_lock(&sched->mu);
    r = lane < sched->nlanes && sched_runnable_locked(sched, lane);
    pthread_mutex_unlock(&sched->mu);
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

void sched_wait_quiescent(Sched *sched)
{
    pthread_mutex_lock(&sched->mu);
    while (!sched_quiescent_locked(sched)) {
        pthread_cond_wait(&sched->ctl_cv, &sched->mu);
    }
    sched_refresh_locked(sched);
    pthread_mutex_unlock(&sched->mu);
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
    if (b == SCHED_NO_HOLDER) {
        snprintf(buf, len, "lane %s is blocked on %s %s (count %lld)", me, sched_blocker_what(op),
                 obj, (long long)atomic_load(&s->arena->objs[atomic_load(&slot->op_obj)].value));
        return;
    }
    lane_name((unsigned)(b < 0 ? 0 : b), other);
    snprintf(buf, len, "lane %s is blocked on %s %s held by %s%s", me, sched_blocker_what(op), obj,
             (unsigned)b == lane ? "itself " : "", (unsigned)b == lane ? "" : other);
}

/* Grant one step; caller holds mu and checked the lane is runnable. */
static void sched_step_locked(Sched *s, unsigned lane)
{
    SchedLane *l = &s->lanes[lane];
    ArenaLane *slot = &s->arena->lanes[lane];

    s->steps++;
    atomic_store(&s->arena->step, s->steps);
    atomic_store(&slot->steps, atomic_load(&slot->steps) + 1);
    atomic_store(&slot->state, LANE_RUNNING);
    l->grant = true;
    pthread_cond_signal(&l->cv);
    while (atomic_load(&slot->state) == LANE_RUNNING) {
        pthread_cond_wait(&s->ctl_cv, &s->mu);
    }
    sched_refresh_locked(s);
}

int sched_step(Sched *sched, unsigned lane, IlError *err)
{
    int rc = 0;
    pthread_mutex_lock(&sched->mu);
    if (lane >= sched->nlanes) {
        rc = il_error_set(err, -IL_ESCHEDULE, "no such lane");
    } else if (!sched_runnable_locked(sched, lane)) {
        char why[256];
        sched_why_not(sched, lane, why, sizeof(why));
        rc = il_error_set(err, -IL_ESCHEDULE, "%s", why);
    } else {
        sched_step_locked(sched, lane);
    }
    pthread_mutex_unlock(&sched->mu);
    return rc;
}

/* A spurious wakeup of lane: asleep on a cond, it becomes woken (it then
 * needs the mutex back).  No step is taken.  Returns 0, or -1 when the lane
 * is not asleep on a cond.  Caller holds mu; the lanes are parked. */
static int sched_spurious_locked(Sched *s, unsigned lane)
{
    ArenaLane *slot = &s->arena->lanes[lane];
    uint32_t obj = atomic_load(&slot->op_obj);

    if (atomic_load(&slot->state) == LANE_FINISHED || atomic_load(&slot->op) != EV_COND_SLEEP ||
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

    pthread_mutex_lock(&sched->mu);
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
            sched_step_locked(sched, tok->lane);
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
            sched_step_locked(sched, tok->lane);
        }
    }
    pthread_mutex_unlock(&sched->mu);
    return rc;
}

int sched_next_round_robin(Sched *sched)
{
    int pick = -1;
    pthread_mutex_lock(&sched->mu);
    for (unsigned k = 0; k < sched->nlanes; k++) {
        unsigned i = (sched->rr + k) % sched->nlanes;
        if (sched_runnable_locked(sched, i)) {
            pick = (int)i;
            sched->rr = (i + 1) % sched->nlanes;
            break;
        }
    }
    pthread_mutex_unlock(&sched->mu);
    return pick;
}

bool sched_all_finished(Sched *sched)
{
    bool all = true;
    pthread_mutex_lock(&sched->mu);
    for (unsigned i = 0; i < sched->nlanes && all; i++) {
        all = atomic_load(&sched->arena->lanes[i].state) == LANE_FINISHED;
    }
    pthread_mutex_unlock(&sched->mu);
    return all;
}

uint64_t sched_steps(const Sched *sched)
{
    return sched->steps;
}
