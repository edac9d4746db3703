/*
 * il_rlock.c - the instrumented re-entrant lock (see il_rlock.h).
 *
 * A pthread mutex held for as long as the depth is above 0.  The owner
 * and the depth are written only by the holder, so the holder reads them
 * exactly; other lanes read the owner only to publish what they wait for.
 */
#include "config.h"

#include "prims/il_rlock.h"

#include <errno.h>

#include "core/sched.h"
#include "prims/il_mutex.h"

int il_rlock_init(IlRlock *lock, Arena *arena, const char *name)
{
    int idx = arena_obj_new(arena, OBJ_RLOCK, name, -1);
    int rc;

    if (idx < 0) {
        return idx;
    }
    rc = il_mutex_init_pthread(&lock->mu, arena);
    if (rc < 0) {
        return rc;
    }
    lock->obj = &arena->objs[idx];
    lock->index = (uint32_t)idx;
    lock->depth = 0;
    return 0;
}

bool il_rlock_mine(const IlRlock *lock)
{
    return atomic_load_explicit(&((IlRlock *)lock)->obj->value, memory_order_relaxed) ==
           (int64_t)sched_self->lane;
}

/* The calling lane holds it once more: count, publish, record. */
static void il_rlock_held(IlRlock *lock)
{
    lock->depth++;
    atomic_store_explicit(&lock->obj->value, sched_self->lane, memory_order_relaxed);
    sched_count_op();
    sched_record(EV_RLOCK_ACQUIRE, lock->index, lock->depth);
}

void il_rlock_acquire(IlRlock *lock)
{
    uint64_t t0;
    int rc;

    if (il_rlock_mine(lock)) {
        sched_point(EV_RLOCK_REENTER, lock->index);
        il_rlock_held(lock);
        return;
    }
    t0 = sched_wait_begin(EV_RLOCK_ACQUIRE, lock->index);
    if (sched_self->stepping) {
        /* the wait is there from the step the lane asked */
        sched_record_at(EV_LOCK_WAIT, lock->index, 0, t0);
    }
    sched_point(EV_RLOCK_ACQUIRE, lock->index);
    /* free: taken at once with no wait recorded (a lane alone is never
     * drawn blocked), as a mutex (il_mutex_lock) */
    rc = pthread_mutex_trylock(&lock->mu);
    if (rc == 0) {
        (void)sched_wait_none(t0);
    } else {
        if (rc != EBUSY) {
            sched_fail("pthread_mutex_trylock", rc);
        }
        if (!sched_self->stepping) {
            sched_record_at(EV_LOCK_WAIT, lock->index, 0, t0);
        }
        sched_check_rc(pthread_mutex_lock(&lock->mu), "pthread_mutex_lock");
        (void)sched_wait_end(t0);
    }
    lock->depth = 0;
    il_rlock_held(lock);
}

bool il_rlock_tryacquire(IlRlock *lock)
{
    int rc;

    sched_point(EV_RLOCK_TRY, lock->index);
    if (il_rlock_mine(lock)) {
        il_rlock_held(lock);
        return true;
    }
    rc = pthread_mutex_trylock(&lock->mu);
    if (rc == 0) {
        lock->depth = 0;
        il_rlock_held(lock);
        return true;
    }
    if (rc != EBUSY) {
        sched_fail("pthread_mutex_trylock", rc);
    }
    sched_count_op();
    sched_record(EV_RLOCK_TRY_FAIL, lock->index, 0);
    return false;
}

int il_rlock_release(IlRlock *lock)
{
    sched_point(EV_RLOCK_RELEASE, lock->index);
    sched_count_op();
    if (!il_rlock_mine(lock)) {
        return -EPERM;
    }
    lock->depth--;
    if (lock->depth > 0) {
        sched_record(EV_RLOCK_RELEASE, lock->index, lock->depth);
        return 0;
    }
    atomic_store_explicit(&lock->obj->value, -1, memory_order_relaxed);
    sched_record(EV_RLOCK_RELEASE, lock->index, 0);
    sched_check_rc(pthread_mutex_unlock(&lock->mu), "pthread_mutex_unlock");
    return 0;
}
