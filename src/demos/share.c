/*
 * share.c - threads vs processes: who sees a global that every lane
 * increments.
 *
 * Lane A is the parent: a thread of the run's process (the sandbox).  It
 * starts `workers` lanes B, C, ..., waits for all of them (join), then
 * reads the counter.  Every worker runs the same loop as the race demo:
 *
 *   load   reg = counter
 *   add    reg = reg + 1
 *   store  counter = reg
 *
 * What changes between the variants is only what runs the workers and
 * where the counter lives:
 *
 *   threads    workers are threads of the parent's process, and counter
 *              is a plain global of this program (share_global below).
 *              Threads share their process's memory: one counter, and
 *              without a lock they race on it and lose updates
 *              (BROKEN ON PURPOSE).
 *   processes  workers are forked processes, and counter is the same
 *              plain global.  fork() gives each child a copy of the
 *              parent's memory (copy-on-write): each worker counts in its
 *              own copy, and the parent's copy stays 0 (BROKEN ON
 *              PURPOSE: the parent never sees the work).
 *   shm        processes, but the counter lives in memory mapped
 *              MAP_SHARED before the fork (the run's arena, like
 *              multiprocessing.Value without its lock): one counter
 *              again, and the race is back across processes (BROKEN ON
 *              PURPOSE).
 *   shm_lock   the same with a process-shared mutex around the three
 *              steps (PTHREAD_PROCESS_SHARED, in shared memory, like
 *              multiprocessing.Lock): nothing is lost.
 *   pipe       processes counting in their own copies, as in processes,
 *              and then each sends its count to the parent over a pipe
 *              (the pool's way: results travel back, memory is not
 *              shared); the parent adds them up.  Nothing shared, nothing
 *              lost, no lock.
 *   hybrid     P processes x T threads each (threads=T), CPU-bound: in
 *              each process T plain pthreads take turns on one lock of
 *              that process (a global interpreter lock, like CPython's:
 *              it is held while the thread computes), then the process
 *              sends its count over the pipe.  The threads of a process
 *              never run at the same time; the processes do, so the
 *              speed-up follows the number of processes, not of threads.
 *              The threads inside a process are not lanes: the timeline
 *              shows each process as one row, its threads' work as one
 *              "threads" step.
 *
 * The instrumented accesses (il_load, il_store) work on an IlVar wherever
 * it lives; the events carry the value each lane read or wrote, which is
 * how the view shows each process's own copy: the front end cannot read
 * a lane process's private memory, only what it recorded.
 */
#include "config.h"

#include "demos/share.h"

#include <errno.h>
#include <pthread.h>

#include "core/clock.h"
#include "prims/il_mutex.h"
#include "prims/il_pipe.h"
#include "prims/il_sem.h"
#include "prims/il_shared.h"

typedef struct ShareState {
    IlVar *shared; /* shm variants: the counter in MAP_SHARED memory (the arena) */
    IlMutex lock;  /* shm_lock: process-shared (the run has process lanes) */
    IlSem done;    /* each worker posts once at its end: the parent's join */
    int add;       /* label of the local computation */
    int print;     /* label of the parent's look at its counter */
    int64_t iterations;
    int64_t variant;
    int64_t parent_saw; /* what the parent read from its counter after the join */
    IlPipe results;     /* pipe, hybrid: each worker's count, to the parent */
    int threads;        /* label of a hybrid process's threads' work */
    int64_t per;        /* hybrid: threads per process */
    uint64_t unit_ns;   /* hybrid: one unit of work, measured alone (ns) */
    uint64_t t0, t1;    /* hybrid: arena time the parent started and had every count */
} ShareState;

/*
 * THE global of the lesson: a plain variable in this program's data
 * segment, neither in the arena nor in the shared heap.  It is an IlVar
 * so that every access is an instrumented step with an event (named by
 * the arena label "counter"), but its value lives here: the threads of
 * the sandbox share it because they share the process's memory, and each
 * forked lane process writes its own copy.  setup() resets it in the
 * sandbox before any lane starts; the front end's copy is never used.
 */
static IlVar share_global;

static bool share_forks(int64_t variant)
{
    return variant != SHARE_THREADS;
}

static unsigned share_lanes(const int64_t *params)
{
    return 1u + (unsigned)params[SHARE_WORKERS];
}

static LaneKind share_lane_kind(const int64_t *params, unsigned lane)
{
    /* the parent is always the sandbox's thread: the process that forks */
    return lane > 0 && share_forks(params[SHARE_VARIANT]) ? LANE_KIND_PROCESS : LANE_KIND_THREAD;
}

/* hybrid: the work one thread does per increment, with its process's
 * lock held (CPU-bound "bytecode") */
#define SHARE_UNIT_SPIN 2000u

static uint64_t share_spin(uint64_t n)
{
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (uint64_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

static volatile uint64_t share_sink;

static bool share_pipes(int64_t variant)
{
    return variant == SHARE_PIPE || variant == SHARE_HYBRID;
}

static uint64_t share_events_per_lane(const int64_t *params)
{
    /* shm_lock: lock_wait, lock, load, add, store, unlock per increment;
     * the parent: a sem_wait pair per worker */
    return (uint64_t)params[SHARE_ITERATIONS] * 6 + 2u * (uint64_t)params[SHARE_WORKERS] + 8;
}

static int share_setup(DemoCtx *ctx)
{
    ShareState *st = shared_heap_alloc(ctx->heap, 1, sizeof(*st));
    int rc;

    if (st == NULL) {
        return -ENOMEM;
    }
    st->iterations = ctx->params[SHARE_ITERATIONS];
    st->variant = ctx->params[SHARE_VARIANT];
    st->add = il_label_new(ctx->arena, "add");
    st->print = il_label_new(ctx->arena, "print");
    if (st->add < 0 || st->print < 0) {
        return -ENOSPC;
    }
    if (st->variant == SHARE_SHM || st->variant == SHARE_SHM_LOCK) {
        st->shared = il_var_new(ctx->arena, "counter", 0);
        if (st->shared == NULL) {
            return -ENOSPC;
        }
    } else {
        /* the plain global: a label names its events; the value is ours */
        int name = il_label_new(ctx->arena, "counter");
        if (name < 0) {
            return -ENOSPC;
        }
        share_global.name = ctx->arena->objs[name].name;
        share_global.kind = OBJ_LABEL;
        share_global.pad = (uint16_t)name;
        atomic_store(&share_global.value, 0);
    }
    if (st->variant == SHARE_SHM_LOCK) {
        rc = il_mutex_init(&st->lock, ctx->arena, "m");
        if (rc < 0) {
            return rc;
        }
    }
    if (share_pipes(st->variant)) {
        rc = il_pipe_init(&st->results, ctx->arena, "results", 0);
        if (rc < 0) {
            return rc;
        }
        il_pipe_reader(&st->results, 0);
        for (unsigned l = 1; l < ctx->nlanes; l++) {
            il_pipe_writer(&st->results, l);
        }
    }
    if (st->variant == SHARE_HYBRID) {
        uint64_t best = UINT64_MAX;
        st->per = ctx->params[SHARE_THREADS_PER];
        st->threads = il_label_new(ctx->arena, "threads");
        if (st->threads < 0) {
            return -ENOSPC;
        }
        for (int k = 0; k < 3; k++) {
            /* one unit alone, no lock: the sequential cost */
            uint64_t t = clock_mono_ns();
            share_sink = share_spin(SHARE_UNIT_SPIN * 64);
            t = clock_mono_ns() - t;
            best = t < best ? t : best;
        }
        st->unit_ns = best / 64 > 0 ? best / 64 : 1;
    }
    rc = il_sem_init(&st->done, ctx->arena, "done", 0);
    if (rc < 0) {
        return rc;
    }
    ctx->state = st;
    return 0;
}

/* The counter this lane's code names: the plain global, or the one in
 * shared memory. */
static IlVar *share_counter(ShareState *st)
{
    return st->shared != NULL ? st->shared : &share_global;
}

/* The parent: join every worker (pipe, hybrid: take each one's count
 * from the pipe and add it to its own counter), then look at its
 * counter. */
static void share_parent(DemoCtx *ctx)
{
    ShareState *st = ctx->state;

    st->t0 = arena_time(ctx->arena);
    for (unsigned i = 1; i < ctx->nlanes; i++) {
        if (share_pipes(st->variant)) {
            int64_t count = 0;
            if (il_pipe_read(&st->results, &count, NULL, 0) < 0) {
                continue; /* a worker died: its count is lost */
            }
            il_store(&share_global, il_load(&share_global) + count); /* only we write ours */
        } else {
            il_sem_wait(&st->done); /* join: one post per worker that ended */
        }
    }
    st->t1 = arena_time(ctx->arena);
    /* one step: read the parent's counter and show it (the event's value) */
    st->parent_saw = il_compute(st->print, il_var_peek(share_counter(st)));
}

/* BROKEN ON PURPOSE (threads, processes, shm): load, add, store with
 * nothing around them.  With threads or shared memory another lane can
 * store between this lane's load and store (a lost update); with
 * processes each lane works on its own copy and nobody else ever sees
 * it. */
static void share_lane_unlocked_broken(DemoCtx *ctx, unsigned lane)
{
    ShareState *st = ctx->state;
    IlVar *counter;

    if (lane == 0) {
        share_parent(ctx);
        return;
    }
    counter = share_counter(st);
    for (int64_t i = 0; i < st->iterations; i++) {
        int64_t reg = il_load(counter);     /* this process's counter: its own, or shared */
        reg = il_compute(st->add, reg + 1); /* work on a private register */
        il_store(counter, reg);             /* write it back where it was read */
    }
    il_sem_post(&st->done); /* tell the parent this worker ended */
}

/* pipe: count in this process's own copy, then send the count back. */
static void share_lane_pipe(DemoCtx *ctx, unsigned lane)
{
    ShareState *st = ctx->state;

    if (lane == 0) {
        share_parent(ctx);
        return;
    }
    for (int64_t i = 0; i < st->iterations; i++) {
        int64_t reg = il_load(&share_global); /* its own copy: nobody else writes it */
        reg = il_compute(st->add, reg + 1);
        il_store(&share_global, reg);
    }
    /* the result travels back; the memory stays apart */
    il_pipe_write(&st->results, il_var_peek(&share_global), NULL, 0);
}

/* hybrid: what the threads of one worker process share (in its own
 * memory: each process has its own lock and its own counter). */
typedef struct ShareProc {
    pthread_mutex_t gil; /* one per process: held while a thread computes */
    int64_t count;       /* GUARDED_BY(gil) */
    int64_t units;       /* per thread */
} ShareProc;

static void *share_thread(void *p)
{
    ShareProc *sp = p;
    for (int64_t i = 0; i < sp->units; i++) {
        (void)pthread_mutex_lock(&sp->gil);
        share_sink = share_spin(SHARE_UNIT_SPIN); /* "bytecode": only with the lock */
        sp->count++;
        (void)pthread_mutex_unlock(&sp->gil); /* a switch point for the others */
    }
    return NULL;
}

/* hybrid: T threads in this process, one lock between them; then the
 * process's count over the pipe. */
static void share_lane_hybrid(DemoCtx *ctx, unsigned lane)
{
    ShareState *st = ctx->state;
    ShareProc sp;
    pthread_t th[SHARE_MAX_THREADS];
    int started = 0;

    if (lane == 0) {
        share_parent(ctx);
        return;
    }
    sp.count = 0;
    sp.units = st->iterations;
    (void)pthread_mutex_init(&sp.gil, NULL); /* private: this process's own lock */
    /* one step: start the threads, let them run, join them */
    (void)il_compute(st->threads, st->per);
    for (int64_t t = 0; t < st->per; t++) {
        if (pthread_create(&th[started], NULL, share_thread, &sp) == 0) {
            started++;
        }
    }
    for (int64_t t = started; t < st->per; t++) {
        (void)share_thread(&sp); /* no thread to be had (the run's task limit): do its part */
    }
    for (int t = 0; t < started; t++) {
        (void)pthread_join(th[t], NULL);
    }
    (void)pthread_mutex_destroy(&sp.gil);
    il_store(&share_global, sp.count); /* the process's count, in its own copy */
    il_pipe_write(&st->results, sp.count, NULL, 0);
}

static void share_lane_shm_lock(DemoCtx *ctx, unsigned lane)
{
    ShareState *st = ctx->state;

    if (lane == 0) {
        share_parent(ctx);
        return;
    }
    for (int64_t i = 0; i < st->iterations; i++) {
        il_mutex_lock(&st->lock); /* process-shared: it works across processes */
        int64_t reg = il_load(st->shared);
        reg = il_compute(st->add, reg + 1);
        il_store(st->shared, reg);
        il_mutex_unlock(&st->lock);
    }
    il_sem_post(&st->done);
}

static void share_finish(DemoCtx *ctx, int verdict)
{
    ShareState *st = ctx->state;
    int64_t expected =
        (int64_t)(ctx->nlanes - 1) * st->iterations * (st->variant == SHARE_HYBRID ? st->per : 1);

    (void)arena_result_add(ctx->arena, "expected", expected);
    /* how many counters there are: one per process that ran the loop */
    (void)arena_result_add(ctx->arena, "copies",
                           st->variant == SHARE_THREADS || st->variant == SHARE_SHM ||
                                   st->variant == SHARE_SHM_LOCK
                               ? 1
                               : (int64_t)ctx->nlanes);
    if (st->variant == SHARE_HYBRID && !ctx->arena->stepping && st->t1 > st->t0) {
        /* every unit one after another, against the time it took */
        uint64_t seq = (uint64_t)expected * st->unit_ns;
        (void)arena_result_add(ctx->arena, "sequential", (int64_t)seq);
        (void)arena_result_add(ctx->arena, "wall", (int64_t)(st->t1 - st->t0));
        (void)arena_result_add(ctx->arena, "speedup_pct", (int64_t)(seq * 100 / (st->t1 - st->t0)));
    }
    if (verdict == VERDICT_COMPLETED) {
        (void)arena_result_add(ctx->arena, "parent", st->parent_saw);
        (void)arena_result_add(ctx->arena, "unseen", expected - st->parent_saw);
        if (st->variant == SHARE_SHM_LOCK) {
            il_mutex_destroy(&st->lock);
        }
        il_sem_destroy(&st->done);
        ctx->state = NULL; /* the shared heap goes with the run */
    }
}

#define SHARE_CODE_PARENT                                                                          \
    {"A (parent): start the workers; join them:", EV_NONE, NULL},                                  \
        {"    wait done  (once per worker)", EV_SEM_ACQUIRE, "done"},                              \
    {                                                                                              \
        "    print(counter)", EV_COMPUTE, "print"                                                  \
    }

static const DemoCodeLine share_code_threads[] = {
    {"counter = 0                  # a global", EV_NONE, NULL},
    SHARE_CODE_PARENT,
    {"B.. (threads): repeat iterations times:", EV_NONE, NULL},
    {"    reg = load counter       # the one global", EV_LOAD, NULL},
    {"    reg = reg + 1", EV_COMPUTE, "add"},
    {"    store counter = reg", EV_STORE, NULL},
    {"  post done", EV_SEM_POST, NULL},
};

static const DemoCodeLine share_code_processes[] = {
    {"counter = 0                  # a global", EV_NONE, NULL},
    SHARE_CODE_PARENT,
    {"B.. (forked): repeat iterations times:", EV_NONE, NULL},
    {"    reg = load counter       # its own copy", EV_LOAD, NULL},
    {"    reg = reg + 1", EV_COMPUTE, "add"},
    {"    store counter = reg      # copy-on-write", EV_STORE, NULL},
    {"  post done", EV_SEM_POST, NULL},
};

static const DemoCodeLine share_code_shm[] = {
    {"counter = mmap(MAP_SHARED)   # before fork", EV_NONE, NULL},
    SHARE_CODE_PARENT,
    {"B.. (forked): repeat iterations times:", EV_NONE, NULL},
    {"    reg = load counter       # one, shared", EV_LOAD, NULL},
    {"    reg = reg + 1", EV_COMPUTE, "add"},
    {"    store counter = reg", EV_STORE, NULL},
    {"  post done", EV_SEM_POST, NULL},
};

static const DemoCodeLine share_code_shm_lock[] = {
    {"counter, m = mmap(MAP_SHARED) # before fork", EV_NONE, NULL},
    SHARE_CODE_PARENT,
    {"B.. (forked): repeat iterations times:", EV_NONE, NULL},
    {"    lock m                   # process-shared", EV_LOCK_ACQUIRE, NULL},
    {"    reg = load counter", EV_LOAD, NULL},
    {"    reg = reg + 1", EV_COMPUTE, "add"},
    {"    store counter = reg", EV_STORE, NULL},
    {"    unlock m", EV_LOCK_RELEASE, NULL},
    {"  post done", EV_SEM_POST, NULL},
};

static const DemoCodeLine share_code_pipe[] = {
    {"counter = 0                  # a global", EV_NONE, NULL},
    {"A (parent): for each worker:", EV_NONE, NULL},
    {"    n = read results         # a worker's count", EV_PIPE_READ, "results"},
    {"    counter = counter + n    # its own copy", EV_STORE, NULL},
    {"  print(counter)", EV_COMPUTE, "print"},
    {"B.. (forked): repeat iterations times:", EV_NONE, NULL},
    {"    reg = load counter       # its own copy", EV_LOAD, NULL},
    {"    reg = reg + 1", EV_COMPUTE, "add"},
    {"    store counter = reg", EV_STORE, NULL},
    {"  write counter -> results   # back to the parent", EV_PIPE_WRITE, "results"},
};

static const DemoCodeLine share_code_hybrid[] = {
    {"counter = 0                  # a global", EV_NONE, NULL},
    {"A (parent): for each process:", EV_NONE, NULL},
    {"    n = read results", EV_PIPE_READ, "results"},
    {"    counter = counter + n", EV_STORE, NULL},
    {"  print(counter)", EV_COMPUTE, "print"},
    {"B.. (forked): start T threads, each:", EV_COMPUTE, "threads"},
    {"    repeat: lock gil; work; count++; unlock", EV_NONE, NULL},
    {"  join them; counter = count", EV_STORE, NULL},
    {"  write counter -> results", EV_PIPE_WRITE, "results"},
};

static const DemoVariant share_variants[] = {
    [SHARE_THREADS] = {"threads", "threads share the process's global: they race on it", true,
                       share_lane_unlocked_broken, share_code_threads,
                       ARRAY_SIZE(share_code_threads)},
    [SHARE_PROCESSES] = {"processes",
                         "forked processes get a copy each: the parent's counter stays 0", true,
                         share_lane_unlocked_broken, share_code_processes,
                         ARRAY_SIZE(share_code_processes)},
    [SHARE_SHM] = {"shm", "processes, counter in MAP_SHARED memory, no lock: the race is back",
                   true, share_lane_unlocked_broken, share_code_shm, ARRAY_SIZE(share_code_shm)},
    [SHARE_SHM_LOCK] = {"shm_lock", "shared memory and a process-shared mutex: nothing lost", false,
                        share_lane_shm_lock, share_code_shm_lock, ARRAY_SIZE(share_code_shm_lock)},
    [SHARE_PIPE] = {"pipe", "processes send their counts back over a pipe: nothing shared", false,
                    share_lane_pipe, share_code_pipe, ARRAY_SIZE(share_code_pipe)},
    [SHARE_HYBRID] = {"hybrid", "P processes x T threads, one lock per process: CPU speed-up",
                      false, share_lane_hybrid, share_code_hybrid, ARRAY_SIZE(share_code_hybrid)},
};

static const DemoResultField share_results[] = {
    {"expected", DEMO_UNIT_COUNT, "workers * iterations: what the parent should see"},
    {"copies", DEMO_UNIT_COUNT, "counters in the run: 1 shared, or one per process"},
    {"parent", DEMO_UNIT_COUNT, "what the parent read from its counter after joining"},
    {"sequential", DEMO_UNIT_TIME, "hybrid: the same work one unit after another"},
    {"wall", DEMO_UNIT_TIME, "hybrid: from the parent's start to the last count"},
    {"speedup_pct", DEMO_UNIT_COUNT, "hybrid: sequential / wall, in percent"},
    {"unseen", DEMO_UNIT_COUNT,
     "expected - parent: updates lost to a race, or made in other processes' copies"},
};

static const DemoParam share_params[] = {
    [SHARE_WORKERS] = {"workers", "lanes B.. that increment the counter", 1, SHARE_MAX_WORKERS, 4,
                       NULL},
    [SHARE_ITERATIONS] = {"iterations", "increments per worker", 1, SHARE_MAX_ITERATIONS, 100000,
                          NULL},
    [SHARE_VARIANT] = {"variant", "what runs the workers and where the counter lives", 0,
                       SHARE_VARIANT_COUNT - 1, SHARE_PROCESSES, NULL, share_variants},
    [SHARE_THREADS_PER] = {"threads", "hybrid: threads in each worker process", 1,
                           SHARE_MAX_THREADS, 2, NULL},
};

const DemoClass share_demo = {
    .name = "share",
    .summary = "threads vs processes: one global shared, or a copy per process",
    .params = share_params,
    .nparams = ARRAY_SIZE(share_params),
    .lanes = share_lanes,
    .events_per_lane = share_events_per_lane,
    .setup = share_setup,
    .finish = share_finish,
    .results = share_results,
    .nresults = ARRAY_SIZE(share_results),
    .view = &share_view,
    .lane_kind = share_lane_kind,
};
