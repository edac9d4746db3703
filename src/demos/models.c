/*
 * models.c - the same work run every way the course compares: CPU-bound
 * or I/O-bound, sequentially, with threads (with and without a global
 * lock), with processes, on an event loop; on every core or on one.
 *
 * `tasks` tasks of `size_ms` each:
 *   work=cpu  real computation (a multiply-add loop), calibrated at the
 *             start of the run to take size_ms of CPU time on this machine
 *             (so a busy machine lengthens the run, not shortens the
 *             work), in ten chunks (one step each);
 *   work=io   a real wait of size_ms (a nanosleep for a thread or a
 *             process, a timer of the event loop for a coroutine), with a
 *             moment of work before and after.
 * Variants (what runs the tasks):
 *   sequential   one thread, one task after the other
 *   threads      a thread per task
 *   threads_gil  a thread per task, but every chunk of computation holds
 *                one global lock (a simple stand-in for CPython's GIL;
 *                released while a task waits, as the GIL is for I/O)
 *   processes    a process per task (lanes=processes: real fork()s)
 *   asyncio      a coroutine per task on one event loop (lane A)
 * cores=one pins the run to one CPU (sched_setaffinity(2), inherited by
 * every thread and process of the run).
 *
 * Results: wall_time (the first task's start to the last one's end), work
 * (tasks * size_ms: what one task after the other takes), speedup (work
 * over wall_time), cpus (the CPUs the run could use).
 */
#include "config.h"

#include "demos/models.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <time.h>

#include "prims/il_loop.h"
#include "prims/il_mutex.h"
#include "prims/il_net.h"
#include "prims/il_shared.h"

#define MODELS_CHUNKS 10 /* steps of a CPU task */

typedef struct ModelsState {
    Arena *arena;
    int64_t variant, work;
    unsigned tasks, cpus;
    uint64_t size_ns;
    uint64_t chunk_iters; /* iterations of one chunk (calibrated) */
    IlMutex gil;          /* threads_gil: held while computing */
    int lbl_cpu, lbl_req, lbl_resp, lbl_wait;
    IlLoop loop;
    IlTask task[1 + MODELS_MAX_TASKS]; /* asyncio: main, then one per task */
    _Atomic uint64_t t_first;          /* arena time + 1 the first task began */
    _Atomic uint64_t t_last;           /* arena time the last task ended (the latest) */
    _Atomic uint64_t sink;             /* the computation's result, so it is not optimised away */
} ModelsState;

static unsigned models_lanes(const int64_t *params)
{
    switch (params[MODELS_P_VARIANT]) {
    case MODELS_SEQUENTIAL:
        return 1;
    case MODELS_ASYNC:
        return 2 + (unsigned)params[MODELS_P_TASKS];
    default:
        return (unsigned)params[MODELS_P_TASKS];
    }
}

static LaneKind models_lane_kind(const int64_t *params, unsigned lane)
{
    switch (params[MODELS_P_VARIANT]) {
    case MODELS_PROCESSES:
        return LANE_KIND_PROCESS;
    case MODELS_ASYNC:
        return lane > 0 ? LANE_KIND_COROUTINE : LANE_KIND_THREAD;
    default:
        return LANE_KIND_THREAD;
    }
}

static uint64_t models_events_per_lane(const int64_t *params)
{
    return (uint64_t)params[MODELS_P_TASKS] * (MODELS_CHUNKS * 3 + 16) + 64;
}

/* The computation: n multiply-adds (an LCG), hard to optimise away. */
static uint64_t models_spin(uint64_t n, uint64_t x)
{
    for (uint64_t i = 0; i < n; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    }
    return x;
}

/* The calling thread's CPU time, ns: what a computation costs, whatever
 * else the machine runs meanwhile (CLOCK_THREAD_CPUTIME_ID, POSIX). */
static uint64_t models_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Iterations of models_spin per ms of CPU time on this CPU: the best of a
 * few short timings.  CPU time, not the clock on the wall: a busy machine
 * must not make a task's work smaller, or runs would not compare. */
static uint64_t models_calibrate(void)
{
    uint64_t best = 0, n = 1u << 20, x = 1;
    for (int k = 0; k < 5; k++) {
        uint64_t t0 = models_cpu_ns(), dt;
        x = models_spin(n, x);
        dt = models_cpu_ns() - t0;
        if (dt > 0 && n * 1000000u / dt > best) {
            best = n * 1000000u / dt;
        }
    }
    return best > 0 ? best + (x & 1) : 1;
}

static int models_setup(DemoCtx *ctx)
{
    ModelsState *st = shared_heap_alloc(ctx->heap, 1, sizeof(*st));
    Arena *a = ctx->arena;
    cpu_set_t set;
    int rc = 0;

    if (st == NULL) {
        return -ENOMEM;
    }
    st->arena = a;
    st->variant = ctx->params[MODELS_P_VARIANT];
    st->work = ctx->params[MODELS_P_WORK];
    st->tasks = (unsigned)ctx->params[MODELS_P_TASKS];
    st->size_ns = (uint64_t)ctx->params[MODELS_P_SIZE_MS] * 1000000u;
    if (sched_getaffinity(0, sizeof(set), &set) < 0) {
        return -errno;
    }
    if (ctx->params[MODELS_P_CORES] == MODELS_CORES_ONE) {
        /* one CPU, the first this run may use: every lane inherits it */
        for (int c = 0; c < CPU_SETSIZE; c++) {
            if (CPU_ISSET(c, &set)) {
                CPU_ZERO(&set);
                CPU_SET(c, &set);
                break;
            }
        }
        if (sched_setaffinity(0, sizeof(set), &set) < 0) {
            return -errno;
        }
    }
    st->cpus = (unsigned)CPU_COUNT(&set);
    if (st->work == MODELS_WORK_CPU) {
        st->chunk_iters = models_calibrate() * (st->size_ns / 1000000u) / MODELS_CHUNKS;
    }
    st->lbl_cpu = il_label_new(a, "compute");
    st->lbl_req = il_label_new(a, "request");
    st->lbl_resp = il_label_new(a, "response");
    st->lbl_wait = il_label_new(a, "I/O");
    if (st->lbl_cpu < 0 || st->lbl_req < 0 || st->lbl_resp < 0 || st->lbl_wait < 0) {
        return -ENOSPC;
    }
    if (st->variant == MODELS_THREADS_GIL) {
        rc = il_mutex_init(&st->gil, a, "GIL");
    } else if (st->variant == MODELS_ASYNC) {
        rc = il_loop_init(&st->loop, a, ctx->nlanes);
        for (unsigned k = 0; rc == 0 && k <= st->tasks; k++) {
            rc = il_task_init(&st->task[k], &st->loop, 1 + k, k == 0 ? "main()" : "task");
        }
    }
    if (rc < 0) {
        return rc;
    }
    ctx->state = st;
    return 0;
}

static void models_gil(ModelsState *st, bool take)
{
    if (st->variant != MODELS_THREADS_GIL) {
        return;
    }
    if (take) {
        il_mutex_lock(&st->gil);
    } else {
        il_mutex_unlock(&st->gil);
    }
}

/* One task, on whatever runs it. */
static void models_task(ModelsState *st)
{
    uint64_t zero = 0, end, last;

    (void)atomic_compare_exchange_strong(&st->t_first, &zero, arena_time(st->arena) + 1);
    if (st->work == MODELS_WORK_CPU) {
        uint64_t x = (uint64_t)sched_self->lane + 1;
        for (int c = 0; c < MODELS_CHUNKS; c++) {
            models_gil(st, true); /* the interpreter's lock while computing */
            x = models_spin(st->chunk_iters, x);
            (void)il_compute(st->lbl_cpu, c);
            models_gil(st, false);
        }
        atomic_fetch_add(&st->sink, x);
    } else {
        models_gil(st, true);
        (void)il_compute(st->lbl_req, 0);
        models_gil(st, false); /* a thread lets go of the GIL while it waits */
        if (st->variant == MODELS_ASYNC) {
            (void)il_sleep(st->size_ns);
        } else {
            il_io_wait(st->lbl_wait, st->size_ns);
        }
        models_gil(st, true);
        (void)il_compute(st->lbl_resp, 0);
        models_gil(st, false);
    }
    end = arena_time(st->arena);
    last = atomic_load(&st->t_last);
    while (end > last && !atomic_compare_exchange_weak(&st->t_last, &last, end)) {
    }
}

static void models_lane(DemoCtx *ctx, unsigned lane)
{
    ModelsState *st = ctx->state;

    switch (st->variant) {
    case MODELS_SEQUENTIAL:
        for (unsigned k = 0; k < st->tasks; k++) {
            models_task(st);
        }
        break;
    case MODELS_ASYNC:
        if (lane == 0) {
            (void)il_loop_run(&st->loop, &st->task[0]);
        } else if (lane == 1) {
            IlTask *all[MODELS_MAX_TASKS];
            for (unsigned k = 0; k < st->tasks; k++) {
                all[k] = &st->task[1 + k];
            }
            (void)il_gather(all, st->tasks);
        } else {
            models_task(st);
        }
        break;
    default:
        models_task(st);
        break;
    }
}

static void models_finish(DemoCtx *ctx, int verdict)
{
    ModelsState *st = ctx->state;
    uint64_t t0, t1, work;

    (void)verdict;
    if (st == NULL) {
        return;
    }
    t0 = atomic_load(&st->t_first);
    t1 = atomic_load(&st->t_last);
    work = st->size_ns * st->tasks;
    if (ctx->arena->stepping && st->variant == MODELS_ASYNC && st->work == MODELS_WORK_IO) {
        (void)arena_result_add(ctx->arena, "wall_time",
                               (int64_t)il_loop_stats(&st->loop)->total_ns);
    } else if (!ctx->arena->stepping && t0 > 0 && t1 > t0 - 1) {
        (void)arena_result_add(ctx->arena, "wall_time", (int64_t)(t1 - (t0 - 1)));
        (void)arena_result_add(ctx->arena, "speedup", (int64_t)(work * 1000 / (t1 - (t0 - 1))));
    }
    (void)arena_result_add(ctx->arena, "work", (int64_t)work);
    (void)arena_result_add(ctx->arena, "cpus", st->cpus);
}

/* ---- pseudo-code and Python ---------------------------------------- */

static const DemoCodeLine models_code_seq[] = {
    {"for each task:", EV_NONE, NULL},
    {"    cpu: compute(size)", EV_COMPUTE, "compute"},
    {"    io:  wait(size)", EV_IO_WAIT, NULL},
};
static const char *const models_py_seq[] = {
    "",
    "for t in tasks: t()  # cpu: sum(i*i ...)",
    "                    # io: time.sleep(size)",
};

static const DemoCodeLine models_code_threads[] = {
    {"a thread per task:", EV_NONE, NULL},
    {"    cpu: compute(size)", EV_COMPUTE, "compute"},
    {"    io:  wait(size)", EV_IO_WAIT, NULL},
};
static const char *const models_py_threads[] = {
    "ts = [Thread(target=t) for t in tasks]",
    "for t in ts: t.start()  # no GIL: 3.13t",
    "for t in ts: t.join()",
};

static const DemoCodeLine models_code_gil[] = {
    {"a thread per task:", EV_NONE, NULL},
    {"    with GIL: compute(size / 10)", EV_LOCK_ACQUIRE, "GIL"},
    {"    wait(size)  # GIL released", EV_IO_WAIT, NULL},
};
static const char *const models_py_gil[] = {
    "ts = [Thread(target=t) for t in tasks]",
    "# CPython: one thread runs bytecode at a time",
    "# time.sleep and I/O release the GIL",
};

static const DemoCodeLine models_code_proc[] = {
    {"a process per task:", EV_NONE, NULL},
    {"    cpu: compute(size)", EV_COMPUTE, "compute"},
    {"    io:  wait(size)", EV_IO_WAIT, NULL},
};
static const char *const models_py_proc[] = {
    "with ProcessPoolExecutor(len(tasks)) as ex:",
    "    for t in tasks: ex.submit(t)",
    "# each its own interpreter: its own GIL",
};

static const DemoCodeLine models_code_async[] = {
    {"a coroutine per task:", EV_CO_START, NULL},
    {"    cpu: compute(size)  # no await", EV_COMPUTE, "compute"},
    {"    io:  await sleep(size)", EV_AWAIT_SLEEP, NULL},
};
static const char *const models_py_async[] = {
    "await asyncio.gather(*(t() for t in tasks))",
    "# cpu: the loop waits for each in turn",
    "# io: await asyncio.sleep(size)",
};

static const struct {
    const char *const *lines;
    size_t n;
} models_python[MODELS_NVARIANTS] = {
    [MODELS_SEQUENTIAL] = {models_py_seq, ARRAY_SIZE(models_py_seq)},
    [MODELS_THREADS] = {models_py_threads, ARRAY_SIZE(models_py_threads)},
    [MODELS_THREADS_GIL] = {models_py_gil, ARRAY_SIZE(models_py_gil)},
    [MODELS_PROCESSES] = {models_py_proc, ARRAY_SIZE(models_py_proc)},
    [MODELS_ASYNC] = {models_py_async, ARRAY_SIZE(models_py_async)},
};

static const char *const *models_py(const int64_t *params, size_t *n)
{
    int64_t v = params[MODELS_P_VARIANT];
    if (v < 0 || v >= MODELS_NVARIANTS) {
        *n = 0;
        return NULL;
    }
    *n = models_python[v].n;
    return models_python[v].lines;
}

#define MODELS_VAR(v, name, help, code)                                                            \
    [v] = {name, help, false, models_lane, code, ARRAY_SIZE(code)}
static const DemoVariant models_variants[MODELS_NVARIANTS] = {
    MODELS_VAR(MODELS_SEQUENTIAL, "sequential", "one thread, one task after the other",
               models_code_seq),
    MODELS_VAR(MODELS_THREADS, "threads", "a thread per task, no global lock", models_code_threads),
    MODELS_VAR(MODELS_THREADS_GIL, "threads_gil",
               "a thread per task, computing only while holding one global lock (a GIL)",
               models_code_gil),
    MODELS_VAR(MODELS_PROCESSES, "processes", "a forked process per task", models_code_proc),
    MODELS_VAR(MODELS_ASYNC, "asyncio", "a coroutine per task on one event loop",
               models_code_async),
};

static const char *const models_works[] = {"cpu", "io", NULL};
static const char *const models_cores[] = {"all", "one", NULL};

static const DemoParam models_params[] = {
    [MODELS_P_VARIANT] = {"variant", "what runs the tasks", 0, MODELS_NVARIANTS - 1,
                          MODELS_SEQUENTIAL, NULL, models_variants},
    [MODELS_P_WORK] = {"work", "cpu: computation; io: waiting", 0, 1, MODELS_WORK_CPU, models_works,
                       NULL},
    [MODELS_P_TASKS] = {"tasks", "tasks to run", 1, MODELS_MAX_TASKS, 4, NULL, NULL},
    [MODELS_P_SIZE_MS] = {"size_ms", "one task alone, in ms", 1, 10000, 100, NULL, NULL},
    [MODELS_P_CORES] = {"cores", "all the machine's CPUs, or one (sched_setaffinity)", 0, 1,
                        MODELS_CORES_ALL, models_cores, NULL},
};

static const DemoResultField models_results[] = {
    {"wall_time", DEMO_UNIT_NS, "the first task's start to the last one's end"},
    {"work", DEMO_UNIT_NS, "tasks * size_ms: one task after the other"},
    {"speedup", DEMO_UNIT_RATIO, "work over wall_time (free mode)"},
    {"cpus", DEMO_UNIT_COUNT, "CPUs the run could use"},
};

const DemoClass models_demo = {
    .name = "models",
    .summary =
        "CPU- or I/O-bound work by threads, a GIL, processes, an event loop; one core or all",
    .params = models_params,
    .nparams = ARRAY_SIZE(models_params),
    .lanes = models_lanes,
    .events_per_lane = models_events_per_lane,
    .setup = models_setup,
    .lane_main = models_lane,
    .finish = models_finish,
    .results = models_results,
    .nresults = ARRAY_SIZE(models_results),
    .view = &models_view,
    .lane_kind = models_lane_kind,
    .python = models_py,
};
