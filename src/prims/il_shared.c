/*
 * il_shared.c - instrumented loads, stores, local work and atomics.
 *
 * The order inside every primitive is the same: the instrumented point
 * (which parks the lane in step mode), the operation, the register and
 * operation count, then the event.  The event carries the value the
 * operation produced, so a recording shows exactly what each lane saw.
 */
#include "config.h"

#include "prims/il_shared.h"

#include <errno.h>
#include <time.h>

#include "core/sched.h"

IlVar *il_var_new(Arena *arena, const char *name, int64_t init)
{
    int idx = arena_obj_new(arena, OBJ_VAR, name, init);
    if (idx < 0) {
        return NULL;
    }
    arena->objs[idx].pad = (uint16_t)idx;
    return &arena->objs[idx];
}

int il_label_new(Arena *arena, const char *name)
{
    return arena_obj_new(arena, OBJ_LABEL, name, 0);
}

uint32_t il_var_index(const IlVar *var)
{
    return var->pad;
}

static inline void il_set_reg(int64_t v)
{
    atomic_store_explicit(&sched_self->slot->reg, v, memory_order_relaxed);
}

int64_t il_load(IlVar *var)
{
    int64_t v;
    sched_point(EV_LOAD, var->pad);
    v = atomic_load_explicit(&var->value, memory_order_relaxed);
    il_set_reg(v);
    sched_count_op();
    sched_record(EV_LOAD, var->pad, v);
    return v;
}

void il_store(IlVar *var, int64_t value)
{
    sched_point(EV_STORE, var->pad);
    atomic_store_explicit(&var->value, value, memory_order_relaxed);
    sched_count_op();
    sched_record(EV_STORE, var->pad, value);
}

int64_t il_compute(int label, int64_t result)
{
    uint32_t obj = label > 0 ? (uint32_t)label : 0;
    sched_point(EV_COMPUTE, obj);
    il_set_reg(result);
    sched_count_op();
    sched_record(EV_COMPUTE, obj, result);
    return result;
}

int64_t il_atomic_fetch_add(IlVar *var, int64_t delta)
{
    int64_t old;
    sched_point(EV_ATOMIC_ADD, var->pad);
    old = atomic_fetch_add_explicit(&var->value, delta, memory_order_seq_cst);
    il_set_reg(old + delta);
    sched_count_op();
    sched_record(EV_ATOMIC_ADD, var->pad, old + delta);
    return old;
}

int64_t il_var_peek(const IlVar *var)
{
    return atomic_load_explicit(&((IlVar *)var)->value, memory_order_relaxed);
}

void il_progress(void)
{
    sched_progress();
}

void il_pause_us(uint32_t us)
{
    struct timespec ts = {(time_t)(us / 1000000u), (long)(us % 1000000u) * 1000L};
    if (us == 0 || sched_self->arena->stepping) {
        return;
    }
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
        /* interrupted: sleep the rest */
    }
}
