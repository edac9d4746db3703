/*
 * arena.h - the shared-memory arena of one run.
 *
 * DESIGN
 * The front end maps the arena (mmap MAP_SHARED | MAP_ANONYMOUS) before it
 * forks the run's sandbox, so the sandbox, its threads and any processes it
 * forks all write to the same pages the front end reads.  The arena holds
 * plain, versioned data only: fixed-width fields and indices, never
 * pointers, so a recording can be saved and read back.
 *
 *   Arena header | objects | string table | result | lane slots | rings
 *
 * Objects (shared variables, mutexes, labels) are registered by the demo's
 * setup before any lane starts; their live values sit in the arena so the
 * front end can show them while the run goes.  Each lane has a slot (its
 * state, pending operation, register, counters) and its own event ring.
 *
 * OWNERSHIP RULES (rule 14)
 *   header fields: immutable after arena_new, except as marked;
 *   objects and strings: written by the run's setup before lanes start,
 *   then only the `value` fields change (atomic);
 *   lane slot fields: written by that lane, or by the step controller while
 *   every lane is parked;  result: written by the sandbox before it exits.
 */
#ifndef INTERLEAVE_CORE_ARENA_H
#define INTERLEAVE_CORE_ARENA_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/clock.h"
#include "core/compiler.h"
#include "core/error.h"
#include "core/ring.h"

#define ARENA_MAGIC 0x494c5641u /* "ILVA" */
/* 2: semaphores, progress and wait figures;
 * 3: condition variables, slot arrays, invariant violations;
 * 4: the parts of a verdict in the result (bad_text, reason, span);
 * 5: lane executors (kind, pid, tid, exit of each lane), the start flag
 *    (event times count from the lanes' start), process-shared runs;
 * 6: the line of code each lane stands on (ArenaLane.code_line), objects of
 *    the new primitives (re-entrant and read-write locks, barriers, latches,
 *    events); lane slots in 128-byte blocks, objects from a cache line of
 *    their own;
 * 7: paused_ns, the time a free run spent paused, left out of its clock;
 * 8: pipes between lanes (ArenaPipe), lane deaths a demo handles, the
 *    moment a lane process ended (a zombie until it is reaped);
 * 9: coroutine lanes (LANE_KIND_COROUTINE), futures, awaits and work
 *    queues as objects, lane names (ArenaLane.name) */
#define ARENA_VERSION 9u
#define ARENA_MAX_LANES 128
#define ARENA_MAX_OBJS 1280 /* room for a 1024-slot buffer and its neighbours */
#define ARENA_STRTAB_SIZE 32768
#define ARENA_MAX_FIELDS 32
#define ARENA_FIELD_NAME 32
#define ARENA_MSG_MAX 1024
#define ARENA_MAX_PIPES 32

typedef enum ObjKind {
    OBJ_NONE = 0,
    OBJ_VAR = 1,     /* shared variable: value is its value */
    OBJ_MUTEX = 2,   /* mutex: value is the owning lane, -1 = free */
    OBJ_LABEL = 3,   /* a name for local computations ("add") */
    OBJ_SEM = 4,     /* counting semaphore: value is its count */
    OBJ_COND = 5,    /* condition variable: value is the number of lanes asleep on it
                      * and not yet woken; pad is the mutex it is used with, 0 = none yet */
    OBJ_SLOT = 6,    /* one element of a slot array (il_slots_new): value is its value;
                      * the elements of one array are consecutive objects */
    OBJ_RLOCK = 7,   /* re-entrant lock: value is the owning lane, -1 = free */
    OBJ_RWLOCK = 8,  /* read-write lock: value is the readers inside (>= 0), or
                      * -2 - the writing lane */
    OBJ_BARRIER = 9, /* barrier: value is the lanes arrived in this round; pad the parties */
    OBJ_LATCH = 10,  /* countdown latch: value is its count */
    OBJ_EVENT = 11,  /* event: value is its flag (0 or 1) */
    OBJ_PIPE = 12,   /* a pipe between lanes (il_pipe_init): value is the number of
                      * messages in it; pad is its index in Arena.pipes */
    OBJ_FUTURE = 13, /* a future, a task or a thread's handle (prims/il_future.h,
                      * prims/il_loop.h): value is its FutureState; pad is the lane
                      * that runs it + 1, 0 = nobody yet */
    OBJ_AWAIT = 14,  /* a coroutine's await (prims/il_loop.h): value is 1 once what it
                      * awaits is done (its loop made it ready), 0 while it waits; pad
                      * is the object it awaits */
    OBJ_QUEUE = 15   /* a work queue (prims/il_future.h): value is the items queued; pad
                      * is 1 once it is shut down (a taker then gets "no more") */
} ObjKind;

/* The states of an OBJ_FUTURE, in order: done from FUT_DONE on. */
typedef enum FutureState {
    FUT_PENDING = 0,   /* created, nobody runs it yet */
    FUT_RUNNING = 1,   /* a lane runs it */
    FUT_DONE = 2,      /* it returned a result */
    FUT_FAILED = 3,    /* it raised (an error code is its result) */
    FUT_CANCELLED = 4, /* cancelled before or while it ran */
    FUT_STATE_COUNT
} FutureState;

typedef enum LaneState {
    LANE_NEW = 0,      /* not started yet */
    LANE_RUNNING = 1,  /* executing (free mode, or granted a step) */
    LANE_READY = 2,    /* parked at an instrumented point, can be granted */
    LANE_BLOCKED = 3,  /* parked, but its next operation cannot proceed */
    LANE_FINISHED = 4, /* returned from its lane function */
    LANE_DIED = 5,     /* its process ended before the lane function returned
                        * (a signal, an exit): see ArenaLane.exit_status */
    LANE_STATE_COUNT
} LaneState;

/* What runs a lane (core/lane_exec.h).  Free mode: a lane inside a
 * blocking wait (a lock, a semaphore at 0, a condition variable) shows as
 * LANE_BLOCKED, whatever runs it. */
typedef enum LaneKind {
    LANE_KIND_THREAD = 0,    /* a thread of the run's sandbox process */
    LANE_KIND_PROCESS = 1,   /* a process forked by the sandbox, in the run's process group */
    LANE_KIND_COROUTINE = 2, /* a coroutine on an event loop: it runs on the thread of
                              * its host lane (the loop's) and switches only where it
                              * awaits (core/lane_exec.h, prims/il_loop.h) */
    LANE_KIND_COUNT
} LaneKind;

typedef enum Verdict {
    VERDICT_RUNNING = 0,
    VERDICT_COMPLETED = 1,
    VERDICT_DEADLOCK = 2,
    VERDICT_BAD_SCHEDULE = 3,
    VERDICT_TIMEOUT = 4,
    VERDICT_CRASHED = 5,
    VERDICT_KILLED = 6,    /* stopped by the front end (reset, quit) */
    VERDICT_LIVELOCK = 7,  /* lanes kept running, none made progress for too long */
    VERDICT_HANG = 8,      /* every unfinished lane waits, at least one on a condition
                            * variable, and none can wake another (no wait-for cycle) */
    VERDICT_INVARIANT = 9, /* a lane or the end-of-run check saw an invariant broken
                            * (arena_violation); wins over the verdict the run had */
    VERDICT_COUNT
} Verdict;

typedef struct ArenaObj {
    uint32_t name; /* string id */
    uint16_t kind; /* ObjKind */
    uint16_t pad;
    _Atomic int64_t value; /* see ObjKind */
} ArenaObj;

/* A lane's slot starts a 128-byte block of its own: a lane writes its slot
 * at every operation (register, counters), and slots sharing a cache line
 * (or a pair of lines, which the adjacent-line prefetcher fetches together)
 * would make lanes on different cores slow each other down, traced or not. */
typedef struct ArenaLane {
    _Alignas(128) _Atomic uint32_t state; /* LaneState */

    _Atomic uint32_t op;         /* pending operation (step); in free mode the blocking
                                  * operation the lane is inside (lock, semaphore wait),
                                  * EV_NONE once it returned.  EventKind */
    _Atomic uint32_t op_obj;     /* object of op, 0 = none */
    _Atomic int32_t blocked_by;  /* lane holding what this lane waits for, -1 = none */
    _Atomic int64_t reg;         /* the lane's local register, for display */
    _Atomic uint64_t ops;        /* operations performed */
    _Atomic uint64_t steps;      /* steps granted (step/replay) */
    _Atomic uint64_t progress;   /* units of work the demo reported (il_progress) */
    _Atomic uint64_t wait_since; /* arena time + 1 when the current blocking wait began
                                  * (lock, timed lock, semaphore), 0 = not waiting */
    _Atomic uint64_t wait_max;   /* longest finished wait: ns (free) or steps (step) */
    uint64_t ring_off;           /* immutable: byte offset of the lane's Ring */
    uint32_t kind;               /* LaneKind; immutable after run_start */
    _Atomic int32_t pid;         /* process running the lane (the sandbox for a thread
                                  * lane), 0 = not started; written by the lane */
    _Atomic int32_t tid;         /* its kernel thread id (gettid), 0 = not started */
    _Atomic uint32_t exited;     /* process lanes: 1 once the sandbox reaped the process */
    int32_t exit_status;         /* waitpid() status; valid once ended is 1 */
    _Atomic uint32_t code_line;  /* 1 + the line of the demo's code (DemoClass.code) the lane
                                  * stands on, for demos that publish it (sched_set_line);
                                  * 0 = not known (the front end matches operations) */
    _Atomic uint32_t ended;      /* process lanes: 1 once the sandbox saw the process end
                                  * (a zombie from then until exited) */
    uint32_t name;               /* string id of the lane's name ("ThreadPoolExecutor-0_1",
                                  * "main()"), 0 = none; set by the demo's setup */
    uint64_t exit_t;             /* arena time when it was reaped; valid once exited */
    uint64_t ended_t;            /* arena time when it was seen ended; valid once ended */
} ArenaLane;

/*
 * A pipe between lanes (prims/il_pipe.h): a kernel pipe the sandbox made
 * in setup, before any lane process was forked, so every lane that uses it
 * inherits its descriptors; a lane process keeps only the ends its lane
 * uses (readers, writers), the sandbox keeps both.  Messages are
 * fixed-size packets.  Written by setup, then only dead_writer changes.
 */
typedef struct ArenaPipe {
    uint32_t obj;                /* its object (OBJ_PIPE): value = messages in it */
    int32_t rfd, wfd;            /* read and write end (descriptors of the sandbox) */
    uint32_t msg_size;           /* bytes of one message, header included */
    uint32_t capacity;           /* messages it holds before a write blocks */
    int32_t tomb_fd;             /* the sandbox's own non-blocking write end, for
                                  * tombstones (core/lane_pipe.h) */
    uint64_t readers[2];         /* lanes that read it: bit (lane & 63) of word lane / 64 */
    uint64_t writers[2];         /* lanes that write it */
    _Atomic int32_t dead_writer; /* 1 + the first writer lane whose process died, 0 = none */
    uint32_t pad2;
} ArenaPipe;

typedef struct ArenaField {
    char name[ARENA_FIELD_NAME];
    int64_t value;
} ArenaField;

typedef struct ArenaResult {
    _Atomic uint32_t done; /* 1 once the sandbox wrote the result */
    int32_t verdict;       /* Verdict */
    uint64_t elapsed_ns;   /* from the lanes' start (the start gate) to the end */
    uint64_t steps;        /* steps granted (step/replay) */
    int32_t bad_token;     /* 1-based token position of a bad schedule, 0 = none */
    uint32_t nfields;
    ArenaField fields[ARENA_MAX_FIELDS]; /* demo results, in display order */
    char message[ARENA_MSG_MAX];         /* verdict details, one line */
    /* the parts of a verdict the front end renders (core/verdict.h) */
    char bad_text[16]; /* a refused token as written ("B", "~C") */
    char reason[256];  /* why it was refused ("lane B is blocked on ...") */
    uint64_t span;     /* livelock: steps without progress */
    uint32_t died;     /* crashed: 1 + the lane whose process died, 0 = none */
} ArenaResult;

/* The first invariant violation of a run (arena_violation).  Written once:
 * the lane that moves state from 0 to 1 fills the fields, then sets 2. */
typedef struct ArenaViolation {
    _Atomic uint32_t state; /* 0 = none, 1 = being written, 2 = complete */
    int32_t lane;           /* the lane that saw it, -1 = the end-of-run check */
    uint64_t t;             /* arena time: step number (step/replay) or ns (free) */
    char invariant[64];     /* which invariant: "exactly once", "depth within 0..4" */
    char what[512];         /* what broke: "item 3 consumed twice (by C, slot 1)" */
} ArenaViolation;

/* Why the sandbox could not go on (arena_fatal): a failed pthread call in a
 * lane or the controller.  Written once, like ArenaViolation. */
typedef struct ArenaFatal {
    _Atomic uint32_t state; /* 0 = none, 1 = being written, 2 = complete */
    int32_t lane;           /* the lane that failed, -1 = the controller */
    char what[256];         /* "pthread_mutex_lock: Invalid argument" */
} ArenaFatal;

typedef struct Arena {
    uint32_t magic;
    uint32_t version;
    uint64_t size; /* bytes mapped */
    uint32_t nlanes;
    uint32_t ring_cap;            /* events per lane ring */
    uint32_t stepping;            /* 1 = step/replay: event time is the step number */
    uint32_t tracing;             /* 0 = events are not recorded (benchmarks) */
    uint32_t process_lanes;       /* lanes of kind LANE_KIND_PROCESS; > 0 makes the scheduler
                                   * and the primitives process-shared.  Immutable after run_start */
    _Atomic uint32_t started;     /* 1 once the lanes passed the start gate.  The clock's
                                   * origin is that moment: every event time, elapsed_ns
                                   * and verdict time counts from it (before, the origin
                                   * is arena_new's) */
    ClockCal clock;               /* written by the sandbox at the start gate, before `started`;
                                   * each lane reads a copy of its own (LaneCtx) */
    _Atomic uint64_t step;        /* steps granted so far (step/replay) */
    _Atomic uint64_t deadline_ns; /* CLOCK_MONOTONIC when the run times out, 0 = never;
                                     written by the front end (a pause moves it), read
                                     by the sandbox's watchdog (run.c) */
    _Atomic uint64_t paused_ns;   /* time the run spent paused (run_pause), ns: the
                                     front end adds each pause before it resumes the
                                     run, and the run's clock (clock.paused) leaves it
                                     out, so time goes on from where it stopped */
    _Atomic uint32_t nobjs;
    _Atomic uint32_t strtab_used;
    /* the objects start a cache line of their own: lanes write them all the
     * time (a raced counter), so no line of theirs may hold the header */
    _Alignas(64) ArenaObj objs[ARENA_MAX_OBJS]; /* index 0 is reserved: "none" */

    char strtab[ARENA_STRTAB_SIZE]; /* NUL-terminated names; id = offset, 0 = "" */
    ArenaResult result;
    ArenaViolation violation; /* the first invariant broken, if any */
    ArenaFatal fatal;         /* the sandbox's internal failure, if any */
    _Atomic uint32_t npipes;  /* pipes registered by setup */
    uint32_t pad_pipes;
    ArenaPipe pipes[ARENA_MAX_PIPES];
    ArenaLane lanes[ARENA_MAX_LANES];
} Arena;

/*
 * Map a new arena for nlanes lanes with rings of ring_cap events (rounded
 * up to a power of two, at least 64).  Returns the arena (caller owns it;
 * free with arena_free()) or NULL with err filled.
 * Thread: any thread, before the run is forked.
 */
Arena *arena_new(unsigned nlanes, uint32_t ring_cap, IlError *err) ATTR_WARN_UNUSED_RESULT;

/*
 * Make arena as arena_new() left it, keeping the mapping: no objects, no
 * strings, no result or violation, every lane new with an empty ring, the
 * step count 0.  For running the same demo again in one process (the
 * explorer), cheaper than a new mapping.  Thread: owner, with no lane and
 * no reader using the arena.
 */
void arena_reset(Arena *arena);

/* Unmap the arena.  arena_free(NULL) does nothing.  Thread: owner only. */
void arena_free(Arena *arena);

/*
 * Name lane ("ThreadPoolExecutor-0_1", "main"): what the lanes table, the
 * reports and the exports call it beside its letter (Python's
 * threading.current_thread().name).  Returns 0, -EINVAL for a lane the
 * run does not have, or -ENOSPC (string table full).  Thread: setup only.
 */
int arena_lane_set_name(Arena *arena, unsigned lane, const char *name);

/* The name of lane ("" when it has none).  Borrowed.  Thread: any. */
const char *arena_lane_name(const Arena *arena, unsigned lane);

/*
 * Store a copy of str in the string table.  Returns its id (> 0), or
 * -ENOSPC when the table is full.  Equal strings may share one id.
 * Thread: setup only (before lanes start).
 */
int arena_intern(Arena *arena, const char *str);

/* The string with id (borrowed; valid while the arena is mapped); "" for
 * a bad id.  Thread: any thread. */
const char *arena_str(const Arena *arena, uint32_t id);

/*
 * Register an object of kind with name and initial value.  Returns its
 * index (> 0) or a negative error (-ENOSPC).  Thread: setup only.
 */
int arena_obj_new(Arena *arena, ObjKind kind, const char *name, int64_t value);

/* The name of object index obj ("" if none).  Thread: any thread. */
const char *arena_obj_name(const Arena *arena, uint32_t obj);

/*
 * Fault in the pages that the first `events` events of lane's ring will
 * use, so that recording them does not take page faults during the run
 * (tracing must not slow the lanes it watches).  Thread: the sandbox,
 * before the lanes start.
 */
void arena_prefault(Arena *arena, unsigned lane, uint64_t events);

/* The ring of lane.  Thread: any thread. */
Ring *arena_ring(Arena *arena, unsigned lane);

/* Add a named result field.  Returns 0 or -ENOSPC.  Thread: sandbox, at
 * the end of a run. */
int arena_result_add(Arena *arena, const char *name, int64_t value);

/* Look a result field up by name; returns true and sets *value if found.
 * Thread: any thread once result.done is set. */
bool arena_result_get(const Arena *arena, const char *name, int64_t *value);

/*
 * Record that invariant (a short name, "exactly once") is broken, with what
 * (printf format) saying which item or slot, at the arena's current time.
 * Only the first violation of a run is kept; later calls return 0 and
 * change nothing.  lane is the lane that saw it, -1 for the end-of-run
 * check.  Not for the recording path: it formats text.  Returns 1 when
 * this call recorded the violation.  Thread: any thread of the run.
 */
int arena_violation(Arena *arena, int lane, const char *invariant, const char *fmt, ...)
    ATTR_FORMAT(printf, 4, 5);

/* True when a violation was recorded and is complete.  Thread: any. */
bool arena_violated(const Arena *arena);

/*
 * The sandbox cannot go on: record what failed (the call and its error
 * number) for the front end, once per run, and end the calling process
 * with _exit(IL_EXIT_FATAL): the whole sandbox when called from a thread
 * lane or the controller, only the lane's process for a process lane (the
 * controller then sees the lane die).  For failures that are bugs or
 * broken system state (a pthread call on a valid object), never for bad
 * input.  lane is the calling lane, -1 for the controller.
 * Thread: any thread of the sandbox; async-signal-safe apart from the text
 * formatting.
 */
ATTR_NORETURN void arena_fatal(Arena *arena, int lane, const char *call, int errnum);

/* Exit status of a sandbox process that called arena_fatal(). */
#define IL_EXIT_FATAL 70

/* Text arena_fatal() recorded ("" if none).  Thread: any. */
const char *arena_fatal_text(const Arena *arena);

/* Current event time of this arena: step number or ns since start.
 * Thread: any thread; async-signal-safe. */
static inline uint64_t arena_time(const Arena *arena)
{
    if (arena->stepping) {
        return atomic_load_explicit(&arena->step, memory_order_relaxed);
    }
    return clock_now_ns(&arena->clock);
}

/*
 * Read accessors: what a front end, a report or a test reads of a live
 * arena (relaxed loads; exact once the lanes are parked or the run is
 * over).  Indexes are not checked.  Thread: any thread.
 */
static inline uint32_t arena_nobjs(const Arena *arena)
{
    return atomic_load_explicit(&arena->nobjs, memory_order_acquire);
}

static inline uint64_t arena_step(const Arena *arena)
{
    return atomic_load_explicit(&arena->step, memory_order_relaxed);
}

static inline int64_t arena_obj_value(const Arena *arena, uint32_t obj)
{
    return atomic_load_explicit(&arena->objs[obj].value, memory_order_relaxed);
}

static inline uint32_t arena_lane_state(const Arena *arena, unsigned lane)
{
    return atomic_load_explicit(&arena->lanes[lane].state, memory_order_acquire);
}

static inline uint32_t arena_lane_op(const Arena *arena, unsigned lane)
{
    return atomic_load_explicit(&arena->lanes[lane].op, memory_order_relaxed);
}

static inline uint32_t arena_lane_op_obj(const Arena *arena, unsigned lane)
{
    return atomic_load_explicit(&arena->lanes[lane].op_obj, memory_order_relaxed);
}

static inline int32_t arena_lane_blocked_by(const Arena *arena, unsigned lane)
{
    return atomic_load_explicit(&arena->lanes[lane].blocked_by, memory_order_relaxed);
}

static inline int64_t arena_lane_reg(const Arena *arena, unsigned lane)
{
    return atomic_load_explicit(&arena->lanes[lane].reg, memory_order_relaxed);
}

static inline uint64_t arena_lane_ops(const Arena *arena, unsigned lane)
{
    return atomic_load_explicit(&arena->lanes[lane].ops, memory_order_relaxed);
}

/* True when lane is one of the lanes whose bits are set in set (a pipe's
 * readers or writers).  Thread: any thread. */
static inline bool arena_lane_in(const uint64_t set[2], unsigned lane)
{
    return lane < ARENA_MAX_LANES && (set[lane / 64] >> (lane % 64) & 1u) != 0;
}

/* Name of a lane state ("ready", "blocked", ...).  Thread: any thread. */
const char *lane_state_name(unsigned state);

/* Name of a lane kind ("thread", "process").  Thread: any thread. */
const char *lane_kind_name(unsigned kind);

/*
 * Describe how a lane process ended, from its waitpid() status, into buf:
 * "died of signal 11 (Segmentation fault)", "exited with status 3".
 * Thread: any thread.
 */
void lane_exit_describe(int status, char *buf, size_t len);

/* Name of a verdict ("completed", "deadlock", ...).  Thread: any thread. */
const char *verdict_name(int verdict);

#endif /* INTERLEAVE_CORE_ARENA_H */
