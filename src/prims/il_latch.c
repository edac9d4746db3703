/*
 * il_latch.c - the instrumented countdown latch (see il_latch.h).
 */
#include "config.h"

#include "prims/il_latch.h"

#include "core/sched.h"
#include "prims/il_cond.h"
#include "prims/il_mutex.h"

int il_latch_init(IlLatch *latch, Arena *arena, const char *name, unsigned count)
{
    int idx = arena_obj_new(arena, OBJ_LATCH, name, (int64_t)count);
    int rc;

    if (idx < 0) {
        return idx;
    }
    rc = il_mutex_init_pthread(&latch->mu, arena);
    if (rc == 0) {
        rc = il_cond_init_pthread(&latch->cv, arena);
    }
    if (rc < 0) {
        return rc;
    }
    latch->obj = &arena->objs[idx];
    latch->index = (uint32_t)idx;
    return 0;
}

void il_latch_count_down(IlLatch *latch)
{
    int64_t v;

    sched_point(EV_LATCH_COUNT_DOWN, latch->index);
    sched_check_rc(pthread_mutex_lock(&latch->mu), "pthread_mutex_lock");
    v = atomic_load_explicit(&latch->obj->value, memory_order_relaxed);
    if (v > 0) {
        v--;
        atomic_store_explicit(&latch->obj->value, v, memory_order_relaxed);
        if (v == 0) {
            sched_check_rc(pthread_cond_broadcast(&latch->cv), "pthread_cond_broadcast");
        }
    }
    sched_check_rc(pthread_mutex_unlock(&latch->mu), "pthread_mutex_unlock");
    sched_count_op();
    sched_record(EV_LATCH_COUNT_DOWN, latch->index, v);
}

void il_latch_wait(IlLatch *latch)
{
    uint64_t t0 = sched_wait_begin(EV_LATCH_WAIT, latch->index);

    sched_record_at(EV_LATCH_ASK, latch->index,
                    atomic_load_explicit(&latch->obj->value, memory_order_relaxed), t0);
    sched_point(EV_LATCH_WAIT, latch->index);
    sched_check_rc(pthread_mutex_lock(&latch->mu), "pthread_mutex_lock");
    while (atomic_load_explicit(&latch->obj->value, memory_order_relaxed) > 0) {
        sched_check_rc(pthread_cond_wait(&latch->cv, &latch->mu), "pthread_cond_wait");
    }
    sched_check_rc(pthread_mutex_unlock(&latch->mu), "pthread_mutex_unlock");
    sched_wait_end(t0);
    sched_count_op();
    sched_record(EV_LATCH_WAIT, latch->index, 0);
}
