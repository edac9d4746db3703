/*
 * il_mutex.c - the instrumented mutex (see il_mutex.h).
 *
 * The owner field is written only by the lane that holds the pthread mutex
 * (set right after acquiring, cleared right before releasing), so it is
 * exact whenever the step scheduler looks at it: in step mode every lane is
 * parked then.  In free mode it is a live, racy view for display and for
 * the wait-for graph.
 *
 * Order of the stores, chosen so the front end's graph never shows an edge
 * that is not there: a lane publishes its wait (sched_wait_begin) before it
 * blocks, clears it (sched_wait_end) before it publishes ownership, and
 * clears ownership before it releases.  A stale view can only miss an
 * edge, which delays a detection by one check, never invents a cycle.
 *
 * In step mode only one lane runs at a time, so a try-lock or a timed lock
 * decides exactly with pthread_mutex_trylock: busy means held by a lane
 * that is parked, and for a timed lock that is the timeout.
 *
 * The pthread mutex is process-shared when the run has process lanes (it
 * must then live in the run's shared heap, DemoCtx.heap), and process-
 * private otherwise, which keeps its futex cheaper under contention.
 */
#include "config.h"

#include "prims/il_mutex.h"

#include <assert.h>
#include <errno.h>
#include <time.h>

#include "core/sched.h"

int il_mutex_init_pthread(pthread_mutex_t *mu, const Arena *arena)
{
    pthread_mutexattr_t ma;
    int rc = pthread_mutexattr_init(&ma);

    if (rc != 0) {
        return -rc;
    }
    if (arena->process_lanes > 0) {
        rc = pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    }
    if (rc == 0) {
        rc = pthread_mutex_init(mu, &ma);
    }
    (void)pthread_mutexattr_destroy(&ma);
    return -rc;
}

int il_mutex_init(IlMutex *mutex, Arena *arena, const char *name)
{
    int idx, rc;

    idx = arena_obj_new(arena, OBJ_MUTEX, name, -1);
    if (idx < 0) {
        return idx;
    }
    rc = il_mutex_init_pthread(&mutex->mu, arena);
    if (rc < 0) {
        return rc;
    }
    mutex->obj = &arena->objs[idx];
    mutex->index = (uint32_t)idx;
    return 0;
}

void il_mutex_destroy(IlMutex *mutex)
{
    int rc = pthread_mutex_destroy(&mutex->mu);
    assert(rc == 0); /* EBUSY would be our bug: destroyed while held */
    (void)rc;
}

/* The calling lane holds the pthread mutex now (since t): publish and
 * record it. */
static void il_mutex_acquired(IlMutex *mutex, uint64_t t)
{
    atomic_store_explicit(&mutex->obj->value, sched_self->lane, memory_order_relaxed);
    sched_count_op();
    sched_record_at(EV_LOCK_ACQUIRE, mutex->index, 0, t);
}

void il_mutex_lock(IlMutex *mutex)
{
    uint64_t t0 = sched_wait_begin(EV_LOCK_ACQUIRE, mutex->index);
    bool stepping = sched_self->stepping;
    int rc;

    /* step mode: the wait is there from the step the lane asked (the
     * scheduler grants the step once the mutex is free) */
    if (stepping) {
        sched_record_at(EV_LOCK_WAIT, mutex->index, 0, t0);
    }
    sched_point(EV_LOCK_ACQUIRE, mutex->index);
    /* a free mutex is taken at once, with no wait recorded (a lane alone
     * is never drawn blocked); only a lane that waited needs the clock
     * read again (sched_wait_end) */
    rc = pthread_mutex_trylock(&mutex->mu);
    if (rc == 0) {
        il_mutex_acquired(mutex, sched_wait_none(t0));
        return;
    }
    if (rc != EBUSY) {
        sched_fail("pthread_mutex_trylock", rc);
    }
    if (!stepping) {
        sched_record_at(EV_LOCK_WAIT, mutex->index, 0, t0);
    }
    sched_check_rc(pthread_mutex_lock(&mutex->mu), "pthread_mutex_lock");
    il_mutex_acquired(mutex, sched_wait_end(t0));
}

bool il_mutex_trylock(IlMutex *mutex)
{
    int rc;

    sched_point(EV_LOCK_TRY, mutex->index);
    rc = pthread_mutex_trylock(&mutex->mu);
    if (rc == 0) {
        il_mutex_acquired(mutex, sched_clock_read(sched_self));
        return true;
    }
    if (rc != EBUSY) {
        sched_fail("pthread_mutex_trylock", rc);
    }
    sched_count_op();
    sched_record(EV_LOCK_TRY_FAIL, mutex->index, 0);
    return false;
}

int il_mutex_timedlock(IlMutex *mutex, uint32_t timeout_ms)
{
    LaneCtx *c = sched_self;
    uint64_t t0;
    int rc;

    t0 = sched_wait_begin(EV_LOCK_TIMED, mutex->index);
    sched_record_at(EV_LOCK_WAIT, mutex->index, timeout_ms, t0);
    sched_point(EV_LOCK_TIMED, mutex->index);
    if (c->stepping) {
        rc = pthread_mutex_trylock(&mutex->mu); /* busy = the timeout expires now */
    } else {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += (time_t)(timeout_ms / 1000u);
        ts.tv_nsec += (long)(timeout_ms % 1000u) * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        do {
            rc = pthread_mutex_timedlock(&mutex->mu, &ts);
        } while (rc == EINTR);
    }
    if (rc != 0 && rc != EBUSY && rc != ETIMEDOUT) {
        sched_fail(c->stepping ? "pthread_mutex_trylock" : "pthread_mutex_timedlock", rc);
    }
    t0 = sched_wait_end(t0);
    if (rc == 0) {
        il_mutex_acquired(mutex, t0);
        return 0;
    }
    sched_count_op();
    sched_record_at(EV_LOCK_TIMEOUT, mutex->index, timeout_ms, t0);
    return -ETIMEDOUT;
}

void il_mutex_unlock(IlMutex *mutex)
{
    sched_point(EV_LOCK_RELEASE, mutex->index);
    atomic_store_explicit(&mutex->obj->value, -1, memory_order_relaxed);
    sched_count_op();
    /* recorded before the release, so no other lane's acquisition of this
     * mutex can carry an earlier time than this release */
    sched_record(EV_LOCK_RELEASE, mutex->index, 0);
    sched_check_rc(pthread_mutex_unlock(&mutex->mu), "pthread_mutex_unlock");
}
