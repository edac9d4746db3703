/*
 * asyncio.c - the event-loop demo: coroutines that share one OS thread.
 *
 * Lane A is the OS thread: it runs the event loop (asyncio.run(main()),
 * prims/il_loop.h).  Lane B is main(), lanes C.. the other coroutines,
 * each a coroutine lane (LANE_KIND_COROUTINE) with its own stack that runs
 * on A's thread only when the loop switches to it, and gives the thread
 * back only where it awaits.  Time is counted in units of unit_ms
 * milliseconds (the course's seconds).
 *
 * Variants, one per thing the course shows:
 *   gather       main awaits gather(count(1), count(2), count(3)): three
 *                sleeps of 1, 2 and 3 units overlap: 3 units in all, while
 *                the waits add up to 6
 *   sequential   main awaits count(1), then count(2), then count(3): 6 units
 *   create_task  main creates two tasks, sleeps itself, then awaits them:
 *                the tasks run while main waits
 *   wait_for     main awaits wait_for(slow(), 1 unit); slow sleeps 3 units:
 *                the timeout cancels it, slow sees CancelledError at its
 *                await, cleans up and re-raises, and main gets TimeoutError
 *                once slow has finished
 *   cancel       main creates a worker that ticks every 0.4 units, cancels
 *                it after 1 unit and awaits it: the worker cleans up, main
 *                sees it finish cancelled
 *   io           a writer sleeps and writes three lines into a real pipe;
 *                a reader awaits the pipe's read end (epoll) for each
 *   blocking_call  two tickers sleep 1 unit between ticks while a third
 *                coroutine calls time.sleep(2 units) (or burns 2 units of
 *                CPU: call=cpu) with no await (BROKEN ON PURPOSE): the
 *                loop is stuck in it, and the tickers' timers fire late
 *   nonblocking  the same with await asyncio.sleep(2 units): nothing late
 *
 * Results: the loop's time (total) beside the sum of the other coroutines'
 * waits (waits): more waiting than time means the waits overlapped; how
 * late timers fired (late, late_max: the stall) and the time spent in
 * blocking calls (block_time); and what each variant is about (timeouts,
 * cancelled, cleaned_up, bytes, sum).  Step mode counts in the loop's
 * virtual time: the same figures on every machine.
 */
#include "config.h"

#include "demos/asyncio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "prims/il_loop.h"
#include "prims/il_shared.h"

#define AIO_MAX_COROS 4 /* main and three */
#define AIO_LINES 3     /* the io variant's lines */

typedef struct AioState {
    IlLoop loop;
    IlTask task[AIO_MAX_COROS]; /* task[k] runs on lane 1 + k */
    unsigned ncoros;
    int64_t variant, block;
    uint64_t unit; /* ns */
    int lbl_start, lbl_end, lbl_cleanup, lbl_timeout, lbl_tick, lbl_block, lbl_got, lbl_result;
    int pipefd[2];
    IlChan rd, wr;
    int64_t bytes;      /* io: bytes the reader got */
    int64_t cleaned_up; /* coroutines that ran their cleanup */
    int64_t timed_out;  /* wait_for raised TimeoutError in main */
} AioState;

static unsigned aio_coros(int64_t variant)
{
    switch (variant) {
    case AIO_CREATE_TASK:
    case AIO_IO:
        return 3;
    case AIO_WAIT_FOR:
    case AIO_CANCEL:
        return 2;
    default:
        return 4;
    }
}

static unsigned aio_lanes(const int64_t *params)
{
    return 1 + aio_coros(params[AIO_VARIANT]);
}

static LaneKind aio_lane_kind(const int64_t *params, unsigned lane)
{
    (void)params;
    return lane == AIO_LOOP_LANE ? LANE_KIND_THREAD : LANE_KIND_COROUTINE;
}

static uint64_t aio_events_per_lane(const int64_t *params)
{
    (void)params;
    return 512;
}

/* The name of coroutine k (task[k]) in variant v. */
static void aio_task_name(int64_t v, unsigned k, char *buf, size_t len)
{
    static const char *const names[AIO_NVARIANTS][AIO_MAX_COROS] = {
        [AIO_GATHER] = {"main()", "count(1)", "count(2)", "count(3)"},
        [AIO_SEQUENTIAL] = {"main()", "count(1)", "count(2)", "count(3)"},
        [AIO_CREATE_TASK] = {"main()", "count(2)", "count(3)"},
        [AIO_WAIT_FOR] = {"main()", "slow()"},
        [AIO_CANCEL] = {"main()", "worker()"},
        [AIO_IO] = {"main()", "writer()", "reader()"},
        [AIO_BLOCKING] = {"main()", "ticker(1)", "ticker(2)", "blocker()"},
        [AIO_NONBLOCKING] = {"main()", "ticker(1)", "ticker(2)", "sleeper()"},
    };
    snprintf(buf, len, "%s", names[v][k] != NULL ? names[v][k] : "task");
}

static int aio_setup(DemoCtx *ctx)
{
    AioState *st = shared_heap_alloc(ctx->heap, 1, sizeof(*st));
    Arena *a = ctx->arena;
    int rc;

    if (st == NULL) {
        return -ENOMEM;
    }
    st->variant = ctx->params[AIO_VARIANT];
    st->block = ctx->params[AIO_BLOCK];
    st->unit = (uint64_t)ctx->params[AIO_UNIT_MS] * 1000000u;
    st->ncoros = aio_coros(st->variant);
    st->pipefd[0] = st->pipefd[1] = -1;
    rc = il_loop_init(&st->loop, a, ctx->nlanes);
    if (rc < 0) {
        return rc;
    }
    if (arena_lane_set_name(a, AIO_LOOP_LANE, "MainThread: the event loop") < 0) {
        return -ENOSPC;
    }
    for (unsigned k = 0; k < st->ncoros; k++) {
        char name[32];
        aio_task_name(st->variant, k, name, sizeof(name));
        rc = il_task_init(&st->task[k], &st->loop, 1 + k, name);
        if (rc < 0 || arena_lane_set_name(a, 1 + k, name) < 0) {
            return rc < 0 ? rc : -ENOSPC;
        }
    }
    st->lbl_start = il_label_new(a, "start");
    st->lbl_end = il_label_new(a, "end");
    st->lbl_cleanup = il_label_new(a, "cleanup");
    st->lbl_timeout = il_label_new(a, "timeout");
    st->lbl_tick = il_label_new(a, "tick");
    st->lbl_block = il_label_new(a, st->block == AIO_BLOCK_CPU ? "cpu work" : "time.sleep");
    st->lbl_got = il_label_new(a, "got");
    st->lbl_result = il_label_new(a, "result");
    if (st->lbl_start < 0 || st->lbl_end < 0 || st->lbl_cleanup < 0 || st->lbl_timeout < 0 ||
        st->lbl_tick < 0 || st->lbl_block < 0 || st->lbl_got < 0 || st->lbl_result < 0) {
        return -ENOSPC;
    }
    if (st->variant == AIO_IO) {
        if (pipe2(st->pipefd, O_CLOEXEC) < 0) {
            return -errno;
        }
        rc = il_chan_init(&st->rd, &st->loop, st->pipefd[0], "pipe");
        if (rc == 0) {
            rc = il_chan_init(&st->wr, &st->loop, st->pipefd[1], "pipe (write end)");
        }
        if (rc < 0) {
            return rc;
        }
    }
    ctx->state = st;
    return 0;
}

/* ---- the coroutines ------------------------------------------------- */

/* async def count(n): print("start", n); await asyncio.sleep(n); ...  */
static void aio_count(AioState *st, int64_t n)
{
    (void)il_compute(st->lbl_start, n);
    if (il_sleep((uint64_t)n * st->unit) == -ECANCELED) {
        il_task_raise(-ECANCELED);
        return;
    }
    (void)il_compute(st->lbl_end, n);
    il_task_return(n);
}

static void aio_main(AioState *st)
{
    IlTask *t = st->task;
    int64_t r, sum = 0;
    int rc;

    switch (st->variant) {
    case AIO_GATHER: {
        IlTask *all[3] = {&t[1], &t[2], &t[3]};
        rc = il_gather(all, 3);
        for (unsigned k = 1; k < 4 && rc == 0; k++) {
            sum += t[k].result;
        }
        (void)il_compute(st->lbl_result, sum);
        break;
    }
    case AIO_SEQUENTIAL:
        for (unsigned k = 1; k < 4; k++) {
            if (il_await(&t[k], &r) == 0) {
                sum += r;
            }
        }
        (void)il_compute(st->lbl_result, sum);
        break;
    case AIO_CREATE_TASK:
        il_create_task(&t[1]);
        il_create_task(&t[2]);
        (void)il_compute(st->lbl_start, 0);
        (void)il_sleep(st->unit); /* main's own wait: the tasks run meanwhile */
        if (il_await(&t[1], &r) == 0) {
            sum += r;
        }
        if (il_await(&t[2], &r) == 0) {
            sum += r;
        }
        (void)il_compute(st->lbl_result, sum);
        break;
    case AIO_WAIT_FOR:
        rc = il_wait_for(&t[1], st->unit, &r);
        if (rc == -ETIMEDOUT) {
            st->timed_out++;
            (void)il_compute(st->lbl_timeout, 1); /* except TimeoutError */
        }
        break;
    case AIO_CANCEL:
        il_create_task(&t[1]);
        (void)il_sleep(st->unit);
        (void)il_task_cancel(&t[1]);
        rc = il_await(&t[1], &r); /* raises CancelledError: it finished cancelled */
        (void)il_compute(st->lbl_result, rc == -ECANCELED ? 1 : 0);
        break;
    case AIO_IO:
    case AIO_BLOCKING:
    case AIO_NONBLOCKING: {
        IlTask *all[3] = {&t[1], &t[2], &t[3]};
        (void)il_gather(all, st->ncoros - 1);
        break;
    }
    default:
        break;
    }
    il_task_return(sum);
}

/* async def slow(): try: await sleep(3) except CancelledError: cleanup; raise */
static void aio_slow(AioState *st)
{
    (void)il_compute(st->lbl_start, 3);
    if (il_sleep(3 * st->unit) == -ECANCELED) {
        st->cleaned_up++;
        (void)il_compute(st->lbl_cleanup, 1);
        il_task_raise(-ECANCELED); /* raise: the task ends cancelled */
        return;
    }
    (void)il_compute(st->lbl_end, 3);
}

/* async def worker(): while True: print("tick"); await sleep(0.4) */
static void aio_worker(AioState *st)
{
    for (int64_t i = 0;; i++) {
        (void)il_compute(st->lbl_tick, i);
        if (il_sleep(st->unit * 2 / 5) == -ECANCELED) {
            st->cleaned_up++;
            (void)il_compute(st->lbl_cleanup, i);
            il_task_raise(-ECANCELED);
            return;
        }
    }
}

static void aio_writer(AioState *st)
{
    for (int i = 0; i < AIO_LINES; i++) {
        char line[32];
        int n = snprintf(line, sizeof(line), "line %d\n", i + 1);
        if (il_sleep(st->unit) == -ECANCELED) {
            break;
        }
        (void)il_chan_write(&st->wr, line, (size_t)n);
        (void)il_compute(st->lbl_tick, i + 1);
    }
    close(st->pipefd[1]); /* the reader sees the end of the file */
    st->pipefd[1] = -1;
}

static void aio_reader(AioState *st)
{
    char buf[256];
    for (;;) {
        ssize_t n = il_chan_read(&st->rd, buf, sizeof(buf)); /* awaits the pipe */
        if (n <= 0) {
            break;
        }
        st->bytes += n;
        (void)il_compute(st->lbl_got, n);
    }
}

/* async def ticker(n): for i in range(4): await sleep(1); print(...) */
static void aio_ticker(AioState *st)
{
    for (int64_t i = 1; i <= 4; i++) {
        if (il_sleep(st->unit) == -ECANCELED) {
            return;
        }
        (void)il_compute(st->lbl_tick, (int64_t)(il_loop_time(&st->loop) / 1000000u));
    }
}

/* BROKEN ON PURPOSE (variant blocking): time.sleep(2) (or 2 units of CPU
 * work) inside a coroutine, with no await: the loop cannot switch, and
 * every other coroutine waits for it, its timers firing late. */
static void aio_blocker_broken(AioState *st)
{
    (void)il_sleep(st->unit / 2);
    il_blocking_call(st->lbl_block, 2 * st->unit, st->block == AIO_BLOCK_CPU);
    (void)il_compute(st->lbl_end, 2);
}

static void aio_sleeper(AioState *st)
{
    (void)il_sleep(st->unit / 2);
    (void)il_sleep(2 * st->unit); /* await: the loop runs the others meanwhile */
    (void)il_compute(st->lbl_end, 2);
}

static void aio_lane(DemoCtx *ctx, unsigned lane)
{
    AioState *st = ctx->state;
    unsigned k = lane - 1;

    if (lane == AIO_LOOP_LANE) {
        (void)il_loop_run(&st->loop, &st->task[0]); /* asyncio.run(main()) */
        return;
    }
    if (k == 0) {
        aio_main(st);
        return;
    }
    switch (st->variant) {
    case AIO_GATHER:
    case AIO_SEQUENTIAL:
        aio_count(st, (int64_t)k);
        break;
    case AIO_CREATE_TASK:
        aio_count(st, (int64_t)k + 1);
        break;
    case AIO_WAIT_FOR:
        aio_slow(st);
        break;
    case AIO_CANCEL:
        aio_worker(st);
        break;
    case AIO_IO:
        if (k == 1) {
            aio_writer(st);
        } else {
            aio_reader(st);
        }
        break;
    case AIO_BLOCKING:
        if (k == 3) {
            aio_blocker_broken(st);
        } else {
            aio_ticker(st);
        }
        break;
    case AIO_NONBLOCKING:
        if (k == 3) {
            aio_sleeper(st);
        } else {
            aio_ticker(st);
        }
        break;
    default:
        break;
    }
}

static void aio_finish(DemoCtx *ctx, int verdict)
{
    AioState *st = ctx->state;
    const IlLoopStats *ls;
    uint64_t waits = 0;
    int64_t cancelled = 0;

    if (st == NULL) {
        return;
    }
    ls = il_loop_stats(&st->loop);
    for (unsigned k = 1; k < st->ncoros; k++) {
        waits += st->task[k].waited_ns;
        cancelled += st->task[k].done && st->task[k].err == -ECANCELED;
    }
    (void)arena_result_add(ctx->arena, "total", (int64_t)ls->total_ns);
    (void)arena_result_add(ctx->arena, "wait_sum", (int64_t)waits);
    (void)arena_result_add(ctx->arena, "late", (int64_t)ls->late_ns);
    (void)arena_result_add(ctx->arena, "late_max", (int64_t)ls->late_max_ns);
    (void)arena_result_add(ctx->arena, "block_time", (int64_t)ls->blocked_ns);
    (void)arena_result_add(ctx->arena, "switches", (int64_t)ls->switches);
    (void)arena_result_add(ctx->arena, "max_ready", (int64_t)ls->max_ready);
    switch (st->variant) {
    case AIO_WAIT_FOR:
        (void)arena_result_add(ctx->arena, "timeouts", st->timed_out);
        /* fall through */
    case AIO_CANCEL:
        (void)arena_result_add(ctx->arena, "cancelled", cancelled);
        (void)arena_result_add(ctx->arena, "cleaned_up", st->cleaned_up);
        break;
    case AIO_IO:
        (void)arena_result_add(ctx->arena, "bytes", st->bytes);
        break;
    case AIO_GATHER:
    case AIO_SEQUENTIAL:
    case AIO_CREATE_TASK:
        (void)arena_result_add(ctx->arena, "sum", st->task[0].result);
        break;
    default:
        break;
    }
    if (verdict == VERDICT_COMPLETED) {
        if (st->pipefd[0] >= 0) {
            close(st->pipefd[0]);
        }
        if (st->pipefd[1] >= 0) {
            close(st->pipefd[1]);
        }
        ctx->state = NULL;
    }
}

/* ---- pseudo-code and Python ---------------------------------------- */

#define AIO_CO(name)                                                                               \
    {                                                                                              \
        name, EV_CO_START, NULL                                                                    \
    }
#define AIO_MAIN                                                                                   \
    {                                                                                              \
        "main():", EV_CO_START, "main()"                                                           \
    }

static const DemoCodeLine aio_code_gather[] = {
    AIO_MAIN,
    {"    results = gather(count(1),", EV_AWAIT_TASK, NULL},
    {"        count(2), count(3))", EV_NONE, NULL},
    {"    print(sum(results))", EV_COMPUTE, "result"},
    AIO_CO("count(n):"),
    {"    print(\"start\", n)", EV_COMPUTE, "start"},
    {"    await sleep(n)", EV_AWAIT_SLEEP, NULL},
    {"    print(\"end\", n)", EV_COMPUTE, "end"},
    {"    return n", EV_NONE, NULL},
};
static const char *const aio_py_gather[] = {
    "async def main():",
    "    results = await asyncio.gather(",
    "        count(1), count(2), count(3))",
    "    print(sum(results))",
    "async def count(n):",
    "    print(\"start\", n)",
    "    await asyncio.sleep(n)",
    "    print(\"end\", n)",
    "    return n",
};

static const DemoCodeLine aio_code_sequential[] = {
    AIO_MAIN,
    {"    for n in 1, 2, 3:", EV_NONE, NULL},
    {"        total += await count(n)", EV_AWAIT_TASK, NULL},
    {"    print(total)", EV_COMPUTE, "result"},
    AIO_CO("count(n):"),
    {"    print(\"start\", n)", EV_COMPUTE, "start"},
    {"    await sleep(n)", EV_AWAIT_SLEEP, NULL},
    {"    print(\"end\", n)", EV_COMPUTE, "end"},
    {"    return n", EV_NONE, NULL},
};
static const char *const aio_py_sequential[] = {
    "async def main():",          "    for n in 1, 2, 3:", "        total += await count(n)",
    "    print(total)",           "async def count(n):",   "    print(\"start\", n)",
    "    await asyncio.sleep(n)", "    print(\"end\", n)", "    return n",
};

static const DemoCodeLine aio_code_create_task[] = {
    AIO_MAIN,
    {"    t2 = create_task(count(2))", EV_NONE, NULL},
    {"    t3 = create_task(count(3))", EV_NONE, NULL},
    {"    print(\"start\")", EV_COMPUTE, "start"},
    {"    await sleep(1)", EV_AWAIT_SLEEP, NULL},
    {"    print(await t2 + await t3)", EV_AWAIT_TASK, NULL},
    AIO_CO("count(n):"),
    {"    print(\"start\", n)", EV_COMPUTE, "start"},
    {"    await sleep(n)", EV_AWAIT_SLEEP, NULL},
    {"    return n", EV_COMPUTE, "end"},
};
static const char *const aio_py_create_task[] = {
    "async def main():",
    "    t2 = asyncio.create_task(count(2))",
    "    t3 = asyncio.create_task(count(3))",
    "    print(\"start\")",
    "    await asyncio.sleep(1)",
    "    print(await t2 + await t3)",
    "async def count(n):",
    "    print(\"start\", n)",
    "    await asyncio.sleep(n)",
    "    return n",
};

static const DemoCodeLine aio_code_wait_for[] = {
    AIO_MAIN,
    {"    try: await wait_for(slow(), 1)", EV_AWAIT_TASK, NULL},
    {"    except TimeoutError: print", EV_COMPUTE, "timeout"},
    AIO_CO("slow():"),
    {"    print(\"start\")", EV_COMPUTE, "start"},
    {"    try: await sleep(3)", EV_AWAIT_SLEEP, NULL},
    {"    except CancelledError:", EV_NONE, NULL},
    {"        cleanup(); raise", EV_COMPUTE, "cleanup"},
};
static const char *const aio_py_wait_for[] = {
    "async def main():",
    "    try: await asyncio.wait_for(slow(), 1)",
    "    except TimeoutError: print(\"timeout\")",
    "async def slow():",
    "    print(\"start\")",
    "    try: await asyncio.sleep(3)",
    "    except asyncio.CancelledError:",
    "        cleanup(); raise",
};

static const DemoCodeLine aio_code_cancel[] = {
    AIO_MAIN,
    {"    task = create_task(worker())", EV_NONE, NULL},
    {"    await sleep(1)", EV_AWAIT_SLEEP, NULL},
    {"    task.cancel()", EV_NONE, NULL},
    {"    try: await task", EV_AWAIT_TASK, NULL},
    {"    except CancelledError: print", EV_COMPUTE, "result"},
    AIO_CO("worker():"),
    {"    while True: print(\"tick\")", EV_COMPUTE, "tick"},
    {"        try: await sleep(0.4)", EV_AWAIT_SLEEP, NULL},
    {"        except CancelledError:", EV_NONE, NULL},
    {"            cleanup(); raise", EV_COMPUTE, "cleanup"},
};
static const char *const aio_py_cancel[] = {
    "async def main():",
    "    task = asyncio.create_task(worker())",
    "    await asyncio.sleep(1)",
    "    task.cancel()",
    "    try: await task",
    "    except asyncio.CancelledError: print()",
    "async def worker():",
    "    while True: print(\"tick\")",
    "        try: await asyncio.sleep(0.4)",
    "        except asyncio.CancelledError:",
    "            cleanup(); raise",
};

static const DemoCodeLine aio_code_io[] = {
    AIO_MAIN,
    {"    gather(writer(), reader())", EV_AWAIT_TASK, NULL},
    AIO_CO("writer():"),
    {"    for i in 1, 2, 3: await sleep(1)", EV_AWAIT_SLEEP, NULL},
    {"        write(pipe, \"line i\")", EV_COMPUTE, "tick"},
    {"    close(pipe)", EV_NONE, NULL},
    AIO_CO("reader():"),
    {"    while data := await read(pipe):", EV_AWAIT_IO, NULL},
    {"        print(data)", EV_COMPUTE, "got"},
};
static const char *const aio_py_io[] = {
    "async def main():",
    "    await asyncio.gather(writer(w), reader(r))",
    "async def writer(w):",
    "    for i in 1, 2, 3: await asyncio.sleep(1)",
    "        w.write(f\"line {i}\\n\".encode())",
    "    w.close()",
    "async def reader(r):",
    "    while data := await r.read(256):",
    "        print(data)",
};

static const DemoCodeLine aio_code_blocking[] = {
    AIO_MAIN,
    {"    gather(ticker(1), ticker(2), blocker())", EV_AWAIT_TASK, NULL},
    AIO_CO("ticker(n):"),
    {"    for i in range(4): await sleep(1)", EV_AWAIT_SLEEP, NULL},
    {"        print(\"tick\", n, now())", EV_COMPUTE, "tick"},
    AIO_CO("blocker():"),
    {"    await sleep(0.5)", EV_AWAIT_SLEEP, NULL},
    {"    time.sleep(2)   # no await!", EV_CO_BLOCK, NULL},
    {"    print(\"done\")", EV_COMPUTE, "end"},
};
static const char *const aio_py_blocking[] = {
    "async def main():",
    "    await asyncio.gather(ticker(1), ticker(2), blocker())",
    "async def ticker(n):",
    "    for i in range(4): await asyncio.sleep(1)",
    "        print(\"tick\", n, loop.time())",
    "async def blocker():",
    "    await asyncio.sleep(0.5)",
    "    time.sleep(2)   # blocks the whole loop",
    "    print(\"done\")",
};

static const DemoCodeLine aio_code_nonblocking[] = {
    AIO_MAIN,
    {"    gather(ticker(1), ticker(2), sleeper())", EV_AWAIT_TASK, NULL},
    AIO_CO("ticker(n):"),
    {"    for i in range(4): await sleep(1)", EV_AWAIT_SLEEP, NULL},
    {"        print(\"tick\", n, now())", EV_COMPUTE, "tick"},
    AIO_CO("sleeper():"),
    {"    await sleep(0.5)", EV_AWAIT_SLEEP, NULL},
    {"    await sleep(2)", EV_AWAIT_SLEEP, NULL},
    {"    print(\"done\")", EV_COMPUTE, "end"},
};
static const char *const aio_py_nonblocking[] = {
    "async def main():",
    "    await asyncio.gather(ticker(1), ticker(2), sleeper())",
    "async def ticker(n):",
    "    for i in range(4): await asyncio.sleep(1)",
    "        print(\"tick\", n, loop.time())",
    "async def sleeper():",
    "    await asyncio.sleep(0.5)",
    "    await asyncio.sleep(2)   # the loop runs others",
    "    print(\"done\")",
};

#define AIO_PY(v, arr) [v] = {arr, ARRAY_SIZE(arr)}
static const struct {
    const char *const *lines;
    size_t n;
} aio_python[AIO_NVARIANTS] = {
    AIO_PY(AIO_GATHER, aio_py_gather),           AIO_PY(AIO_SEQUENTIAL, aio_py_sequential),
    AIO_PY(AIO_CREATE_TASK, aio_py_create_task), AIO_PY(AIO_WAIT_FOR, aio_py_wait_for),
    AIO_PY(AIO_CANCEL, aio_py_cancel),           AIO_PY(AIO_IO, aio_py_io),
    AIO_PY(AIO_BLOCKING, aio_py_blocking),       AIO_PY(AIO_NONBLOCKING, aio_py_nonblocking),
};

static const char *const *aio_py(const int64_t *params, size_t *n)
{
    int64_t v = params[AIO_VARIANT];
    if (v < 0 || v >= AIO_NVARIANTS) {
        *n = 0;
        return NULL;
    }
    *n = aio_python[v].n;
    return aio_python[v].lines;
}

#define AIO_VAR(v, name, help, broken, code)                                                       \
    [v] = {name, help, broken, aio_lane, code, ARRAY_SIZE(code)}
static const DemoVariant aio_variants[AIO_NVARIANTS] = {
    AIO_VAR(AIO_GATHER, "gather", "three sleeps of 1, 2, 3 units at once: 3 units, not 6", false,
            aio_code_gather),
    AIO_VAR(AIO_SEQUENTIAL, "sequential", "the same sleeps awaited one after the other: 6 units",
            false, aio_code_sequential),
    AIO_VAR(AIO_CREATE_TASK, "create_task", "tasks run while main awaits something else", false,
            aio_code_create_task),
    AIO_VAR(AIO_WAIT_FOR, "wait_for",
            "a timeout cancels a slow task; it cleans up, main gets TimeoutError", false,
            aio_code_wait_for),
    AIO_VAR(AIO_CANCEL, "cancel", "cancel a task: it sees CancelledError at its await", false,
            aio_code_cancel),
    AIO_VAR(AIO_IO, "io", "a reader awaits a real pipe (epoll) while a writer sleeps", false,
            aio_code_io),
    AIO_VAR(AIO_BLOCKING, "blocking_call",
            "time.sleep() in a coroutine, no await: the whole loop stalls, timers fire late", true,
            aio_code_blocking),
    AIO_VAR(AIO_NONBLOCKING, "nonblocking", "await asyncio.sleep() instead: nothing late", false,
            aio_code_nonblocking),
};

static const char *const aio_blocks[] = {"sleep", "cpu", NULL};

static const DemoParam aio_params[] = {
    [AIO_VARIANT] = {"variant", "what main() does with its coroutines", 0, AIO_NVARIANTS - 1,
                     AIO_GATHER, NULL, aio_variants},
    [AIO_UNIT_MS] = {"unit_ms", "one unit of time (the course's second), in ms", 1, 10000, 100,
                     NULL, NULL},
    [AIO_BLOCK] = {"call", "variant blocking_call: time.sleep() or CPU work without an await", 0, 1,
                   AIO_BLOCK_SLEEP, aio_blocks, NULL},
};

static const DemoResultField aio_results[] = {
    {"total", DEMO_UNIT_NS, "time the loop ran (step mode: its virtual clock)"},
    {"wait_sum", DEMO_UNIT_NS,
     "the other coroutines' waits added up (more than total: they overlap)"},
    {"late", DEMO_UNIT_NS, "how late timers fired, added up: the loop was busy elsewhere"},
    {"late_max", DEMO_UNIT_NS, "the latest timer: the stall a blocking call caused"},
    {"block_time", DEMO_UNIT_NS, "time inside blocking calls (no await)"},
    {"switches", DEMO_UNIT_COUNT, "times the loop switched to a coroutine"},
    {"max_ready", DEMO_UNIT_COUNT, "longest ready queue"},
    {"timeouts", DEMO_UNIT_COUNT, "wait_for raised TimeoutError in main"},
    {"cancelled", DEMO_UNIT_COUNT, "tasks that ended cancelled"},
    {"cleaned_up", DEMO_UNIT_COUNT, "cancelled tasks that ran their cleanup"},
    {"bytes", DEMO_UNIT_COUNT, "bytes the reader got from the pipe"},
    {"sum", DEMO_UNIT_COUNT, "what main computed from the results"},
};

const DemoClass asyncio_demo = {
    .name = "asyncio",
    .summary =
        "an event loop: coroutines on one thread, gather, wait_for, cancel, the blocking call",
    .params = aio_params,
    .nparams = ARRAY_SIZE(aio_params),
    .lanes = aio_lanes,
    .events_per_lane = aio_events_per_lane,
    .setup = aio_setup,
    .lane_main = aio_lane,
    .finish = aio_finish,
    .results = aio_results,
    .nresults = ARRAY_SIZE(aio_results),
    .view = &asyncio_view,
    .lane_kind = aio_lane_kind,
    .python = aio_py,
};
