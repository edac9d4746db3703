/*
 * futures.c - the thread-pool demo: Python's concurrent.futures and the
 * threading API, on real threads (prims/il_future.h).
 *
 * Pool variants: lane A is MainThread, lanes B.. the pool's workers
 * (ThreadPoolExecutor-0_0, ...: every event of a worker is on its named
 * lane).  main submits `tasks` tasks; task k sleeps a few units (3, 1, 2,
 * 2, 1, 3, 1, 2, ...: the first is the slowest) and returns k * k.
 *   map              the results in submission order: result() on each
 *                    future in turn, waiting for the slow first one while
 *                    later ones are done already
 *   as_completed     the results in the order the tasks finish
 *   error            task 2 raises ValueError in its worker; result()
 *                    re-raises it in main, which catches it
 *   shutdown_nowait  shutdown(wait=False): main goes on and ends at once;
 *                    the workers still finish every queued task (the run,
 *                    like the interpreter, waits for them)
 * Thread variants: A is MainThread, B and C threads it starts.
 *   daemon              B writes 3 lines, C (a daemon) would write 10, one
 *                       a unit; main ends after 1 unit.  The run waits for
 *                       B (a non-daemon thread is joined at exit) and cuts
 *                       C off wherever it is (daemon threads are stopped)
 *   thread_error        B raises ValueError; main joins it: join() returns
 *                       normally, the error was only printed (lost)
 *   thread_error_kept   B catches the error and keeps it in a shared
 *                       variable; main looks after join() and sees it
 *
 * Results: order (the tasks, numbered from 1, as main got their results,
 * read as digits: 213 = task 2, then 1, then 3), completion (the same for
 * the order they finished in), sum, raised and seen (errors raised in
 * tasks or threads, and the ones main saw), after_main (tasks that
 * finished after main ended), writer_lines, daemon_lines, cut_off.
 */
#include "config.h"

#include "demos/futures.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "prims/il_future.h"
#include "prims/il_net.h"
#include "prims/il_shared.h"

typedef struct FutState {
    Arena *arena;
    IlPool pool;
    IlMonitor mon;      /* thread variants: the handles' monitor */
    IlFuture thread[2]; /* thread variants: B's and C's handles */
    int64_t variant;    /* immutable after setup */
    unsigned workers, tasks;
    uint32_t unit_us;
    int lbl_work, lbl_print, lbl_except, lbl_start, lbl_write, lbl_end, lbl_look;
    int lbl_sleep;              /* a task's or a thread's time.sleep(): its row waits */
    IlVar *err_var;             /* thread_error_kept: the error B kept */
    int64_t order;              /* written by main only */
    int64_t sum;                /* written by main only */
    _Atomic int64_t raised;     /* errors raised in tasks or threads */
    int64_t seen;               /* written by main only */
    _Atomic int64_t lines[2];   /* B's and C's lines */
    _Atomic uint64_t main_end;  /* arena time + 1 main ended, 0 = not yet */
    _Atomic int64_t after_main; /* tasks finished after main ended */
} FutState;

static bool fut_pool_variant(int64_t v)
{
    return v <= FUTV_SHUTDOWN_NOWAIT;
}

static unsigned fut_lanes(const int64_t *params)
{
    int64_t v = params[FUT_P_VARIANT];
    if (fut_pool_variant(v)) {
        return 1 + (unsigned)params[FUT_P_WORKERS];
    }
    return v == FUTV_DAEMON ? 3 : 2;
}

static bool fut_lane_daemon(const int64_t *params, unsigned lane)
{
    return params[FUT_P_VARIANT] == FUTV_DAEMON && lane == 2;
}

static uint64_t fut_events_per_lane(const int64_t *params)
{
    return (uint64_t)params[FUT_P_TASKS] * 16 + 128;
}

/* Units of work task k takes: the first is the slowest. */
static unsigned fut_units(unsigned k)
{
    static const unsigned pattern[] = {3, 1, 2, 2, 1, 3, 1, 2};
    return pattern[k % ARRAY_SIZE(pattern)];
}

static int fut_setup(DemoCtx *ctx)
{
    FutState *st = shared_heap_alloc(ctx->heap, 1, sizeof(*st));
    Arena *a = ctx->arena;
    int rc = 0;

    if (st == NULL) {
        return -ENOMEM;
    }
    st->arena = a;
    st->variant = ctx->params[FUT_P_VARIANT];
    st->workers = (unsigned)ctx->params[FUT_P_WORKERS];
    st->tasks = (unsigned)ctx->params[FUT_P_TASKS];
    st->unit_us = (uint32_t)ctx->params[FUT_P_UNIT_MS] * 1000u;
    if (arena_lane_set_name(a, 0, "MainThread") < 0) {
        return -ENOSPC;
    }
    if (fut_pool_variant(st->variant)) {
        rc = il_pool_init(&st->pool, a, 1, st->workers, st->tasks);
        for (unsigned k = 0; rc == 0 && k < st->workers; k++) {
            char name[48];
            snprintf(name, sizeof(name), "ThreadPoolExecutor-0_%u", k);
            rc = arena_lane_set_name(a, 1 + k, name);
        }
    } else {
        static const char *const names[2][2] = {{"Thread-1 (writer)", "Thread-2 (daemon)"},
                                                {"Thread-1 (work)", ""}};
        unsigned nthreads = st->variant == FUTV_DAEMON ? 2 : 1;
        rc = il_monitor_init(&st->mon, a);
        for (unsigned k = 0; rc == 0 && k < nthreads; k++) {
            const char *name = names[st->variant == FUTV_DAEMON ? 0 : 1][k];
            rc = il_thread_init(&st->thread[k], &st->mon, a, 1 + k, name);
            if (rc == 0) {
                rc = arena_lane_set_name(a, 1 + k, name);
            }
        }
        st->err_var = il_var_new(a, "errors", 0);
        if (st->err_var == NULL) {
            rc = -ENOSPC;
        }
    }
    if (rc < 0) {
        return rc;
    }
    st->lbl_work = il_label_new(a, "work");
    st->lbl_print = il_label_new(a, "print");
    st->lbl_except = il_label_new(a, "except ValueError");
    st->lbl_start = il_label_new(a, "start");
    st->lbl_write = il_label_new(a, "write line");
    st->lbl_end = il_label_new(a, "main ends");
    st->lbl_look = il_label_new(a, "look at errors");
    st->lbl_sleep = il_label_new(a, FUT_SLEEP_LABEL);
    if (st->lbl_work < 0 || st->lbl_print < 0 || st->lbl_except < 0 || st->lbl_start < 0 ||
        st->lbl_write < 0 || st->lbl_end < 0 || st->lbl_look < 0 || st->lbl_sleep < 0) {
        return -ENOSPC;
    }
    ctx->state = st;
    return 0;
}

/* ---- the pool variants --------------------------------------------- */

/* main got the result of future f: note the order and the sum. */
static void fut_got(FutState *st, const IlFuture *f, int64_t r)
{
    st->order = st->order * 10 + f->task + 1;
    st->sum += r;
    (void)il_compute(st->lbl_print, r);
}

static void fut_main_pool(FutState *st)
{
    IlPool *p = &st->pool;
    IlFuture *fs[FUT_MAX_TASKS];
    unsigned n = 0;
    int64_t r;

    for (unsigned k = 0; k < st->tasks; k++) {
        fs[n] = il_pool_submit(p, (int64_t)k); /* executor.submit(square, k) */
        n += fs[n] != NULL;
    }
    switch (st->variant) {
    case FUTV_MAP:
    case FUTV_ERROR:
        /* map: result() on each future in submission order */
        for (unsigned k = 0; k < n; k++) {
            int rc = il_future_result(fs[k], &r);
            if (rc < 0) {
                st->seen++; /* except ValueError: re-raised in main */
                st->order = st->order * 10 + fs[k]->task + 1;
                (void)il_compute(st->lbl_except, rc);
            } else {
                fut_got(st, fs[k], r);
            }
        }
        il_pool_shutdown(p, true); /* leaving `with`: shutdown(wait=True) */
        break;
    case FUTV_AS_COMPLETED:
        for (unsigned k = 0; k < n; k++) {
            IlFuture *f = il_pool_as_completed(p);
            if (il_future_result(f, &r) == 0) {
                fut_got(st, f, r);
            }
        }
        il_pool_shutdown(p, true);
        break;
    case FUTV_SHUTDOWN_NOWAIT:
        il_pool_shutdown(p, false); /* main goes on at once */
        break;
    default:
        break;
    }
    (void)il_compute(st->lbl_end, 0);
    atomic_store(&st->main_end, arena_time(st->arena) + 1);
}

static void fut_worker(FutState *st, unsigned lane)
{
    IlPool *p = &st->pool;
    IlFuture *f;

    while ((f = il_pool_take(p)) != NULL) {
        unsigned k = (unsigned)f->task;
        /* the task's I/O: a real sleep, the worker's row waiting */
        il_io_pause(st->lbl_sleep, (uint64_t)fut_units(k) * st->unit_us * 1000u);
        (void)il_compute(st->lbl_work, f->task);
        if (st->variant == FUTV_ERROR && k == 2) {
            atomic_fetch_add(&st->raised, 1);
            il_future_raise(p, f, -EINVAL); /* raise ValueError in the task */
        } else {
            il_future_set(p, f, (int64_t)k * (int64_t)k);
        }
        if (atomic_load(&st->main_end) != 0) {
            atomic_fetch_add(&st->after_main, 1);
        }
        il_progress();
    }
    il_thread_exit(&p->thread[lane - 1]);
}

/* ---- the thread variants ------------------------------------------- */

static void fut_main_threads(FutState *st)
{
    switch (st->variant) {
    case FUTV_DAEMON:
        (void)il_compute(st->lbl_start, 1); /* writer.start() */
        (void)il_compute(st->lbl_start, 2); /* daemon.start() */
        il_pause_us(st->unit_us);           /* main's own unit of work */
        break;
    case FUTV_THREAD_ERROR:
        (void)il_compute(st->lbl_start, 1);
        il_thread_join(&st->thread[0]); /* returns normally: the error is gone */
        break;
    case FUTV_THREAD_ERROR_KEPT:
        (void)il_compute(st->lbl_start, 1);
        il_thread_join(&st->thread[0]);
        if (il_load(st->err_var) != 0) { /* the caller looks */
            st->seen++;
            (void)il_compute(st->lbl_look, il_var_peek(st->err_var));
        }
        break;
    default:
        break;
    }
    (void)il_compute(st->lbl_end, 0);
    atomic_store(&st->main_end, arena_time(st->arena) + 1);
}

/* B writes its lines; C, a daemon, would write more if it were let. */
static void fut_writer(FutState *st, unsigned k, int lines)
{
    for (int i = 0; i < lines; i++) {
        il_io_pause(st->lbl_sleep, (uint64_t)st->unit_us * 1000u); /* time.sleep(1) */
        (void)il_compute(st->lbl_write, i + 1);
        atomic_fetch_add(&st->lines[k], 1);
        il_progress();
    }
    il_thread_exit(&st->thread[k]);
}

static void fut_thread_work(FutState *st)
{
    il_io_pause(st->lbl_sleep, (uint64_t)st->unit_us * 1000u); /* time.sleep(1) */
    (void)il_compute(st->lbl_work, 1);
    atomic_fetch_add(&st->raised, 1);
    if (st->variant == FUTV_THREAD_ERROR_KEPT) {
        il_store(st->err_var, -EINVAL); /* except Exception as e: errors.append(e) */
    } else {
        il_thread_raise(&st->thread[0], -EINVAL); /* raise ValueError: printed, then lost */
    }
    il_thread_exit(&st->thread[0]);
}

static void fut_lane(DemoCtx *ctx, unsigned lane)
{
    FutState *st = ctx->state;

    if (fut_pool_variant(st->variant)) {
        if (lane == 0) {
            fut_main_pool(st);
        } else {
            fut_worker(st, lane);
        }
        return;
    }
    if (lane == 0) {
        fut_main_threads(st);
    } else if (st->variant == FUTV_DAEMON) {
        fut_writer(st, lane - 1, lane == 1 ? FUT_WRITER_LINES : FUT_DAEMON_LINES);
    } else {
        fut_thread_work(st);
    }
}

static void fut_finish(DemoCtx *ctx, int verdict)
{
    FutState *st = ctx->state;
    Arena *a = ctx->arena;

    if (st == NULL) {
        return;
    }
    if (fut_pool_variant(st->variant)) {
        int64_t completion = 0;
        for (unsigned i = 0; i < st->pool.ndone && i < FUT_MAX_TASKS; i++) {
            completion = completion * 10 + st->pool.fut[st->pool.done[i]].task + 1;
        }
        (void)arena_result_add(a, "order", st->order);
        (void)arena_result_add(a, "completion", completion);
        (void)arena_result_add(a, "sum", st->sum);
        (void)arena_result_add(a, "raised", atomic_load(&st->raised));
        (void)arena_result_add(a, "seen", st->seen);
        (void)arena_result_add(a, "after_main", atomic_load(&st->after_main));
    } else if (st->variant == FUTV_DAEMON) {
        int64_t daemon = atomic_load(&st->lines[1]);
        (void)arena_result_add(a, "writer_lines", atomic_load(&st->lines[0]));
        (void)arena_result_add(a, "daemon_lines", daemon);
        (void)arena_result_add(a, "cut_off", daemon < FUT_DAEMON_LINES ? 1 : 0);
    } else {
        (void)arena_result_add(a, "raised", atomic_load(&st->raised));
        (void)arena_result_add(a, "seen", st->seen);
    }
    (void)verdict; /* the state lives in the shared heap: nothing to free */
}

/* ---- pseudo-code and Python ---------------------------------------- */

static const DemoCodeLine fut_code_map[] = {
    {"main:", EV_NONE, NULL},
    {"    with pool(max_workers):", EV_NONE, NULL},
    {"        fs = [submit(square, k)]", EV_FUT_SUBMIT, NULL},
    {"        for f in fs:", EV_NONE, NULL},
    {"            print(f.result())", EV_FUT_WAIT, NULL},
    {"    # shutdown(wait=True)", EV_QUEUE_SHUTDOWN, NULL},
    {"worker:", EV_NONE, NULL},
    {"    while task = queue.get():", EV_QUEUE_TAKE, NULL},
    {"        work(task)", EV_COMPUTE, "work"},
    {"        future.set_result(r)", EV_FUT_DONE, NULL},
};
static const char *const fut_py_map[] = {
    "",
    "with ThreadPoolExecutor(max_workers) as ex:",
    "    # map: submit each, results in order",
    "    for r in ex.map(square, range(tasks)):",
    "        print(r)",
    "# leaving with: ex.shutdown(wait=True)",
    "def square(k):  # in a worker thread",
    "",
    "    time.sleep(units(k))",
    "    return k * k",
};

static const DemoCodeLine fut_code_as_completed[] = {
    {"main:", EV_NONE, NULL},
    {"    with pool(max_workers):", EV_NONE, NULL},
    {"        fs = [submit(square, k)]", EV_FUT_SUBMIT, NULL},
    {"        for f in as_completed(fs):", EV_QUEUE_TAKE, NULL},
    {"            print(f.result())", EV_FUT_WAIT, NULL},
    {"    # shutdown(wait=True)", EV_QUEUE_SHUTDOWN, NULL},
    {"worker:", EV_NONE, NULL},
    {"    while task = queue.get():", EV_QUEUE_TAKE, NULL},
    {"        work(task)", EV_COMPUTE, "work"},
    {"        future.set_result(r)", EV_FUT_DONE, NULL},
};
static const char *const fut_py_as_completed[] = {
    "",
    "with ThreadPoolExecutor(max_workers) as ex:",
    "    fs = [ex.submit(square, k) for k in range(tasks)]",
    "    for f in as_completed(fs):",
    "        print(f.result())",
    "# leaving with: ex.shutdown(wait=True)",
    "def square(k):  # in a worker thread",
    "",
    "    time.sleep(units(k))",
    "    return k * k",
};

static const DemoCodeLine fut_code_error[] = {
    {"main:", EV_NONE, NULL},
    {"    fs = [submit(square, k)]", EV_FUT_SUBMIT, NULL},
    {"    for f in fs:", EV_NONE, NULL},
    {"        try: print(f.result())", EV_FUT_WAIT, NULL},
    {"        except ValueError: print", EV_COMPUTE, "except ValueError"},
    {"worker:", EV_NONE, NULL},
    {"    while task = queue.get():", EV_QUEUE_TAKE, NULL},
    {"        work(task)", EV_COMPUTE, "work"},
    {"        if task == 2: raise ValueError", EV_FUT_RAISE, NULL},
    {"        future.set_result(r)", EV_FUT_DONE, NULL},
};
static const char *const fut_py_error[] = {
    "with ThreadPoolExecutor(max_workers) as ex:",
    "    fs = [ex.submit(square, k) for k in range(tasks)]",
    "    for f in fs:",
    "        try: print(f.result())  # re-raises here",
    "        except ValueError as e: print(\"task failed:\", e)",
    "def square(k):  # in a worker thread",
    "",
    "    time.sleep(units(k))",
    "    if k == 2: raise ValueError(k)",
    "    return k * k",
};

static const DemoCodeLine fut_code_shutdown[] = {
    {"main:", EV_NONE, NULL},
    {"    fs = [submit(square, k)]", EV_FUT_SUBMIT, NULL},
    {"    shutdown(wait=False)", EV_QUEUE_SHUTDOWN, NULL},
    {"    print(\"main done\")", EV_COMPUTE, "main ends"},
    {"worker:", EV_NONE, NULL},
    {"    while task = queue.get():", EV_QUEUE_TAKE, NULL},
    {"        work(task)", EV_COMPUTE, "work"},
    {"        future.set_result(r)", EV_FUT_DONE, NULL},
};
static const char *const fut_py_shutdown[] = {
    "ex = ThreadPoolExecutor(max_workers)",
    "fs = [ex.submit(square, k) for k in range(tasks)]",
    "ex.shutdown(wait=False)  # returns at once",
    "print(\"main done\")  # the workers go on",
    "def square(k):  # in a worker thread",
    "",
    "    time.sleep(units(k))",
    "    return k * k",
};

static const DemoCodeLine fut_code_daemon[] = {
    {"main:", EV_NONE, NULL},
    {"    writer.start(); daemon.start()", EV_COMPUTE, "start"},
    {"    work(1)", EV_NONE, NULL},
    {"    # main ends: join non-daemons", EV_COMPUTE, "main ends"},
    {"writer (3 lines), daemon (10):", EV_NONE, NULL},
    {"    for i in range(lines):", EV_NONE, NULL},
    {"        work(1); write(line i)", EV_COMPUTE, "write line"},
};
static const char *const fut_py_daemon[] = {
    "",
    "writer = Thread(target=write, args=(3,)); writer.start()",
    "daemon = Thread(target=write, args=(10,), daemon=True)",
    "daemon.start(); time.sleep(1)",
    "def write(lines):",
    "    for i in range(lines):",
    "        time.sleep(1); print(\"line\", i)",
};

static const DemoCodeLine fut_code_thread_error[] = {
    {"main:", EV_NONE, NULL},
    {"    t.start()", EV_COMPUTE, "start"},
    {"    t.join()   # returns normally", EV_FUT_WAIT, NULL},
    {"    print(\"all fine?\")", EV_COMPUTE, "main ends"},
    {"thread:", EV_NONE, NULL},
    {"    work()", EV_COMPUTE, "work"},
    {"    raise ValueError  # printed, lost", EV_FUT_RAISE, NULL},
};
static const char *const fut_py_thread_error[] = {
    "",
    "t = Thread(target=work); t.start()",
    "t.join()  # no exception here",
    "print(\"all fine?\")",
    "def work():",
    "    time.sleep(1)",
    "    raise ValueError(\"lost\")  # excepthook prints it",
};

static const DemoCodeLine fut_code_thread_kept[] = {
    {"main:", EV_NONE, NULL},
    {"    t.start()", EV_COMPUTE, "start"},
    {"    t.join()", EV_FUT_WAIT, NULL},
    {"    if errors: raise errors[0]", EV_LOAD, NULL},
    {"thread:", EV_NONE, NULL},
    {"    try: work(); raise ValueError", EV_COMPUTE, "work"},
    {"    except Exception as e: keep e", EV_STORE, NULL},
};
static const char *const fut_py_thread_kept[] = {
    "errors = []",
    "t = Thread(target=work); t.start()",
    "t.join()",
    "if errors: raise errors[0]  # the caller looks",
    "def work():",
    "    try: time.sleep(1); raise ValueError(\"kept\")",
    "    except Exception as e: errors.append(e)",
};

#define FUT_PY(v, arr) [v] = {arr, ARRAY_SIZE(arr)}
static const struct {
    const char *const *lines;
    size_t n;
} fut_python[FUTV_NVARIANTS] = {
    FUT_PY(FUTV_MAP, fut_py_map),
    FUT_PY(FUTV_AS_COMPLETED, fut_py_as_completed),
    FUT_PY(FUTV_ERROR, fut_py_error),
    FUT_PY(FUTV_SHUTDOWN_NOWAIT, fut_py_shutdown),
    FUT_PY(FUTV_DAEMON, fut_py_daemon),
    FUT_PY(FUTV_THREAD_ERROR, fut_py_thread_error),
    FUT_PY(FUTV_THREAD_ERROR_KEPT, fut_py_thread_kept),
};

static const char *const *fut_py(const int64_t *params, size_t *n)
{
    int64_t v = params[FUT_P_VARIANT];
    if (v < 0 || v >= FUTV_NVARIANTS) {
        *n = 0;
        return NULL;
    }
    *n = fut_python[v].n;
    return fut_python[v].lines;
}

#define FUT_VAR(v, name, help, broken, code)                                                       \
    [v] = {name, help, broken, fut_lane, code, ARRAY_SIZE(code)}
static const DemoVariant fut_variants[FUTV_NVARIANTS] = {
    FUT_VAR(FUTV_MAP, "map", "results in submission order: main waits for the slow first task",
            false, fut_code_map),
    FUT_VAR(FUTV_AS_COMPLETED, "as_completed", "results in the order the tasks finish", false,
            fut_code_as_completed),
    FUT_VAR(FUTV_ERROR, "task_error", "a task raises; result() re-raises it in main", false,
            fut_code_error),
    FUT_VAR(FUTV_SHUTDOWN_NOWAIT, "shutdown_nowait",
            "shutdown(wait=False): main ends, the workers finish the queue", false,
            fut_code_shutdown),
    FUT_VAR(FUTV_DAEMON, "daemon", "a daemon thread is cut off when main and the writer end", false,
            fut_code_daemon),
    FUT_VAR(FUTV_THREAD_ERROR, "thread_error",
            "an exception in a plain thread: join() returns, the error is lost", false,
            fut_code_thread_error),
    FUT_VAR(FUTV_THREAD_ERROR_KEPT, "thread_error_kept",
            "the thread keeps its error and the caller looks after join()", false,
            fut_code_thread_kept),
};

static const DemoParam fut_params[] = {
    [FUT_P_VARIANT] = {"variant", "what main does with the pool or its threads", 0,
                       FUTV_NVARIANTS - 1, FUTV_MAP, NULL, fut_variants},
    [FUT_P_WORKERS] = {"workers", "max_workers: the pool's worker threads", 1, FUT_MAX_WORKERS, 2,
                       NULL, NULL},
    [FUT_P_TASKS] = {"tasks", "tasks submitted (task k sleeps 3, 1, 2, 2, 1, 3, ... units)", 1,
                     FUT_MAX_TASKS, 5, NULL, NULL},
    [FUT_P_UNIT_MS] = {"unit_ms", "free mode: one unit of a task's sleep, in ms", 1, 10000, 20,
                       NULL, NULL},
};

static const DemoResultField fut_results[] = {
    {"order", DEMO_UNIT_COUNT, "the tasks (from 1) in the order main got their results, as digits"},
    {"completion", DEMO_UNIT_COUNT, "the tasks (from 1) in the order they finished, as digits"},
    {"sum", DEMO_UNIT_COUNT, "the results main got, added up"},
    {"raised", DEMO_UNIT_COUNT, "errors raised in tasks or threads"},
    {"seen", DEMO_UNIT_COUNT, "errors main saw (re-raised by result(), or looked for)"},
    {"after_main", DEMO_UNIT_COUNT, "tasks that finished after main ended"},
    {"writer_lines", DEMO_UNIT_COUNT, "lines the non-daemon thread wrote (all 3: it was joined)"},
    {"daemon_lines", DEMO_UNIT_COUNT, "lines the daemon thread wrote before it was cut off"},
    {"cut_off", DEMO_UNIT_COUNT, "1 when the daemon thread was stopped before its 10 lines"},
};

const DemoClass futures_demo = {
    .name = "futures",
    .summary = "thread pools and futures: submit, map, as_completed, errors, shutdown, daemons",
    .params = fut_params,
    .nparams = ARRAY_SIZE(fut_params),
    .lanes = fut_lanes,
    .events_per_lane = fut_events_per_lane,
    .setup = fut_setup,
    .lane_main = fut_lane,
    .finish = fut_finish,
    .results = fut_results,
    .nresults = ARRAY_SIZE(fut_results),
    .view = &futures_view,
    .lane_daemon = fut_lane_daemon,
    .python = fut_py,
};
