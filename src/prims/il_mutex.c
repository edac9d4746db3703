/*
 * il_mutex.c - the instrumented mutex (see il_mutex.h).
 *
 * The owner field is written only by the lane that holds the pthread mutex
 * (set right after acquiring, cleared right before releasing), so it is
 * exact whenever the step scheduler looks at it: in step mode every lane is
 * parked then.  In free mode it is a live, racy view for display.
 */
#include "config.h"

#include "prims/il_mutex.h"

#include <errno.h>

#include "core/sched.h"

int il_mutex_init(IlMutex *mutex, Arena *arena, const char *name)
{
    int idx, rc;

    idx = arena_obj_new(arena, OBJ_MUTEX, name, -1);
    if (idx < 0) {
        return idx;
    }
    rc = pthread_mutex_init(&mutex->mu, NULL);
    if (rc != 0) {
        return -rc;
    }
    mutex->obj = &arena->objs[idx];
    mutex->index = (uint32_t)idx;
    return 0;
}

void il_mutex_destroy(IlMutex *mutex)
{
    pthread_mutex_destroy(&mutex->mu);
}

void il_mutex_lock(IlMutex *mutex)
{
    LaneCtx *c = sched_self;
    sched_record(EV_LOCK_WAIT, mutex->index, 0);
    sched_point(EV_LOCK_ACQUIRE, mutex->index);
    pthread_mutex_lock(&mutex->mu);
    atomic_store_explicit(&mutex->obj->value, c->lane, memory_order_relaxed);
    sched_count_op();
    sched_record(EV_LOCK_ACQUIRE, mutex->index, 0);
}

void il_mutex_unlock(IlMutex *mutex)
{
    sched_point(EV_LOCK_RELEASE, mutex->index);
    atomic_store_explicit(&mutex->obj->value, -1, memory_order_relaxed);
    sched_count_op();
    /* recorded before the release, so no other lane's acquisition of this
     * mutex can carry an earlier time than this release */
    sched_record(EV_LOCK_RELEASE, mutex->index, 0);
    pthread_mutex_unlock(&mutex->mu);
}
