/*
 * il_sem.h - an instrumented, scheduler-aware counting semaphore.
 *
 * A count of free units, kept in the arena (the object's value) where the
 * step scheduler and the front end read it.  il_sem_wait() takes a unit,
 * waiting while the count is 0; il_sem_post() gives one back.  In step
 * mode a lane whose next operation is il_sem_wait() on a semaphore at 0 is
 * BLOCKED ("blocked on semaphore waiter (count 0)") and is not offered a
 * step.  In free mode it is a real mutex and condition variable.
 *
 * Events: sem_wait when the lane asks (value: count seen), sem_acquire when
 * it took a unit and sem_post when it gave one (value: count after).
 */
#ifndef INTERLEAVE_PRIMS_IL_SEM_H
#define INTERLEAVE_PRIMS_IL_SEM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"

typedef struct IlSem {
    pthread_mutex_t mu; /* guards the count's changes */
    pthread_cond_t cv;  /* waiters for a unit */
    ArenaObj *obj;      /* immutable after init; value = count, GUARDED_BY(mu) for writes */
    uint32_t index;     /* immutable after init; arena object index */
} IlSem;

/*
 * Initialise sem (caller-provided storage) with value units and register
 * it in arena as name.  Returns 0, -ENOSPC (arena full) or a negative
 * pthread error.  Thread: setup only.
 */
int il_sem_init(IlSem *sem, Arena *arena, const char *name, unsigned value) ATTR_WARN_UNUSED_RESULT;

/* Destroy sem.  Thread: after every lane finished. */
void il_sem_destroy(IlSem *sem);

/* Take one unit, waiting while there is none.  One step.  Thread: lane. */
void il_sem_wait(IlSem *sem);

/* Give one unit back and wake one waiter.  One step.  Thread: lane. */
void il_sem_post(IlSem *sem);

/* The current count, without a step or an event.  Thread: any. */
int64_t il_sem_peek(const IlSem *sem);

/*
 * Take a unit without waiting: true when the count was above 0 (it is one
 * lower now), false when it was 0 (unchanged).  One step, never blocked.
 * Thread: lane.
 */
bool il_sem_trywait(IlSem *sem);

#endif /* INTERLEAVE_PRIMS_IL_SEM_H */
