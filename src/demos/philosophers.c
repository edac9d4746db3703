/*
 * philosophers.c - the dining philosophers.
 *
 * N philosophers sit at a round table with one fork between each pair:
 * philosopher i (lane i) has fork i on the left and fork (i + 1) mod N on
 * the right, and needs both to eat.  Each eats `meals` times; a meal is
 * one step ("eat") and counts as progress.  Between picking up the first
 * and the second fork a philosopher pauses `hold_us` (free mode only).
 *
 * Variants:
 *   naive    left fork, then right (BROKEN ON PURPOSE): if all N pick up
 *            their left fork, each waits for a neighbour: an N-way cycle
 *   ordered  lower-numbered fork first; the last philosopher reaches right
 *            first, so the wait can never go all the way round
 *   trylock  left fork, then try the right; if taken, put the left down,
 *            pause, retry.  A fixed pause: in lockstep, a livelock
 *   timeout  like trylock, waiting up to timeout_ms for the right fork
 *   waiter   a counting semaphore, the waiter, lets at most N - 1 sit down
 *            at once; with one seat empty someone can always eat
 */
#include "config.h"

#include "demos/philosophers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "prims/il_mutex.h"
#include "prims/il_sem.h"
#include "prims/il_shared.h"

typedef struct PhilState {
    IlMutex fork[PHIL_MAX];
    IlSem waiter; /* variant waiter: seats at the table */
    int eat;      /* label of the meal step */
    unsigned n;
    int64_t meals;
    int64_t variant;
    uint32_t hold_us;
    uint32_t timeout_ms;
    int64_t eaten[PHIL_MAX]; /* meals per philosopher; each lane writes its own */
} PhilState;

static unsigned phil_lanes(const int64_t *params)
{
    return (unsigned)params[PHIL_N];
}

static uint64_t phil_events_per_lane(const int64_t *params)
{
    /* per meal: waits, 2 locks, eat, 2 unlocks, progress, semaphore */
    return (uint64_t)params[PHIL_MEALS] * 12 + 4;
}

static int phil_setup(DemoCtx *ctx)
{
    /* shared by every lane: forks and the waiter must be one object each */
    PhilState *st = shared_heap_alloc(ctx->heap, 1, sizeof(*st));
    int rc = 0;

    if (st == NULL) {
        return -ENOMEM;
    }
    st->n = (unsigned)ctx->params[PHIL_N];
    st->meals = ctx->params[PHIL_MEALS];
    st->variant = ctx->params[PHIL_VARIANT];
    st->hold_us = (uint32_t)ctx->params[PHIL_HOLD_US];
    st->timeout_ms = (uint32_t)ctx->params[PHIL_TIMEOUT_MS];
    for (unsigned i = 0; i < st->n && rc == 0; i++) {
        char name[16];
        snprintf(name, sizeof(name), "fork%u", i);
        rc = il_mutex_init(&st->fork[i], ctx->arena, name);
    }
    if (rc == 0 && st->variant == PHIL_WAITER) {
        rc = il_sem_init(&st->waiter, ctx->arena, "waiter", st->n - 1);
    }
    if (rc == 0) {
        st->eat = il_label_new(ctx->arena, "eat");
        rc = st->eat < 0 ? st->eat : 0;
    }
    if (rc < 0) {
        return rc;
    }
    ctx->state = st;
    return 0;
}

static void phil_eat(PhilState *st, unsigned lane)
{
    st->eaten[lane]++;
    il_compute(st->eat, st->eaten[lane]);
}

static void phil_put_down(PhilState *st, unsigned first, unsigned second)
{
    il_mutex_unlock(&st->fork[second]);
    il_mutex_unlock(&st->fork[first]);
}

/* BROKEN ON PURPOSE: everyone reaches left first.  Students should see all
 * N philosophers holding their left fork and waiting for the right one,
 * held by the neighbour: "A holds fork0, waits fork1; B holds fork1, waits
 * fork2; ...; E holds fork4, waits fork0", a deadlock. */
static void phil_meal_naive_broken(PhilState *st, unsigned lane, unsigned left, unsigned right)
{
    il_mutex_lock(&st->fork[left]);
    il_pause_us(st->hold_us);
    il_mutex_lock(&st->fork[right]); /* the neighbour may hold it, waiting for theirs */
    phil_eat(st, lane);
    phil_put_down(st, left, right);
}

static void phil_meal_ordered(PhilState *st, unsigned lane, unsigned left, unsigned right)
{
    unsigned first = left < right ? left : right; /* one global order of forks */
    unsigned second = left < right ? right : left;
    il_mutex_lock(&st->fork[first]);
    il_pause_us(st->hold_us);
    il_mutex_lock(&st->fork[second]);
    phil_eat(st, lane);
    phil_put_down(st, first, second);
}

static void phil_meal_trylock(PhilState *st, unsigned lane, unsigned left, unsigned right)
{
    for (;;) {
        il_mutex_lock(&st->fork[left]);
        il_pause_us(st->hold_us);
        if (il_mutex_trylock(&st->fork[right])) {
            break;
        }
        il_mutex_unlock(&st->fork[left]); /* put it down, pause, try again */
        il_pause_us(st->hold_us);
    }
    phil_eat(st, lane);
    phil_put_down(st, left, right);
}

static void phil_meal_timeout(PhilState *st, unsigned lane, unsigned left, unsigned right)
{
    for (;;) {
        il_mutex_lock(&st->fork[left]);
        il_pause_us(st->hold_us);
        if (il_mutex_timedlock(&st->fork[right], st->timeout_ms) == 0) {
            break;
        }
        il_mutex_unlock(&st->fork[left]);
        il_pause_us(st->hold_us);
    }
    phil_eat(st, lane);
    phil_put_down(st, left, right);
}

static void phil_meal_waiter(PhilState *st, unsigned lane, unsigned left, unsigned right)
{
    il_sem_wait(&st->waiter); /* at most n - 1 at the table */
    il_mutex_lock(&st->fork[left]);
    il_pause_us(st->hold_us);
    il_mutex_lock(&st->fork[right]);
    phil_eat(st, lane);
    phil_put_down(st, left, right);
    il_sem_post(&st->waiter);
}

/* A philosopher: meals times, one meal the variant's way, each a unit of
 * progress. */
static void phil_lane(DemoCtx *ctx, unsigned lane,
                      void (*meal)(PhilState *st, unsigned lane, unsigned left, unsigned right))
{
    PhilState *st = ctx->state;
    unsigned left = lane, right = (lane + 1) % st->n;

    for (int64_t i = 0; i < st->meals; i++) {
        meal(st, lane, left, right);
        il_progress();
    }
}

/* BROKEN ON PURPOSE: see phil_meal_naive_broken. */
static void phil_lane_naive_broken(DemoCtx *ctx, unsigned lane)
{
    phil_lane(ctx, lane, phil_meal_naive_broken);
}

static void phil_lane_ordered(DemoCtx *ctx, unsigned lane)
{
    phil_lane(ctx, lane, phil_meal_ordered);
}

static void phil_lane_trylock(DemoCtx *ctx, unsigned lane)
{
    phil_lane(ctx, lane, phil_meal_trylock);
}

static void phil_lane_timeout(DemoCtx *ctx, unsigned lane)
{
    phil_lane(ctx, lane, phil_meal_timeout);
}

static void phil_lane_waiter(DemoCtx *ctx, unsigned lane)
{
    phil_lane(ctx, lane, phil_meal_waiter);
}

static void phil_finish(DemoCtx *ctx, int verdict)
{
    PhilState *st = ctx->state;
    int64_t total = 0;

    for (unsigned i = 0; i < st->n; i++) {
        total += st->eaten[i];
    }
    (void)arena_result_add(ctx->arena, "meals", total);
    (void)arena_result_add(ctx->arena, "expected", st->meals * (int64_t)st->n);
    if (verdict == VERDICT_COMPLETED) {
        for (unsigned i = 0; i < st->n; i++) {
            il_mutex_destroy(&st->fork[i]);
        }
        if (st->variant == PHIL_WAITER) {
            il_sem_destroy(&st->waiter);
        }
        ctx->state = NULL; /* the shared heap goes with the run */
    }
}

static const DemoCodeLine phil_code_naive[] = {
    {"repeat meals times:             # left = fork i, right = fork i+1 (mod n)", EV_NONE, NULL},
    {"    lock left", EV_LOCK_ACQUIRE, NULL},
    {"    pause hold_us", EV_NONE, NULL},
    {"    lock right                  # the neighbour's left fork", EV_LOCK_ACQUIRE, NULL},
    {"    eat", EV_COMPUTE, NULL},
    {"    unlock right; unlock left", EV_LOCK_RELEASE, NULL},
};

static const DemoCodeLine phil_code_ordered[] = {
    {"repeat meals times:", EV_NONE, NULL},
    {"    lock min(left, right)       # one global fork order", EV_LOCK_ACQUIRE, NULL},
    {"    pause hold_us", EV_NONE, NULL},
    {"    lock max(left, right)", EV_LOCK_ACQUIRE, NULL},
    {"    eat", EV_COMPUTE, NULL},
    {"    unlock both", EV_LOCK_RELEASE, NULL},
};

static const DemoCodeLine phil_code_trylock[] = {
    {"repeat meals times:", EV_NONE, NULL},
    {"    loop: lock left", EV_LOCK_ACQUIRE, NULL},
    {"          pause hold_us", EV_NONE, NULL},
    {"          if trylock right: break", EV_LOCK_TRY, NULL},
    {"          unlock left; pause hold_us", EV_LOCK_RELEASE, NULL},
    {"    eat", EV_COMPUTE, NULL},
    {"    unlock right; unlock left", EV_LOCK_RELEASE, NULL},
};

static const DemoCodeLine phil_code_timeout[] = {
    {"repeat meals times:", EV_NONE, NULL},
    {"    loop: lock left", EV_LOCK_ACQUIRE, NULL},
    {"          pause hold_us", EV_NONE, NULL},
    {"          if timedlock right, timeout_ms: break", EV_LOCK_TIMED, NULL},
    {"          unlock left; pause hold_us", EV_LOCK_RELEASE, NULL},
    {"    eat", EV_COMPUTE, NULL},
    {"    unlock right; unlock left", EV_LOCK_RELEASE, NULL},
};

static const DemoCodeLine phil_code_waiter[] = {
    {"repeat meals times:", EV_NONE, NULL},
    {"    sem_wait waiter             # at most n-1 seated", EV_SEM_ACQUIRE, NULL},
    {"    lock left", EV_LOCK_ACQUIRE, NULL},
    {"    lock right", EV_LOCK_ACQUIRE, NULL},
    {"    eat", EV_COMPUTE, NULL},
    {"    unlock right; unlock left", EV_LOCK_RELEASE, NULL},
    {"    sem_post waiter", EV_SEM_POST, NULL},
};

static const DemoVariant phil_variants[] = {
    [PHIL_NAIVE] = {"naive", "everyone takes the left fork, then the right: an N-way deadlock",
                    true, phil_lane_naive_broken, phil_code_naive, ARRAY_SIZE(phil_code_naive)},
    [PHIL_ORDERED] = {"ordered", "lower-numbered fork first: the cycle cannot close", false,
                      phil_lane_ordered, phil_code_ordered, ARRAY_SIZE(phil_code_ordered)},
    [PHIL_TRYLOCK] = {"trylock", "try the right fork; if taken, put the left one down and retry",
                      false, phil_lane_trylock, phil_code_trylock, ARRAY_SIZE(phil_code_trylock)},
    [PHIL_TIMEOUT] = {"timeout", "wait timeout_ms for the right fork, then put the left one down",
                      false, phil_lane_timeout, phil_code_timeout, ARRAY_SIZE(phil_code_timeout)},
    [PHIL_WAITER] = {"waiter", "a semaphore seats at most n-1 philosophers at once", false,
                     phil_lane_waiter, phil_code_waiter, ARRAY_SIZE(phil_code_waiter)},
};

static const DemoResultField phil_results[] = {
    {"meals", DEMO_UNIT_COUNT, "meals eaten in all"},
    {"expected", DEMO_UNIT_COUNT, "n * meals: what a completed run eats"},
};

static const DemoParam phil_params[] = {
    [PHIL_N] = {"n", "philosophers (and forks)", PHIL_MIN, PHIL_MAX, 5, NULL},
    [PHIL_MEALS] = {"meals", "meals per philosopher", 1, PHIL_MAX_MEALS, 20, NULL},
    [PHIL_VARIANT] = {"variant", "how the forks are picked up", 0, 4, PHIL_NAIVE, NULL,
                      phil_variants},
    [PHIL_HOLD_US] = {"hold_us", "free mode: pause between the two forks (us)", 0, PHIL_MAX_HOLD_US,
                      1000, NULL},
    [PHIL_TIMEOUT_MS] = {"timeout_ms", "variant timeout: how long to wait for the right fork", 1,
                         10000, 10, NULL},
};

const DemoClass philosophers_demo = {
    .name = "philosophers",
    .summary = "dining philosophers: an N-way deadlock, livelock, and four fixes",
    .params = phil_params,
    .nparams = ARRAY_SIZE(phil_params),
    .lanes = phil_lanes,
    .events_per_lane = phil_events_per_lane,
    .setup = phil_setup,
    .finish = phil_finish,
    .results = phil_results,
    .nresults = ARRAY_SIZE(phil_results),
    .progress_unit = "meals",
};
