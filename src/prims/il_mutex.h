/*
 * il_mutex.h - an instrumented, scheduler-aware mutex.
 *
 * Wraps a pthread mutex and mirrors its owner into the arena, where the
 * step scheduler reads it: a lane whose next operation is il_mutex_lock()
 * on a mutex another lane holds is BLOCKED and is not offered a step.  In
 * free mode the lock is a real pthread mutex under real contention, and a
 * lane about to block publishes what it waits for in its arena slot, so
 * the front end can draw the wait-for graph and see a deadlock form.
 *
 * Three ways to ask for the lock:
 *   il_mutex_lock       waits as long as it takes (can deadlock);
 *   il_mutex_trylock    never waits: fails at once if the mutex is held;
 *   il_mutex_timedlock  waits at most timeout_ms.  In step mode a timed
 *                       lock is never BLOCKED: a step granted while the
 *                       mutex is held is the moment the timeout expires.
 *
 * Events: lock_wait when the lane asks (lock, timedlock), lock when it
 * holds the mutex, unlock when it lets go, trylock_fail and lock_timeout
 * when it gave up.
 */
#ifndef INTERLEAVE_PRIMS_IL_MUTEX_H
#define INTERLEAVE_PRIMS_IL_MUTEX_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"

typedef struct IlMutex {
    pthread_mutex_t mu;
    ArenaObj *obj;  /* immutable after init; value = owner lane, -1 = free */
    uint32_t index; /* immutable after init; arena object index */
} IlMutex;

/*
 * Initialise mutex (caller-provided storage) and register it in arena as
 * name.  When the run has process lanes (arena->process_lanes), the mutex
 * is process-shared and its storage must be in the run's shared heap
 * (DemoCtx.heap); a mutex in memory a lane process got by fork() is only
 * a copy.  Returns 0, -ENOSPC (arena full) or a negative pthread error.
 * Thread: setup only.
 */
int il_mutex_init(IlMutex *mutex, Arena *arena, const char *name) ATTR_WARN_UNUSED_RESULT;

/*
 * Initialise a plain pthread mutex the way the primitives need it for the
 * run of arena: process-shared when the run has process lanes.  Returns 0
 * or a negative pthread error.  Thread: setup only.
 */
int il_mutex_init_pthread(pthread_mutex_t *mu, const Arena *arena) ATTR_WARN_UNUSED_RESULT;

/* Destroy mutex.  Thread: after every lane finished. */
void il_mutex_destroy(IlMutex *mutex);

/* Lock mutex.  One step (the acquisition).  Thread: lane. */
void il_mutex_lock(IlMutex *mutex);

/*
 * Try to lock mutex without waiting.  Returns true when the calling lane
 * now holds it, false when another lane (or this one) held it.  One step,
 * never blocked.  Thread: lane.
 */
bool il_mutex_trylock(IlMutex *mutex);

/*
 * Lock mutex, waiting at most timeout_ms milliseconds (free mode: a real
 * pthread_mutex_timedlock).  Returns 0 when the lane holds it, -ETIMEDOUT
 * when it gave up.  One step, never blocked in step mode.  Thread: lane.
 */
int il_mutex_timedlock(IlMutex *mutex, uint32_t timeout_ms);

/* Unlock mutex (held by the calling lane).  One step.  Thread: lane. */
void il_mutex_unlock(IlMutex *mutex);

#endif /* INTERLEAVE_PRIMS_IL_MUTEX_H */
