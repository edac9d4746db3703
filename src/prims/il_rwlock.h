/*
 * il_rwlock.h - an instrumented read-write lock.
 *
 * Many readers at once, or one writer alone.  Readers are preferred: a
 * reader gets in whenever no writer holds the lock, even while a writer
 * waits, so a steady stream of readers can starve a writer (the
 * readers-writers problem, first variant: Courtois, Heymans and Parnas,
 * "Concurrent control with readers and writers", CACM 1971).  glibc's
 * default pthread_rwlock_t prefers readers the same way
 * (PTHREAD_RWLOCK_PREFER_READER_NP).
 *
 * The lock is a mutex and a condition variable of its own, so that the
 * arena object always says who is inside: its value is the number of
 * readers (>= 0), or -2 - the writing lane.  Step mode: a read is blocked
 * while a writer holds it, a write while anyone holds it.
 *
 * Events: read_lock / write_lock when the lane is inside (value: readers
 * after), read_unlock / write_unlock.
 */
#ifndef INTERLEAVE_PRIMS_IL_RWLOCK_H
#define INTERLEAVE_PRIMS_IL_RWLOCK_H

#include <pthread.h>

#include "core/arena.h"
#include "core/compiler.h"

typedef struct IlRwlock {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* waiters for a change, readers and writers alike */
    ArenaObj *obj;     /* immutable after init; value: see above; changed under mu */
    uint32_t index;
} IlRwlock;

/* Initialise lock (storage in the run's shared heap) and register it as
 * name.  Returns 0, -ENOSPC or a negative pthread error.  Thread: setup. */
int il_rwlock_init(IlRwlock *lock, Arena *arena, const char *name) ATTR_WARN_UNUSED_RESULT;

/* Enter as a reader (waits while a writer is inside).  One step.  Thread: lane. */
void il_rwlock_read(IlRwlock *lock);

/* Enter as the writer (waits while anyone is inside).  One step.  Thread: lane. */
void il_rwlock_write(IlRwlock *lock);

/* Leave as a reader.  Returns 0, or -EPERM when no reader is inside (the
 * lock is unchanged).  One step.  Thread: lane. */
int il_rwlock_read_release(IlRwlock *lock);

/* Leave as the writer.  Returns 0, or -EPERM when the calling lane is not
 * the writer.  One step.  Thread: lane. */
int il_rwlock_write_release(IlRwlock *lock);

#endif /* INTERLEAVE_PRIMS_IL_RWLOCK_H */
