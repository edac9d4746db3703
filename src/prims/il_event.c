/*
 * il_event.c - the instrumented event (see il_event.h).
 */
#include "config.h"

#include "prims/il_event.h"

#include "core/sched.h"
#include "prims/il_cond.h"
#include "prims/il_mutex.h"

int il_event_init(IlEvent *event, Arena *arena, const char *name)
{
    int idx = arena_obj_new(arena, OBJ_EVENT, name, 0);
    int rc;

    if (idx < 0) {
        return idx;
    }
    rc = il_mutex_init_pthread(&event->mu, arena);
    if (rc == 0) {
        rc = il_cond_init_pthread(&event->cv, arena);
    }
    if (rc < 0) {
        return rc;
    }
    event->obj = &arena->objs[idx];
    event->index = (uint32_t)idx;
    event->sets = 0;
    return 0;
}

void il_event_set(IlEvent *event)
{
    int64_t woken = -1;

    sched_point(EV_EVENT_SET, event->index);
    sched_check_rc(pthread_mutex_lock(&event->mu), "pthread_mutex_lock");
    atomic_store_explicit(&event->obj->value, 1, memory_order_relaxed);
    event->sets++;
    if (sched_self->arena->stepping) {
        woken = sched_wake_all(EV_EVENT_SLEEP, event->index, EV_EVENT_WAKE);
    }
    sched_check_rc(pthread_cond_broadcast(&event->cv), "pthread_cond_broadcast");
    sched_check_rc(pthread_mutex_unlock(&event->mu), "pthread_mutex_unlock");
    sched_count_op();
    sched_record(EV_EVENT_SET, event->index, woken);
}

void il_event_clear(IlEvent *event)
{
    sched_point(EV_EVENT_CLEAR, event->index);
    sched_check_rc(pthread_mutex_lock(&event->mu), "pthread_mutex_lock");
    atomic_store_explicit(&event->obj->value, 0, memory_order_relaxed);
    sched_check_rc(pthread_mutex_unlock(&event->mu), "pthread_mutex_unlock");
    sched_count_op();
    sched_record(EV_EVENT_CLEAR, event->index, 0);
}

void il_event_wait(IlEvent *event)
{
    LaneCtx *c;
    uint64_t gen, t0;

    sched_point(EV_EVENT_WAIT, event->index);
    c = sched_self;
    sched_check_rc(pthread_mutex_lock(&event->mu), "pthread_mutex_lock");
    sched_count_op();
    if (atomic_load_explicit(&event->obj->value, memory_order_relaxed) != 0) {
        sched_check_rc(pthread_mutex_unlock(&event->mu), "pthread_mutex_unlock");
        sched_record(EV_EVENT_WAIT, event->index, 1);
        return;
    }
    sched_record(EV_EVENT_WAIT, event->index, 0);
    gen = event->sets;
    t0 = sched_wait_begin(EV_EVENT_SLEEP, event->index);
    if (c->arena->stepping) {
        sched_check_rc(pthread_mutex_unlock(&event->mu), "pthread_mutex_unlock");
        sched_point(EV_EVENT_SLEEP, event->index); /* granted once set: EV_EVENT_WAKE */
    } else {
        while (event->sets == gen) {
            sched_check_rc(pthread_cond_wait(&event->cv, &event->mu), "pthread_cond_wait");
        }
        sched_check_rc(pthread_mutex_unlock(&event->mu), "pthread_mutex_unlock");
    }
    sched_wait_end(t0);
    sched_count_op();
    sched_record(EV_EVENT_WAKE, event->index, 1);
}

bool il_event_is_set(IlEvent *event)
{
    int64_t v;
    sched_point(EV_LOAD, event->index);
    v = atomic_load_explicit(&event->obj->value, memory_order_relaxed);
    atomic_store_explicit(&sched_self->slot->reg, v, memory_order_relaxed);
    sched_count_op();
    sched_record(EV_LOAD, event->index, v);
    return v != 0;
}
