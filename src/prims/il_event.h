/*
 * il_event.h - an instrumented event (Python's threading.Event).
 *
 * A flag lanes wait for: il_event_set() raises it and wakes every lane
 * waiting, il_event_clear() lowers it, il_event_wait() returns at once if
 * it is up and otherwise sleeps until the next set.  As in CPython
 * (Lib/threading.py, Event.wait over a Condition), a lane woken by a set
 * returns even if the flag was cleared again before it ran.
 *
 * Step mode: the wait is a step that looks at the flag (event_wait, value
 * 1 = up, 0 = down); a lane that found it down sleeps (pending op
 * EV_EVENT_SLEEP, blocked) until a set turns its pending op into
 * EV_EVENT_WAKE, and returns on its next step (event_wake).
 */
#ifndef INTERLEAVE_PRIMS_IL_EVENT_H
#define INTERLEAVE_PRIMS_IL_EVENT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"

typedef struct IlEvent {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    ArenaObj *obj;  /* immutable after init; value: the flag (changed under mu) */
    uint32_t index; /* immutable after init */
    uint64_t sets;  /* GUARDED_BY(mu): sets so far (free mode's wakeup generation) */
} IlEvent;

/* Initialise event, flag down (storage in the run's shared heap),
 * registered as name.  Returns 0, -ENOSPC or a negative pthread error.
 * Thread: setup. */
int il_event_init(IlEvent *event, Arena *arena, const char *name) ATTR_WARN_UNUSED_RESULT;

/* Raise the flag and wake every waiter.  One step.  Thread: lane. */
void il_event_set(IlEvent *event);

/* Lower the flag.  One step.  Thread: lane. */
void il_event_clear(IlEvent *event);

/* Return when the flag is up, or after the next set.  One step, plus one
 * to wake when the lane had to sleep.  Thread: lane. */
void il_event_wait(IlEvent *event);

/* Read the flag (a load).  One step.  Thread: lane. */
bool il_event_is_set(IlEvent *event);

#endif /* INTERLEAVE_PRIMS_IL_EVENT_H */
