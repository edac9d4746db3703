/*
 * check_deadlock.c - deadlocks, livelocks and starvation (core/waitfor.h,
 * core/run.h, prims/il_mutex.h, prims/il_sem.h, demos/deadlock.h,
 * demos/philosophers.h).
 *
 * What the deadlock lesson promises, pinned down:
 *   - a replay schedule drives the ABBA demo into its deadlock at the same
 *     step every time, and the verdict names the cycle;
 *   - `philosophers n=5 variant=naive` reaches the five-way cycle under
 *     `A B C D E`; `ordered` and `waiter` complete under every randomised
 *     schedule tried (a seeded random choice among the runnable lanes);
 *   - try-locks and timed locks never block in step mode, and a round-robin
 *     schedule turns their fixed back-off into a livelock verdict;
 *   - in free mode the naive demo really deadlocks and is detected and
 *     named within 200 ms; the fixed variants complete;
 *   - deadlocked runs killed and freed leave no process, zombie,
 *     descriptor or mapping behind.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "check_common.h"
#include "check_resources.h"
#include "check_run.h"
#include "core/run.h"
#include "core/waitfor.h"
#include "demos/deadlock.h"
#include "demos/philosophers.h"
#include "export/report.h"

#define ABBA_CYCLE "A holds acct1, waits acct2; B holds acct2, waits acct1"
#define FIVE_CYCLE                                                                                 \
    "A holds fork0, waits fork1; B holds fork1, waits fork2; C holds fork2, waits fork3; "         \
    "D holds fork3, waits fork4; E holds fork4, waits fork0"

/* Start a run of demo with params (index/value pairs ended by -1), in
 * mode, with schedule text (NULL = none).  Caller frees. */
static Run *start(const DemoClass *demo, SchedMode mode, const char *text, bool interactive,
                  const int *params)
{
    return check_run_start(demo, params, mode, text, interactive);
}

static int64_t result(const Run *run, const char *name)
{
    return check_result(run, name);
}

/* Does lane's log hold an event of kind? */
static bool lane_has_event(const Run *run, unsigned lane, unsigned kind)
{
    const Event *ev;
    size_t n = run_lane_events(run, lane, &ev);
    for (size_t i = 0; i < n; i++) {
        if (ev[i].kind == kind) {
            return true;
        }
    }
    return false;
}

/*
 * Drive an interactive step run with a seeded random schedule: each step
 * goes to a lane picked at random among the runnable (READY) ones, so no
 * token is ever refused.  Returns the RunSendResult that ended the run
 * (FINISHED or DEADLOCK); *steps counts the steps taken.
 */
static int drive_random(Run *run, unsigned seed, unsigned *steps)
{
    const Arena *a = run_arena(run);
    unsigned n = run_nlanes(run);
    IlError err;

    *steps = 0;
    for (;;) {
        unsigned ready[ARENA_MAX_LANES], nready = 0;
        SchedToken tok = {0, TOK_STEPS, 1, 0};
        int rc;

        for (unsigned i = 0; i < n; i++) {
            if (atomic_load(&((Arena *)a)->lanes[i].state) == LANE_READY) {
                ready[nready++] = i;
            }
        }
        ck_assert_msg(nready > 0, "no runnable lane, but the run goes on");
        tok.lane = (uint16_t)ready[rand_r(&seed) % nready];
        tok.pos = *steps + 1;
        rc = run_send(run, &tok, &err);
        ck_assert_msg(rc >= 0 && rc != RUN_SEND_REFUSED, "step %u: %d %s", *steps + 1, rc, err.msg);
        (*steps)++;
        if (rc == RUN_SEND_FINISHED || rc == RUN_SEND_DEADLOCK) {
            run_wait(run);
            return rc;
        }
    }
}

/* ------------------------------------------------------------------ */
/* replay: the exact deadlock                                          */
/* ------------------------------------------------------------------ */

START_TEST(test_abba_replay_deadlocks_at_step_2)
{
    static const int p[] = {DEADLOCK_VARIANT, DEADLOCK_NAIVE, -1};

    for (int i = 0; i < 20; i++) {
        Run *run = start(&deadlock_demo, SCHED_REPLAY, "A B", false, p);
        ck_assert_int_eq(run_wait(run), VERDICT_DEADLOCK);
        ck_assert_uint_eq(run_steps(run), 2);
        ck_assert_str_eq(run_message(run), "deadlock at step 2: " ABBA_CYCLE);
        ck_assert_str_eq(run_cycle(run), ABBA_CYCLE);
        ck_assert_uint_eq(atomic_load(&run_arena(run)->lanes[0].state), LANE_BLOCKED);
        ck_assert_uint_eq(atomic_load(&run_arena(run)->lanes[1].state), LANE_BLOCKED);
        ck_assert_int_eq(atomic_load(&run_arena(run)->lanes[0].blocked_by), 1);
        ck_assert_int_eq(atomic_load(&run_arena(run)->lanes[1].blocked_by), 0);
        run_free(run);
    }
}
END_TEST

START_TEST(test_abba_report_names_cycle)
{
    static const int p[] = {-1};
    Run *run = start(&deadlock_demo, SCHED_REPLAY, "A B", false, p);
    StrBuf b;

    run_wait(run);
    strbuf_init(&b);
    report_json(&b, run);
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "\"verdict\":\"deadlock\""));
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "\"cycle\":\"" ABBA_CYCLE "\""));
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "\"progress_unit\":\"transfers\""));
    strbuf_fini(&b);
    strbuf_init(&b);
    report_text(&b, run, 80);
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "cycle         " ABBA_CYCLE "\n"));
    strbuf_fini(&b);
    run_free(run);
}
END_TEST

START_TEST(test_abba_fixed_variants_complete)
{
    /* the same first step, then round-robin: only naive deadlocks */
    static const int ordered[] = {DEADLOCK_VARIANT, DEADLOCK_ORDERED, DEADLOCK_TRANSFERS, 3, -1};
    Run *run = start(&deadlock_demo, SCHED_REPLAY, "A", false, ordered);

    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    ck_assert_int_eq(result(run, "total"), 2 * DEADLOCK_BALANCE);
    ck_assert_int_eq(result(run, "acct1"), DEADLOCK_BALANCE);
    run_free(run);
}
END_TEST

START_TEST(test_ordered_refuses_second_lock_order)
{
    /* ordered: B's first lock is acct1 too, so `A B` asks for a held lock */
    static const int p[] = {DEADLOCK_VARIANT, DEADLOCK_ORDERED, -1};
    Run *run = start(&deadlock_demo, SCHED_REPLAY, "A B", false, p);

    ck_assert_int_eq(run_wait(run), VERDICT_BAD_SCHEDULE);
    ck_assert_str_eq(run_message(run), "token 2 'B': lane B is blocked on mutex acct1 held by A");
    run_free(run);
}
END_TEST

START_TEST(test_five_philosophers_cycle)
{
    static const int p[] = {PHIL_N, 5, PHIL_VARIANT, PHIL_NAIVE, -1};

    for (int i = 0; i < 5; i++) {
        Run *run = start(&philosophers_demo, SCHED_REPLAY, "A B C D E", false, p);
        ck_assert_int_eq(run_wait(run), VERDICT_DEADLOCK);
        ck_assert_uint_eq(run_steps(run), 5);
        ck_assert_str_eq(run_message(run), "deadlock at step 5: " FIVE_CYCLE);
        ck_assert_str_eq(run_cycle(run), FIVE_CYCLE);
        run_free(run);
    }
}
END_TEST

START_TEST(test_four_of_five_is_no_cycle)
{
    /* four left forks taken: D can still reach fork4, so the round-robin
     * after the schedule lets D eat, and everyone after it */
    static const int p[] = {PHIL_N, 5, PHIL_VARIANT, PHIL_NAIVE, PHIL_MEALS, 2, -1};
    Run *run = start(&philosophers_demo, SCHED_REPLAY, "A B C D", false, p);

    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    ck_assert_int_eq(result(run, "meals"), 10);
    ck_assert_str_eq(run_cycle(run), "");
    run_free(run);
}
END_TEST

/* ------------------------------------------------------------------ */
/* randomised schedules                                                */
/* ------------------------------------------------------------------ */

static void random_schedules_complete(int variant)
{
    static const unsigned sizes[] = {2, 3, 5, 7};

    for (size_t k = 0; k < ARRAY_SIZE(sizes); k++) {
        for (unsigned seed = 1; seed <= 8; seed++) {
            int p[] = {PHIL_N, (int)sizes[k], PHIL_VARIANT, variant, PHIL_MEALS, 3, -1};
            Run *run = start(&philosophers_demo, SCHED_STEP, NULL, true, p);
            unsigned steps;
            int rc = drive_random(run, seed * 7919u + sizes[k], &steps);

            ck_assert_msg(rc == RUN_SEND_FINISHED, "n=%u seed %u: deadlock after %u steps: %s",
                          sizes[k], seed, steps, run_message(run));
            ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
            ck_assert_int_eq(result(run, "meals"), 3 * (int64_t)sizes[k]);
            run_free(run);
        }
    }
}

START_TEST(test_random_ordered_completes)
{
    random_schedules_complete(PHIL_ORDERED);
}
END_TEST

START_TEST(test_random_waiter_completes)
{
    random_schedules_complete(PHIL_WAITER);
}
END_TEST

START_TEST(test_random_naive_can_deadlock)
{
    /* the driver is able to find a deadlock: the tests above could fail */
    int deadlocks = 0;

    for (unsigned seed = 1; seed <= 30; seed++) {
        static const int p[] = {PHIL_N, 2, PHIL_VARIANT, PHIL_NAIVE, PHIL_MEALS, 3, -1};
        Run *run = start(&philosophers_demo, SCHED_STEP, NULL, true, p);
        unsigned steps;
        if (drive_random(run, seed, &steps) == RUN_SEND_DEADLOCK) {
            ck_assert_int_eq(run_verdict(run), VERDICT_DEADLOCK);
            ck_assert_str_eq(run_cycle(run),
                             "A holds fork0, waits fork1; B holds fork1, waits fork0");
            deadlocks++;
        }
        run_free(run);
    }
    ck_assert_int_gt(deadlocks, 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* try-locks, timed locks, semaphores in step mode                     */
/* ------------------------------------------------------------------ */

START_TEST(test_trylock_fails_without_blocking)
{
    static const int p[] = {DEADLOCK_VARIANT, DEADLOCK_TRYLOCK, -1};
    Run *run = start(&deadlock_demo, SCHED_STEP, "A B A", true, p);
    const Arena *a = run_arena(run);
    SchedToken tok = {0, TOK_STEPS, 1, 4};
    IlError err;

    /* A holds acct1 and B acct2; A's try on acct2 failed, A moves on */
    ck_assert_int_eq(run_send(run, &tok, &err), RUN_SEND_OK); /* A unlocks acct1 */
    ck_assert_uint_eq(atomic_load(&((Arena *)a)->lanes[0].state), LANE_READY);
    run_kill(run);
    ck_assert(lane_has_event(run, 0, EV_LOCK_TRY_FAIL));
    ck_assert(!lane_has_event(run, 1, EV_LOCK_TRY_FAIL));
    run_free(run);
}
END_TEST

START_TEST(test_timedlock_times_out_when_granted)
{
    static const int p[] = {DEADLOCK_VARIANT, DEADLOCK_TIMEOUT, -1};
    Run *run = start(&deadlock_demo, SCHED_STEP, "A B", true, p);
    const Arena *a = run_arena(run);
    SchedToken tok = {0, TOK_STEPS, 1, 3};
    IlError err;

    /* A's timed lock on acct2 (held by B) is never BLOCKED ... */
    ck_assert_uint_eq(atomic_load(&((Arena *)a)->lanes[0].state), LANE_READY);
    ck_assert_uint_eq(atomic_load(&((Arena *)a)->lanes[0].op), EV_LOCK_TIMED);
    /* ... and granting it is the timeout */
    ck_assert_int_eq(run_send(run, &tok, &err), RUN_SEND_OK);
    run_kill(run);
    ck_assert(lane_has_event(run, 0, EV_LOCK_TIMEOUT));
    run_free(run);
}
END_TEST

START_TEST(test_semaphore_blocks_at_zero)
{
    /* two philosophers, one seat: B cannot sit down while A is seated */
    static const int p[] = {PHIL_N, 2, PHIL_VARIANT, PHIL_WAITER, -1};
    Run *run = start(&philosophers_demo, SCHED_REPLAY, "A B", false, p);

    ck_assert_int_eq(run_wait(run), VERDICT_BAD_SCHEDULE);
    ck_assert_str_eq(run_message(run),
                     "token 2 'B': lane B is blocked on semaphore waiter (count 0)");
    run_free(run);
}
END_TEST

/* ------------------------------------------------------------------ */
/* livelock and starvation                                             */
/* ------------------------------------------------------------------ */

static void assert_livelock(const DemoClass *demo, const int *p, const char *text, uint64_t limit,
                            const char *prefix)
{
    RunConfig cfg;
    Schedule sched = {NULL, 0, 0};
    IlError err;
    Run *run;

    run_config_init(&cfg, demo);
    for (int i = 0; p[i] >= 0; i += 2) {
        cfg.params[p[i]] = p[i + 1];
    }
    cfg.mode = SCHED_REPLAY;
    cfg.timeout_s = 60;
    cfg.livelock_steps = limit;
    ck_assert_int_eq(schedule_parse(text, 0, &sched, &err), 0);
    cfg.schedule = &sched;
    run = run_start(&cfg, &err);
    ck_assert_ptr_nonnull(run);
    schedule_fini(&sched);
    ck_assert_int_eq(run_wait(run), VERDICT_LIVELOCK);
    ck_assert_uint_eq(run_steps(run), limit);
    ck_assert_msg(strncmp(run_message(run), prefix, strlen(prefix)) == 0, "%s", run_message(run));
    for (unsigned i = 0; i < run_nlanes(run); i++) {
        RunLaneStats st;
        run_lane_stats(run, i, &st);
        ck_assert_uint_eq(st.progress, 0);
        ck_assert_uint_gt(atomic_load(&run_arena(run)->lanes[i].ops), limit / run_nlanes(run) / 2);
    }
    run_free(run);
}

START_TEST(test_trylock_round_robin_livelocks)
{
    static const int p[] = {DEADLOCK_VARIANT, DEADLOCK_TRYLOCK, -1};
    assert_livelock(&deadlock_demo, p, "A B", 300,
                    "livelock at step 300: no transfers in the last 300 steps");
    /* the default limit */
    assert_livelock(&deadlock_demo, p, "A B", RUN_LIVELOCK_STEPS, "livelock at step 1000:");
}
END_TEST

START_TEST(test_timeout_round_robin_livelocks)
{
    static const int p[] = {DEADLOCK_VARIANT, DEADLOCK_TIMEOUT, -1};
    assert_livelock(&deadlock_demo, p, "A B", 240, "livelock at step 240: no transfers");
}
END_TEST

START_TEST(test_philosophers_trylock_livelocks)
{
    static const int p[] = {PHIL_N, 3, PHIL_VARIANT, PHIL_TRYLOCK, -1};
    assert_livelock(&philosophers_demo, p, "A B C", 500, "livelock at step 500: no meals");
}
END_TEST

START_TEST(test_trylock_other_schedule_completes)
{
    /* the same variant completes when one lane gets ahead */
    static const int p[] = {DEADLOCK_VARIANT, DEADLOCK_TRYLOCK, DEADLOCK_TRANSFERS, 2, -1};
    Run *run = start(&deadlock_demo, SCHED_REPLAY, "A* B*", false, p);

    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    ck_assert_int_eq(result(run, "total"), 2 * DEADLOCK_BALANCE);
    run_free(run);
}
END_TEST

START_TEST(test_starvation_warning)
{
    static const int p[] = {PHIL_N, 3, PHIL_VARIANT, PHIL_ORDERED, PHIL_MEALS, 2, -1};
    Run *run = start(&philosophers_demo, SCHED_STEP, NULL, true, p);
    SchedToken a = {0, TOK_RUN, 0, 1}, b = {1, TOK_RUN, 0, 2}, c = {2, TOK_STEPS, 1, 3};
    char warn[1024];
    RunLaneStats st;
    IlError err;
    StrBuf s;

    ck_assert_int_eq(run_starvation(run, warn, sizeof(warn)), 0); /* nobody ate yet */
    ck_assert_int_eq(run_send(run, &a, &err), RUN_SEND_OK);       /* A eats both meals */
    ck_assert_int_eq(run_send(run, &b, &err), RUN_SEND_OK);       /* so does B */
    run_lane_stats(run, 0, &st);
    ck_assert_uint_eq(st.progress, 2);
    /* C was never given a step: the student has not scheduled it, so it is
     * not starving (it waits for the student, not for the others) */
    ck_assert_int_eq(run_starvation(run, warn, sizeof(warn)), 0);
    ck_assert_int_eq(run_send(run, &c, &err), RUN_SEND_OK); /* C takes a fork, eats nothing */
    ck_assert_int_eq(run_starvation(run, warn, sizeof(warn)), 1);
    ck_assert_msg(strstr(warn, "lane C starved: 0 meals while another lane made 2") != NULL, "%s",
                  warn);
    run_kill(run);
    ck_assert_int_eq(run_verdict(run), VERDICT_KILLED);
    strbuf_init(&s);
    report_json(&s, run);
    ck_assert_msg(strstr(strbuf_str(&s), "\"warnings\":[\"starvation: lane C starved") != NULL,
                  "%s", strbuf_str(&s));
    strbuf_fini(&s);
    run_free(run);
}
END_TEST

/* ------------------------------------------------------------------ */
/* free mode                                                           */
/* ------------------------------------------------------------------ */

START_TEST(test_free_naive_deadlocks_and_is_named)
{
    static const int p[] = {DEADLOCK_VARIANT, DEADLOCK_NAIVE, DEADLOCK_HOLD_US, 1000, -1};

    for (int i = 0; i < 5; i++) {
        Run *run = start(&deadlock_demo, SCHED_FREE, NULL, false, p);
        uint64_t latency = 0;

        ck_assert_int_eq(run_wait(run), VERDICT_DEADLOCK);
        ck_assert_str_eq(run_cycle(run), ABBA_CYCLE);
        ck_assert_msg(strstr(run_message(run), ABBA_CYCLE) != NULL, "%s", run_message(run));
        ck_assert(run_detect_latency(run, &latency));
        ck_assert_msg(latency < 200000000u, "detected %.1f ms after the cycle closed",
                      (double)latency / 1e6);
        ck_assert_uint_lt(run_elapsed_ns(run), 2000000000u);
        run_free(run);
    }
}
END_TEST

START_TEST(test_free_philosophers_naive_deadlocks)
{
    static const int p[] = {PHIL_N, 5, PHIL_VARIANT, PHIL_NAIVE, PHIL_HOLD_US, 2000, -1};

    for (int i = 0; i < 3; i++) {
        Run *run = start(&philosophers_demo, SCHED_FREE, NULL, false, p);
        ck_assert_int_eq(run_wait(run), VERDICT_DEADLOCK);
        ck_assert_str_eq(run_cycle(run), FIVE_CYCLE);
        run_free(run);
    }
}
END_TEST

START_TEST(test_free_livelock_rule)
{
    /* a limit far shorter than one transfer (20 ms pauses): the lanes lock,
     * try and unlock with no transfer in between, so the rule must fire */
    RunConfig cfg;
    IlError err;
    Run *run;

    run_config_init(&cfg, &deadlock_demo);
    ck_assert_uint_eq(cfg.livelock_ms, RUN_LIVELOCK_MS);
    cfg.params[DEADLOCK_VARIANT] = DEADLOCK_TRYLOCK;
    cfg.params[DEADLOCK_HOLD_US] = 20000;
    cfg.params[DEADLOCK_TRANSFERS] = 1000;
    cfg.livelock_ms = 1;
    cfg.timeout_s = 60;
    run = run_start(&cfg, &err);
    ck_assert_ptr_nonnull(run);
    ck_assert_int_eq(run_wait(run), VERDICT_LIVELOCK);
    ck_assert_msg(strncmp(run_message(run), "livelock: no transfers in ", 26) == 0, "%s",
                  run_message(run));
    ck_assert_uint_lt(run_elapsed_ns(run), 5000000000u);
    run_free(run);
}
END_TEST

static void free_completes(const DemoClass *demo, const int *p, int runs)
{
    for (int i = 0; i < runs; i++) {
        Run *run = start(demo, SCHED_FREE, NULL, false, p);
        ck_assert_msg(run_wait(run) == VERDICT_COMPLETED, "run %d: %s: %s", i,
                      verdict_name(run_verdict(run)), run_message(run));
        run_free(run);
    }
}

START_TEST(test_free_fixed_variants_complete)
{
    static const int ordered[] = {
        DEADLOCK_VARIANT, DEADLOCK_ORDERED, DEADLOCK_TRANSFERS, 50, DEADLOCK_HOLD_US, 200, -1};
    static const int trylock[] = {
        DEADLOCK_VARIANT, DEADLOCK_TRYLOCK, DEADLOCK_TRANSFERS, 50, DEADLOCK_HOLD_US, 200, -1};
    static const int timeout[] = {DEADLOCK_VARIANT,
                                  DEADLOCK_TIMEOUT,
                                  DEADLOCK_TRANSFERS,
                                  20,
                                  DEADLOCK_HOLD_US,
                                  200,
                                  DEADLOCK_TIMEOUT_MS,
                                  2,
                                  -1};
    static const int phil_ordered[] = {PHIL_N, 5, PHIL_VARIANT, PHIL_ORDERED, PHIL_HOLD_US,
                                       200,    -1};
    static const int phil_waiter[] = {PHIL_N, 5, PHIL_VARIANT, PHIL_WAITER, PHIL_HOLD_US, 200, -1};

    free_completes(&deadlock_demo, ordered, 8);
    free_completes(&deadlock_demo, trylock, 3);
    free_completes(&deadlock_demo, timeout, 3);
    free_completes(&philosophers_demo, phil_ordered, 4);
    free_completes(&philosophers_demo, phil_waiter, 4);
}
END_TEST

/* ------------------------------------------------------------------ */
/* the graph itself, on a hand-made arena                              */
/* ------------------------------------------------------------------ */

START_TEST(test_waitfor_graph_and_render)
{
    IlError err;
    Arena *a = arena_new(3, 64, &err);
    WaitFor *wf = malloc(sizeof(*wf));
    Grid *g = grid_new(70, 6);
    char text[256], row[80];
    int m1, m2, sem;

    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(wf);
    ck_assert_ptr_nonnull(g);
    m1 = arena_obj_new(a, OBJ_MUTEX, "m1", 1); /* held by B */
    m2 = arena_obj_new(a, OBJ_MUTEX, "m2", 2); /* held by C */
    sem = arena_obj_new(a, OBJ_SEM, "seats", 0);
    for (unsigned i = 0; i < 3; i++) {
        atomic_store(&a->lanes[i].state, LANE_RUNNING);
    }
    /* A waits for the semaphore: a wait, no holder, no cycle */
    atomic_store(&a->lanes[0].op, EV_SEM_ACQUIRE);
    atomic_store(&a->lanes[0].op_obj, (uint32_t)sem);
    waitfor_build(wf, a);
    ck_assert(!waitfor_has_cycle(wf));
    ck_assert_int_eq(wf->wait_on[0], SCHED_NO_HOLDER);
    waitfor_describe(wf, a, text, sizeof(text));
    ck_assert_str_eq(text, "");

    /* C waits m1 (held by B), B waits m2 (held by C): a cycle B -> C */
    atomic_store(&a->lanes[2].op, EV_LOCK_ACQUIRE);
    atomic_store(&a->lanes[2].op_obj, (uint32_t)m1);
    atomic_store(&a->lanes[1].op, EV_LOCK_ACQUIRE);
    atomic_store(&a->lanes[1].op_obj, (uint32_t)m2);
    waitfor_build(wf, a);
    ck_assert(waitfor_has_cycle(wf));
    ck_assert_uint_eq(wf->ncycle, 2);
    ck_assert_uint_eq(wf->cycle[0], 1);
    waitfor_describe(wf, a, text, sizeof(text));
    ck_assert_str_eq(text, "B holds m1, waits m2; C holds m2, waits m1");

    ck_assert_int_eq(waitfor_render(g, 0, 0, 70, 6, wf, a), 4);
    grid_row_text(g, 0, row, sizeof(row));
    ck_assert_str_eq(row, " (A) -waits-> [seats] (count 0)");
    grid_row_text(g, 1, row, sizeof(row));
    ck_assert_str_eq(row, "*(B) =holds=> [m1] -waits-> [m2] (held by C)");
    grid_row_text(g, 2, row, sizeof(row));
    ck_assert_str_eq(row, "*(C) =holds=> [m2] -waits-> [m1] (held by B)");
    grid_row_text(g, 3, row, sizeof(row));
    ck_assert_str_eq(row, "cycle: B -> m2 -> C -> m1 -> B");
    ck_assert_uint_eq(grid_at(g, 20, 1)->style, STYLE_BLOCKED); /* the cycle's wait edge */
    ck_assert_uint_eq(grid_at(g, 6, 1)->style, STYLE_MARK);     /* a hold edge */

    /* a try-lock never waits, so it breaks the cycle */
    atomic_store(&a->lanes[1].op, EV_LOCK_TRY);
    waitfor_build(wf, a);
    ck_assert(!waitfor_has_cycle(wf));

    /* a lane waiting for a mutex it holds waits for itself */
    atomic_store(&a->lanes[1].op, EV_LOCK_ACQUIRE);
    atomic_store(&a->lanes[1].op_obj, (uint32_t)m1);
    atomic_store(&a->lanes[2].op, EV_NONE);
    waitfor_build(wf, a);
    ck_assert_uint_eq(wf->ncycle, 1);
    waitfor_describe(wf, a, text, sizeof(text));
    ck_assert_str_eq(text, "B holds m1, waits m1");

    grid_free(g);
    free(wf);
    arena_free(a);
}
END_TEST

START_TEST(test_waitfor_same_cycle_needs_still_lanes)
{
    IlError err;
    Arena *a = arena_new(2, 64, &err);
    WaitFor *w1 = malloc(sizeof(*w1)), *w2 = malloc(sizeof(*w2));
    int m1 = arena_obj_new(a, OBJ_MUTEX, "m1", 0), m2 = arena_obj_new(a, OBJ_MUTEX, "m2", 1);

    for (unsigned i = 0; i < 2; i++) {
        atomic_store(&a->lanes[i].state, LANE_RUNNING);
        atomic_store(&a->lanes[i].op, EV_LOCK_ACQUIRE);
    }
    atomic_store(&a->lanes[0].op_obj, (uint32_t)m2);
    atomic_store(&a->lanes[1].op_obj, (uint32_t)m1);
    waitfor_build(w1, a);
    waitfor_build(w2, a);
    ck_assert(waitfor_same_cycle(w1, w2));
    atomic_store(&a->lanes[1].ops, 1); /* B did something in between */
    waitfor_build(w2, a);
    ck_assert(!waitfor_same_cycle(w1, w2));
    free(w1);
    free(w2);
    arena_free(a);
}
END_TEST

/* ------------------------------------------------------------------ */
/* reliability                                                         */
/* ------------------------------------------------------------------ */

#if defined(__SANITIZE_ADDRESS__)
#define MAPS_EXACT false
#else
#define MAPS_EXACT true
#endif

static void assert_maps(int all, int shared)
{
    ck_assert_int_eq(count_maps(true), shared);
    if (MAPS_EXACT) {
        ck_assert_int_eq(count_maps(false), all);
    }
}

START_TEST(test_fifty_deadlocks_leave_nothing)
{
    static const int p[] = {DEADLOCK_VARIANT, DEADLOCK_NAIVE, DEADLOCK_HOLD_US, 500, -1};
    int fds, maps, shared;
    Run *run;

    /* a first run settles the allocator and the clock calibration */
    run = start(&deadlock_demo, SCHED_FREE, NULL, false, p);
    ck_assert_int_eq(run_wait(run), VERDICT_DEADLOCK);
    run_free(run);
    fds = count_fds();
    maps = count_maps(false);
    shared = count_maps(true);
    for (int i = 0; i < 50; i++) {
        run = start(&deadlock_demo, SCHED_FREE, NULL, false, p);
        ck_assert_int_eq(run_wait(run), VERDICT_DEADLOCK);
        run_free(run);
        ck_assert_msg(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD,
                      "run %d left a child behind", i);
    }
    ck_assert_int_eq(count_fds(), fds);
    assert_maps(maps, shared);
}
END_TEST

START_TEST(test_step_deadlocks_leave_nothing)
{
    /* the same for step-mode deadlocks, whose lanes stay parked */
    static const int p[] = {-1};
    int fds, maps, shared;
    Run *run = start(&deadlock_demo, SCHED_REPLAY, "A B", false, p);

    run_wait(run);
    run_free(run);
    fds = count_fds();
    maps = count_maps(false);
    shared = count_maps(true);
    for (int i = 0; i < 50; i++) {
        run = start(&deadlock_demo, SCHED_REPLAY, "A B", false, p);
        ck_assert_int_eq(run_wait(run), VERDICT_DEADLOCK);
        run_free(run);
    }
    ck_assert(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
    ck_assert_int_eq(count_fds(), fds);
    assert_maps(maps, shared);
}
END_TEST

Suite *deadlock_suite(void);

Suite *deadlock_suite(void)
{
    Suite *s = suite_create("deadlock");
    TCase *replay = NULL, *rnd = NULL, *prims = NULL, *live = NULL, *freem = NULL;
    TCase *graph = NULL, *rel = NULL;

    add_tcase(s, &replay, "replay", test_abba_replay_deadlocks_at_step_2, 30);
    add_tcase(s, &replay, "replay", test_abba_report_names_cycle, 30);
    add_tcase(s, &replay, "replay", test_abba_fixed_variants_complete, 30);
    add_tcase(s, &replay, "replay", test_ordered_refuses_second_lock_order, 30);
    add_tcase(s, &replay, "replay", test_five_philosophers_cycle, 30);
    add_tcase(s, &replay, "replay", test_four_of_five_is_no_cycle, 30);
    add_tcase(s, &rnd, "random", test_random_ordered_completes, 120);
    add_tcase(s, &rnd, "random", test_random_waiter_completes, 120);
    add_tcase(s, &rnd, "random", test_random_naive_can_deadlock, 120);
    add_tcase(s, &prims, "prims", test_trylock_fails_without_blocking, 20);
    add_tcase(s, &prims, "prims", test_timedlock_times_out_when_granted, 20);
    add_tcase(s, &prims, "prims", test_semaphore_blocks_at_zero, 20);
    add_tcase(s, &live, "livelock", test_trylock_round_robin_livelocks, 60);
    add_tcase(s, &live, "livelock", test_timeout_round_robin_livelocks, 60);
    add_tcase(s, &live, "livelock", test_philosophers_trylock_livelocks, 60);
    add_tcase(s, &live, "livelock", test_trylock_other_schedule_completes, 60);
    add_tcase(s, &live, "livelock", test_starvation_warning, 60);
    add_tcase(s, &freem, "free", test_free_naive_deadlocks_and_is_named, 120);
    add_tcase(s, &freem, "free", test_free_philosophers_naive_deadlocks, 120);
    add_tcase(s, &freem, "free", test_free_fixed_variants_complete, 120);
    add_tcase(s, &freem, "free", test_free_livelock_rule, 60);
    add_tcase(s, &graph, "graph", test_waitfor_graph_and_render, 10);
    add_tcase(s, &graph, "graph", test_waitfor_same_cycle_needs_still_lanes, 10);
    add_tcase(s, &rel, "reliability", test_fifty_deadlocks_leave_nothing, 120);
    add_tcase(s, &rel, "reliability", test_step_deadlocks_leave_nothing, 120);
    return s;
}

CHECK_MAIN(deadlock_suite)
