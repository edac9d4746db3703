/*
 * il_mutex.h - an instrumented, scheduler-aware mutex.
 *
 * Wraps a pthread mutex and mirrors its owner into the arena, where the
 * step scheduler reads it: a lane whose next operation is il_mutex_lock()
 * on a mutex another lane holds is BLOCKED and is not offered a step.  In
 * free mode the lock is a real pthread mutex under real contention.
 *
 * Events: lock_wait when the lane asks, lock when it holds the mutex,
 * unlock when it lets go.
 */
#ifndef INTERLEAVE_PRIMS_IL_MUTEX_H
#define INTERLEAVE_PRIMS_IL_MUTEX_H

#include <pthread.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"

typedef struct IlMutex {
    pthread_mutex_t mu;
    ArenaObj *obj;   /* immutable after init; value = owner lane, -1 = free */
    uint32_t index;  /* immutable after init; arena object index */
} IlMutex;

/*
 * Initialise mutex (caller-provided storage) and register it in arena as
 * name.  Returns 0, -ENOSPC (arena full) or a negative pthread error.
 * Thread: setup only.
 */
int il_mutex_init(IlMutex *mutex, Arena *arena, const char *name) ATTR_WARN_UNUSED_RESULT;

/* Destroy mutex.  Thread: after every lane finished. */
void il_mutex_destroy(IlMutex *mutex);

/* Lock mutex.  One step (the acquisition).  Thread: lane. */
void il_mutex_lock(IlMutex *mutex);

/* Unlock mutex (held by the calling lane).  One step.  Thread: lane. */
void il_mutex_unlock(IlMutex *mutex);

#endif /* INTERLEAVE_PRIMS_IL_MUTEX_H */
