/*
 * il_future.h - futures, a thread pool's work queue, and thread handles
 * (Python's concurrent.futures and threading.Thread.join), instrumented.
 *
 * DESIGN
 * A future (IlFuture) is one result that one lane sets and others may wait
 * for: its state (FutureState: pending, running, done, failed, cancelled)
 * and the lane that runs it live in an arena object (OBJ_FUTURE), so the
 * step scheduler's blocker row sees a lane waiting for it as waiting for
 * the lane that runs it (or for nobody, while no worker has picked it
 * up), and the wait-for graph draws that edge.  result() returns the
 * value, or the error the task raised, re-raised in the caller.
 *
 * A pool (IlPool) is ThreadPoolExecutor: a FIFO work queue of submitted
 * futures (an OBJ_QUEUE: its value is the tasks queued, its pad says it
 * was shut down), the worker lanes that take from it, and a second queue
 * of finished futures in the order they finished, which as_completed()
 * takes from.  map() is result() on each future in submission order.
 * shutdown(wait=True) joins the workers: each worker has a thread handle,
 * a future set when its lane ends (Thread.join waits for it).
 *
 * Every operation is one instrumented point (one step in step mode); the
 * waiting ones (result, join, take, as_completed) are blocking operations
 * with a blocker row in core/sched.c.  Free mode: one pthread mutex and
 * condition variable per monitor (IlMonitor) guard the queues and the
 * futures, process-shared when the run has process lanes.
 *
 * Thread: init functions at setup; the rest in lanes, as documented.
 */
#ifndef INTERLEAVE_PRIMS_IL_FUTURE_H
#define INTERLEAVE_PRIMS_IL_FUTURE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"

#define IL_POOL_MAX 64 /* futures one pool can hold */

/* The mutex and condition variable a set of futures and queues share. */
typedef struct IlMonitor {
    pthread_mutex_t mu;
    pthread_cond_t cv;
} IlMonitor;

typedef struct IlFuture {
    IlMonitor *mon; /* immutable after init */
    uint32_t obj;   /* immutable: OBJ_FUTURE (value FutureState, pad = running lane + 1) */
    Arena *arena;
    int64_t task;   /* what it computes: a task number (submit's argument) */
    int64_t result; /* GUARDED_BY(mon->mu): set with the state */
    int err;        /* GUARDED_BY(mon->mu): the error the task raised, 0 = none */
} IlFuture;

typedef struct IlPool {
    IlMonitor mon;
    Arena *arena;
    uint32_t queue_obj; /* OBJ_QUEUE "work queue" */
    uint32_t done_obj;  /* OBJ_QUEUE "completed": finished, not yet taken by as_completed */
    IlFuture fut[IL_POOL_MAX];
    unsigned nfut;                   /* GUARDED_BY(mon.mu): submitted */
    unsigned queue[IL_POOL_MAX];     /* GUARDED_BY(mon.mu): futures queued, FIFO */
    unsigned qhead, qcount;          /* GUARDED_BY(mon.mu) */
    unsigned done[IL_POOL_MAX];      /* GUARDED_BY(mon.mu): finished, in the order they did */
    unsigned ndone, dtaken;          /* GUARDED_BY(mon.mu) */
    unsigned first_worker, nworkers; /* immutable: the worker lanes */
    IlFuture thread[IL_POOL_MAX];    /* each worker's thread handle */
} IlPool;

/* Initialise monitor mon for the run of arena.  Returns 0 or a negative
 * pthread error.  Thread: setup only. */
int il_monitor_init(IlMonitor *mon, const Arena *arena) ATTR_WARN_UNUSED_RESULT;

/*
 * Initialise future f, guarded by mon, registered as name (OBJ_FUTURE,
 * pending).  Returns 0 or -ENOSPC.  Thread: setup only.
 */
int il_future_init(IlFuture *f, IlMonitor *mon, Arena *arena,
                   const char *name) ATTR_WARN_UNUSED_RESULT;

/*
 * A thread handle: the future of lane, running from the start (a lane
 * starts with the run), set when the lane calls il_thread_exit().
 * Returns 0 or -ENOSPC.  Thread: setup only.
 */
int il_thread_init(IlFuture *handle, IlMonitor *mon, Arena *arena, unsigned lane,
                   const char *name) ATTR_WARN_UNUSED_RESULT;

/*
 * Initialise pool: a work queue and nworkers worker lanes from
 * first_worker on (their thread handles named "<prefix>_<k>").  Futures
 * are named "future 0", "future 1", ... as they will be submitted.
 * Returns 0 or a negative error.  Thread: setup only.
 */
int il_pool_init(IlPool *pool, Arena *arena, unsigned first_worker, unsigned nworkers,
                 unsigned max_tasks) ATTR_WARN_UNUSED_RESULT;

/* executor.submit(fn, task): queue it; returns its future (NULL when the
 * pool holds IL_POOL_MAX already).  One step.  Thread: any lane. */
IlFuture *il_pool_submit(IlPool *pool, int64_t task);

/*
 * A worker takes the next queued future (waiting while the queue is empty
 * and not shut down) and marks it running by the calling lane.  Returns
 * it, or NULL once the pool is shut down and the queue empty (the worker
 * then ends).  One step, blocking.  Thread: a worker lane.
 */
IlFuture *il_pool_take(IlPool *pool);

/* The task of f returned result: f is done; wake its waiters and queue it
 * for as_completed.  One step.  Thread: the lane running it. */
void il_future_set(IlPool *pool, IlFuture *f, int64_t result);

/* The task of f raised err (negative): f failed; the error goes to whoever
 * calls result().  One step.  Thread: the lane running it. */
void il_future_raise(IlPool *pool, IlFuture *f, int err);

/*
 * f.result(): wait until f is done; returns 0 with *result (may be NULL)
 * set, or the task's error (negative), re-raised in the caller.  One
 * step, blocking.  Thread: any lane.
 */
int il_future_result(IlFuture *f, int64_t *result);

/* The next future of pool to finish that as_completed() has not given yet
 * (waiting until one has).  One step, blocking.  Thread: any lane. */
IlFuture *il_pool_as_completed(IlPool *pool);

/*
 * executor.shutdown(wait): no more tasks; workers end once the queue is
 * empty.  With wait, join every worker (their thread handles).  One step,
 * and with wait one blocking step per worker.  Thread: any lane but a
 * worker.
 */
void il_pool_shutdown(IlPool *pool, bool wait);

/* The calling lane's thread ends: set its handle (join returns).  One
 * step.  Thread: the handle's lane, last thing. */
void il_thread_exit(IlFuture *handle);

/* The calling lane's thread function raised err (negative): Python prints
 * it (threading.excepthook) and the thread ends; its handle ends done all
 * the same, so join() returns as if nothing happened.  Records
 * EV_FUT_RAISE on the handle.  One step.  Thread: the handle's lane. */
void il_thread_raise(IlFuture *handle, int err);

/* thread.join(): wait until handle's lane called il_thread_exit().  One
 * step, blocking.  Thread: any other lane. */
void il_thread_join(IlFuture *handle);

/* The state of f (FutureState), without a step.  Thread: any. */
int il_future_state(const IlFuture *f);

#endif /* INTERLEAVE_PRIMS_IL_FUTURE_H */
