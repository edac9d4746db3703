/*
 * race.c - the race-condition demo.
 *
 * Every lane adds 1 to a shared counter `iterations` times, so the counter
 * should end at threads * iterations.  `counter++` is really three steps,
 * and this demo makes each one an instrumented point:
 *
 *   load   read the shared counter into the lane's register
 *   add    register + 1 (the lane's own work; nobody else sees it)
 *   store  write the register back to the counter
 *
 * If another lane stores between this lane's load and store, this lane's
 * store overwrites it with a stale value: that increment is lost.
 *
 * Variants:
 *   unsafe  the three steps with nothing around them (BROKEN ON PURPOSE)
 *   mutex   lock, load, add, store, unlock: one lane at a time
 *   atomic  one atomic fetch-and-add: the hardware does all three at once
 *
 * Lanes (`lanes=`): threads of one process, or forked processes.  The
 * counter and the mutex live in memory every lane shares (the arena and
 * the run's shared heap, like multiprocessing.Value and Lock), so
 * processes lose updates exactly as threads do, and the mutex and the
 * atomic fix them the same way: sharing memory, not being threads, is
 * what makes the race.
 */
#include "config.h"

#include "demos/race.h"

#include <errno.h>

#include "prims/il_mutex.h"
#include "prims/il_shared.h"

typedef struct RaceState {
    IlVar *counter; /* the shared counter, in the arena */
    IlMutex lock;   /* variant mutex: guards counter */
    int add;        /* label of the local computation */
    int64_t iterations;
    int64_t variant;
} RaceState;

static unsigned race_lanes(const int64_t *params)
{
    return (unsigned)params[RACE_THREADS];
}

static LaneKind race_lane_kind(const int64_t *params, unsigned lane)
{
    (void)lane;
    return params[RACE_LANES] == RACE_LANES_PROCESSES ? LANE_KIND_PROCESS : LANE_KIND_THREAD;
}

static uint64_t race_events_per_lane(const int64_t *params)
{
    /* mutex: lock_wait, lock, load, add, store, unlock per increment */
    return (uint64_t)params[RACE_ITERATIONS] * 6 + 4;
}

static uint64_t race_steps_per_lane(const int64_t *params)
{
    /* unsafe: load, add, store; mutex: lock, load, add, store, unlock;
     * atomic: one fetch-and-add */
    static const uint64_t per[] = {[RACE_UNSAFE] = 3, [RACE_MUTEX] = 5, [RACE_ATOMIC] = 1};
    return (uint64_t)params[RACE_ITERATIONS] * per[params[RACE_VARIANT]];
}

static int race_setup(DemoCtx *ctx)
{
    /* shared by every lane, processes too: the mutex must be one object */
    RaceState *st = shared_heap_alloc(ctx->heap, 1, sizeof(*st));
    int rc;

    if (st == NULL) {
        return -ENOMEM;
    }
    st->iterations = ctx->params[RACE_ITERATIONS];
    st->variant = ctx->params[RACE_VARIANT];
    st->counter = il_var_new(ctx->arena, "counter", 0);
    st->add = il_label_new(ctx->arena, "add");
    if (st->counter == NULL || st->add < 0) {
        return -ENOSPC;
    }
    if (st->variant == RACE_MUTEX) {
        rc = il_mutex_init(&st->lock, ctx->arena, "m");
        if (rc < 0) {
            return rc;
        }
    }
    ctx->state = st;
    return 0;
}

/* BROKEN ON PURPOSE: nothing stops another lane from storing between this
 * lane's load and store, so increments are lost.  Students should see the
 * final counter come out below threads * iterations. */
static void race_lane_unsafe_broken(DemoCtx *ctx, unsigned lane)
{
    RaceState *st = ctx->state;
    (void)lane;
    for (int64_t i = 0; i < st->iterations; i++) {
        int64_t reg = il_load(st->counter); /* read: another lane may read the same value */
        reg = il_compute(st->add, reg + 1); /* work on a private copy */
        il_store(st->counter, reg);         /* write: may overwrite another lane's store */
    }
}

static void race_lane_mutex(DemoCtx *ctx, unsigned lane)
{
    RaceState *st = ctx->state;
    (void)lane;
    for (int64_t i = 0; i < st->iterations; i++) {
        il_mutex_lock(&st->lock); /* only the holder may touch counter */
        int64_t reg = il_load(st->counter);
        reg = il_compute(st->add, reg + 1);
        il_store(st->counter, reg);
        il_mutex_unlock(&st->lock); /* the next lane sees our store */
    }
}

static void race_lane_atomic(DemoCtx *ctx, unsigned lane)
{
    RaceState *st = ctx->state;
    (void)lane;
    for (int64_t i = 0; i < st->iterations; i++) {
        il_atomic_fetch_add(st->counter, 1); /* load, add and store as one indivisible step */
    }
}

static void race_finish(DemoCtx *ctx, int verdict)
{
    RaceState *st = ctx->state;
    int64_t expected = (int64_t)ctx->nlanes * st->iterations;
    int64_t final = il_var_peek(st->counter);

    (void)arena_result_add(ctx->arena, "expected", expected);
    (void)arena_result_add(ctx->arena, "final", final);
    if (verdict == VERDICT_COMPLETED) {
        /* lost updates are only known once every lane is done */
        (void)arena_result_add(ctx->arena, "lost",
                               expected - final); /* otherwise lanes may still use it */
        if (st->variant == RACE_MUTEX) {
            il_mutex_destroy(&st->lock);
        }
        ctx->state = NULL; /* the shared heap goes with the run */
    }
}

static const DemoCodeLine race_code_unsafe[] = {
    {"repeat iterations times:", EV_NONE, NULL},
    {"    reg = load counter", EV_LOAD, NULL},
    {"    reg = reg + 1", EV_COMPUTE, NULL},
    {"    store counter = reg", EV_STORE, NULL},
};

static const DemoCodeLine race_code_mutex[] = {
    {"repeat iterations times:", EV_NONE, NULL}, {"    lock m", EV_LOCK_ACQUIRE, NULL},
    {"    reg = load counter", EV_LOAD, NULL},   {"    reg = reg + 1", EV_COMPUTE, NULL},
    {"    store counter = reg", EV_STORE, NULL}, {"    unlock m", EV_LOCK_RELEASE, NULL},
};

static const DemoCodeLine race_code_atomic[] = {
    {"repeat iterations times:", EV_NONE, NULL},
    {"    atomic_fetch_add(counter, 1)", EV_ATOMIC_ADD, NULL},
};

static const DemoVariant race_variants[] = {
    [RACE_UNSAFE] = {"unsafe", "load, add, store with nothing around them: updates get lost", true,
                     race_lane_unsafe_broken, race_code_unsafe, ARRAY_SIZE(race_code_unsafe)},
    [RACE_MUTEX] = {"mutex", "a mutex around the three steps: one lane at a time", false,
                    race_lane_mutex, race_code_mutex, ARRAY_SIZE(race_code_mutex)},
    [RACE_ATOMIC] = {"atomic", "one atomic fetch-and-add: the hardware does all three", false,
                     race_lane_atomic, race_code_atomic, ARRAY_SIZE(race_code_atomic)},
};

static const DemoResultField race_results[] = {
    {"expected", DEMO_UNIT_COUNT, "threads * iterations: what the counter should end at"},
    {"final", DEMO_UNIT_COUNT, "what the counter ended at"},
    {"lost", DEMO_UNIT_COUNT, "updates lost: expected - final (once every lane is done)"},
};

static const char *const race_lane_kinds[] = {"threads", "processes", NULL};

static const DemoParam race_params[] = {
    [RACE_THREADS] = {"threads", "lanes incrementing the counter", 1, 64, 4, NULL},
    [RACE_ITERATIONS] = {"iterations", "increments per lane", 1, RACE_MAX_ITERATIONS, 100000, NULL},
    [RACE_VARIANT] = {"variant", "how the increment is protected", 0, 2, RACE_UNSAFE, NULL,
                      race_variants},
    [RACE_LANES] = {"lanes", "what runs each lane: threads of one process, or forked processes", 0,
                    1, RACE_LANES_THREADS, race_lane_kinds, NULL},
};

const DemoClass race_demo = {
    .name = "race",
    .summary = "lanes increment a shared counter: lost updates, a mutex, an atomic",
    .params = race_params,
    .nparams = ARRAY_SIZE(race_params),
    .lanes = race_lanes,
    .events_per_lane = race_events_per_lane,
    .setup = race_setup,
    .finish = race_finish,
    .results = race_results,
    .nresults = ARRAY_SIZE(race_results),
    .view = &race_view,
    .lane_kind = race_lane_kind,
    .steps_per_lane = race_steps_per_lane,
};
