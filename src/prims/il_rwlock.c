/*
 * il_rwlock.c - the instrumented read-write lock (see il_rwlock.h).
 *
 * The textbook monitor: the state changes only under mu, and every change
 * that can let a waiter in broadcasts.  In step mode a lane is granted its
 * entry only when the scheduler's blocker says it can go in and no other
 * lane runs, so the while loops never wait there.
 */
#include "config.h"

#include "prims/il_rwlock.h"

#include <errno.h>

#include "core/sched.h"
#include "prims/il_cond.h"
#include "prims/il_mutex.h"

int il_rwlock_init(IlRwlock *lock, Arena *arena, const char *name)
{
    int idx = arena_obj_new(arena, OBJ_RWLOCK, name, 0);
    int rc;

    if (idx < 0) {
        return idx;
    }
    rc = il_mutex_init_pthread(&lock->mu, arena);
    if (rc == 0) {
        rc = il_cond_init_pthread(&lock->cv, arena);
    }
    if (rc < 0) {
        return rc;
    }
    lock->obj = &arena->objs[idx];
    lock->index = (uint32_t)idx;
    return 0;
}

static int64_t il_rw_value(const IlRwlock *lock)
{
    return atomic_load_explicit(&lock->obj->value, memory_order_relaxed);
}

static void il_rw_set(IlRwlock *lock, int64_t v)
{
    atomic_store_explicit(&lock->obj->value, v, memory_order_relaxed);
}

void il_rwlock_read(IlRwlock *lock)
{
    uint64_t t0 = sched_wait_begin(EV_RW_READ, lock->index);
    int64_t v;

    sched_record_at(EV_RW_ASK, lock->index, 0, t0);
    sched_point(EV_RW_READ, lock->index);
    sched_check_rc(pthread_mutex_lock(&lock->mu), "pthread_mutex_lock");
    while (il_rw_value(lock) <= -2) {
        sched_check_rc(pthread_cond_wait(&lock->cv, &lock->mu), "pthread_cond_wait");
    }
    /* the wait ends, and counts, before the lock is taken and lock->mu let
     * go: the front end's watch never sees a lane that holds it still
     * waiting (as il_sem_wait) */
    sched_wait_end(t0);
    sched_count_op();
    v = il_rw_value(lock) + 1;
    il_rw_set(lock, v);
    sched_check_rc(pthread_mutex_unlock(&lock->mu), "pthread_mutex_unlock");
    sched_record(EV_RW_READ, lock->index, v);
}

void il_rwlock_write(IlRwlock *lock)
{
    uint64_t t0 = sched_wait_begin(EV_RW_WRITE, lock->index);

    sched_record_at(EV_RW_ASK, lock->index, 1, t0);
    sched_point(EV_RW_WRITE, lock->index);
    sched_check_rc(pthread_mutex_lock(&lock->mu), "pthread_mutex_lock");
    while (il_rw_value(lock) != 0) {
        sched_check_rc(pthread_cond_wait(&lock->cv, &lock->mu), "pthread_cond_wait");
    }
    sched_wait_end(t0);
    sched_count_op();
    il_rw_set(lock, -2 - (int64_t)sched_self->lane);
    sched_check_rc(pthread_mutex_unlock(&lock->mu), "pthread_mutex_unlock");
    sched_record(EV_RW_WRITE, lock->index, 0);
}

int il_rwlock_read_release(IlRwlock *lock)
{
    int64_t v;

    sched_point(EV_RW_READ_RELEASE, lock->index);
    sched_count_op();
    sched_check_rc(pthread_mutex_lock(&lock->mu), "pthread_mutex_lock");
    v = il_rw_value(lock);
    if (v <= 0) {
        sched_check_rc(pthread_mutex_unlock(&lock->mu), "pthread_mutex_unlock");
        return -EPERM;
    }
    il_rw_set(lock, v - 1);
    sched_record(EV_RW_READ_RELEASE, lock->index, v - 1);
    if (v == 1) {
        sched_check_rc(pthread_cond_broadcast(&lock->cv), "pthread_cond_broadcast");
    }
    sched_check_rc(pthread_mutex_unlock(&lock->mu), "pthread_mutex_unlock");
    return 0;
}

int il_rwlock_write_release(IlRwlock *lock)
{
    sched_point(EV_RW_WRITE_RELEASE, lock->index);
    sched_count_op();
    sched_check_rc(pthread_mutex_lock(&lock->mu), "pthread_mutex_lock");
    if (il_rw_value(lock) != -2 - (int64_t)sched_self->lane) {
        sched_check_rc(pthread_mutex_unlock(&lock->mu), "pthread_mutex_unlock");
        return -EPERM;
    }
    il_rw_set(lock, 0);
    sched_record(EV_RW_WRITE_RELEASE, lock->index, 0);
    sched_check_rc(pthread_cond_broadcast(&lock->cv), "pthread_cond_broadcast");
    sched_check_rc(pthread_mutex_unlock(&lock->mu), "pthread_mutex_unlock");
    return 0;
}
