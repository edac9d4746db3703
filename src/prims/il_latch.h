/*
 * il_latch.h - an instrumented countdown latch (Java's CountDownLatch).
 *
 * It starts at a count; il_latch_count_down() lowers it by one (never
 * below 0), and il_latch_wait() waits until it is 0.  Once open it stays
 * open.  Step mode: a wait is blocked while the count is above 0 (pending
 * op EV_LATCH_WAIT).
 *
 * Events: count_down (value: the count after), latch_wait when the wait
 * returned.
 */
#ifndef INTERLEAVE_PRIMS_IL_LATCH_H
#define INTERLEAVE_PRIMS_IL_LATCH_H

#include <pthread.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"

typedef struct IlLatch {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    ArenaObj *obj; /* immutable after init; value: the count (changed under mu) */
    uint32_t index;
} IlLatch;

/* Initialise latch at count (storage in the run's shared heap), registered
 * as name.  Returns 0, -ENOSPC or a negative pthread error.  Thread: setup. */
int il_latch_init(IlLatch *latch, Arena *arena, const char *name,
                  unsigned count) ATTR_WARN_UNUSED_RESULT;

/* Lower the count by one (at 0 it stays 0).  One step.  Thread: lane. */
void il_latch_count_down(IlLatch *latch);

/* Wait until the count is 0.  One step.  Thread: lane. */
void il_latch_wait(IlLatch *latch);

#endif /* INTERLEAVE_PRIMS_IL_LATCH_H */
