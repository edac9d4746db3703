/*
 * sched.h - the scheduler inside a run: free, step and replay modes.
 *
 * DESIGN
 * Every lane is a real thread or forked process of the run's sandbox
 * (core/lane_exec.h); the scheduler treats both alike.
 * Demo code calls instrumented primitives (prims/il.h); each one is an
 * instrumented point that first calls sched_point() and then does its work
 * and records its event.
 *
 *   free    sched_point() returns at once (or sleeps a pace, for slow
 *           motion): real concurrency on real cores.
 *   step    sched_point() parks the lane until the controller grants it a
 *           step.  A step runs a lane from one instrumented point to the
 *           next (or to its end).  Exactly one lane runs at a time, so a
 *           run is a deterministic function of its grants.
 *   replay  step mode, with the grants read from a schedule string.
 *
 * The controller (the sandbox's main thread) hands the scheduler a plan:
 * schedule tokens, then round-robin or not (sched_run()).  The scheduler
 * knows each parked lane's pending operation, so a lane whose next
 * operation cannot proceed (a lock held by another lane) is BLOCKED and
 * cannot be granted; when no lane can move and some lane is unfinished,
 * the run is deadlocked, found exactly at that step.
 *
 * A step costs one hand-off at most.  The controller grants the plan's
 * first step; from then on the lane whose step ends (at its next point, or
 * at its end) applies the plan's rules itself and grants the next step:
 * to another lane, by setting that lane's grant word and waking it (one
 * futex wake, lane to lane), or to itself, when it is granted several steps
 * in a row (`A100`, `A*`), and then it simply goes on, with no hand-off at
 * all.  The controller wakes again only when the plan stops: its tokens
 * are taken, a token is refused, no lane can move, every lane finished,
 * the livelock rule fired, or a lane died.
 *
 * Condition variables (prims/il_cond.h) take two pending operations: a
 * lane asleep on a cond has EV_COND_SLEEP pending and is BLOCKED until a
 * signal, a broadcast or a spurious-wakeup token (~B, sched_grant) turns
 * it into EV_COND_WAKE / EV_COND_SPURIOUS; then it is BLOCKED only while
 * the cond's mutex (the object's pad) is held, like a lock.
 *
 * When a schedule runs out, the remaining steps are granted round-robin,
 * one step each: the next runnable lane at or after a cursor that starts at
 * lane A and moves past each lane granted (sched_next_round_robin()).
 *
 * Every lane waits at a start gate (sched_lane_gate) until the controller
 * has seen them all arrive and opens it (sched_open_gate): that moment is
 * the origin of the run's clock, so event times, elapsed time and verdict
 * times count from the lanes' start, not from the sandbox's set-up.
 *
 * LOCKING
 * One mutex (Sched.mu) guards the lane table and the plan; a parked lane
 * sleeps on its own grant word (a futex), the controller on ctl_cv.  The
 * Sched sits in the run's shared heap, and with process lanes the mutex,
 * the condition variable and the futexes are process-shared (the mutex
 * robust: see sched.c).  Lane state and pending operation are also
 * mirrored into the arena's lane slots for the front end; READY and
 * BLOCKED are exact whenever a plan has stopped.
 *
 * A lane process that dies is reported by the sandbox's watcher
 * (sched_lane_died): its slot becomes LANE_DIED, and every wait of the
 * controller (for the gate, for a step to end, for the lanes to finish)
 * returns -IL_ECRASH instead of waiting for it forever.  A death the
 * demo handles (DemoClass.lane_death_handled: a pool's parent notices a
 * dead worker) is different: the lane counts as ended, like a finished
 * one, and the run goes on; the lanes that depend on it find out through
 * their primitives (a pipe it wrote to reports the dead writer).
 *
 * Pipes between lanes (prims/il_pipe.h) are blocking operations like the
 * others: a read waits while its pipe is empty and none of its writers
 * died, a write while the pipe is full.
 *
 * HOSTS AND GUESTS (coroutines)
 * A coroutine lane (LANE_KIND_COROUTINE) is a guest: it has no thread of
 * its own and runs on its host's, the lane of its event loop
 * (prims/il_loop.h), switching only where it awaits.  It counts as at the
 * start gate from the start (it cannot run before its host anyway), it
 * never parks at an instrumented point (ctx.slow is false: only an await
 * switches), and it is not runnable until its host created it
 * (sched_guest_spawn).  In step mode a step of a guest runs it to its
 * next await, and the two places of the protocol are:
 *
 *   the wait for a grant    the host, between two steps of its guests,
 *                           waits in sched_host_wait() on its own grant
 *                           word until one of its guests is granted (a
 *                           thread lane waits on its own in
 *                           sched_point_slow);
 *   the grant               sched_wake_lane() wakes the guest's host
 *                           instead of the guest.  The step ends in the
 *                           host's next sched_host_wait() (or its end),
 *                           once it has done the loop's bookkeeping
 *                           (timers, descriptors, the guests it woke): the
 *                           host then picks the next grant by the plan, as
 *                           a lane whose step ends does, and runs it
 *                           itself when it is another of its guests.
 *
 * A host is never granted a step itself: it moves when its guests do.
 *
 * DAEMON LANES
 * A lane marked daemon (sched_set_daemon) is not waited for: the run is
 * over when every other lane has finished, and a daemon lane still going
 * then is cut off, its thread dying with the sandbox, like Python's daemon
 * threads at interpreter exit (Python's threading docs: "Daemon threads
 * are abruptly stopped at shutdown").
 */
#ifndef INTERLEAVE_CORE_SCHED_H
#define INTERLEAVE_CORE_SCHED_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"
#include "core/error.h"
#include "core/schedule.h"
#include "core/shared_heap.h"

typedef enum SchedMode {
    SCHED_FREE = 0,
    SCHED_STEP = 1,
    SCHED_REPLAY = 2,
    SCHED_MODE_COUNT
} SchedMode;

typedef struct Sched Sched;

/*
 * What each lane thread reaches through sched_self.  Each lane has its own
 * copy in thread-local memory: the recording path reads the clock and the
 * flags from there, never from a cache line that another lane or the
 * controller writes.  Every field but the clock-sharing state (clock_t,
 * clock_share: see sched_record) is immutable once the lane passed
 * sched_lane_begin().
 */
typedef struct LaneCtx {
    Arena *arena;    /* the run's arena */
    Ring *ring;      /* the lane's own ring */
    ArenaLane *slot; /* the lane's slot in the arena */
    Sched *sched;
    uint16_t lane;
    bool slow;            /* step mode or paced: sched_point takes the slow path */
    bool tracing;         /* record events */
    bool stepping;        /* step or replay: event time is the step number (arena->stepping) */
    ClockCal clock;       /* a copy of the arena's clock, taken after the start gate */
    uint64_t clock_t;     /* free mode: the lane's last clock read (ns) */
    uint32_t clock_share; /* events that may still take clock_t without a read */
    void *co;             /* a coroutine lane's context (core/lane_exec.h LaneCo), private
                           * to the sandbox process; NULL for threads and processes.
                           * Immutable once the gate opens */
} LaneCtx;

/* Free mode: a lane whose events come fast shares one clock read among at
 * most this many events (see sched_record)... */
#define SCHED_CLOCK_SHARE 8
/* ... when its last read came less than this many ns after the one before,
 * every event counted. */
#define SCHED_CLOCK_DENSE_NS 1000u

/* The calling lane's context; NULL outside lanes.  Thread: lane threads. */
extern _Thread_local LaneCtx *sched_self;

/*
 * The calling lane's event time: the step number (step/replay) or ns since
 * the lanes' start, like arena_time() but read from the lane's own copy of
 * the clock.  Thread: lane; async-signal-safe.
 */
static inline uint64_t sched_now(const LaneCtx *c)
{
    if (c->stepping) {
        return atomic_load_explicit(&c->arena->step, memory_order_relaxed);
    }
    return clock_now_ns(&c->clock);
}

/*
 * Where a lane given up by sched_abort() goes: when a thread that runs
 * lanes one run after another (the explorer's pool) sets it, an aborted
 * lane longjmp()s there (value 1) instead of ending its thread.  NULL =
 * pthread_exit().  Thread: lane threads.
 */
extern _Thread_local jmp_buf *sched_abort_jump;

/* Name of a mode ("free", "step", "replay").  Thread: any thread. */
const char *sched_mode_name(int mode);

/* Parse a mode name; returns the mode or -1.  Thread: any thread. */
int sched_mode_parse(const char *name);

/*
 * Create the scheduler for nlanes lanes of arena, in heap (shared by every
 * lane; process-shared when arena->process_lanes > 0).  pace_us > 0 makes
 * free mode sleep that long at every instrumented point (slow motion).
 * Returns NULL on failure (heap full, pthread error).  The heap owns the
 * memory; sched_free() destroys the synchronisation objects.
 * Thread: the sandbox's controller, before lanes start.
 */
Sched *sched_new(SharedHeap *heap, Arena *arena, SchedMode mode, unsigned nlanes, uint32_t pace_us);

/* Destroy sched's mutex and condition variables (NULL does nothing).
 * Thread: controller, once every lane has ended. */
void sched_free(Sched *sched);

/* Wait at the start gate until the controller opens it.  Thread: a lane,
 * first thing, before sched_lane_begin(). */
void sched_lane_gate(Sched *sched);

/*
 * Wait until every lane is at the start gate, set the arena clock's origin
 * to now, mark the arena started and let the lanes go.  Returns 0, or
 * -IL_ECRASH (gate left closed) when a lane died before it arrived.
 * Thread: controller.
 */
int sched_open_gate(Sched *sched);

/* Bind the calling thread as lane and record its start.  Thread: the new
 * lane's own thread, after the gate. */
void sched_lane_begin(Sched *sched, unsigned lane);

/* Record the calling lane's end and mark it finished.  Thread: lane. */
void sched_lane_end(void);

/*
 * Lane's process ended before the lane finished: mark its slot LANE_DIED
 * and wake the controller.  Does nothing for a finished lane.  handled:
 * the demo handles this death, so it does not end the run (the lane then
 * counts as ended, like a finished one); otherwise the controller's
 * waits return -IL_ECRASH.
 * Thread: the sandbox's lane watcher (any thread of the sandbox).
 */
void sched_lane_died(Sched *sched, unsigned lane, bool handled);

/* The first lane whose death was not handled, or -1.  Thread: controller. */
int sched_dead_lane(Sched *sched);

/* How the sandbox reaps a dead lane's process kept as a zombie for its
 * parent lane (core/lane_exec.h lane_exec_reap): returns 0 and sets
 * *status, or a negative error. */
typedef int (*SchedReapFn)(void *arg, unsigned lane, int *status);

/* Install the reaper; a lane of the sandbox's own process may then call
 * sched_reap().  Thread: controller, before the lanes start. */
void sched_set_reaper(Sched *sched, SchedReapFn fn, void *arg);

/*
 * Reap lane's dead process (the calling lane is its parent: a thread of
 * the sandbox, the process that forked it).  Returns 0 with *status its
 * waitpid() status; -EPERM when the caller runs in another process (only
 * a parent reaps); -EAGAIN when lane has not died; -ECHILD when it is not
 * a process.  Not a step by itself.  Thread: lane.
 */
int sched_reap(unsigned lane, int *status);

/*
 * Free mode: wait until every lane has finished (or died, handled).
 * Returns 0, or -IL_ECRASH at once when a lane died unhandled (the others
 * may wait for it forever).
 * Thread: controller.
 */
int sched_wait_done(Sched *sched);

/*
 * A pthread call inside an instrumented primitive failed with rc (a bug,
 * or broken system state): record it (arena_fatal) and end the lane's
 * process.  Thread: lane.
 */
ATTR_NORETURN void sched_fail(const char *call, int rc);

/* Check the return value of a pthread call made by a lane.  Thread: lane. */
static inline void sched_check_rc(int rc, const char *call)
{
    if (UNLIKELY(rc != 0)) {
        sched_fail(call, rc);
    }
}

/* The slow path of sched_point().  Thread: lane. */
void sched_point_slow(LaneCtx *ctx, uint32_t op, uint32_t obj);

/*
 * An instrumented point: the lane is about to perform op (an EventKind) on
 * arena object obj.  Free mode returns at once; step mode parks until the
 * lane is granted a step.  Thread: lane.
 */
static inline void sched_point(uint32_t op, uint32_t obj)
{
    LaneCtx *c = sched_self;
    if (UNLIKELY(c->slow)) {
        sched_point_slow(c, op, obj);
    }
}

/*
 * sched_clock_read(): a read of the clock now.  sched_event_time(): the
 * time of a plain memory access of the calling lane (a load, a store, a
 * computation on its register, an atomic: sched_kind_dense()), which may
 * share a read with the accesses just before it.  Step mode: the step.
 * Free mode: reading the TSC costs more than recording the event (10 to
 * 25 ns on the machines measured, and on a contended cache line it widens
 * every window between a lane's accesses), so a lane whose accesses come
 * densely reads it for one access in SCHED_CLOCK_SHARE: while its last
 * read came less than SCHED_CLOCK_DENSE_NS after the one before (per event
 * between them), the next SCHED_CLOCK_SHARE - 1 accesses take that read's
 * time.  Every other event (a lock, a wait, a wakeup, I/O, a demo's own
 * event) reads the clock and ends the sharing, and so does a wait, a pause
 * or a step (sched_clock_fresh): an access's time is the lane's clock at
 * the access or at most 7 accesses earlier with no other event between,
 * and work a lane does between events (a CPU-bound slice of seconds, a
 * task) is never hidden by a time from before it.  (A progress marker is
 * no operation: it takes the time of the event before it,
 * sched_last_event_time.)  Thread: lane.
 */
static inline uint64_t sched_clock_read(LaneCtx *c)
{
    uint64_t t;
    if (c->stepping) {
        return atomic_load_explicit(&c->arena->step, memory_order_relaxed);
    }
    t = clock_now_ns(&c->clock);
    c->clock_share = 0;
    c->clock_t = t;
    return t;
}

static inline uint64_t sched_event_time(LaneCtx *c)
{
    uint64_t t;
    if (c->stepping) {
        return atomic_load_explicit(&c->arena->step, memory_order_relaxed);
    }
    if (c->clock_share > 0) {
        c->clock_share--;
        return c->clock_t;
    }
    t = clock_now_ns(&c->clock);
    c->clock_share = t - c->clock_t < (uint64_t)SCHED_CLOCK_DENSE_NS * SCHED_CLOCK_SHARE
                         ? SCHED_CLOCK_SHARE - 1
                         : 0;
    c->clock_t = t;
    return t;
}

/* The plain memory accesses, whose times may be shared (sched_event_time). */
static inline bool sched_kind_dense(uint16_t kind)
{
    return kind == EV_LOAD || kind == EV_STORE || kind == EV_COMPUTE || kind == EV_ATOMIC_ADD ||
           kind == EV_ATOMIC_CAS;
}

/* The calling lane may have waited (a lock, a sleep, a step): its next
 * event reads the clock.  Thread: lane. */
static inline void sched_clock_fresh(LaneCtx *c)
{
    c->clock_share = 0;
    c->clock_t = 0;
}

/* Record an event for the calling lane.  No lock, no allocation, no system
 * call beyond the clock.  Thread: lane. */
static inline void sched_record(uint16_t kind, uint32_t obj, int64_t value)
{
    LaneCtx *c = sched_self;
    if (LIKELY(c->tracing)) {
        ring_push(c->ring, sched_kind_dense(kind) ? sched_event_time(c) : sched_clock_read(c),
                  c->lane, kind, obj, value);
    }
}

/*
 * Record an event on lane ctx's ring at time t, for a host recording on a
 * guest's behalf (a coroutine's timer came due at t).  The ring keeps one
 * producer: the host's thread, while the guest is suspended.  No lock, no
 * allocation.  Thread: ctx's lane, or its host while it is suspended.
 */
static inline void sched_record_for(LaneCtx *ctx, uint64_t t, uint16_t kind, uint32_t obj,
                                    int64_t value)
{
    if (LIKELY(ctx->tracing)) {
        ring_push(ctx->ring, t, ctx->lane, kind, obj, value);
    }
}

/* Record an event for the calling lane at time t: a time this lane read
 * in the same operation with nothing that may wait in between (what
 * sched_wait_begin() and sched_wait_end() return), so one clock read
 * serves both.  Thread: lane. */
static inline void sched_record_at(uint16_t kind, uint32_t obj, int64_t value, uint64_t t)
{
    LaneCtx *c = sched_self;
    if (LIKELY(c->tracing)) {
        ring_push(c->ring, t, c->lane, kind, obj, value);
    }
}

/* Count one operation of the calling lane.  Thread: lane. */
static inline void sched_count_op(void)
{
    ArenaLane *s = sched_self->slot;
    atomic_store_explicit(&s->ops, atomic_load_explicit(&s->ops, memory_order_relaxed) + 1,
                          memory_order_relaxed);
}

/*
 * Publish that the calling lane is about to block in op (EV_LOCK_ACQUIRE,
 * EV_LOCK_TIMED, EV_SEM_ACQUIRE, EV_COND_SLEEP) on object obj, so the front
 * end's wait-for graph sees it also in free mode; in free mode the lane's
 * state is LANE_BLOCKED until sched_wait_end() (in step mode the
 * controller owns the state).  Call it before sched_point(), so a wait in
 * step mode counts from the step the lane asked.  Relaxed stores only: no
 * lock, no system call beyond the clock.  Returns the time the wait began,
 * for sched_wait_end() and sched_record_at().  Thread: lane.
 */
static inline uint64_t sched_wait_begin(uint32_t op, uint32_t obj)
{
    LaneCtx *c = sched_self;
    uint64_t t0 = sched_clock_read(c);
    atomic_store_explicit(&c->slot->op, op, memory_order_relaxed);
    atomic_store_explicit(&c->slot->op_obj, obj, memory_order_relaxed);
    atomic_store_explicit(&c->slot->wait_since, t0 + 1, memory_order_relaxed);
    if (!c->stepping) {
        atomic_store_explicit(&c->slot->state, LANE_BLOCKED, memory_order_relaxed);
    }
    return t0;
}

/*
 * The calling lane stopped waiting (it got the object or gave up): clear
 * what sched_wait_begin() published and keep the longest wait.  Call it
 * before publishing ownership, so the graph never shows a lane holding and
 * waiting for the same object.  Returns the time the wait ended, for
 * sched_record_at().  Thread: lane.
 */
static inline uint64_t sched_wait_end(uint64_t t0)
{
    LaneCtx *c = sched_self;
    uint64_t now, d;
    now = sched_clock_read(c); /* it waited: the clock, not a time from before */
    d = now - t0;
    atomic_store_explicit(&c->slot->op, EV_NONE, memory_order_relaxed);
    atomic_store_explicit(&c->slot->op_obj, 0, memory_order_relaxed);
    atomic_store_explicit(&c->slot->wait_since, 0, memory_order_relaxed);
    if (!c->stepping) {
        atomic_store_explicit(&c->slot->state, LANE_RUNNING, memory_order_relaxed);
    }
    if (d > atomic_load_explicit(&c->slot->wait_max, memory_order_relaxed)) {
        atomic_store_explicit(&c->slot->wait_max, d, memory_order_relaxed);
    }
    return now;
}

/*
 * Like sched_wait_end(), for a free run's wait that did not happen: the
 * object was free (a try-lock succeeded first), so the clock read it takes
 * after the acquisition may serve the lane's next events.  In step mode it
 * is sched_wait_end(): a wait there counts the steps since the lane asked.
 * Returns the time for sched_record_at().  Thread: lane.
 */
static inline uint64_t sched_wait_none(uint64_t t0)
{
    LaneCtx *c = sched_self;
    uint64_t now, d;
    if (c->stepping) {
        return sched_wait_end(t0);
    }
    now = sched_clock_read(c); /* after the acquisition, for the next holder's order */
    d = now - t0;
    if (d > atomic_load_explicit(&c->slot->wait_max, memory_order_relaxed)) {
        atomic_store_explicit(&c->slot->wait_max, d, memory_order_relaxed);
    }
    atomic_store_explicit(&c->slot->op, EV_NONE, memory_order_relaxed);
    atomic_store_explicit(&c->slot->op_obj, 0, memory_order_relaxed);
    atomic_store_explicit(&c->slot->wait_since, 0, memory_order_relaxed);
    atomic_store_explicit(&c->slot->state, LANE_RUNNING, memory_order_relaxed);
    return now;
}

/*
 * The time of the calling lane's last recorded event, for what a lane
 * notes right after an operation (a progress marker, a demo's own stamp:
 * the moment an item entered the queue): free mode with tracing on, the
 * lane's last clock read, which its last event carries, so the figure
 * agrees with the timeline and costs no clock read; the clock now when
 * there is no such read to reuse (tracing off, or the lane waited, paused
 * or stepped since: sched_clock_fresh).  Step mode: the step.  Use it only
 * right after an instrumented operation with no unrecorded work between:
 * work done since the last event would not be in the time.  Thread: lane.
 */
static inline uint64_t sched_last_event_time(LaneCtx *c)
{
    if (!c->stepping && c->tracing && c->clock_t != 0) {
        return c->clock_t;
    }
    return sched_clock_read(c);
}

/* The calling lane finished one unit of work (a transfer, a meal): count
 * it and record EV_PROGRESS.  The marker is no operation of its own: it
 * carries the time of the operation that ended the unit, the lane's last
 * event (sched_last_event_time).  Not a step.  Thread: lane. */
static inline void sched_progress(void)
{
    LaneCtx *c = sched_self;
    ArenaLane *s = c->slot;
    uint64_t n = atomic_load_explicit(&s->progress, memory_order_relaxed) + 1;
    atomic_store_explicit(&s->progress, n, memory_order_relaxed);
    if (LIKELY(c->tracing)) {
        ring_push(c->ring, sched_last_event_time(c), c->lane, EV_PROGRESS, 0, (int64_t)n);
    }
}

/*
 * The calling lane now stands on line (0-based) of its demo's code
 * (DemoClass.code): published for the front end's code panel, which then
 * needs no guess from the pending operation.  A relaxed store, not a step.
 * Thread: lane.
 */
static inline void sched_set_line(uint32_t line)
{
    atomic_store_explicit(&sched_self->slot->code_line, line + 1, memory_order_relaxed);
}

/*
 * Give up a step or replay run whose lanes are parked (the explorer does,
 * to reuse its sandbox for the next schedule): every parked lane, and any
 * lane that parks later, ends at its instrumented point without returning
 * to the demo's code (a thread lane by pthread_exit() or a longjmp() to
 * sched_abort_jump, a process lane by _exit()) and shows as finished.  What the demo held (its
 * mutexes, its memory) stays as it was: the caller throws the run's shared heap away. Thread:
 * controller, with the lanes quiescent.
 */
void sched_abort(Sched *sched);

/*
 * Step mode: every lane parked with the pending op sleep_op on object obj
 * (asleep at a barrier, on an event) gets wake_op instead, an operation
 * that does not block, so it can be granted its next step.  Returns the
 * lanes woken.  Thread: the lane running its step (every other lane is
 * parked then, and the step hand-off orders these writes).
 */
unsigned sched_wake_all(uint32_t sleep_op, uint32_t obj, uint32_t wake_op);

/* True when op is a blocking operation (one with a row in the scheduler's
 * blocker table: sched_op_blocker() can say it must wait).  Thread: any. */
bool sched_op_blocks(uint32_t op);

/* sched_op_blocker(): the operation waits, but not for one lane (a
 * semaphore whose count is 0). */
#define SCHED_NO_HOLDER (-2)

/*
 * Can a lane whose next operation is op on object obj proceed now?
 * Returns -1 when it can, the lane holding obj when it must wait for that
 * lane (a held mutex), or SCHED_NO_HOLDER when it must wait for no lane in
 * particular (a semaphore at 0).  Only blocking operations (EV_LOCK_ACQUIRE,
 * EV_SEM_ACQUIRE, the condition waits, EV_GIL_ACQUIRE once a drop request
 * is out, EV_GIL_SWITCH_WAIT, EV_PIPE_READ, EV_PIPE_WRITE) ever wait;
 * try-locks and timed locks never do.  A pipe waits for the one lane on
 * its other side when there is one (its only writer, its only reader),
 * else for no lane in particular.  Reads the arena's live objects: exact
 * in step mode while the lanes are parked.
 * Thread: any thread.
 */
int sched_op_blocker(const Arena *arena, uint32_t op, uint32_t obj);

/*
 * Wait until every lane is parked, finished or dead, then refresh the
 * arena's lane slots (state READY/BLOCKED/FINISHED and blocked_by).
 * Returns 0, or -IL_ECRASH when a lane has died.  Thread: controller.
 */
int sched_wait_quiescent(Sched *sched) ATTR_WARN_UNUSED_RESULT;

/* How a plan ended (sched_run). */
typedef enum SchedStop {
    SCHED_STOP_END = 0,      /* every token was taken, and with round-robin no lane can
                              * move any more (every lane finished, or the run is stuck) */
    SCHED_STOP_FINISHED = 1, /* no longer given: a token left once every lane finished
                              * is REFUSED ("lane A has finished") */
    SCHED_STOP_STUCK = 2,    /* before token `at` (checks): no lane could move */
    SCHED_STOP_REFUSED = 3,  /* token `at` was refused; the steps it took stay taken */
    SCHED_STOP_LIVELOCK = 4, /* no progress for livelock_steps steps (`span`) */
    SCHED_STOP_CRASH = 5,    /* a lane died (sched_dead_lane()) */
    SCHED_STOP_COUNT
} SchedStop;

typedef struct SchedRunOpts {
    bool round_robin;        /* after the tokens: round-robin, one step each, until no
                              * lane can move (see the DESIGN above) */
    bool checks;             /* before each token: stop when no lane can move and some
                              * lane has not finished (STUCK; a spurious wakeup token
                              * is still applied); a token for a finished lane is
                              * refused, also once every lane finished */
    uint64_t livelock_steps; /* after each token and each round-robin step: stop when
                              * the lanes' progress (il_progress) has not changed for
                              * this many steps and some lane is unfinished; 0 = never.
                              * The watch goes on from one sched_run() to the next */
} SchedRunOpts;

typedef struct SchedOutcome {
    SchedStop stop;
    size_t at;     /* index of the token the plan stopped at (n when all were taken) */
    uint64_t span; /* LIVELOCK: steps without progress */
} SchedOutcome;

/*
 * Run a plan: the n tokens of tok (copied; the caller keeps them), then
 * what opts say, the lanes handing each step on to the next (see the
 * DESIGN above), and wait until it stops.  Grants exactly what
 * sched_grant() on each token, then sched_next_round_robin() and
 * sched_step() in a loop, would grant.  Fills out; returns 0,
 * -IL_ESCHEDULE (REFUSED, err saying why: "lane B is blocked on mutex m
 * held by A", "step 2 of 3: lane A has finished") or -IL_ECRASH (CRASH,
 * "lane B died").  Lane slots are refreshed (READY/BLOCKED, blocked_by)
 * before it returns.  Thread: controller, with the lanes quiescent.
 */
int sched_run(Sched *sched, const SchedToken *tok, size_t n, const SchedRunOpts *opts,
              SchedOutcome *out, IlError *err);

/*
 * Apply one schedule token.  A spurious-wakeup token (~B) takes no step:
 * it wakes lane B from its condition wait, or is refused ("lane B is not
 * asleep on a condition variable").  Returns 0 when every step it asks for
 * was taken; -IL_ESCHEDULE with err saying why ("lane B is blocked on
 * mutex m held by A", "step 2 of 3: lane A has finished") when a step goes
 * to a blocked or finished lane (steps already taken stay taken);
 * -IL_ECRASH when a lane died during a step (see sched_dead_lane()).  The
 * caller names the token ("token 2 'B': ...").
 * Thread: controller, with the lanes quiescent.
 */
int sched_grant(Sched *sched, const SchedToken *tok, IlError *err);

/* Grant exactly one step to lane (which must be runnable).  Returns 0,
 * -IL_ESCHEDULE or -IL_ECRASH (a lane died).  Thread: controller, with the
 * lanes quiescent. */
int sched_step(Sched *sched, unsigned lane, IlError *err);

/* The lane the round-robin rule picks next, or -1 when none is runnable.
 * Thread: controller. */
int sched_next_round_robin(Sched *sched);

/* True when the lane can be granted a step.  Thread: controller. */
bool sched_runnable(Sched *sched, unsigned lane);

/*
 * The lanes that can be granted a step, a bit per lane (lanes 0..31), in
 * one look under the scheduler's lock; *all_finished (may be NULL) says
 * whether every lane has finished.  For a controller that decides every
 * step itself (the explorer).  Thread: controller, lanes quiescent.
 */
uint32_t sched_runnable_mask(Sched *sched, bool *all_finished);

/* True when every lane has finished (or died, handled).  Thread: controller. */
bool sched_all_finished(Sched *sched);

/* How a lane blocked in op relates to the lane it waits for, for "(held
 * by B)": "held by" (a mutex), "written by" (a pipe it reads), "read by"
 * (a pipe it writes).  Thread: any thread. */
const char *sched_holder_phrase(uint32_t op);

/*
 * Describe operation op on object obj of arena for a person: "load counter",
 * "lock m", "add".  Thread: any thread.
 */
void sched_describe_op(const Arena *arena, uint32_t op, uint32_t obj, char *buf, size_t len);

/*
 * Why lane of arena cannot take a step now, for a person, into buf: "lane B
 * has finished", "lane B is blocked on mutex m held by A", "lane B waits
 * for the GIL held by A" (the blocker table's words for its operation),
 * "lane A runs the event loop: ..." (a loop's lane parked in its poll).
 * The words of every refusal, the scheduler's (sched_grant) and a front
 * end's alike.  Exact in step mode while the lanes are parked.
 * Thread: any thread.
 */
void sched_why_blocked(const Arena *arena, unsigned lane, char *buf, size_t len);

/* Steps granted so far.  Thread: controller. */
uint64_t sched_steps(const Sched *sched);

/*
 * True when op waits for work to be done rather than for an object to be
 * let go: an await (a timer, a descriptor, a task, an event, a coroutine's
 * first turn), a future's result or a thread's join, an item of a work
 * queue, an event loop's select.  A lane it waits for "runs" the thing,
 * it does not "hold" it.  Thread: any.
 */
bool sched_op_awaits(uint32_t op);

/* The context of lane (its ring, slot, coroutine).  Thread: the sandbox. */
LaneCtx *sched_ctx_of(Sched *sched, unsigned lane);

/* The run's mode.  Thread: any thread of the sandbox. */
SchedMode sched_mode(const Sched *sched);

/*
 * Mark lane a daemon: the run does not wait for it (see DAEMON LANES).
 * Thread: controller, before the gate opens.
 */
void sched_set_daemon(Sched *sched, unsigned lane);

/* True when the run has daemon lanes.  Thread: any thread of the sandbox. */
bool sched_has_daemons(const Sched *sched);

/*
 * The calling lane hosts every coroutine lane of the run (it runs their
 * event loop): their grants wake it.  Thread: the host, before it creates
 * any of them.
 */
void sched_host_adopt(Sched *sched);

/*
 * Guest lane was created (create_task): record its start and make it
 * ready, with EV_CO_START pending on await_obj (its OBJ_AWAIT, which the
 * host has set to 1).  Thread: its host.
 */
void sched_guest_spawn(Sched *sched, unsigned lane, uint32_t await_obj);

/*
 * Guest lane will never run (its loop is closing and never created it):
 * it counts as finished, with no events.  Thread: its host.
 */
void sched_guest_abandon(Sched *sched, unsigned lane);

/*
 * Step mode, host: the step of guest prev (-1 = none yet) is over and every
 * guest's await object says whether it can go on.  Marks prev parked (the
 * scheduler finds it ready or blocked) and the host parked, picks the next
 * grant by the run's plan (or, the first time, tells the controller the
 * host is parked), and waits until one of the host's guests is granted a
 * step; a grant to another guest of this host is taken at once, with no
 * hand-off.  Returns that guest's lane; the host counts as running until
 * its next sched_host_wait() or its end (sched_lane_end, which hands the
 * last guest step on).  Thread: the host.
 */
unsigned sched_host_wait(Sched *sched, int prev);

#endif /* INTERLEAVE_CORE_SCHED_H */
