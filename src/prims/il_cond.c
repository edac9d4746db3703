/*
 * il_cond.c - the instrumented condition variable (see il_cond.h).
 *
 * Step mode keeps no queue of its own: a sleeper is a lane whose slot has
 * EV_COND_SLEEP pending on this cond, and the longest asleep is the one
 * whose wait began at the earliest step (its slot's wait_since; one step
 * runs at a time, so no two sleepers share a step).  Waking a lane is
 * changing its pending op to EV_COND_WAKE: the scheduler's blocker table
 * then holds it only while the mutex is held.  The signalling lane writes
 * the sleeper's slot while the sleeper is parked, which the step protocol
 * (one lane at a time, handed over under the scheduler's mutex) orders.
 *
 * In step mode the pthread mutex is really released while a lane sleeps,
 * so the lane woken later finds it free: the scheduler grants the wake
 * step only when the mutex's owner in the arena is -1, and every lane
 * clears the owner before it unlocks.
 *
 * Free mode counts, under the mutex, the sleepers not yet woken (the
 * arena object's value) and the wakeups on their way (pending), so that a
 * lane signalled but still inside pthread_cond_wait() never looks asleep
 * for good to the front end's hang check.
 */
#include "config.h"

#include "prims/il_cond.h"

#include <assert.h>
#include <errno.h>

#include "core/sched.h"

int il_cond_init_pthread(pthread_cond_t *cv, const Arena *arena)
{
    pthread_condattr_t ca;
    int rc = pthread_condattr_init(&ca);

    if (rc != 0) {
        return -rc;
    }
    if (arena->process_lanes > 0) {
        rc = pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
    }
    if (rc == 0) {
        rc = pthread_cond_init(cv, &ca);
    }
    (void)pthread_condattr_destroy(&ca);
    return -rc;
}

int il_cond_init(IlCond *cond, Arena *arena, const char *name)
{
    int idx, rc;

    idx = arena_obj_new(arena, OBJ_COND, name, 0);
    if (idx < 0) {
        return idx;
    }
    rc = il_cond_init_pthread(&cond->cv, arena);
    if (rc < 0) {
        return rc;
    }
    cond->obj = &arena->objs[idx];
    cond->index = (uint32_t)idx;
    cond->pending = 0;
    return 0;
}

void il_cond_destroy(IlCond *cond)
{
    int rc = pthread_cond_destroy(&cond->cv);
    assert(rc == 0); /* EBUSY would be our bug: a lane still waits on it */
    (void)rc;
}

int64_t il_cond_sleepers(const IlCond *cond)
{
    return atomic_load_explicit(&cond->obj->value, memory_order_relaxed);
}

static void il_cond_add_sleepers(IlCond *cond, int64_t delta)
{
    atomic_store_explicit(&cond->obj->value,
                          atomic_load_explicit(&cond->obj->value, memory_order_relaxed) + delta,
                          memory_order_relaxed);
}

void il_cond_wait(IlCond *cond, IlMutex *mutex)
{
    LaneCtx *c = sched_self;
    int64_t spurious = 0;
    uint64_t t0;

    sched_point(EV_COND_WAIT, cond->index);
    cond->obj->pad = (uint16_t)mutex->index; /* the mutex the woken lane takes back */
    /* let go of the mutex, as il_mutex_unlock does: owner first */
    atomic_store_explicit(&mutex->obj->value, -1, memory_order_relaxed);
    il_cond_add_sleepers(cond, 1);
    t0 = sched_wait_begin(EV_COND_SLEEP, cond->index);
    sched_count_op();
    sched_record_at(EV_COND_WAIT, cond->index, mutex->index, t0);
    sched_record_at(EV_LOCK_RELEASE, mutex->index, 0, t0);
    if (c->stepping) {
        sched_check_rc(pthread_mutex_unlock(&mutex->mu), "pthread_mutex_unlock");
        /* asleep: granted only once woken and the mutex is free */
        sched_point(EV_COND_SLEEP, cond->index);
        spurious = atomic_load(&c->slot->op) == EV_COND_SPURIOUS;
        sched_check_rc(pthread_mutex_lock(&mutex->mu), "pthread_mutex_lock");
    } else {
        sched_check_rc(pthread_cond_wait(&cond->cv, &mutex->mu), "pthread_cond_wait");
        if (cond->pending > 0) {
            cond->pending--; /* took a wakeup sent by signal or broadcast */
        } else {
            il_cond_add_sleepers(cond, -1); /* woke with none sent: spurious */
        }
    }
    t0 = sched_wait_end(t0);
    atomic_store_explicit(&mutex->obj->value, c->lane, memory_order_relaxed);
    sched_count_op();
    sched_record_at(EV_COND_WAKE, cond->index, spurious, t0);
    sched_record_at(EV_LOCK_ACQUIRE, mutex->index, 0, t0);
}

/* Step mode: wake the longest-asleep lane on cond, or every one (all).
 * Returns the lane woken (one) or the number woken (all); -1 for none
 * when waking one. */
static int il_cond_wake_step(IlCond *cond, bool all)
{
    Arena *a = sched_self->arena;
    int pick = -1, woken = 0;
    uint64_t best = 0;

    for (unsigned i = 0; i < a->nlanes; i++) {
        ArenaLane *l = &a->lanes[i];
        uint64_t since;
        if (atomic_load(&l->op) != EV_COND_SLEEP || atomic_load(&l->op_obj) != cond->index ||
            atomic_load(&l->state) == LANE_FINISHED) {
            continue;
        }
        if (all) {
            atomic_store(&l->op, EV_COND_WAKE);
            woken++;
            continue;
        }
        since = atomic_load(&l->wait_since);
        if (pick < 0 || since < best) {
            pick = (int)i;
            best = since;
        }
    }
    if (all) {
        il_cond_add_sleepers(cond, -woken);
        return woken;
    }
    if (pick >= 0) {
        atomic_store(&a->lanes[pick].op, EV_COND_WAKE);
        il_cond_add_sleepers(cond, -1);
    }
    return pick;
}

void il_cond_signal(IlCond *cond)
{
    int woken = -1;

    sched_point(EV_COND_SIGNAL, cond->index);
    if (sched_self->stepping) {
        woken = il_cond_wake_step(cond, false);
    } else {
        if (il_cond_sleepers(cond) > 0) {
            il_cond_add_sleepers(cond, -1);
            cond->pending++;
        }
        sched_check_rc(pthread_cond_signal(&cond->cv), "pthread_cond_signal");
    }
    sched_count_op();
    sched_record(EV_COND_SIGNAL, cond->index, woken);
}

void il_cond_broadcast(IlCond *cond)
{
    int woken = -1;

    sched_point(EV_COND_BROADCAST, cond->index);
    if (sched_self->stepping) {
        woken = il_cond_wake_step(cond, true);
    } else {
        int64_t n = il_cond_sleepers(cond);
        if (n > 0) {
            il_cond_add_sleepers(cond, -n);
            cond->pending += (uint32_t)n;
        }
        sched_check_rc(pthread_cond_broadcast(&cond->cv), "pthread_cond_broadcast");
    }
    sched_count_op();
    sched_record(EV_COND_BROADCAST, cond->index, woken);
}
