/*
 * il_future.c - futures, the pool's queues, thread handles (see
 * il_future.h).
 *
 * Each operation follows the other primitives' order (il_sem.c): a
 * waiting one records that it asks (its effect on the timeline: a wait),
 * publishes the wait (sched_wait_begin) so the front end and the wait-for
 * graph see it in free mode too, takes its step (sched_point), then waits
 * on the monitor's condition variable in a `while` loop; in step mode the
 * blocker row grants the step only once the wait is over, so the loop
 * never waits there.  The arena objects' values change only under the
 * monitor's mutex; the atomic stores let the front end and the step
 * scheduler read them without it.
 */
#include "config.h"

#include "prims/il_future.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/sched.h"
#include "prims/il_cond.h"
#include "prims/il_mutex.h"

static ArenaObj *il_obj(Arena *arena, uint32_t obj)
{
    return &arena->objs[obj];
}

static void il_mon_lock(IlMonitor *mon)
{
    sched_check_rc(pthread_mutex_lock(&mon->mu), "pthread_mutex_lock");
}

static void il_mon_unlock(IlMonitor *mon)
{
    sched_check_rc(pthread_mutex_unlock(&mon->mu), "pthread_mutex_unlock");
}

static void il_mon_wait(IlMonitor *mon)
{
    sched_check_rc(pthread_cond_wait(&mon->cv, &mon->mu), "pthread_cond_wait");
}

static void il_mon_wake(IlMonitor *mon)
{
    sched_check_rc(pthread_cond_broadcast(&mon->cv), "pthread_cond_broadcast");
}

static void il_set_value(Arena *arena, uint32_t obj, int64_t v)
{
    atomic_store_explicit(&arena->objs[obj].value, v, memory_order_relaxed);
}

int il_monitor_init(IlMonitor *mon, const Arena *arena)
{
    int rc = il_mutex_init_pthread(&mon->mu, arena);
    if (rc == 0) {
        rc = il_cond_init_pthread(&mon->cv, arena);
    }
    return rc;
}

int il_future_init(IlFuture *f, IlMonitor *mon, Arena *arena, const char *name)
{
    int o = arena_obj_new(arena, OBJ_FUTURE, name, FUT_PENDING);
    if (o < 0) {
        return o;
    }
    memset(f, 0, sizeof(*f));
    f->mon = mon;
    f->arena = arena;
    f->obj = (uint32_t)o;
    return 0;
}

int il_thread_init(IlFuture *handle, IlMonitor *mon, Arena *arena, unsigned lane, const char *name)
{
    int rc = il_future_init(handle, mon, arena, name);
    if (rc < 0) {
        return rc;
    }
    /* a lane runs from the start of the run: its thread is running */
    il_set_value(arena, handle->obj, FUT_RUNNING);
    il_obj(arena, handle->obj)->pad = (uint16_t)(lane + 1);
    handle->task = lane;
    return 0;
}

int il_pool_init(IlPool *pool, Arena *arena, unsigned first_worker, unsigned nworkers,
                 unsigned max_tasks)
{
    int q, d, rc;

    if (max_tasks > IL_POOL_MAX || nworkers > IL_POOL_MAX) {
        return -EINVAL;
    }
    memset(pool, 0, sizeof(*pool));
    pool->arena = arena;
    pool->first_worker = first_worker;
    pool->nworkers = nworkers;
    rc = il_monitor_init(&pool->mon, arena);
    if (rc < 0) {
        return rc;
    }
    q = arena_obj_new(arena, OBJ_QUEUE, "work queue", 0);
    d = arena_obj_new(arena, OBJ_QUEUE, "completed", 0);
    if (q < 0 || d < 0) {
        return -ENOSPC;
    }
    pool->queue_obj = (uint32_t)q;
    pool->done_obj = (uint32_t)d;
    for (unsigned k = 0; k < max_tasks; k++) {
        char name[32];
        snprintf(name, sizeof(name), "future %u", k);
        rc = il_future_init(&pool->fut[k], &pool->mon, arena, name);
        if (rc < 0) {
            return rc;
        }
    }
    for (unsigned k = 0; k < nworkers; k++) {
        char name[48];
        snprintf(name, sizeof(name), "ThreadPoolExecutor-0_%u", k);
        rc = il_thread_init(&pool->thread[k], &pool->mon, arena, first_worker + k, name);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}

int il_future_state(const IlFuture *f)
{
    return (int)atomic_load_explicit(&f->arena->objs[f->obj].value, memory_order_relaxed);
}

IlFuture *il_pool_submit(IlPool *pool, int64_t task)
{
    IlFuture *f = NULL;
    unsigned qc = 0;

    sched_point(EV_FUT_SUBMIT, pool->queue_obj);
    il_mon_lock(&pool->mon);
    if (pool->nfut < IL_POOL_MAX && pool->fut[pool->nfut].mon != NULL) {
        unsigned k = pool->nfut++;
        f = &pool->fut[k];
        f->task = task;
        pool->queue[(pool->qhead + pool->qcount) % IL_POOL_MAX] = k;
        qc = ++pool->qcount;
        il_set_value(pool->arena, pool->queue_obj, qc);
        il_mon_wake(&pool->mon);
    }
    il_mon_unlock(&pool->mon);
    sched_count_op();
    if (f != NULL) {
        sched_record(EV_FUT_SUBMIT, f->obj, task);
        sched_record(EV_QUEUE_PUT, pool->queue_obj, qc);
    }
    return f;
}

IlFuture *il_pool_take(IlPool *pool)
{
    IlFuture *f = NULL;
    uint64_t t0;

    sched_record(EV_QUEUE_TAKE, pool->queue_obj, 0);
    t0 = sched_wait_begin(EV_QUEUE_TAKE, pool->queue_obj);
    sched_point(EV_QUEUE_TAKE, pool->queue_obj);
    il_mon_lock(&pool->mon);
    while (pool->qcount == 0 && il_obj(pool->arena, pool->queue_obj)->pad == 0) {
        il_mon_wait(&pool->mon);
    }
    if (pool->qcount > 0) {
        f = &pool->fut[pool->queue[pool->qhead]];
        pool->qhead = (pool->qhead + 1) % IL_POOL_MAX;
        pool->qcount--;
        il_set_value(pool->arena, pool->queue_obj, pool->qcount);
        il_obj(pool->arena, f->obj)->pad = (uint16_t)(sched_self->lane + 1);
        il_set_value(pool->arena, f->obj, FUT_RUNNING);
    }
    il_mon_unlock(&pool->mon);
    sched_wait_end(t0);
    sched_count_op();
    sched_record(EV_QUEUE_GOT, pool->queue_obj, f != NULL ? f->task : -1);
    if (f != NULL) {
        sched_record(EV_FUT_RUN, f->obj, f->task);
    }
    return f;
}

/* f is over (state st): wake its waiters, queue it for as_completed. */
static void il_future_end(IlPool *pool, IlFuture *f, int st, int64_t result, int err)
{
    il_mon_lock(&pool->mon);
    f->result = result;
    f->err = err;
    il_set_value(pool->arena, f->obj, st);
    pool->done[pool->ndone++] = (unsigned)(f - pool->fut);
    il_set_value(pool->arena, pool->done_obj, pool->ndone - pool->dtaken);
    il_mon_wake(&pool->mon);
    il_mon_unlock(&pool->mon);
    sched_count_op();
}

void il_future_set(IlPool *pool, IlFuture *f, int64_t result)
{
    sched_point(EV_FUT_DONE, f->obj);
    il_future_end(pool, f, FUT_DONE, result, 0);
    sched_record(EV_FUT_DONE, f->obj, result);
}

void il_future_raise(IlPool *pool, IlFuture *f, int err)
{
    sched_point(EV_FUT_RAISE, f->obj);
    il_future_end(pool, f, FUT_FAILED, 0, err);
    sched_record(EV_FUT_RAISE, f->obj, err);
}

int il_future_result(IlFuture *f, int64_t *result)
{
    uint64_t t0;
    int64_t r;
    int err;

    sched_record(EV_FUT_WAIT, f->obj, 0);
    t0 = sched_wait_begin(EV_FUT_WAIT, f->obj);
    sched_point(EV_FUT_WAIT, f->obj);
    il_mon_lock(f->mon);
    while (il_future_state(f) < FUT_DONE) {
        il_mon_wait(f->mon);
    }
    r = f->result;
    err = f->err;
    il_mon_unlock(f->mon);
    sched_wait_end(t0);
    sched_count_op();
    sched_record(EV_FUT_GOT, f->obj, err < 0 ? err : r);
    if (err < 0) {
        return err; /* re-raised in the caller */
    }
    if (result != NULL) {
        *result = r;
    }
    return 0;
}

IlFuture *il_pool_as_completed(IlPool *pool)
{
    IlFuture *f;
    uint64_t t0;

    sched_record(EV_QUEUE_TAKE, pool->done_obj, 0);
    t0 = sched_wait_begin(EV_QUEUE_TAKE, pool->done_obj);
    sched_point(EV_QUEUE_TAKE, pool->done_obj);
    il_mon_lock(&pool->mon);
    while (pool->dtaken == pool->ndone) {
        il_mon_wait(&pool->mon);
    }
    f = &pool->fut[pool->done[pool->dtaken++]];
    il_set_value(pool->arena, pool->done_obj, pool->ndone - pool->dtaken);
    il_mon_unlock(&pool->mon);
    sched_wait_end(t0);
    sched_count_op();
    sched_record(EV_QUEUE_GOT, pool->done_obj, f->task);
    return f;
}

void il_pool_shutdown(IlPool *pool, bool wait)
{
    unsigned left;

    sched_point(EV_QUEUE_SHUTDOWN, pool->queue_obj);
    il_mon_lock(&pool->mon);
    il_obj(pool->arena, pool->queue_obj)->pad = 1;
    left = pool->qcount;
    il_mon_wake(&pool->mon);
    il_mon_unlock(&pool->mon);
    sched_count_op();
    sched_record(EV_QUEUE_SHUTDOWN, pool->queue_obj, left);
    for (unsigned k = 0; wait && k < pool->nworkers; k++) {
        il_thread_join(&pool->thread[k]);
    }
}

void il_thread_exit(IlFuture *handle)
{
    sched_point(EV_FUT_DONE, handle->obj);
    il_mon_lock(handle->mon);
    il_set_value(handle->arena, handle->obj, FUT_DONE);
    il_mon_wake(handle->mon);
    il_mon_unlock(handle->mon);
    sched_count_op();
    sched_record(EV_FUT_DONE, handle->obj, 0);
}

void il_thread_raise(IlFuture *handle, int err)
{
    sched_point(EV_FUT_RAISE, handle->obj);
    sched_count_op();
    sched_record(EV_FUT_RAISE, handle->obj, err);
}

void il_thread_join(IlFuture *handle)
{
    (void)il_future_result(handle, NULL);
}
