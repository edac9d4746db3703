/*
 * il_sem.c - the instrumented counting semaphore (see il_sem.h).
 *
 * The count lives in the arena object and changes only under sem->mu, so
 * the condition variable protocol is the textbook one; the atomic stores
 * let the front end and the step scheduler read it without the mutex.  In
 * step mode a lane is granted il_sem_wait() only while the count is above
 * 0 and no other lane runs, so the while loop never waits there.
 */
#include "config.h"

#include "prims/il_sem.h"

#include <assert.h>
#include <errno.h>

#include "core/sched.h"
#include "prims/il_cond.h"
#include "prims/il_mutex.h"

int il_sem_init(IlSem *sem, Arena *arena, const char *name, unsigned value)
{
    int idx, rc;

    idx = arena_obj_new(arena, OBJ_SEM, name, (int64_t)value);
    if (idx < 0) {
        return idx;
    }
    rc = il_mutex_init_pthread(&sem->mu, arena);
    if (rc < 0) {
        return rc;
    }
    rc = il_cond_init_pthread(&sem->cv, arena);
    if (rc < 0) {
        (void)pthread_mutex_destroy(&sem->mu);
        return rc;
    }
    sem->obj = &arena->objs[idx];
    sem->index = (uint32_t)idx;
    return 0;
}

void il_sem_destroy(IlSem *sem)
{
    int rc = pthread_cond_destroy(&sem->cv);
    assert(rc == 0); /* EBUSY would be our bug: a lane still waits */
    rc = pthread_mutex_destroy(&sem->mu);
    assert(rc == 0);
    (void)rc;
}

int64_t il_sem_peek(const IlSem *sem)
{
    return atomic_load_explicit(&sem->obj->value, memory_order_relaxed);
}

void il_sem_wait(IlSem *sem)
{
    uint64_t t0;
    int64_t v;

    sched_record(EV_SEM_WAIT, sem->index, il_sem_peek(sem));
    t0 = sched_wait_begin(EV_SEM_ACQUIRE, sem->index);
    sched_point(EV_SEM_ACQUIRE, sem->index);
    sched_check_rc(pthread_mutex_lock(&sem->mu), "pthread_mutex_lock");
    while ((v = atomic_load_explicit(&sem->obj->value, memory_order_relaxed)) <= 0) {
        sched_check_rc(pthread_cond_wait(&sem->cv, &sem->mu), "pthread_cond_wait");
    }
    atomic_store_explicit(&sem->obj->value, v - 1, memory_order_relaxed);
    sched_check_rc(pthread_mutex_unlock(&sem->mu), "pthread_mutex_unlock");
    sched_wait_end(t0);
    sched_count_op();
    sched_record(EV_SEM_ACQUIRE, sem->index, v - 1);
}

void il_sem_post(IlSem *sem)
{
    int64_t v;

    sched_point(EV_SEM_POST, sem->index);
    sched_check_rc(pthread_mutex_lock(&sem->mu), "pthread_mutex_lock");
    v = atomic_load_explicit(&sem->obj->value, memory_order_relaxed) + 1;
    atomic_store_explicit(&sem->obj->value, v, memory_order_relaxed);
    sched_check_rc(pthread_cond_signal(&sem->cv), "pthread_cond_signal");
    sched_check_rc(pthread_mutex_unlock(&sem->mu), "pthread_mutex_unlock");
    sched_count_op();
    sched_record(EV_SEM_POST, sem->index, v);
}

bool il_sem_trywait(IlSem *sem)
{
    int64_t v;

    sched_point(EV_SEM_TRY, sem->index);
    sched_check_rc(pthread_mutex_lock(&sem->mu), "pthread_mutex_lock");
    v = atomic_load_explicit(&sem->obj->value, memory_order_relaxed);
    if (v > 0) {
        atomic_store_explicit(&sem->obj->value, v - 1, memory_order_relaxed);
    }
    sched_check_rc(pthread_mutex_unlock(&sem->mu), "pthread_mutex_unlock");
    sched_count_op();
    sched_record(v > 0 ? EV_SEM_ACQUIRE : EV_SEM_TRY_FAIL, sem->index, v > 0 ? v - 1 : 0);
    return v > 0;
}
