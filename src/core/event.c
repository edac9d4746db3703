/*
 * event.c - names of event kinds, one table indexed by kind.
 */
#include "config.h"

#include "core/event.h"

#include <stddef.h>

static const char *const event_names[EV_KIND_COUNT] = {
    [EV_NONE] = "none",
    [EV_LANE_START] = "start",
    [EV_LANE_END] = "end",
    [EV_LOAD] = "load",
    [EV_STORE] = "store",
    [EV_COMPUTE] = "compute",
    [EV_ATOMIC_ADD] = "fetch_add",
    [EV_LOCK_WAIT] = "lock_wait",
    [EV_LOCK_ACQUIRE] = "lock",
    [EV_LOCK_RELEASE] = "unlock",
    [EV_LOCK_TRY_FAIL] = "trylock_fail",
    [EV_LOCK_TIMEOUT] = "lock_timeout",
    [EV_LOCK_TRY] = "trylock",
    [EV_LOCK_TIMED] = "timedlock",
    [EV_SEM_WAIT] = "sem_wait",
    [EV_SEM_ACQUIRE] = "sem_acquire",
    [EV_SEM_POST] = "sem_post",
    [EV_COND_WAIT] = "cond_wait",
    [EV_COND_WAKE] = "cond_wake",
    [EV_COND_SIGNAL] = "signal",
    [EV_COND_BROADCAST] = "broadcast",
    [EV_COND_SPURIOUS] = "spurious",
    [EV_COND_SLEEP] = "cond_sleep",
    [EV_PIPE_WRITE] = "pipe_write",
    [EV_PIPE_READ] = "pipe_read",
    [EV_PIPE_WAIT] = "pipe_wait",
    [EV_LANE_DIED] = "died",
    [EV_LANE_REAPED] = "reaped",
    [EV_REAP] = "reap",
    [EV_MARK] = "mark",
    [EV_PROGRESS] = "progress",
    [EV_VIOLATION] = "violation",
};

const char *event_kind_name(unsigned kind)
{
    if (kind < EV_KIND_COUNT && event_names[kind] != NULL) {
        return event_names[kind];
    }
    return "?";
}
