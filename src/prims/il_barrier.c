/*
 * il_barrier.c - the instrumented barrier (see il_barrier.h).
 */
#include "config.h"

#include "prims/il_barrier.h"

#include <errno.h>

#include "core/sched.h"
#include "prims/il_cond.h"
#include "prims/il_mutex.h"

int il_barrier_init(IlBarrier *barrier, Arena *arena, const char *name, unsigned parties)
{
    int idx, rc;

    if (parties == 0 || parties > UINT16_MAX) {
        return -EINVAL;
    }
    idx = arena_obj_new(arena, OBJ_BARRIER, name, 0);
    if (idx < 0) {
        return idx;
    }
    rc = il_mutex_init_pthread(&barrier->mu, arena);
    if (rc == 0) {
        rc = il_cond_init_pthread(&barrier->cv, arena);
    }
    if (rc < 0) {
        return rc;
    }
    arena->objs[idx].pad = (uint16_t)parties;
    barrier->obj = &arena->objs[idx];
    barrier->index = (uint32_t)idx;
    barrier->parties = parties;
    barrier->round = 0;
    return 0;
}

bool il_barrier_wait(IlBarrier *barrier)
{
    LaneCtx *c;
    uint64_t round, t0;
    int64_t n;

    sched_point(EV_BARRIER_WAIT, barrier->index);
    c = sched_self;
    sched_check_rc(pthread_mutex_lock(&barrier->mu), "pthread_mutex_lock");
    round = barrier->round;
    n = atomic_load_explicit(&barrier->obj->value, memory_order_relaxed) + 1;
    sched_count_op();
    sched_record(EV_BARRIER_WAIT, barrier->index, n);
    if (n >= (int64_t)barrier->parties) {
        /* the round is full: everyone goes on */
        atomic_store_explicit(&barrier->obj->value, 0, memory_order_relaxed);
        barrier->round++;
        if (c->arena->stepping) {
            (void)sched_wake_all(EV_BARRIER_SLEEP, barrier->index, EV_BARRIER_PASS);
        }
        sched_check_rc(pthread_cond_broadcast(&barrier->cv), "pthread_cond_broadcast");
        sched_check_rc(pthread_mutex_unlock(&barrier->mu), "pthread_mutex_unlock");
        sched_record(EV_BARRIER_PASS, barrier->index, (int64_t)round);
        return true;
    }
    atomic_store_explicit(&barrier->obj->value, n, memory_order_relaxed);
    t0 = sched_wait_begin(EV_BARRIER_SLEEP, barrier->index);
    if (c->arena->stepping) {
        sched_check_rc(pthread_mutex_unlock(&barrier->mu), "pthread_mutex_unlock");
        /* asleep: granted once the round filled (pending op EV_BARRIER_PASS) */
        sched_point(EV_BARRIER_SLEEP, barrier->index);
    } else {
        while (barrier->round == round) {
            sched_check_rc(pthread_cond_wait(&barrier->cv, &barrier->mu), "pthread_cond_wait");
        }
        sched_check_rc(pthread_mutex_unlock(&barrier->mu), "pthread_mutex_unlock");
    }
    sched_wait_end(t0);
    sched_count_op();
    sched_record(EV_BARRIER_PASS, barrier->index, (int64_t)round);
    return false;
}
