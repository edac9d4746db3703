/*
 * il_loop.h - an event loop with coroutines: Python's asyncio, in C.
 *
 * DESIGN
 * One lane of a run, the host, runs the loop on its OS thread (asyncio.run
 * (main()) is il_loop_run); every coroutine is a lane of its own
 * (LANE_KIND_COROUTINE, core/lane_exec.h) with its own stack and its own
 * event ring, and runs on the host's thread only when the loop switches
 * to it.  A coroutine gives the thread back only where it awaits: a sleep
 * (a timer), a descriptor (a pipe, a socket), another task, an event.
 * Between two awaits nothing else on the loop runs, so code without an
 * await in it (a CPU loop, a time.sleep(): il_blocking_call) holds every
 * other coroutine back.
 *
 * The loop is asyncio's BaseEventLoop._run_once: a FIFO ready queue, a
 * heap of timers, and the readiness of real descriptors through epoll(7).
 * One iteration waits in epoll_wait() (no time when a coroutine is ready,
 * until the next timer otherwise), moves the coroutines whose descriptors
 * are ready and whose timers are due to the ready queue, then runs the
 * coroutines that were ready when the iteration began, each to its next
 * await.  A task (il_task_*) is a coroutine lane as a future: created
 * (create_task) it is ready; done, it wakes the tasks that await it.
 * Cancelling (task.cancel()) wakes the task at its await with -ECANCELED
 * (CancelledError): it can clean up, and the task that awaits it sees it
 * finish.
 *
 * Step mode: the student picks, among the coroutines the loop has made
 * ready, which one runs next, and a step runs it to its next await (its
 * host waits for the grant: core/sched.h, HOSTS AND GUESTS).  Time there
 * is the loop's own, virtual clock: it stands still while coroutines run,
 * moves by a blocking call's duration, and jumps to the next timer when no
 * coroutine is ready (trio's MockClock with autojump_threshold=0), so a
 * schedule replays the same waits, the same timeouts and the same late
 * timers on every machine.  Descriptors are polled without waiting; only
 * when nothing else can move does the loop wait for one, up to
 * IL_LOOP_STEP_IO_MS (a peer outside the loop, a server).
 *
 * Free mode: the clock is the run's (ns since the lanes started).  A
 * timer that came due while the loop was busy is late by the time it
 * waited for the loop; its coroutine's ready event is dated when it came
 * due, so the timeline shows it ready, and held back, from then on.
 *
 * Each coroutine's arena objects: its task (OBJ_FUTURE: state; pad = its
 * lane + 1) and its await (OBJ_AWAIT: 1 once what it awaits is done; pad
 * = what it awaits), which the scheduler's blocker rows read; the loop's:
 * "select" (a label whose value counts the timers and descriptors it
 * waits for), "sleep" (what a sleeping coroutine awaits) and the shared
 * variable "ready", the length of the ready queue (recorded on the host's
 * lane as it changes).
 *
 * Events: the host records select/wake/run (EV_LOOP_*), the store of
 * "ready", and on a coroutine's ring while it is suspended, its start and
 * its ready moments; a coroutine records its awaits, the tasks it creates
 * and cancels and its blocking calls; the resume (with what the await
 * returns) is recorded on the coroutine's ring as the loop switches to it.
 *
 * Thread: setup functions in the sandbox before the lanes start;
 * il_loop_run on the host lane; everything else inside a coroutine of the
 * loop (that is, on the host's thread).
 */
#ifndef INTERLEAVE_PRIMS_IL_LOOP_H
#define INTERLEAVE_PRIMS_IL_LOOP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/arena.h"
#include "core/compiler.h"
#include "core/sched.h"
#include "prims/il_shared.h"

#define IL_LOOP_STEP_IO_MS                                                                         \
    2000 /* step mode: longest wait for a descriptor when nothing else moves */

typedef struct IlLoop IlLoop;

/* A coroutine lane as a task (asyncio.Task). */
typedef struct IlTask {
    IlLoop *loop;       /* immutable after il_task_init */
    unsigned lane;      /* immutable: the coroutine lane */
    uint32_t obj;       /* immutable: its OBJ_FUTURE */
    uint32_t await_obj; /* immutable: its OBJ_AWAIT */
    /* the rest belongs to the loop (its host's thread) */
    bool spawned, started, done, queued, cancel_req;
    int wait;                               /* what it waits for (IL_W_*, il_loop.c) */
    uint32_t what;                          /* the object it awaits, 0 = none */
    int outcome;                            /* what its await returns when it resumes */
    uint64_t due;                           /* a timer's due time (loop time, ns) */
    unsigned hidx;                          /* its place in the timer heap + 1, 0 = no timer */
    uint64_t seq;                           /* timers due at the same time fire in arming order */
    int fd;                                 /* a descriptor it awaits, -1 = none */
    unsigned pending;                       /* tasks it awaits that are not done */
    uint64_t waiters[ARENA_MAX_LANES / 64]; /* lanes awaiting this task */
    struct IlLoopEvent *event;              /* the event it awaits */
    int64_t result;                         /* its return value (il_task_return) */
    int err;                                /* its error (il_task_raise): -ECANCELED = cancelled */
    /* figures, in loop time (ns) */
    uint64_t wait_t0, ready_t0;
    uint64_t waited_ns; /* awaiting: from each await to the moment it was done */
    uint64_t queued_ns; /* ready, waiting for the loop: from ready to running */
    uint64_t late_ns;   /* of that, how late its timers fired (the loop was busy) */
} IlTask;

/* A descriptor coroutines can await (a pipe's end, a socket). */
typedef struct IlChan {
    IlLoop *loop;
    int fd;       /* non-blocking; the caller owns it */
    uint32_t obj; /* a label named after it */
} IlChan;

/* asyncio.Event: set wakes every coroutine that waits for it. */
typedef struct IlLoopEvent {
    IlLoop *loop;
    uint32_t obj; /* a label: its value is 1 while set */
    bool set;
    uint64_t waiters[ARENA_MAX_LANES / 64];
} IlLoopEvent;

/* What the loop measured (loop time, ns).  Exact once il_loop_run
 * returned; step mode: the virtual clock. */
typedef struct IlLoopStats {
    uint64_t total_ns;    /* from the start of il_loop_run to its end */
    uint64_t waited_ns;   /* the sum of every task's waits (IlTask.waited_ns) */
    uint64_t queued_ns;   /* the sum of time tasks sat ready */
    uint64_t late_ns;     /* the sum of how late timers fired */
    uint64_t late_max_ns; /* the latest timer */
    uint64_t blocked_ns;  /* the sum of blocking calls (il_blocking_call) */
    uint64_t switches;    /* coroutines resumed */
    uint64_t polls;       /* epoll_wait() calls */
    unsigned max_ready;   /* the longest ready queue */
} IlLoopStats;

struct IlLoop {
    Arena *arena;                   /* immutable after init */
    unsigned nlanes;                /* immutable */
    uint32_t select_obj;            /* label "select": value = timers + descriptors waited for */
    uint32_t sleep_obj;             /* label "sleep" */
    IlVar *ready_var;               /* "ready": the ready queue's length */
    IlTask *tasks[ARENA_MAX_LANES]; /* by lane; NULL = not a task of this loop */
    /* the rest belongs to the host while the loop runs */
    Sched *sched;
    LaneCtx *host;
    bool stepping;
    int ep;                          /* epoll descriptor, -1 = none */
    uint64_t vnow;                   /* step mode: the virtual clock (ns) */
    uint64_t t_start;                /* loop time il_loop_run began */
    unsigned ready[ARENA_MAX_LANES]; /* the ready queue (lanes), a ring */
    unsigned rhead, rcount;
    IlTask *heap[ARENA_MAX_LANES]; /* timers, a binary heap by (due, seq) */
    unsigned nheap;
    unsigned nfds; /* descriptors waited for */
    uint64_t seq;
    int64_t ready_shown; /* last value of "ready" recorded */
    IlTask *current;     /* the coroutine running now, NULL = the loop itself */
    IlLoopStats stats;
};

/*
 * Initialise loop for a run whose arena has nlanes lanes: register its
 * objects.  The loop must live in memory every lane of the run sees (the
 * run's shared heap).  Returns 0 or a negative error (-ENOSPC: arena full).
 * Thread: setup only.
 */
int il_loop_init(IlLoop *loop, Arena *arena, unsigned nlanes) ATTR_WARN_UNUSED_RESULT;

/*
 * Make coroutine lane (LANE_KIND_COROUTINE) a task of loop called name:
 * register its future and its await.  Returns 0, -EINVAL (not a
 * coroutine lane, or one already a task) or -ENOSPC.  Thread: setup only.
 */
int il_task_init(IlTask *task, IlLoop *loop, unsigned lane,
                 const char *name) ATTR_WARN_UNUSED_RESULT;

/* Register descriptor fd (made non-blocking) as a channel called name;
 * fd may be -1, for a channel whose descriptor its coroutine sets later
 * (a socket per request: IlChan.fd, non-blocking).  The caller keeps and
 * closes fd.  Returns 0 or a negative error.  Thread: setup only. */
int il_chan_init(IlChan *chan, IlLoop *loop, int fd, const char *name) ATTR_WARN_UNUSED_RESULT;

/* Initialise an event (clear) called name.  Returns 0 or -ENOSPC.
 * Thread: setup only. */
int il_loop_event_init(IlLoopEvent *ev, IlLoop *loop, const char *name) ATTR_WARN_UNUSED_RESULT;

/*
 * asyncio.run(main): run the loop on the calling lane until main is done;
 * then cancel the tasks still going and run them to their end (as
 * asyncio.run does), and count the coroutine lanes never created as
 * finished.  Returns main's error (0, or negative).  Thread: the host lane,
 * once.
 */
int il_loop_run(IlLoop *loop, IlTask *main);

/* The loop's figures (valid after il_loop_run; live while it runs). */
const IlLoopStats *il_loop_stats(const IlLoop *loop);

/* The loop's clock, ns: the run's in free mode, virtual in step mode.
 * Thread: inside a coroutine, or the host. */
uint64_t il_loop_time(const IlLoop *loop);

/* ---- inside a coroutine -------------------------------------------- */

/* The calling coroutine's task. */
IlTask *il_task_self(void);

/* asyncio.create_task(coro): task becomes ready; the caller goes on (no
 * await).  Creating a task twice does nothing. */
void il_create_task(IlTask *task);

/* await asyncio.sleep(ns / 1e9).  0 yields to the loop without a timer
 * (sleep(0)).  Returns 0, or -ECANCELED (the task was cancelled). */
int il_sleep(uint64_t ns);

/*
 * await task: returns 0 and its result in *result (may be NULL), its error
 * (negative: re-raised; -ECANCELED when it was cancelled), or -ECANCELED
 * when the caller was cancelled while it waited.  A task not created yet
 * is created first.  Awaiting a task that is done returns at once, without
 * giving the loop the thread.
 */
int il_await(IlTask *task, int64_t *result);

/*
 * await asyncio.gather(*tasks): create the ones not created, wait until
 * every one is done (one await), and return 0 or the first error in
 * their order.  Each one's result is in its IlTask.result.
 */
int il_gather(IlTask *const *tasks, unsigned n);

/*
 * await asyncio.wait_for(task, timeout): like il_await, but when timeout_ns
 * passes first, cancel task, wait until it has finished (it sees the
 * cancellation at its await and may clean up), and return -ETIMEDOUT.
 */
int il_wait_for(IlTask *task, uint64_t timeout_ns, int64_t *result);

/* task.cancel(): ask task to stop.  A task waiting at an await is woken
 * with -ECANCELED; one ready or running sees it at its next await; one
 * not started yet never runs its body.  Returns false when task is done.
 * Not an await. */
bool il_task_cancel(IlTask *task);

/* await until chan is readable (POLLIN) or writable (POLLOUT).  Returns 0
 * or -ECANCELED. */
int il_await_io(IlChan *chan, short events);

/* Read up to n bytes of chan, awaiting readability as needed (a
 * StreamReader.read()).  Returns the bytes read (0 = end of file), or a
 * negative error (-ECANCELED, -errno). */
ssize_t il_chan_read(IlChan *chan, void *buf, size_t n);

/* Write all n bytes to chan, awaiting writability as needed.  Returns n or
 * a negative error. */
ssize_t il_chan_write(IlChan *chan, const void *buf, size_t n);

/* await event.wait(): returns 0 once the event is set (at once if it is),
 * or -ECANCELED. */
int il_loop_event_wait(IlLoopEvent *ev);

/* event.set(): wake every coroutine waiting for it (not an await). */
void il_loop_event_set(IlLoopEvent *ev);

/* event.clear(). */
void il_loop_event_clear(IlLoopEvent *ev);

/*
 * A blocking call inside a coroutine: time.sleep(ns / 1e9) (cpu false) or
 * ns of CPU work (cpu true), with no await, labelled label (an
 * il_label_new object).  Free mode: a real nanosleep or a real busy loop;
 * nothing else on the loop runs meanwhile.  Step mode: the loop's clock
 * moves by ns.  Records EV_CO_BLOCK.
 */
void il_blocking_call(int label, uint64_t ns, bool cpu);

/* The calling coroutine returns value (asyncio: return value). */
void il_task_return(int64_t value);

/* The calling coroutine ends with error err (negative: raise); -ECANCELED
 * lets a cancellation through (the task ends cancelled). */
void il_task_raise(int err);

#endif /* INTERLEAVE_PRIMS_IL_LOOP_H */
