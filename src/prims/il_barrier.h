/*
 * il_barrier.h - an instrumented barrier (Python's threading.Barrier).
 *
 * parties lanes meet: each that calls il_barrier_wait() waits until
 * `parties` lanes have arrived in the round, then they all go on and the
 * next round begins.  A party count that does not match the lanes that
 * arrive is the classic mistake: too many and the round never fills (a
 * deadlock the run reports), too few and a round fills before everyone
 * arrived (the lesson's broken variant shows what that lets through).
 *
 * Step mode: arriving is a step (barrier_wait, value: lanes arrived).  A
 * lane that did not fill the round then sleeps (pending op
 * EV_BARRIER_SLEEP, blocked); the lane that fills it turns every sleeper's
 * pending op into EV_BARRIER_PASS, and each passes on its next step
 * (barrier_pass, value: the round).  Free mode: a mutex and a condition
 * variable with a round counter, so the arena object always holds the
 * lanes arrived in the current round.
 */
#ifndef INTERLEAVE_PRIMS_IL_BARRIER_H
#define INTERLEAVE_PRIMS_IL_BARRIER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"

typedef struct IlBarrier {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    ArenaObj *obj;    /* immutable after init; value: lanes arrived this round (under mu) */
    uint32_t index;   /* immutable after init */
    uint32_t parties; /* immutable after init */
    uint64_t round;   /* GUARDED_BY(mu): rounds filled so far */
} IlBarrier;

/* Initialise barrier for parties lanes (1..65535; storage in the run's
 * shared heap), registered as name.  Returns 0, -EINVAL (parties),
 * -ENOSPC or a negative pthread error.  Thread: setup. */
int il_barrier_init(IlBarrier *barrier, Arena *arena, const char *name,
                    unsigned parties) ATTR_WARN_UNUSED_RESULT;

/* Arrive and wait for the round to fill.  Returns true for the lane that
 * filled it.  One step, plus one to pass when the lane had to wait.
 * Thread: lane. */
bool il_barrier_wait(IlBarrier *barrier);

#endif /* INTERLEAVE_PRIMS_IL_BARRIER_H */
