/*
 * il_cond.h - an instrumented, scheduler-aware condition variable.
 *
 * The textbook partner of a mutex: a lane holding the mutex calls
 * il_cond_wait() to let go of it and sleep until another lane calls
 * il_cond_signal() (wake one sleeper) or il_cond_broadcast() (wake all);
 * the woken lane takes the mutex back before il_cond_wait() returns.  A
 * wakeup says "look again", never "your condition holds", so every wait
 * belongs in a loop:
 *
 *     il_mutex_lock(&m);
 *     while (il_load(count) == 0) {
 *         il_cond_wait(&not_empty, &m);
 *     }
 *
 * Step mode.  The wait is a step ("wait not_empty": the lane lets go of
 * the mutex and falls asleep).  An asleep lane is BLOCKED and never
 * offered a step.  il_cond_signal() wakes the lane that has slept longest
 * (first in, first out, so a replay is deterministic); il_cond_broadcast()
 * wakes them all.  A woken lane is BLOCKED while the mutex is held and
 * READY once it is free; its next step takes the mutex back and returns
 * from the wait.  The schedule token ~B wakes lane B spuriously: with no
 * signal at all, exactly as POSIX allows pthread_cond_wait() to return.
 *
 * Free mode.  A real pthread condition variable.  The lane publishes that
 * it sleeps on the cond (its slot's op is EV_COND_SLEEP) and the arena
 * object counts the sleepers not yet woken, so the front end can tell a
 * hang (everyone asleep, no wakeup on its way) from a wakeup in flight.
 * That count is kept under the mutex: call il_cond_signal() and
 * il_cond_broadcast() with the mutex held, as every lesson does.
 *
 * A cond is used with one mutex (POSIX leaves mixing mutexes undefined);
 * the first wait records which one in the arena object's pad.
 *
 * Events: cond_wait then unlock when the lane falls asleep (value: the
 * mutex); cond_wake then lock when it holds the mutex again (cond_wake
 * value: 1 for a spurious wakeup, else 0); signal (value: the lane woken in
 * step mode, -1 for none or not known) and broadcast (value: lanes woken
 * in step mode, -1 in free mode).
 */
#ifndef INTERLEAVE_PRIMS_IL_COND_H
#define INTERLEAVE_PRIMS_IL_COND_H

#include <pthread.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"
#include "prims/il_mutex.h"

typedef struct IlCond {
    pthread_cond_t cv;
    ArenaObj *obj;    /* immutable after init; value = sleepers not yet woken, pad = mutex */
    uint32_t index;   /* immutable after init; arena object index */
    uint32_t pending; /* free mode: wakeups sent, not yet taken; GUARDED_BY(the mutex) */
} IlCond;

/*
 * Initialise cond (caller-provided storage) and register it in arena as
 * name.  Process-shared when the run has process lanes, like IlMutex: the
 * storage must then be in the run's shared heap.  Returns 0, -ENOSPC
 * (arena full) or a negative pthread error.  Thread: setup only.
 */
int il_cond_init(IlCond *cond, Arena *arena, const char *name) ATTR_WARN_UNUSED_RESULT;

/* Initialise a plain pthread condition variable for the run of arena
 * (process-shared when it has process lanes).  Returns 0 or a negative
 * pthread error.  Thread: setup only. */
int il_cond_init_pthread(pthread_cond_t *cv, const Arena *arena) ATTR_WARN_UNUSED_RESULT;

/* Destroy cond.  Thread: after every lane finished. */
void il_cond_destroy(IlCond *cond);

/*
 * Let go of mutex (held by the calling lane), sleep until woken, take
 * mutex back.  Two steps in step mode: the wait, and the wake (taking the
 * mutex back), with the lane asleep in between.  May return without a
 * signal (a spurious wakeup): check the condition again.  Thread: lane.
 */
void il_cond_wait(IlCond *cond, IlMutex *mutex);

/* Wake one sleeper (step mode: the longest asleep), or nobody if none
 * sleeps: the wakeup is not kept.  One step.  Call with the mutex held.
 * Thread: lane. */
void il_cond_signal(IlCond *cond);

/* Wake every sleeper.  One step.  Call with the mutex held.  Thread: lane. */
void il_cond_broadcast(IlCond *cond);

/* Lanes asleep on cond and not yet woken, without a step.  Thread: any. */
int64_t il_cond_sleepers(const IlCond *cond);

#endif /* INTERLEAVE_PRIMS_IL_COND_H */
