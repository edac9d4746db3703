/*
 * il_rlock.h - an instrumented re-entrant lock (Python's threading.RLock).
 *
 * The lane that holds it may acquire it again; it is let go when the
 * holder has released it as many times as it acquired it (the depth).
 * Another lane's acquire waits as for a mutex.
 *
 * Step mode: the holder's own acquire has the pending op EV_RLOCK_REENTER,
 * which never blocks; any other lane's has EV_RLOCK_ACQUIRE, blocked while
 * the owner (the arena object's value) is another lane, so a deadlock
 * through re-entrant locks is found and drawn like one through mutexes.
 *
 * Events: rlock (value: the depth after), runlock (value: the depth
 * after), rtrylock_fail.
 */
#ifndef INTERLEAVE_PRIMS_IL_RLOCK_H
#define INTERLEAVE_PRIMS_IL_RLOCK_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"

typedef struct IlRlock {
    pthread_mutex_t mu; /* held while the lock is held, whatever the depth */
    ArenaObj *obj;      /* immutable after init; value = owner lane, -1 = free */
    uint32_t index;     /* immutable after init */
    uint32_t depth;     /* written only by the holder */
} IlRlock;

/* Initialise lock (storage in the run's shared heap) and register it in
 * arena as name.  Returns 0, -ENOSPC or a negative pthread error.
 * Thread: setup only. */
int il_rlock_init(IlRlock *lock, Arena *arena, const char *name) ATTR_WARN_UNUSED_RESULT;

/* Acquire lock (again, if the calling lane holds it).  One step.
 * Thread: lane. */
void il_rlock_acquire(IlRlock *lock);

/* Acquire lock without waiting: true when the calling lane now holds it.
 * One step, never blocked.  Thread: lane. */
bool il_rlock_tryacquire(IlRlock *lock);

/* Release lock once.  Returns 0, or -EPERM (and changes nothing) when the
 * calling lane does not hold it (Python raises RuntimeError).  One step.
 * Thread: lane. */
int il_rlock_release(IlRlock *lock);

/* True when the calling lane holds lock.  Not a step.  Thread: lane. */
bool il_rlock_mine(const IlRlock *lock);

#endif /* INTERLEAVE_PRIMS_IL_RLOCK_H */
