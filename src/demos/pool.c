/*
 * pool.c - a process pool: a parent and `workers` forked worker processes,
 * tasks and results over pipes.
 *
 * Lane A is the parent, a thread of the run's process (the sandbox), which
 * is the process that forked the workers: they are its children, as a
 * multiprocessing pool's workers are the children of the Python process
 * that made the pool.  Lanes B, C, ... are the workers, each a real
 * forked process (DemoClass.lane_kind).  Two pipes join them, made before
 * the fork (prims/il_pipe.h):
 *
 *   tasks    parent -> workers  a chunk: the first task id and a count
 *                               (id 0 is the stop sentinel)
 *   results  workers -> parent  a chunk's results: id, value, error,
 *                               worker, time taken
 *
 * The parent keeps at most workers + 1 chunks in flight (as
 * ProcessPoolExecutor's call queue does), so neither pipe ever fills:
 * submit, then read a result, then submit again.  How it hands results to
 * its caller is the `usage`:
 *
 *   map             in submission order: a result that arrives early waits
 *                   for the ones before it (one slow task holds back those
 *                   after it);
 *   as_completed    each task submitted alone (no chunks), results in the
 *                   order they complete;
 *   imap_unordered  chunks, results in the order they complete.
 *
 * Each "result" step of the parent is where the caller gets it, like
 * future.result(): a task that raised (raise=K) surfaces there as a
 * "raise" step, its error having travelled back in its result.
 *
 * A worker that dies (crash=K: the worker that runs task K segfaults,
 * _exit()s or SIGKILLs itself) breaks the pool, like BrokenProcessPool:
 * its death is one the demo handles (DemoClass.lane_death_handled), so the
 * run goes on; the parent's read of the results pipe returns -EPIPE
 * naming the dead worker instead of waiting forever, every task whose
 * result has not been handed out fails with that reason ("broken" steps),
 * and the parent sends every other worker the stop sentinel (tasks still
 * queued in the pipe are run, but nobody collects them: their futures
 * already failed).  Then it reaps the dead worker (il_proc_reap, its
 * waitpid()): until then the dead worker is a zombie, and the timeline
 * shows how long.
 *
 * Variant queue (BROKEN ON PURPOSE) is the contrast: workers take tasks
 * from a queue in shared memory and call task_done(); the parent puts
 * every task and calls join() (Python's JoinableQueue).  A worker that
 * dies after get() and before task_done() leaves join() waiting forever:
 * nobody is told, and the run ends as a hang found by the ordinary
 * detection.
 */
#include "config.h"

#include "demos/pool.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "prims/il_cond.h"
#include "prims/il_mutex.h"
#include "prims/il_pipe.h"
#include "prims/il_proc.h"
#include "prims/il_shared.h"

/* One task's result, as a worker sends it. */
typedef struct PoolResult {
    int64_t id;
    int64_t value;  /* id * id, the classic example */
    int32_t error;  /* 1 = the task raised */
    int32_t worker; /* the lane that ran it */
    uint64_t ns;    /* free mode: how long it ran */
} PoolResult;

typedef struct PoolState {
    int64_t workers, tasks, usage, chunksize, cost_us, spread, raise, crash, how, variant;
    uint64_t ipu; /* free mode: spin iterations per microsecond */
    /* pipes */
    IlPipe tasks_pipe, results_pipe;
    /* queue (the contrast) */
    IlMutex m;
    IlCond not_empty, all_done;
    IlVar *next;       /* tasks taken from the queue so far */
    IlVar *queued;     /* items put: tasks, then sentinels */
    IlVar *unfinished; /* tasks put and not yet task_done()'d */
    /* step labels */
    int l_run, l_result, l_raise, l_broken, l_done;
    /* the parent's book (the parent is a thread of the sandbox; finish() reads it) */
    uint8_t *state;       /* per task (1-based): POOL_T_* */
    uint32_t *per_worker; /* tasks whose results came from each lane */
    int64_t received;     /* results received */
    int64_t in_order;     /* 1 while results arrived in submission order */
    int64_t last_id;
    int64_t broken_by; /* the dead worker's lane, -1 = none */
    int reaped;        /* il_proc_reap()'s answer for it: its waitpid() status */
    int64_t done_q;    /* queue variant: task_done() calls */
    uint64_t busy_ns;  /* sum of the tasks' times */
    uint64_t t0, t1;   /* arena time of the first submit and the last collect */
} PoolState;

static unsigned pool_lanes(const int64_t *params)
{
    return 1u + (unsigned)params[POOL_WORKERS];
}

static LaneKind pool_lane_kind(const int64_t *params, unsigned lane)
{
    (void)params;
    return lane == 0 ? LANE_KIND_THREAD : LANE_KIND_PROCESS;
}

/* A worker's death is the lesson: the parent notices (or, queue: does not). */
static bool pool_lane_death_handled(const int64_t *params, unsigned lane)
{
    (void)params;
    return lane > 0;
}

static uint64_t pool_events_per_lane(const int64_t *params)
{
    /* parent: write, wait, read and a result step per task; a worker that
     * runs every task: wait, read, run and write per task */
    return (uint64_t)params[POOL_TASKS] * 6 + 4u * (uint64_t)params[POOL_WORKERS] + 64;
}

static uint64_t pool_shared_bytes(const int64_t *params)
{
    return DEMO_SHARED_DEFAULT + (uint64_t)params[POOL_TASKS] * 8 + 4096;
}

/* CPU work: a xorshift loop the compiler cannot drop. */
static uint64_t pool_spin(uint64_t iters)
{
    uint64_t x = 88172645463325252ull;
    for (uint64_t i = 0; i < iters; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

static volatile uint64_t pool_sink;

/* Iterations of pool_spin per microsecond on this machine: the best of
 * three short timings. */
static uint64_t pool_calibrate(void)
{
    uint64_t best = UINT64_MAX, iters = 1u << 18;
    for (int k = 0; k < 3; k++) {
        uint64_t t = clock_mono_ns();
        pool_sink = pool_spin(iters);
        t = clock_mono_ns() - t;
        if (t < best) {
            best = t;
        }
    }
    return best == 0 ? 1000 : iters * 1000 / best + 1;
}

/* The task's cost in microseconds: every third task (3, 6, ...) is
 * 1 + spread times slower. */
static uint64_t pool_cost(const PoolState *st, int64_t id)
{
    uint64_t c = (uint64_t)st->cost_us;
    return id % 3 == 0 ? c * (uint64_t)(1 + st->spread) : c;
}

static int pool_setup(DemoCtx *ctx)
{
    PoolState *st = shared_heap_alloc(ctx->heap, 1, sizeof(*st));
    const int64_t *p = ctx->params;
    int rc;

    if (st == NULL) {
        return -ENOMEM;
    }
    st->workers = p[POOL_WORKERS];
    st->tasks = p[POOL_TASKS];
    st->usage = p[POOL_USAGE];
    st->chunksize = st->usage == POOL_AS_COMPLETED ? 1 : p[POOL_CHUNKSIZE];
    st->cost_us = p[POOL_COST_US];
    st->spread = p[POOL_SPREAD];
    st->raise = p[POOL_RAISE];
    st->crash = p[POOL_CRASH];
    st->how = p[POOL_CRASH_HOW];
    st->variant = p[POOL_VARIANT];
    st->broken_by = -1;
    st->in_order = 1;
    st->state = shared_heap_alloc(ctx->heap, (size_t)st->tasks + 1, 1);
    st->per_worker = shared_heap_alloc(ctx->heap, ctx->nlanes, sizeof(uint32_t));
    if (st->state == NULL || st->per_worker == NULL) {
        return -ENOMEM;
    }
    if (st->cost_us > 0 && !ctx->arena->stepping) {
        /* given (a benchmark keeps the work the same from run to run), or
         * measured now */
        st->ipu = p[POOL_SPINS] > 0 ? (uint64_t)p[POOL_SPINS] : pool_calibrate();
    }
    st->l_run = il_label_new(ctx->arena, "run");
    st->l_result = il_label_new(ctx->arena, "result");
    st->l_raise = il_label_new(ctx->arena, "raise");
    st->l_broken = il_label_new(ctx->arena, "broken");
    st->l_done = il_label_new(ctx->arena, "task_done");
    if (st->l_run < 0 || st->l_result < 0 || st->l_raise < 0 || st->l_broken < 0 ||
        st->l_done < 0) {
        return -ENOSPC;
    }
    if (st->variant == POOL_PIPES) {
        rc = il_pipe_init(&st->tasks_pipe, ctx->arena, "tasks", sizeof(int64_t));
        if (rc == 0) {
            rc = il_pipe_init(&st->results_pipe, ctx->arena, "results",
                              POOL_MAX_CHUNK * sizeof(PoolResult));
        }
        if (rc < 0) {
            return rc;
        }
        il_pipe_writer(&st->tasks_pipe, 0);
        il_pipe_reader(&st->results_pipe, 0);
        for (unsigned l = 1; l < ctx->nlanes; l++) {
            il_pipe_reader(&st->tasks_pipe, l);
            il_pipe_writer(&st->results_pipe, l);
        }
    } else {
        st->next = il_var_new(ctx->arena, "next", 0);
        st->queued = il_var_new(ctx->arena, "queued", 0);
        st->unfinished = il_var_new(ctx->arena, "unfinished", 0);
        if (st->next == NULL || st->queued == NULL || st->unfinished == NULL) {
            return -ENOSPC;
        }
        rc = il_mutex_init(&st->m, ctx->arena, "q");
        if (rc == 0) {
            rc = il_cond_init(&st->not_empty, ctx->arena, "not_empty");
        }
        if (rc == 0) {
            rc = il_cond_init(&st->all_done, ctx->arena, "all_done");
        }
        if (rc < 0) {
            return rc;
        }
    }
    ctx->state = st;
    return 0;
}

/* The worker running task K dies, the way crash_how says.  Not checked by
 * the undefined-behaviour sanitizer: the null store is the point. */
__attribute__((no_sanitize("undefined"))) static void pool_die(const PoolState *st)
{
    if (st->how == POOL_CRASH_EXIT) {
        _exit(3); /* like os._exit(3) in the task */
    }
    if (st->how == POOL_CRASH_KILL) {
        (void)kill(getpid(), SIGKILL); /* like the OOM killer, or kill -9 */
        pause();
    }
    /* a segmentation fault for real: a store through a null pointer (the
     * pointer is volatile, so the compiler cannot know it is null).  The
     * default action, whatever a sanitizer installed: the kernel ends the
     * process with SIGSEGV, as it would a program of the student's */
    (void)signal(SIGSEGV, SIG_DFL);
    {
        volatile int *volatile nowhere = NULL;
        *nowhere = 1;
    }
    (void)raise(SIGSEGV); /* not reached */
}

/* Run task id (its step is the "run" step): the work, then its result. */
static PoolResult pool_run(const PoolState *st, int64_t id, unsigned lane, bool stepping)
{
    PoolResult r = {id, id * id, 0, (int32_t)lane, 0};

    (void)il_compute(st->l_run, id);
    if (id == st->crash) {
        pool_die(st);
    }
    if (!stepping && st->cost_us > 0) {
        uint64_t t = clock_mono_ns();
        pool_sink = pool_spin(pool_cost(st, id) * st->ipu);
        r.ns = clock_mono_ns() - t;
    }
    if (id == st->raise) {
        r.error = 1; /* the exception travels back with the result */
        r.value = 0;
    }
    return r;
}

/* ------------------------------------------------------------------ */
/* variant pipes: concurrent.futures.ProcessPoolExecutor               */
/* ------------------------------------------------------------------ */

/* Hand task id to the caller: its result, or the error it raised. */
static void pool_yield(PoolState *st, int64_t id)
{
    uint8_t s = st->state[id] & 0x0f;
    (void)il_compute(s == POOL_T_RAISED ? st->l_raise : st->l_result, id);
    st->state[id] |= POOL_T_YIELDED;
}

static void pool_take_results(PoolState *st, const PoolResult *res, int n, int64_t *cursor)
{
    for (int i = 0; i < n; i++) {
        int64_t id = res[i].id;
        if (id < 1 || id > st->tasks) {
            continue;
        }
        st->state[id] = res[i].error ? POOL_T_RAISED : POOL_T_DONE;
        st->busy_ns += res[i].ns;
        if (res[i].worker > 0 && (unsigned)res[i].worker <= (unsigned)st->workers) {
            st->per_worker[res[i].worker]++;
        }
        st->received++;
        if (id < st->last_id) {
            st->in_order = 0;
        }
        st->last_id = id;
        if (st->usage != POOL_MAP) {
            pool_yield(st, id); /* as they complete */
        }
    }
    while (st->usage == POOL_MAP && *cursor <= st->tasks &&
           ((st->state[*cursor] & 0x0f) == POOL_T_DONE ||
            (st->state[*cursor] & 0x0f) == POOL_T_RAISED)) {
        pool_yield(st, (*cursor)++); /* in submission order */
    }
}

static void pool_parent(DemoCtx *ctx)
{
    PoolState *st = ctx->state;
    int64_t next = 1, cursor = 1, inflight = 0, window = st->workers + 1, stop;
    PoolResult res[POOL_MAX_CHUNK];

    st->t0 = arena_time(ctx->arena);
    for (;;) {
        int64_t tag;
        int got;

        while (next <= st->tasks && inflight < window) {
            int64_t n = st->tasks - next + 1 < st->chunksize ? st->tasks - next + 1 : st->chunksize;
            for (int64_t k = 0; k < n; k++) {
                st->state[next + k] = POOL_T_SENT;
            }
            il_pipe_write(&st->tasks_pipe, next, &n, sizeof(n)); /* a chunk: first id, count */
            next += n;
            inflight++;
        }
        if (inflight == 0) {
            break;
        }
        got = il_pipe_read(&st->results_pipe, &tag, res, sizeof(res));
        if (got == -EPIPE) {
            st->broken_by = tag; /* a worker died: BrokenProcessPool */
            break;
        }
        inflight--;
        pool_take_results(st, res, got / (int)sizeof(PoolResult), &cursor);
    }
    stop = st->workers;
    if (st->broken_by >= 0) {
        /* every task not handed out fails with the pool */
        for (int64_t id = 1; id <= st->tasks; id++) {
            if ((st->state[id] & POOL_T_YIELDED) == 0) {
                st->state[id] = POOL_T_BROKEN | POOL_T_YIELDED;
                (void)il_compute(st->l_broken, id);
            }
        }
        stop--; /* the dead worker reads nothing more (an extra sentinel is harmless) */
    }
    st->t1 = arena_time(ctx->arena);
    for (int64_t w = 0; w < stop; w++) {
        int64_t none = 0;
        il_pipe_write(&st->tasks_pipe, 0, &none, sizeof(none)); /* shutdown: stop sentinel */
    }
    if (st->broken_by > 0) {
        /* the dead worker is our child: until we wait for it, a zombie */
        st->reaped = il_proc_reap((unsigned)st->broken_by);
    }
}

static void pool_worker(DemoCtx *ctx, unsigned lane)
{
    PoolState *st = ctx->state;
    bool stepping = ctx->arena->stepping != 0;
    PoolResult res[POOL_MAX_CHUNK];

    for (;;) {
        int64_t first, n = 0;
        if (il_pipe_read(&st->tasks_pipe, &first, &n, sizeof(n)) < 0 || first == 0) {
            return; /* the stop sentinel */
        }
        if (n < 1 || n > POOL_MAX_CHUNK) {
            n = 1;
        }
        for (int64_t k = 0; k < n; k++) {
            res[k] = pool_run(st, first + k, lane, stepping);
        }
        il_pipe_write(&st->results_pipe, first, res, (size_t)n * sizeof(*res));
    }
}

static void pool_lane_pipes(DemoCtx *ctx, unsigned lane)
{
    if (lane == 0) {
        pool_parent(ctx);
    } else {
        pool_worker(ctx, lane);
    }
}

/* ------------------------------------------------------------------ */
/* variant queue: a JoinableQueue in shared memory (BROKEN ON PURPOSE) */
/* ------------------------------------------------------------------ */

/* BROKEN ON PURPOSE: nothing tells the parent a worker died, so a task it
 * took is never task_done()'d and join() waits forever. */
static void pool_lane_queue_broken(DemoCtx *ctx, unsigned lane)
{
    PoolState *st = ctx->state;
    bool stepping = ctx->arena->stepping != 0;

    if (lane == 0) {
        st->t0 = arena_time(ctx->arena);
        il_mutex_lock(&st->m);
        /* q.put(task) for every task: the queue is unbounded */
        il_store(st->queued, st->tasks);
        il_store(st->unfinished, st->tasks);
        il_cond_broadcast(&st->not_empty);
        /* q.join(): until every task was task_done()'d */
        while (il_load(st->unfinished) > 0) {
            il_cond_wait(&st->all_done, &st->m);
        }
        /* one stop sentinel per worker */
        il_store(st->queued, st->tasks + st->workers);
        il_cond_broadcast(&st->not_empty);
        il_mutex_unlock(&st->m);
        st->t1 = arena_time(ctx->arena);
        return;
    }
    for (;;) {
        int64_t id;
        il_mutex_lock(&st->m);
        while (il_load(st->next) >= il_load(st->queued)) {
            il_cond_wait(&st->not_empty, &st->m); /* q.get() */
        }
        id = il_load(st->next) + 1;
        il_store(st->next, id);
        il_mutex_unlock(&st->m);
        if (id > st->tasks) {
            return; /* a sentinel */
        }
        (void)pool_run(st, id, lane, stepping);
        il_mutex_lock(&st->m);
        /* q.task_done() */
        (void)il_compute(st->l_done, id);
        if (il_store_checked(st->unfinished, il_load(st->unfinished) - 1) == 1) {
            il_cond_broadcast(&st->all_done);
        }
        st->done_q++;
        il_mutex_unlock(&st->m);
    }
}

/* ------------------------------------------------------------------ */

static void pool_finish(DemoCtx *ctx, int verdict)
{
    PoolState *st = ctx->state;
    int64_t done = 0, raised = 0, broken = 0, lo = -1, hi = 0;
    uint64_t wall;

    if (st->variant == POOL_QUEUE) {
        (void)arena_result_add(ctx->arena, "tasks", st->tasks);
        (void)arena_result_add(ctx->arena, "done",
                               il_var_peek(st->unfinished) == 0 ? st->tasks : st->done_q);
        return;
    }
    for (int64_t id = 1; id <= st->tasks; id++) {
        uint8_t s = st->state[id] & 0x0f;
        done += s == POOL_T_DONE;
        raised += s == POOL_T_RAISED;
        broken += s == POOL_T_BROKEN;
    }
    for (unsigned l = 1; l < ctx->nlanes; l++) {
        int64_t n = st->per_worker[l];
        lo = lo < 0 || n < lo ? n : lo;
        hi = n > hi ? n : hi;
    }
    wall = st->t1 > st->t0 ? st->t1 - st->t0 : 0;
    (void)arena_result_add(ctx->arena, "tasks", st->tasks);
    (void)arena_result_add(ctx->arena, "done", done);
    (void)arena_result_add(ctx->arena, "lost_tasks", raised + broken);
    (void)arena_result_add(ctx->arena, "raised", raised);
    (void)arena_result_add(ctx->arena, "broken", st->broken_by >= 0 ? 1 : 0);
    if (st->broken_by >= 0) {
        (void)arena_result_add(ctx->arena, "broken_by", st->broken_by);
    }
    (void)arena_result_add(ctx->arena, "in_order", st->in_order);
    (void)arena_result_add(ctx->arena, "wall", (int64_t)wall);
    if (!ctx->arena->stepping && st->received > 0) {
        /* the same tasks one after another would take busy; the pool took
         * wall: every worker's time not spent on a task is the pool's
         * overhead, per task */
        uint64_t capacity = wall * (uint64_t)st->workers;
        (void)arena_result_add(ctx->arena, "busy", (int64_t)st->busy_ns);
        (void)arena_result_add(ctx->arena, "speedup_pct",
                               wall > 0 ? (int64_t)(st->busy_ns * 100 / wall) : 0);
        (void)arena_result_add(
            ctx->arena, "dispatch",
            capacity > st->busy_ns ? (int64_t)((capacity - st->busy_ns) / (uint64_t)st->tasks) : 0);
    }
    if (st->ipu > 0) {
        (void)arena_result_add(ctx->arena, "spins_per_us", (int64_t)st->ipu);
    }
    (void)arena_result_add(ctx->arena, "tasks_min_worker", lo < 0 ? 0 : lo);
    (void)arena_result_add(ctx->arena, "tasks_max_worker", hi);
    (void)verdict;
}

/* ------------------------------------------------------------------ */

static const DemoCodeLine pool_code_pipes[] = {
    {"A (parent):  with ProcessPoolExecutor(workers) as pool:", EV_NONE, NULL},
    {"    send chunk (first, n) -> tasks", EV_PIPE_WRITE, "tasks"},
    {"    read results <- results", EV_PIPE_READ, "results"},
    {"    yield result   # map: in order", EV_COMPUTE, "result"},
    {"    raise error    # future.result()", EV_COMPUTE, "raise"},
    {"    fail: BrokenProcessPool", EV_COMPUTE, "broken"},
    {"    shutdown: reap the dead worker", EV_REAP, NULL},
    {"B.. (worker process): loop:", EV_NONE, NULL},
    {"    chunk = read tasks  # 0: stop", EV_PIPE_READ, "tasks"},
    {"    for task in chunk: run task", EV_COMPUTE, "run"},
    {"    send results -> results", EV_PIPE_WRITE, "results"},
};

static const DemoCodeLine pool_code_queue[] = {
    {"A (parent):", EV_NONE, NULL},
    {"    lock q; put every task", EV_LOCK_ACQUIRE, NULL},
    {"    q.join(): while unfinished > 0: wait", EV_COND_WAIT, "all_done"},
    {"    put a stop per worker; unlock q", EV_LOCK_RELEASE, NULL},
    {"B.. (worker process): loop:", EV_NONE, NULL},
    {"    task = q.get()  (wait not_empty)", EV_COND_WAIT, "not_empty"},
    {"    run task", EV_COMPUTE, "run"},
    {"    q.task_done()", EV_COMPUTE, "task_done"},
};

static const DemoVariant pool_variants[] = {
    [POOL_PIPES] = {"pipes",
                    "ProcessPoolExecutor: tasks and results over pipes; a dead worker breaks it",
                    false, pool_lane_pipes, pool_code_pipes, ARRAY_SIZE(pool_code_pipes)},
    [POOL_QUEUE] = {"queue",
                    "a JoinableQueue in shared memory: a dead worker leaves join() waiting", true,
                    pool_lane_queue_broken, pool_code_queue, ARRAY_SIZE(pool_code_queue)},
};

static const DemoResultField pool_results[] = {
    {"tasks", DEMO_UNIT_COUNT, "tasks submitted"},
    {"done", DEMO_UNIT_COUNT, "tasks whose result the parent collected"},
    {"lost_tasks", DEMO_UNIT_COUNT, "tasks without a result: raised, or lost with a broken pool"},
    {"raised", DEMO_UNIT_COUNT, "tasks whose error came back with their result"},
    {"broken", DEMO_UNIT_COUNT, "1 when a worker died and broke the pool"},
    {"broken_by", DEMO_UNIT_COUNT, "the lane of the worker that died (1 = B)"},
    {"in_order", DEMO_UNIT_COUNT, "1 when results arrived in submission order"},
    {"wall", DEMO_UNIT_TIME, "from the first submit to the last result"},
    {"busy", DEMO_UNIT_TIME, "the tasks' own time, added up: the sequential time"},
    {"speedup_pct", DEMO_UNIT_COUNT, "busy / wall, in percent: 200 = twice as fast"},
    {"dispatch", DEMO_UNIT_TIME, "per task, the workers' time not spent on tasks"},
    {"spins_per_us", DEMO_UNIT_COUNT, "the CPU work's loop turns per microsecond of cost_us"},
    {"tasks_min_worker", DEMO_UNIT_COUNT, "results from the worker that ran the fewest"},
    {"tasks_max_worker", DEMO_UNIT_COUNT, "results from the worker that ran the most"},
};

static const char *const pool_usages[] = {"map", "as_completed", "imap_unordered", NULL};
static const char *const pool_hows[] = {"segv", "exit", "kill", NULL};

static const DemoParam pool_params[] = {
    [POOL_WORKERS] = {"workers", "worker processes", 1, POOL_MAX_WORKERS, 2, NULL},
    [POOL_TASKS] = {"tasks", "tasks submitted (ids 1..tasks)", 1, POOL_MAX_TASKS, 8, NULL},
    [POOL_USAGE] = {"usage", "how results come back: map, as_completed, imap_unordered", 0, 2,
                    POOL_MAP, pool_usages},
    [POOL_CHUNKSIZE] = {"chunksize", "tasks per message (map, imap_unordered)", 1, POOL_MAX_CHUNK,
                        1, NULL},
    [POOL_COST_US] = {"cost_us", "free mode: CPU work per task, microseconds", 0, 1000000, 1000,
                      NULL},
    [POOL_SPREAD] = {"spread", "every third task costs 1 + spread times more", 0, 100, 0, NULL},
    [POOL_RAISE] = {"raise", "task that raises an error (0 = none)", 0, POOL_MAX_TASKS, 0, NULL},
    [POOL_CRASH] = {"crash", "task whose worker dies running it (0 = none)", 0, POOL_MAX_TASKS, 0,
                    NULL},
    [POOL_CRASH_HOW] = {"crash_how", "how it dies: segv, exit (_exit 3), kill (SIGKILL)", 0, 2,
                        POOL_CRASH_SEGV, pool_hows},
    [POOL_VARIANT] = {"variant", "how tasks reach the workers", 0, POOL_VARIANT_COUNT - 1,
                      POOL_PIPES, NULL, pool_variants},
    [POOL_SPINS] = {"spins_per_us",
                    "loop turns per microsecond of work (0 = measured at the start)", 0, 1000000, 0,
                    NULL},
};

/* A task number a parameter names (raise=K, crash=K) is one of the tasks
 * submitted, or 0 for none: past tasks= it would silently name nothing. */
static int pool_check(const void *data, const int64_t *p, char *why, size_t len)
{
    static const struct {
        int param;
        const char *name;
    } named[] = {{POOL_RAISE, "raise"}, {POOL_CRASH, "crash"}};
    (void)data;
    for (size_t i = 0; i < ARRAY_SIZE(named); i++) {
        if (p[named[i].param] > p[POOL_TASKS]) {
            snprintf(why, len, "pool: %s=%lld names no task: tasks=%lld submits 1..%lld (0 = none)",
                     named[i].name, (long long)p[named[i].param], (long long)p[POOL_TASKS],
                     (long long)p[POOL_TASKS]);
            return -1;
        }
    }
    return 0;
}

const DemoClass pool_demo = {
    .name = "pool",
    .summary = "a process pool: forked workers, tasks and results over pipes, a broken pool",
    .params = pool_params,
    .nparams = ARRAY_SIZE(pool_params),
    .lanes = pool_lanes,
    .data_check = pool_check,
    .events_per_lane = pool_events_per_lane,
    .setup = pool_setup,
    .finish = pool_finish,
    .results = pool_results,
    .nresults = ARRAY_SIZE(pool_results),
    .view = &pool_view,
    .lane_kind = pool_lane_kind,
    .shared_bytes = pool_shared_bytes,
    .lane_death_handled = pool_lane_death_handled,
};
