/*
 * event.h - the fixed-size trace event and the numbered event kinds.
 *
 * Kinds are grouped in blocks of ten and never renumbered: a retired value
 * stays in place as unused, because recordings and exports carry them.
 * The same numbers name a lane's pending operation in step mode (the kind
 * of event the operation will record when it runs).
 */
#ifndef INTERLEAVE_CORE_EVENT_H
#define INTERLEAVE_CORE_EVENT_H

#include <stddef.h>
#include <stdint.h>

typedef enum EventKind {
    EV_NONE = 0,
    /* lane lifecycle */
    EV_LANE_START = 1, /* value: 0 */
    EV_LANE_END = 2,   /* value: operations performed */
    /* shared memory and local work */
    EV_LOAD = 10,       /* obj: variable; value: value read into the register */
    EV_STORE = 11,      /* obj: variable; value: value written */
    EV_COMPUTE = 12,    /* obj: label; value: register after the computation */
    EV_ATOMIC_ADD = 13, /* obj: variable; value: value after the add */
    /* mutexes */
    EV_LOCK_WAIT = 20,     /* obj: mutex; the lane asks for the lock */
    EV_LOCK_ACQUIRE = 21,  /* obj: mutex; the lane holds it */
    EV_LOCK_RELEASE = 22,  /* obj: mutex */
    EV_LOCK_TRY_FAIL = 23, /* obj: mutex; a try-lock found it held and returned */
    EV_LOCK_TIMEOUT = 24,  /* obj: mutex; a timed lock gave up; value: timeout in ms */
    EV_LOCK_TRY = 25,      /* obj: mutex; pending op of a try-lock (never blocks) */
    EV_LOCK_TIMED = 26,    /* obj: mutex; pending op of a timed lock (never blocked in step
                            * mode: a step granted while the mutex is held is the timeout) */
    /* counting semaphores */
    EV_SEM_WAIT = 30,    /* obj: semaphore; the lane asks for a unit; value: count seen */
    EV_SEM_ACQUIRE = 31, /* obj: semaphore; the lane took a unit; value: count after */
    EV_SEM_POST = 32,    /* obj: semaphore; value: count after */
    /* condition variables */
    EV_COND_WAIT = 40,      /* obj: cond; the lane let go of the mutex and sleeps; value: the
                             * mutex.  As a pending op: the step that starts the wait */
    EV_COND_WAKE = 41,      /* obj: cond; the lane woke and holds the mutex again; value:
                             * 0 signal or broadcast, 1 spurious.  As a pending op (step
                             * mode): signalled, blocked while the mutex is held */
    EV_COND_SIGNAL = 42,    /* obj: cond; value: the lane woken (step mode), -1 = none or
                             * not known (free mode) */
    EV_COND_BROADCAST = 43, /* obj: cond; value: lanes woken (step mode), -1 = not known */
    EV_COND_SPURIOUS = 44,  /* pending op only (step mode): woken by a spurious wakeup
                             * (the schedule token ~X), blocked while the mutex is held */
    EV_COND_SLEEP = 45,     /* pending op only: asleep on obj (a cond), not runnable until
                             * signalled; free mode: inside pthread_cond_wait */
    /* a global interpreter lock (the GIL: one lock a lane must hold to run,
     * after CPython's Python/ceval_gil.c) and blocking I/O done without it */
    EV_GIL_WAIT = 50,         /* obj: the GIL; the lane asks for it (take_gil) */
    EV_GIL_ACQUIRE = 51,      /* obj: the GIL; the lane holds it; value: the lane that held
                               * it last, -1 = none.  As a pending op (step mode): "take the
                               * GIL", blocked while another lane holds it and a drop request
                               * is out (or the GIL takes none: the object's pad is 0); while
                               * it is held and no request is out, a step granted is one
                               * switch interval that passes (the timed wait expires) */
    EV_GIL_RELEASE = 52,      /* obj: the GIL; value: why (1 a drop request, 2 I/O, 3 the
                               * check interval, 4 the lane's end) */
    EV_GIL_DROP_REQUEST = 53, /* obj: the GIL; a waiter's interval passed with no switch: it
                               * asks the holder to drop the GIL; value: the holder */
    EV_GIL_SWITCH_WAIT = 54,  /* pending op only (step mode): forced switching, the lane
                               * dropped the GIL on request and waits until another lane has
                               * taken it; blocked until one did */
    EV_GIL_SWITCHED = 55,     /* obj: the GIL; forced switching: another lane took the GIL
                               * the lane dropped; value: that lane */
    EV_GIL_FUTILE = 56,       /* obj: the GIL; a waiter woke and found the GIL taken again
                               * (a futile wake-up); value: the holder */
    EV_IO_BEGIN = 57,         /* obj: what the I/O is on (a label); the lane blocks in I/O,
                               * holding no global lock; value: us asked */
    EV_IO_END = 58,           /* obj: as EV_IO_BEGIN; the I/O returned; value: us it took
                               * (free mode), 0 (step).  As a pending op: the I/O completes */
    /* pipes between lanes (prims/il_pipe.h): fixed-size messages, each with a
     * tag the demo chooses (a task id) */
    EV_PIPE_WRITE = 70, /* obj: pipe; value: the message's tag.  As a pending op: blocked
                         * while the pipe is full */
    EV_PIPE_READ = 71,  /* obj: pipe; value: the tag of the message read, or -(1 + lane)
                         * when the read found that writer lane dead.  As a pending op:
                         * blocked while the pipe is empty and none of its writers died */
    EV_PIPE_WAIT = 72,  /* obj: pipe; the lane is about to read an empty pipe and waits
                         * until a message (or a writer's death) arrives; value: 0 */
    /* lane processes (recorded by the sandbox on the lane's own ring, once the
     * lane can no longer write to it) */
    EV_LANE_DIED = 60,   /* the lane's process ended before the lane finished; from here
                          * until EV_LANE_REAPED it is a zombie.  value: its waitpid status */
    EV_LANE_REAPED = 61, /* the sandbox reaped the process (waitpid): the zombie is gone;
                          * value: its waitpid status */
    EV_REAP = 62,        /* a lane (the parent, a thread of the sandbox) reaped a dead
                          * lane's process (prims/il_proc.h); value: that lane.  As a
                          * pending op it never blocks */
    /* user marks */
    EV_MARK = 90,
    EV_PROGRESS = 91,  /* the demo finished a unit of work (a transfer, a meal);
                        * value: the lane's progress count after it */
    EV_VIOLATION = 92, /* the lane saw an invariant broken (arena_violation);
                        * obj: the object involved, 0 = none; value: demo-specific
                        * (an item or slot) */
    /* re-entrant and read-write locks (prims/il_rlock.h, il_rwlock.h) */
    EV_RLOCK_ACQUIRE = 110,    /* obj: rlock; the lane holds it; value: its depth after.  As a
                                * pending op: blocked while another lane holds it */
    EV_RLOCK_REENTER = 111,    /* pending op only: the holder takes it again (never blocks) */
    EV_RLOCK_RELEASE = 112,    /* obj: rlock; value: the depth after (0 = let go) */
    EV_RLOCK_TRY = 113,        /* pending op of a try-acquire (never blocks) */
    EV_RLOCK_TRY_FAIL = 114,   /* obj: rlock; held by another lane, the try returned */
    EV_RW_READ = 115,          /* obj: rwlock; the lane reads under it; value: readers after.
                                * As a pending op: blocked while a writer holds it */
    EV_RW_WRITE = 116,         /* obj: rwlock; the lane holds it alone.  As a pending op:
                                * blocked while a writer or any reader holds it */
    EV_RW_READ_RELEASE = 117,  /* obj: rwlock; value: readers after */
    EV_RW_WRITE_RELEASE = 118, /* obj: rwlock */
    /* barriers, countdown latches, events (prims/il_barrier.h, il_latch.h, il_event.h) */
    EV_BARRIER_WAIT = 120,     /* obj: barrier; the lane arrives; value: lanes arrived in this
                                * round, itself included */
    EV_BARRIER_SLEEP = 121,    /* pending op only: arrived, asleep until the round fills */
    EV_BARRIER_PASS = 122,     /* obj: barrier; the round filled and the lane goes on; value:
                                * the round (0, 1, ...).  As a pending op: released */
    EV_LATCH_COUNT_DOWN = 123, /* obj: latch; value: the count after */
    EV_LATCH_WAIT = 124,       /* obj: latch; the count reached 0 and the wait returned.  As a
                                * pending op: blocked while the count is above 0 */
    EV_EVENT_SET = 125,        /* obj: event; value: sleepers woken (step mode), -1 = not known */
    EV_EVENT_CLEAR = 126,      /* obj: event */
    EV_EVENT_WAIT = 127,       /* obj: event; the step that looks at the flag; value: 1 = it
                                * was set (the wait returns), 0 = the lane falls asleep */
    EV_EVENT_SLEEP = 128,      /* pending op only: asleep until the event is set */
    EV_EVENT_WAKE = 129,       /* obj: event; woken by a set, the wait returns.  As a pending
                                * op: woken (never blocks) */
    /* atomics, a semaphore's try, scenario steps and checks (scenario/) */
    EV_ATOMIC_CAS = 130,   /* obj: variable; value: 1 = swapped, 0 = the value differed */
    EV_SEM_TRY = 131,      /* pending op of a semaphore try-acquire (never blocks) */
    EV_SEM_TRY_FAIL = 132, /* obj: semaphore; its count was 0, the try returned */
    EV_PASS = 133,         /* a step that does nothing (`pass`, a loop's turn); obj: label.
                            * The explorer counts a switch away from it as no preemption */
    EV_CS_ENTER = 134,     /* obj: label; the lane entered a critical section (not a step);
                            * value: lanes inside after */
    EV_CS_EXIT = 135,      /* obj: label; it left (not a step); value: lanes inside after */
    /* a lane asks for a read-write lock or waits at a latch: recorded before
     * it may wait (as EV_LOCK_WAIT for a mutex), so a timeline can draw the
     * wait; the take or the return is EV_RW_READ, EV_RW_WRITE, EV_LATCH_WAIT */
    EV_RW_ASK = 136,    /* obj: rwlock; value: 0 = to read, 1 = to write (not a step) */
    EV_LATCH_ASK = 137, /* obj: latch; value: the count the lane saw; above 0 it waits until
                         * the count is 0 (not a step) */
    /* event loops (prims/il_loop.h), on the loop's own lane (its OS thread) */
    EV_LOOP_POLL = 200, /* obj: the loop's select label; value: timeout in ns, -1 = none.
                         * Free: the loop waits in epoll_wait(); step: for a grant to
                         * one of its coroutines */
    EV_LOOP_WAKE = 201, /* the loop is back from epoll_wait(); value: descriptors ready */
    EV_LOOP_RUN = 202,  /* obj: the task resumed; value: its lane.  The loop switches to a
                         * coroutine (until its next await) */
    /* coroutines (prims/il_loop.h), on the coroutine's lane.  An await's event
     * names what it awaits (a timer label, a channel, a task, an event); as a
     * pending op (step mode) its obj is the lane's OBJ_AWAIT instead */
    EV_CO_SPAWN = 210,    /* obj: the task created (create_task, gather); value: its lane */
    EV_AWAIT_SLEEP = 211, /* obj: the loop's timer label; value: delay in ns */
    EV_AWAIT_IO = 212,    /* obj: the channel (a descriptor); value: POLLIN or POLLOUT */
    EV_AWAIT_TASK = 213,  /* obj: the task awaited; value: its lane */
    EV_AWAIT_EVENT = 214, /* obj: the loop event (asyncio.Event/Condition) awaited */
    EV_CO_READY = 215,    /* obj: what it awaited; value: ns the loop was late (a timer
                           * due while the loop was busy), 0 otherwise.  Recorded by the
                           * loop: t is when it became ready (a timer: its due time) */
    EV_CO_RESUME = 216,   /* obj: what it awaited; value: what the await returns: 0,
                           * -ECANCELED (cancelled), -ETIMEDOUT (wait_for timed out) */
    EV_CO_CANCEL = 217,   /* obj: the task cancelled; value: its lane (on the canceller) */
    EV_CO_BLOCK = 218,    /* obj: label; value: ns.  A blocking call without an await
                           * (time.sleep, CPU work): nothing else on the loop runs */
    EV_CO_START = 219,    /* pending op only: a created task waits for its first turn */
    /* futures, thread pools and threads (prims/il_future.h) */
    EV_FUT_SUBMIT = 220,     /* obj: the future; value: task number.  On the submitter */
    EV_FUT_RUN = 221,        /* obj: the future; value: task number.  A worker starts it */
    EV_FUT_DONE = 222,       /* obj: the future; value: its result (FUT_DONE) */
    EV_FUT_RAISE = 223,      /* obj: the future; value: the error (FUT_FAILED): the task raised */
    EV_FUT_WAIT = 224,       /* obj: the future; the lane waits in result() or join() */
    EV_FUT_GOT = 225,        /* obj: the future; value: the result, or the error re-raised
                              * (negative) in the caller */
    EV_QUEUE_TAKE = 226,     /* obj: the work queue; the lane waits for an item (a worker for
                              * a task, as_completed for a finished future).  Pending op too */
    EV_QUEUE_GOT = 227,      /* obj: the work queue; value: the item, -1 = shut down */
    EV_QUEUE_PUT = 228,      /* obj: the work queue; value: items queued after */
    EV_QUEUE_SHUTDOWN = 229, /* obj: the work queue; value: items still queued */
    /* network (demos' HTTP clients over real sockets) */
    EV_NET_CONNECT = 230,  /* obj: label; value: the page requested.  The request begins
                            * (connect); the lane waits for the response */
    EV_NET_RESPONSE = 231, /* obj: label; value: bytes received.  The response is in */
    EV_IO_WAIT = 232,      /* obj: label; value: ns.  A lane blocks in I/O or a sleep
                            * (time.sleep standing for a disk, a network, a kettle) */
    EV_IO_DONE = 233,      /* obj: label; value: ns it waited */
    EV_KIND_COUNT
} EventKind;

/* One recorded event: 24 bytes, no pointers. */
typedef struct Event {
    uint64_t t;    /* step number (step/replay), or ns since the lanes' start (free):
                    * the lane's clock at this event, or, for a plain memory
                    * access while the lane's accesses come densely (under 1 us
                    * apart), at most 7 accesses earlier with no other event
                    * between (core/sched.h, sched_event_time) */
    int64_t value; /* kind-specific, see EventKind */
    uint32_t obj;  /* arena object index, 0 = none */
    uint16_t lane; /* lane index: 0 = A, 1 = B, ... */
    uint16_t kind; /* EventKind */
} Event;

/* Short lowercase name of kind ("load", "lock"), or "?" for unknown ones.
 * Thread: any thread. */
const char *event_kind_name(unsigned kind);

/*
 * What an event does to its lane's state on a timeline, for the kinds
 * added from the event-loop block on (the older kinds keep their own
 * rules in view/timeline.c): nothing, the start of a wait (the event's
 * obj says what for: a demo's wait class), the end of one (running), or
 * ready to run (the awaited thing is done; the loop has not resumed it).
 */
typedef enum EventEffect {
    EV_EFFECT_NONE = 0,
    EV_EFFECT_WAIT = 1,
    EV_EFFECT_RUN = 2,
    EV_EFFECT_READY = 3
} EventEffect;

/* The effect of kind.  Thread: any thread. */
EventEffect event_kind_effect(unsigned kind);

/*
 * The first index in [lo, hi) of ev, events in time order (one lane's, or
 * a log), whose time is t or later; hi when there is none.  A bisection:
 * O(log(hi - lo)).  Thread: any thread.
 */
static inline size_t event_at_or_after(const Event *ev, size_t lo, size_t hi, uint64_t t)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ev[mid].t < t) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

#endif /* INTERLEAVE_CORE_EVENT_H */
