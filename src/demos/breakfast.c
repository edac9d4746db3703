/*
 * breakfast.c - the course's breakfast: sequential against concurrent.
 *
 * Four tasks, each a moment of work and then a wait: boil water (3
 * minutes), brew the coffee with it (4), toast (2), eggs (5).  A minute is
 * minute_ms milliseconds.
 *
 *   sequential  one cook does one task after the other: 14 minutes
 *   threads     main starts three threads (water then coffee, toast,
 *               eggs) and joins them: the waits overlap, 7 minutes
 *   asyncio     an event loop (lane A), main (B) gathers three coroutines
 *               that await their waits: 7 minutes, on one thread
 *
 * The waits are real (a nanosleep for a thread, a timer of the event
 * loop for a coroutine); the work between them is a step of its own.
 * Results: total (the breakfast's time), work (the tasks' times added up,
 * what one cook doing one thing at a time needs) and speedup (work over
 * total, free mode).
 */
#include "config.h"

#include "demos/breakfast.h"

#include <errno.h>
#include <string.h>

#include "prims/il_future.h"
#include "prims/il_loop.h"
#include "prims/il_net.h"
#include "prims/il_shared.h"

enum { BF_WATER = 0, BF_COFFEE, BF_TOAST, BF_EGGS, BF_NTASKS };

static const struct {
    const char *start, *wait, *end;
    unsigned minutes;
} bf_tasks[BF_NTASKS] = {
    [BF_WATER] = {"fill the kettle", "kettle", "water boiled", 3},
    [BF_COFFEE] = {"pour on the coffee", "brewing", "pour a cup", 4},
    [BF_TOAST] = {"bread in the toaster", "toaster", "butter the toast", 2},
    [BF_EGGS] = {"eggs in the pan", "pan", "eggs on a plate", 5},
};

typedef struct BfState {
    Arena *arena;
    int64_t variant;
    uint64_t minute_ns;
    int lbl_start[BF_NTASKS], lbl_wait[BF_NTASKS], lbl_end[BF_NTASKS];
    IlMonitor mon;
    IlFuture thread[3]; /* threads: the cooks' handles */
    IlLoop loop;
    IlTask task[4];           /* asyncio: main, then the three chains */
    _Atomic uint64_t t_first; /* arena time + 1 the first task began */
    _Atomic uint64_t t_last;  /* arena time the last task ended */
} BfState;

static unsigned bf_lanes(const int64_t *params)
{
    switch (params[BF_P_VARIANT]) {
    case BF_THREADS:
        return 4;
    case BF_ASYNC:
        return 5;
    default:
        return 1;
    }
}

static LaneKind bf_lane_kind(const int64_t *params, unsigned lane)
{
    return params[BF_P_VARIANT] == BF_ASYNC && lane > 0 ? LANE_KIND_COROUTINE : LANE_KIND_THREAD;
}

static uint64_t bf_events_per_lane(const int64_t *params)
{
    (void)params;
    return 128;
}

static int bf_setup(DemoCtx *ctx)
{
    static const char *const chains[3] = {"water, then coffee", "toast", "eggs"};
    BfState *st = shared_heap_alloc(ctx->heap, 1, sizeof(*st));
    Arena *a = ctx->arena;
    int rc = 0;

    if (st == NULL) {
        return -ENOMEM;
    }
    st->arena = a;
    st->variant = ctx->params[BF_P_VARIANT];
    st->minute_ns = (uint64_t)ctx->params[BF_P_MINUTE_MS] * 1000000u;
    for (unsigned k = 0; k < BF_NTASKS; k++) {
        st->lbl_start[k] = il_label_new(a, bf_tasks[k].start);
        st->lbl_wait[k] = il_label_new(a, bf_tasks[k].wait);
        st->lbl_end[k] = il_label_new(a, bf_tasks[k].end);
        if (st->lbl_start[k] < 0 || st->lbl_wait[k] < 0 || st->lbl_end[k] < 0) {
            return -ENOSPC;
        }
    }
    switch (st->variant) {
    case BF_SEQUENTIAL:
        rc = arena_lane_set_name(a, 0, "you");
        break;
    case BF_THREADS:
        rc = il_monitor_init(&st->mon, a);
        if (rc == 0) {
            rc = arena_lane_set_name(a, 0, "MainThread");
        }
        for (unsigned k = 0; rc == 0 && k < 3; k++) {
            rc = il_thread_init(&st->thread[k], &st->mon, a, 1 + k, chains[k]);
            if (rc == 0) {
                rc = arena_lane_set_name(a, 1 + k, chains[k]);
            }
        }
        break;
    case BF_ASYNC:
        rc = il_loop_init(&st->loop, a, ctx->nlanes);
        if (rc == 0) {
            rc = arena_lane_set_name(a, 0, "MainThread: the event loop");
        }
        for (unsigned k = 0; rc == 0 && k < 4; k++) {
            const char *name = k == 0 ? "main()" : chains[k - 1];
            rc = il_task_init(&st->task[k], &st->loop, 1 + k, name);
            if (rc == 0) {
                rc = arena_lane_set_name(a, 1 + k, name);
            }
        }
        break;
    default:
        break;
    }
    if (rc < 0) {
        return rc;
    }
    ctx->state = st;
    return 0;
}

/* One task: a moment of work, the wait, a moment of work. */
static void bf_task(BfState *st, unsigned k)
{
    uint64_t zero = 0, ns = bf_tasks[k].minutes * st->minute_ns;

    (void)atomic_compare_exchange_strong(&st->t_first, &zero, arena_time(st->arena) + 1);
    (void)il_compute(st->lbl_start[k], bf_tasks[k].minutes);
    if (st->variant == BF_ASYNC) {
        (void)il_sleep(ns); /* await: the loop runs the other tasks */
    } else {
        il_io_wait(st->lbl_wait[k], ns); /* the thread waits; others may run */
    }
    (void)il_compute(st->lbl_end[k], bf_tasks[k].minutes);
    atomic_store(&st->t_last, arena_time(st->arena));
}

/* What each cook (a thread, a coroutine) makes: the water and then the
 * coffee, the toast, the eggs. */
static void bf_chain(BfState *st, unsigned c)
{
    if (c == 0) {
        bf_task(st, BF_WATER);
        bf_task(st, BF_COFFEE); /* needs the boiled water */
    } else {
        bf_task(st, c == 1 ? BF_TOAST : BF_EGGS);
    }
}

static void bf_lane(DemoCtx *ctx, unsigned lane)
{
    BfState *st = ctx->state;

    switch (st->variant) {
    case BF_SEQUENTIAL:
        for (unsigned k = 0; k < BF_NTASKS; k++) {
            bf_task(st, k);
        }
        break;
    case BF_THREADS:
        if (lane == 0) {
            for (unsigned c = 0; c < 3; c++) {
                il_thread_join(&st->thread[c]);
            }
        } else {
            bf_chain(st, lane - 1);
            il_thread_exit(&st->thread[lane - 1]);
        }
        break;
    case BF_ASYNC:
        if (lane == 0) {
            (void)il_loop_run(&st->loop, &st->task[0]);
        } else if (lane == 1) {
            IlTask *all[3] = {&st->task[1], &st->task[2], &st->task[3]};
            (void)il_gather(all, 3);
        } else {
            bf_chain(st, lane - 2);
        }
        break;
    default:
        break;
    }
}

static void bf_finish(DemoCtx *ctx, int verdict)
{
    BfState *st = ctx->state;
    uint64_t t0, t1, work = 0;

    (void)verdict;
    if (st == NULL) {
        return;
    }
    for (unsigned k = 0; k < BF_NTASKS; k++) {
        work += bf_tasks[k].minutes * st->minute_ns;
    }
    t0 = atomic_load(&st->t_first);
    t1 = atomic_load(&st->t_last);
    if (st->variant == BF_ASYNC && ctx->arena->stepping) {
        /* step mode: the loop's virtual clock */
        (void)arena_result_add(ctx->arena, "total", (int64_t)il_loop_stats(&st->loop)->total_ns);
    } else if (!ctx->arena->stepping) {
        /* (a step run of threads has no clock: time there is the schedule) */
        (void)arena_result_add(ctx->arena, "total",
                               t0 > 0 && t1 >= t0 - 1 ? (int64_t)(t1 - (t0 - 1)) : 0);
    }
    (void)arena_result_add(ctx->arena, "work", (int64_t)work);
    if (!ctx->arena->stepping && t0 > 0 && t1 > t0 - 1) {
        (void)arena_result_add(ctx->arena, "speedup", (int64_t)(work * 1000 / (t1 - (t0 - 1))));
    }
}

static const DemoCodeLine bf_code_seq[] = {
    {"boil_water()   # 3 min, waiting", EV_IO_WAIT, "kettle"},
    {"brew_coffee()  # 4 min", EV_IO_WAIT, "brewing"},
    {"make_toast()   # 2 min", EV_IO_WAIT, "toaster"},
    {"fry_eggs()     # 5 min", EV_IO_WAIT, "pan"},
};
static const char *const bf_py_seq[] = {
    "boil_water(); brew_coffee()",
    "",
    "make_toast()",
    "fry_eggs()   # 3 + 4 + 2 + 5 = 14 min",
};

static const DemoCodeLine bf_code_threads[] = {
    {"main: start the three cooks", EV_NONE, NULL},
    {"    join each", EV_FUT_WAIT, NULL},
    {"cook 1: boil_water(); brew_coffee()", EV_IO_WAIT, "kettle"},
    {"        (brewing)", EV_IO_WAIT, "brewing"},
    {"cook 2: make_toast()", EV_IO_WAIT, "toaster"},
    {"cook 3: fry_eggs()", EV_IO_WAIT, "pan"},
};
static const char *const bf_py_threads[] = {
    "ts = [Thread(target=f) for f in (coffee, toast, eggs)]",
    "for t in ts: t.start()  ...  for t in ts: t.join()",
    "def coffee(): boil_water(); brew_coffee()",
    "",
    "def toast(): make_toast()   # time.sleep inside",
    "def eggs(): fry_eggs()",
};

static const DemoCodeLine bf_code_async[] = {
    {"main(): gather(coffee(), toast(), eggs())", EV_AWAIT_TASK, NULL},
    {"coffee(): await boil_water()", EV_AWAIT_SLEEP, NULL},
    {"          await brew_coffee()", EV_NONE, NULL},
    {"toast():  await make_toast()", EV_NONE, NULL},
    {"eggs():   await fry_eggs()", EV_NONE, NULL},
};
static const char *const bf_py_async[] = {
    "await asyncio.gather(coffee(), toast(), eggs())",
    "async def coffee(): await boil_water()",
    "                    await brew_coffee()",
    "async def toast(): await make_toast()  # asyncio.sleep",
    "async def eggs(): await fry_eggs()",
};

static const struct {
    const char *const *lines;
    size_t n;
} bf_python[BF_NVARIANTS] = {
    [BF_SEQUENTIAL] = {bf_py_seq, ARRAY_SIZE(bf_py_seq)},
    [BF_THREADS] = {bf_py_threads, ARRAY_SIZE(bf_py_threads)},
    [BF_ASYNC] = {bf_py_async, ARRAY_SIZE(bf_py_async)},
};

static const char *const *bf_py(const int64_t *params, size_t *n)
{
    int64_t v = params[BF_P_VARIANT];
    if (v < 0 || v >= BF_NVARIANTS) {
        *n = 0;
        return NULL;
    }
    *n = bf_python[v].n;
    return bf_python[v].lines;
}

static const DemoVariant bf_variants[BF_NVARIANTS] = {
    [BF_SEQUENTIAL] = {"sequential", "one cook, one task at a time: 14 minutes", false, bf_lane,
                       bf_code_seq, ARRAY_SIZE(bf_code_seq)},
    [BF_THREADS] = {"threads", "three threads, their waits overlap: 7 minutes", false, bf_lane,
                    bf_code_threads, ARRAY_SIZE(bf_code_threads)},
    [BF_ASYNC] = {"asyncio", "three coroutines on one thread await their waits: 7 minutes", false,
                  bf_lane, bf_code_async, ARRAY_SIZE(bf_code_async)},
};

static const DemoParam bf_params[] = {
    [BF_P_VARIANT] = {"variant", "how breakfast is made", 0, BF_NVARIANTS - 1, BF_SEQUENTIAL, NULL,
                      bf_variants},
    [BF_P_MINUTE_MS] = {"minute_ms", "one minute of the recipe, in ms", 1, 10000, 20, NULL, NULL},
};

static const DemoResultField bf_results[] = {
    {"total", DEMO_UNIT_NS,
     "from the first task's start to the last one's end (step mode: the event loop's clock)"},
    {"work", DEMO_UNIT_NS, "the tasks' times added up: 14 minutes"},
    {"speedup", DEMO_UNIT_RATIO, "free mode: work over total"},
};

const DemoClass breakfast_demo = {
    .name = "breakfast",
    .summary = "make breakfast: four waiting tasks, sequentially, with threads, on an event loop",
    .params = bf_params,
    .nparams = ARRAY_SIZE(bf_params),
    .lanes = bf_lanes,
    .events_per_lane = bf_events_per_lane,
    .setup = bf_setup,
    .lane_main = bf_lane,
    .finish = bf_finish,
    .results = bf_results,
    .nresults = ARRAY_SIZE(bf_results),
    .view = &breakfast_view,
    .lane_kind = bf_lane_kind,
    .python = bf_py,
};
