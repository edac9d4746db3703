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
#include <stdarg.h>
#include <stdio.h>
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

IlVar *il_slots_new(Arena *arena, const char *name, unsigned n, int64_t init)
{
    uint32_t first = atomic_load(&arena->nobjs);
    char elem[96];

    if (n == 0 || first + n > ARENA_MAX_OBJS) {
        return NULL;
    }
    for (unsigned i = 0; i < n; i++) {
        int idx;
        snprintf(elem, sizeof(elem), "%.80s[%u]", name, i);
        idx = arena_obj_new(arena, OBJ_SLOT, elem, init);
        if (idx < 0) {
            /* out of string room: forget the elements registered so far */
            atomic_store(&arena->nobjs, first);
            return NULL;
        }
        arena->objs[idx].pad = (uint16_t)idx;
    }
    return &arena->objs[first];
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

int64_t il_store_checked(IlVar *var, int64_t value)
{
    int64_t old;
    sched_point(EV_STORE, var->pad);
    old = atomic_exchange_explicit(&var->value, value, memory_order_relaxed);
    sched_count_op();
    sched_record(EV_STORE, var->pad, value);
    return old;
}

int il_violation(uint32_t obj, int64_t value, const char *invariant, const char *fmt, ...)
{
    LaneCtx *c = sched_self;
    char what[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    sched_record(EV_VIOLATION, obj, value);
    return arena_violation(c->arena, c->lane, invariant, "%s", what);
}

bool il_violated(void)
{
    return arena_violated(sched_self->arena);
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

bool il_atomic_cas(IlVar *var, int64_t expected, int64_t desired)
{
    bool ok;
    sched_point(EV_ATOMIC_CAS, var->pad);
    ok = atomic_compare_exchange_strong_explicit(&var->value, &expected, desired,
                                                 memory_order_seq_cst, memory_order_seq_cst);
    il_set_reg(ok ? desired : expected);
    sched_count_op();
    sched_record(EV_ATOMIC_CAS, var->pad, ok);
    return ok;
}

int64_t il_load_seq(IlVar *var)
{
    int64_t v;
    sched_point(EV_LOAD, var->pad);
    v = atomic_load_explicit(&var->value, memory_order_seq_cst);
    il_set_reg(v);
    sched_count_op();
    sched_record(EV_LOAD, var->pad, v);
    return v;
}

void il_store_seq(IlVar *var, int64_t value)
{
    sched_point(EV_STORE, var->pad);
    atomic_store_explicit(&var->value, value, memory_order_seq_cst);
    sched_count_op();
    sched_record(EV_STORE, var->pad, value);
}

void il_pass(int label)
{
    uint32_t obj = label > 0 ? (uint32_t)label : 0;
    sched_point(EV_PASS, obj);
    sched_count_op();
    sched_record(EV_PASS, obj, 0);
}

int64_t il_var_peek(const IlVar *var)
{
    return atomic_load_explicit(&((IlVar *)var)->value, memory_order_relaxed);
}

void il_progress(void)
{
    sched_progress();
}

uint64_t il_event_time(void)
{
    return sched_last_event_time(sched_self);
}

void il_pause_us(uint32_t us)
{
    struct timespec ts = {(time_t)(us / 1000000u), (long)(us % 1000000u) * 1000L};
    if (us == 0 || sched_self->stepping) {
        return;
    }
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
        /* interrupted: sleep the rest */
    }
    sched_clock_fresh(sched_self);
}
