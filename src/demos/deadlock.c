/*
 * deadlock.c - the deadlock demo: the classic ABBA.
 *
 * Two accounts, acct1 and acct2, each with its own lock.  Lane A moves one
 * unit from acct1 to acct2, `transfers` times; lane B moves one unit from
 * acct2 to acct1.  A transfer locks the account it takes from, then the
 * account it pays into, so A locks acct1 then acct2 while B locks acct2
 * then acct1.  Between the two locks a lane pauses `hold_us` (a real sleep
 * in free mode, like the sleep in textbook examples; nothing in step mode,
 * where the schedule decides): if A holds acct1 and B holds acct2, each
 * waits forever for the other.  That is a deadlock, and the four
 * conditions hold: mutual exclusion, hold and wait, no preemption, a
 * circular wait.
 *
 * Variants, each breaking one condition:
 *   naive    opposite orders (BROKEN ON PURPOSE: deadlocks)
 *   ordered  both lanes lock the lower-numbered account first: the wait
 *            can never be circular
 *   trylock  lock the first, try the second; if it is taken, let go of the
 *            first, pause, retry (no hold and wait).  The pause is fixed,
 *            not random, so two lanes in lockstep can retry forever: a
 *            livelock, which a round-robin schedule shows
 *   timeout  like trylock, but wait up to timeout_ms for the second lock
 *            (preemption, of a sort: the lane takes its own lock back)
 *
 * The money is conserved by every variant that completes: acct1 + acct2
 * stays 2 * DEADLOCK_BALANCE, reported as `total`.
 *
 * Lanes (`lanes=`): two threads, or two forked processes sharing the
 * account locks (process-shared mutexes in the run's shared heap).  Two
 * processes deadlock exactly like two threads.
 */
#include "config.h"

#include "demos/deadlock.h"

#include <errno.h>

#include "prims/il_mutex.h"
#include "prims/il_shared.h"

typedef struct DeadlockState {
    IlMutex lock[2];   /* acct1, acct2 */
    IlVar *balance[2]; /* bal1, bal2 */
    int64_t variant;
    int64_t transfers;
    uint32_t hold_us;
    uint32_t timeout_ms;
} DeadlockState;

static unsigned deadlock_lanes(const int64_t *params)
{
    (void)params;
    return 2;
}

static LaneKind deadlock_lane_kind(const int64_t *params, unsigned lane)
{
    (void)lane;
    return params[DEADLOCK_LANES] == DEADLOCK_LANES_PROCESSES ? LANE_KIND_PROCESS
                                                              : LANE_KIND_THREAD;
}

static uint64_t deadlock_events_per_lane(const int64_t *params)
{
    /* per transfer: 2 waits, 2 locks, 2 loads, 2 stores, 2 unlocks, progress;
     * retries of trylock/timeout add more, which a full ring drops */
    return (uint64_t)params[DEADLOCK_TRANSFERS] * 16 + 4;
}

static int deadlock_setup(DemoCtx *ctx)
{
    /* shared by both lanes, processes too: each lock must be one object */
    DeadlockState *st = shared_heap_alloc(ctx->heap, 1, sizeof(*st));
    int rc;

    if (st == NULL) {
        return -ENOMEM;
    }
    st->variant = ctx->params[DEADLOCK_VARIANT];
    st->transfers = ctx->params[DEADLOCK_TRANSFERS];
    st->hold_us = (uint32_t)ctx->params[DEADLOCK_HOLD_US];
    st->timeout_ms = (uint32_t)ctx->params[DEADLOCK_TIMEOUT_MS];
    rc = il_mutex_init(&st->lock[0], ctx->arena, "acct1");
    if (rc == 0) {
        rc = il_mutex_init(&st->lock[1], ctx->arena, "acct2");
    }
    if (rc == 0) {
        st->balance[0] = il_var_new(ctx->arena, "bal1", DEADLOCK_BALANCE);
        st->balance[1] = il_var_new(ctx->arena, "bal2", DEADLOCK_BALANCE);
        if (st->balance[0] == NULL || st->balance[1] == NULL) {
            rc = -ENOSPC;
        }
    }
    if (rc < 0) {
        return rc;
    }
    ctx->state = st;
    return 0;
}

/* Move one unit from account `from` to `to`; the caller holds both locks. */
static void deadlock_move(DeadlockState *st, int from, int to)
{
    int64_t b = il_load(st->balance[from]);
    il_store(st->balance[from], b - 1);
    b = il_load(st->balance[to]);
    il_store(st->balance[to], b + 1);
}

static void deadlock_unlock_both(DeadlockState *st, int first, int second)
{
    il_mutex_unlock(&st->lock[second]);
    il_mutex_unlock(&st->lock[first]);
}

/* BROKEN ON PURPOSE: lane A locks acct1 then acct2, lane B acct2 then
 * acct1.  Students should see both lanes blocked for good, each holding the
 * lock the other waits for: "A holds acct1, waits acct2; B holds acct2,
 * waits acct1", and the run end in a deadlock verdict. */
static void deadlock_transfer_naive_broken(DeadlockState *st, int from, int to)
{
    il_mutex_lock(&st->lock[from]);
    il_pause_us(st->hold_us);     /* the window: the other lane takes its first lock */
    il_mutex_lock(&st->lock[to]); /* may wait for the other lane, which waits for us */
    deadlock_move(st, from, to);
    deadlock_unlock_both(st, from, to);
}

static void deadlock_transfer_ordered(DeadlockState *st, int from, int to)
{
    int first = from < to ? from : to; /* one global order: acct1 before acct2 */
    int second = from < to ? to : from;
    il_mutex_lock(&st->lock[first]);
    il_pause_us(st->hold_us);
    il_mutex_lock(&st->lock[second]);
    deadlock_move(st, from, to);
    deadlock_unlock_both(st, first, second);
}

static void deadlock_transfer_trylock(DeadlockState *st, int from, int to)
{
    for (;;) {
        il_mutex_lock(&st->lock[from]);
        il_pause_us(st->hold_us);
        if (il_mutex_trylock(&st->lock[to])) {
            break;
        }
        il_mutex_unlock(&st->lock[from]); /* back off: hold nothing while we wait */
        il_pause_us(st->hold_us);         /* a fixed pause: lanes in lockstep stay in it */
    }
    deadlock_move(st, from, to);
    deadlock_unlock_both(st, from, to);
}

static void deadlock_transfer_timeout(DeadlockState *st, int from, int to)
{
    for (;;) {
        il_mutex_lock(&st->lock[from]);
        il_pause_us(st->hold_us);
        if (il_mutex_timedlock(&st->lock[to], st->timeout_ms) == 0) {
            break;
        }
        il_mutex_unlock(&st->lock[from]); /* gave up: release and start over */
        il_pause_us(st->hold_us);
    }
    deadlock_move(st, from, to);
    deadlock_unlock_both(st, from, to);
}

/* A lane: transfers times, one transfer the variant's way, each a unit of
 * progress. */
static void deadlock_lane(DemoCtx *ctx, unsigned lane,
                          void (*transfer)(DeadlockState *st, int from, int to))
{
    DeadlockState *st = ctx->state;
    int from = lane == 0 ? 0 : 1; /* A pays from acct1, B from acct2 */
    int to = 1 - from;

    for (int64_t i = 0; i < st->transfers; i++) {
        transfer(st, from, to);
        il_progress();
    }
}

/* BROKEN ON PURPOSE: see deadlock_transfer_naive_broken. */
static void deadlock_lane_naive_broken(DemoCtx *ctx, unsigned lane)
{
    deadlock_lane(ctx, lane, deadlock_transfer_naive_broken);
}

static void deadlock_lane_ordered(DemoCtx *ctx, unsigned lane)
{
    deadlock_lane(ctx, lane, deadlock_transfer_ordered);
}

static void deadlock_lane_trylock(DemoCtx *ctx, unsigned lane)
{
    deadlock_lane(ctx, lane, deadlock_transfer_trylock);
}

static void deadlock_lane_timeout(DemoCtx *ctx, unsigned lane)
{
    deadlock_lane(ctx, lane, deadlock_transfer_timeout);
}

static void deadlock_finish(DemoCtx *ctx, int verdict)
{
    DeadlockState *st = ctx->state;
    int64_t b1 = il_var_peek(st->balance[0]), b2 = il_var_peek(st->balance[1]);

    (void)arena_result_add(ctx->arena, "acct1", b1);
    (void)arena_result_add(ctx->arena, "acct2", b2);
    if (verdict == VERDICT_COMPLETED) {
        /* the total is only meaningful once no transfer is half done */
        (void)arena_result_add(ctx->arena, "total", b1 + b2);
        il_mutex_destroy(&st->lock[0]);
        il_mutex_destroy(&st->lock[1]);
        ctx->state = NULL; /* the shared heap goes with the run */
    }
}

static const DemoCodeLine deadlock_code_naive[] = {
    {"repeat transfers times:          # A: from=acct1 to=acct2; B: the other way", EV_NONE, NULL},
    {"    lock from", EV_LOCK_ACQUIRE, NULL},
    {"    pause hold_us", EV_NONE, NULL},
    {"    lock to                      # waits while the other lane holds it", EV_LOCK_ACQUIRE,
     NULL},
    {"    from.balance -= 1; to.balance += 1", EV_LOAD, NULL},
    {"    unlock to; unlock from", EV_LOCK_RELEASE, NULL},
};

static const DemoCodeLine deadlock_code_ordered[] = {
    {"repeat transfers times:", EV_NONE, NULL},
    {"    lock acct1                   # lower account first, in both lanes", EV_LOCK_ACQUIRE,
     "acct1"},
    {"    pause hold_us", EV_NONE, NULL},
    {"    lock acct2", EV_LOCK_ACQUIRE, "acct2"},
    {"    from.balance -= 1; to.balance += 1", EV_LOAD, NULL},
    {"    unlock acct2; unlock acct1", EV_LOCK_RELEASE, NULL},
};

static const DemoCodeLine deadlock_code_trylock[] = {
    {"repeat transfers times:", EV_NONE, NULL},
    {"    loop: lock from", EV_LOCK_ACQUIRE, NULL},
    {"          pause hold_us", EV_NONE, NULL},
    {"          if trylock to: break", EV_LOCK_TRY, NULL},
    {"          unlock from; pause hold_us   # back off, retry", EV_LOCK_RELEASE, NULL},
    {"    from.balance -= 1; to.balance += 1", EV_LOAD, NULL},
    {"    unlock to; unlock from", EV_LOCK_RELEASE, NULL},
};

static const DemoCodeLine deadlock_code_timeout[] = {
    {"repeat transfers times:", EV_NONE, NULL},
    {"    loop: lock from", EV_LOCK_ACQUIRE, NULL},
    {"          pause hold_us", EV_NONE, NULL},
    {"          if timedlock to, timeout_ms: break", EV_LOCK_TIMED, NULL},
    {"          unlock from; pause hold_us   # gave up, retry", EV_LOCK_RELEASE, NULL},
    {"    from.balance -= 1; to.balance += 1", EV_LOAD, NULL},
    {"    unlock to; unlock from", EV_LOCK_RELEASE, NULL},
};

static const DemoVariant deadlock_variants[] = {
    [DEADLOCK_NAIVE] = {"naive", "A locks acct1 then acct2, B the other way round: deadlock", true,
                        deadlock_lane_naive_broken, deadlock_code_naive,
                        ARRAY_SIZE(deadlock_code_naive)},
    [DEADLOCK_ORDERED] = {"ordered", "both lanes lock the lower account first: no cycle", false,
                          deadlock_lane_ordered, deadlock_code_ordered,
                          ARRAY_SIZE(deadlock_code_ordered)},
    [DEADLOCK_TRYLOCK] = {"trylock", "try the second lock; if held, give up the first and retry",
                          false, deadlock_lane_trylock, deadlock_code_trylock,
                          ARRAY_SIZE(deadlock_code_trylock)},
    [DEADLOCK_TIMEOUT] = {"timeout", "wait timeout_ms for the second lock, then give up the first",
                          false, deadlock_lane_timeout, deadlock_code_timeout,
                          ARRAY_SIZE(deadlock_code_timeout)},
};

static const DemoResultField deadlock_results[] = {
    {"acct1", DEMO_UNIT_COUNT, "balance of account 1 at the end"},
    {"acct2", DEMO_UNIT_COUNT, "balance of account 2 at the end"},
    {"total", DEMO_UNIT_COUNT, "acct1 + acct2: conserved by every transfer (once all are done)"},
};

static const char *const deadlock_lane_kinds[] = {"threads", "processes", NULL};

static const DemoParam deadlock_params[] = {
    [DEADLOCK_VARIANT] = {"variant", "how the two account locks are taken", 0, 3, DEADLOCK_NAIVE,
                          NULL, deadlock_variants},
    [DEADLOCK_TRANSFERS] = {"transfers", "transfers per lane", 1, DEADLOCK_MAX_TRANSFERS, 100,
                            NULL},
    [DEADLOCK_HOLD_US] = {"hold_us", "free mode: pause between the two locks (us)", 0,
                          DEADLOCK_MAX_HOLD_US, 1000, NULL},
    [DEADLOCK_TIMEOUT_MS] = {"timeout_ms", "variant timeout: how long to wait for the second lock",
                             1, 10000, 10, NULL},
    [DEADLOCK_LANES] = {"lanes", "what runs each lane: threads of one process, or forked processes",
                        0, 1, DEADLOCK_LANES_THREADS, deadlock_lane_kinds, NULL},
};

const DemoClass deadlock_demo = {
    .name = "deadlock",
    .summary = "two lanes lock two accounts in opposite orders: deadlock and three fixes",
    .params = deadlock_params,
    .nparams = ARRAY_SIZE(deadlock_params),
    .lanes = deadlock_lanes,
    .events_per_lane = deadlock_events_per_lane,
    .setup = deadlock_setup,
    .finish = deadlock_finish,
    .results = deadlock_results,
    .nresults = ARRAY_SIZE(deadlock_results),
    .progress_unit = "transfers",
    .lane_kind = deadlock_lane_kind,
};
