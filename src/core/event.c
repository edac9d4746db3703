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
    [EV_GIL_WAIT] = "gil_wait",
    [EV_GIL_ACQUIRE] = "gil_take",
    [EV_GIL_RELEASE] = "gil_drop",
    [EV_GIL_DROP_REQUEST] = "drop_request",
    [EV_GIL_SWITCH_WAIT] = "switch_wait",
    [EV_GIL_SWITCHED] = "switched",
    [EV_GIL_FUTILE] = "futile_wakeup",
    [EV_IO_BEGIN] = "io_begin",
    [EV_IO_END] = "io_end",
    [EV_PIPE_WRITE] = "pipe_write",
    [EV_PIPE_READ] = "pipe_read",
    [EV_PIPE_WAIT] = "pipe_wait",
    [EV_LANE_DIED] = "died",
    [EV_LANE_REAPED] = "reaped",
    [EV_REAP] = "reap",
    [EV_LOOP_POLL] = "select",
    [EV_LOOP_WAKE] = "wake",
    [EV_LOOP_RUN] = "run",
    [EV_CO_SPAWN] = "task_create",
    [EV_AWAIT_SLEEP] = "await_sleep",
    [EV_AWAIT_IO] = "await_io",
    [EV_AWAIT_TASK] = "await_task",
    [EV_AWAIT_EVENT] = "await_event",
    [EV_CO_READY] = "ready",
    [EV_CO_RESUME] = "resume",
    [EV_CO_CANCEL] = "task_cancel",
    [EV_CO_BLOCK] = "co_blocking",
    [EV_CO_START] = "task_start",
    [EV_FUT_SUBMIT] = "submit",
    [EV_FUT_RUN] = "task_run",
    [EV_FUT_DONE] = "set_result",
    [EV_FUT_RAISE] = "set_exception",
    [EV_FUT_WAIT] = "result_wait",
    [EV_FUT_GOT] = "result",
    [EV_QUEUE_TAKE] = "take",
    [EV_QUEUE_GOT] = "took",
    [EV_QUEUE_PUT] = "put",
    [EV_QUEUE_SHUTDOWN] = "shutdown",
    [EV_NET_CONNECT] = "connect",
    [EV_NET_RESPONSE] = "response",
    [EV_IO_WAIT] = "io_wait",
    [EV_IO_DONE] = "io_done",
    [EV_MARK] = "mark",
    [EV_PROGRESS] = "progress",
    [EV_VIOLATION] = "violation",
    [EV_RLOCK_ACQUIRE] = "rlock",
    [EV_RLOCK_REENTER] = "rlock_again",
    [EV_RLOCK_RELEASE] = "runlock",
    [EV_RLOCK_TRY] = "rtrylock",
    [EV_RLOCK_TRY_FAIL] = "rtrylock_fail",
    [EV_RW_READ] = "read_lock",
    [EV_RW_WRITE] = "write_lock",
    [EV_RW_READ_RELEASE] = "read_unlock",
    [EV_RW_WRITE_RELEASE] = "write_unlock",
    [EV_BARRIER_WAIT] = "barrier_wait",
    [EV_BARRIER_SLEEP] = "barrier_sleep",
    [EV_BARRIER_PASS] = "barrier_pass",
    [EV_LATCH_COUNT_DOWN] = "count_down",
    [EV_LATCH_WAIT] = "latch_wait",
    [EV_EVENT_SET] = "event_set",
    [EV_EVENT_CLEAR] = "event_clear",
    [EV_EVENT_WAIT] = "event_wait",
    [EV_EVENT_SLEEP] = "event_sleep",
    [EV_EVENT_WAKE] = "event_wake",
    [EV_ATOMIC_CAS] = "cas",
    [EV_SEM_TRY] = "sem_try",
    [EV_SEM_TRY_FAIL] = "sem_try_fail",
    [EV_PASS] = "pass",
    [EV_CS_ENTER] = "cs_enter",
    [EV_CS_EXIT] = "cs_exit",
    [EV_RW_ASK] = "rw_ask",
    [EV_LATCH_ASK] = "latch_ask",
};

static const unsigned char event_effects[EV_KIND_COUNT] = {
    [EV_LOOP_POLL] = EV_EFFECT_WAIT,   [EV_LOOP_WAKE] = EV_EFFECT_RUN,
    [EV_AWAIT_SLEEP] = EV_EFFECT_WAIT, [EV_AWAIT_IO] = EV_EFFECT_WAIT,
    [EV_AWAIT_TASK] = EV_EFFECT_WAIT,  [EV_AWAIT_EVENT] = EV_EFFECT_WAIT,
    [EV_CO_READY] = EV_EFFECT_READY,   [EV_CO_RESUME] = EV_EFFECT_RUN,
    [EV_FUT_WAIT] = EV_EFFECT_WAIT,    [EV_FUT_GOT] = EV_EFFECT_RUN,
    [EV_QUEUE_TAKE] = EV_EFFECT_WAIT,  [EV_QUEUE_GOT] = EV_EFFECT_RUN,
    [EV_NET_CONNECT] = EV_EFFECT_WAIT, [EV_NET_RESPONSE] = EV_EFFECT_RUN,
    [EV_IO_WAIT] = EV_EFFECT_WAIT,     [EV_IO_DONE] = EV_EFFECT_RUN,
};

EventEffect event_kind_effect(unsigned kind)
{
    return kind < EV_KIND_COUNT ? (EventEffect)event_effects[kind] : EV_EFFECT_NONE;
}

const char *event_kind_name(unsigned kind)
{
    if (kind < EV_KIND_COUNT && event_names[kind] != NULL) {
        return event_names[kind];
    }
    return "?";
}
