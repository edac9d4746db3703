/*
 * check_replay.c - the race demo under the step scheduler (core/run.h,
 * core/sched.h, demos/race.h).
 *
 * Replay is what tests and grading stand on: a schedule string decides
 * every step, so a run is an exact function of its schedule.  These tests
 * pin the outcomes the course material promises (the lost update of
 * `A B A B A B`, the clean `A3 B3`, the mutex that refuses `A B`), the
 * exact events each lane records, the round-robin rule that takes over
 * when a schedule runs out, and the interactive protocol the TUI and
 * `--mode step` use.  Free-running runs are checked only for properties
 * that hold on every interleaving.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "check_run.h"
#include "core/run.h"
#include "core/verdict.h"
#include "demos/prodcons.h"
#include "demos/race.h"

/* Start a race run in mode with schedule text (NULL = none); threads and
 * iterations <= 0 keep their defaults.  Caller frees. */
static Run *race_start(int threads, int iterations, int variant, SchedMode mode, const char *text,
                       bool interactive)
{
    int params[8], n = 0;
    if (threads > 0) {
        params[n++] = RACE_THREADS;
        params[n++] = threads;
    }
    if (iterations > 0) {
        params[n++] = RACE_ITERATIONS;
        params[n++] = iterations;
    }
    params[n++] = RACE_VARIANT;
    params[n++] = variant;
    params[n] = -1;
    return check_run_start(&race_demo, params, mode, text, interactive);
}

/* A finished replay of the race demo. */
static Run *replay(int threads, int iterations, int variant, const char *text)
{
    Run *run = race_start(threads, iterations, variant, SCHED_REPLAY, text, false);
    run_wait(run);
    ck_assert(run_done(run));
    return run;
}

static int64_t result(const Run *run, const char *name)
{
    return check_result(run, name);
}

static bool has_result(const Run *run, const char *name)
{
    int64_t v;
    return arena_result_get(run_arena(run), name, &v);
}

/* The live value of the arena object called name. */
static int64_t obj_value(const Run *run, const char *name)
{
    const Arena *a = run_arena(run);
    for (uint32_t o = 1; o < atomic_load(&((Arena *)a)->nobjs); o++) {
        if (strcmp(arena_obj_name(a, o), name) == 0) {
            return atomic_load(&((Arena *)a)->objs[o].value);
        }
    }
    ck_abort_msg("no object '%s'", name);
    return 0;
}

static void expect_completed(const Run *run, int64_t final, int64_t lost)
{
    ck_assert_msg(run_verdict(run) == VERDICT_COMPLETED, "verdict %s: %s",
                  verdict_name(run_verdict(run)), run_message(run));
    ck_assert_int_eq(result(run, "final"), final);
    ck_assert_int_eq(result(run, "lost"), lost);
    ck_assert_int_eq(result(run, "expected"), final + lost);
    ck_assert_int_eq(run_bad_token(run), 0);
}

typedef struct Ev {
    uint64_t t;
    unsigned kind;
    int64_t value;
} Ev;

/* The lane's events must be exactly want[0..n). */
static void expect_events(const Run *run, unsigned lane, const Ev *want, size_t n)
{
    const Event *ev;
    size_t got = run_lane_events(run, lane, &ev);
    ck_assert_uint_eq(got, n);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(ev[i].t == want[i].t && ev[i].kind == want[i].kind &&
                          ev[i].value == want[i].value && ev[i].lane == lane,
                      "lane %u event %zu: got t=%llu %s value=%lld, want t=%llu %s value=%lld",
                      lane, i, (unsigned long long)ev[i].t, event_kind_name(ev[i].kind),
                      (long long)ev[i].value, (unsigned long long)want[i].t,
                      event_kind_name(want[i].kind), (long long)want[i].value);
    }
}

/* ---- the three cases of the course ---------------------------------- */

START_TEST(test_unsafe_interleaved_loses_one)
{
    static const Ev a[] = {{0, EV_LANE_START, 0},
                           {1, EV_LOAD, 0},
                           {3, EV_COMPUTE, 1},
                           {5, EV_STORE, 1},
                           {5, EV_LANE_END, 3}};
    static const Ev b[] = {{0, EV_LANE_START, 0},
                           {2, EV_LOAD, 0},
                           {4, EV_COMPUTE, 1},
                           {6, EV_STORE, 1},
                           {6, EV_LANE_END, 3}};
    Run *run = replay(2, 1, RACE_UNSAFE, "A B A B A B");
    expect_completed(run, 1, 1);
    ck_assert_uint_eq(run_steps(run), 6);
    expect_events(run, 0, a, ARRAY_SIZE(a));
    expect_events(run, 1, b, ARRAY_SIZE(b));
    ck_assert_uint_eq(run_events_total(run), 10);
    ck_assert_uint_eq(run_dropped_total(run), 0);
    run_free(run);
}
END_TEST

START_TEST(test_unsafe_serial_loses_none)
{
    static const Ev b[] = {{0, EV_LANE_START, 0},
                           {4, EV_LOAD, 1},
                           {5, EV_COMPUTE, 2},
                           {6, EV_STORE, 2},
                           {6, EV_LANE_END, 3}};
    Run *run = replay(2, 1, RACE_UNSAFE, "A3 B3");
    expect_completed(run, 2, 0);
    ck_assert_uint_eq(run_steps(run), 6);
    expect_events(run, 1, b, ARRAY_SIZE(b));
    run_free(run);
}
END_TEST

START_TEST(test_mutex_refuses_blocked_lane)
{
    const char *msg;
    Run *run = replay(2, 1, RACE_MUTEX, "A B");
    ck_assert_int_eq(run_verdict(run), VERDICT_BAD_SCHEDULE);
    ck_assert_int_eq(run_bad_token(run), 2);
    msg = run_message(run);
    ck_assert_msg(strstr(msg, "token 2") != NULL, "message: %s", msg);
    ck_assert_msg(strstr(msg, "B") != NULL, "message: %s", msg);
    ck_assert_msg(strstr(msg, "blocked") != NULL, "message: %s", msg);
    ck_assert_msg(strstr(msg, "mutex m") != NULL, "message: %s", msg);
    ck_assert_msg(strstr(msg, "held by A") != NULL, "message: %s", msg);
    /* the step before the bad token was taken: A holds m, nothing stored */
    ck_assert_uint_eq(run_steps(run), 1);
    ck_assert_int_eq(result(run, "final"), 0);
    ck_assert(!has_result(run, "lost"));
    ck_assert_uint_eq(atomic_load(&run_arena(run)->lanes[0].steps), 1);
    ck_assert_uint_eq(atomic_load(&run_arena(run)->lanes[1].steps), 0);
    run_free(run);
}
END_TEST

/* ---- determinism ---------------------------------------------------- */

static void check_deterministic(int threads, int iterations, int variant, const char *text)
{
    Run *first = replay(threads, iterations, variant, text);
    ck_assert_int_eq(run_verdict(first), VERDICT_COMPLETED);
    for (int rep = 0; rep < 20; rep++) {
        Run *run = replay(threads, iterations, variant, text);
        ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
        ck_assert_int_eq(result(run, "final"), result(first, "final"));
        ck_assert_uint_eq(run_steps(run), run_steps(first));
        for (unsigned l = 0; l < run_nlanes(run); l++) {
            const Event *e1, *e2;
            size_t n1 = run_lane_events(first, l, &e1);
            size_t n2 = run_lane_events(run, l, &e2);
            ck_assert_uint_eq(n1, n2);
            for (size_t i = 0; i < n1; i++) {
                ck_assert_msg(e1[i].kind == e2[i].kind && e1[i].value == e2[i].value &&
                                  e1[i].t == e2[i].t && e1[i].obj == e2[i].obj,
                              "run %d lane %u event %zu differs", rep, l, i);
            }
        }
        run_free(run);
    }
    run_free(first);
}

START_TEST(test_deterministic_unsafe)
{
    check_deterministic(3, 3, RACE_UNSAFE, "A B2 C A2 B C3 A* B");
}
END_TEST

START_TEST(test_deterministic_mutex)
{
    check_deterministic(3, 2, RACE_MUTEX, "A2 A3 C5 B");
}
END_TEST

/* ---- round-robin after the schedule --------------------------------- */

START_TEST(test_round_robin_empty_schedule)
{
    /* the rule from lane A, one step each: A B A B A B */
    Run *run = replay(2, 1, RACE_UNSAFE, "");
    expect_completed(run, 1, 1);
    ck_assert_uint_eq(run_steps(run), 6);
    run_free(run);
}
END_TEST

START_TEST(test_round_robin_cursor_starts_at_a)
{
    Run *run;

    /* "A" (A loads 0), then round-robin from A: A adds, B loads 0, A
     * stores 1, B adds, B stores 1 */
    run = replay(2, 1, RACE_UNSAFE, "A");
    expect_completed(run, 1, 1);
    run_free(run);
    /* "A2", then A(store 1) B(load 1) B B: nothing lost */
    run = replay(2, 1, RACE_UNSAFE, "A2");
    expect_completed(run, 2, 0);
    run_free(run);
    /* "B", then A B A B A: both load 0 */
    run = replay(2, 1, RACE_UNSAFE, "B");
    expect_completed(run, 1, 1);
    run_free(run);
}
END_TEST

START_TEST(test_round_robin_skips_blocked)
{
    /* mutex: A locks, B is blocked, so A takes every step until it is
     * done (lock load add store unlock = steps 1..5), then B (6..10) */
    static const Ev b[] = {{0, EV_LANE_START, 0},    {0, EV_LOCK_WAIT, 0}, {6, EV_LOCK_ACQUIRE, 0},
                           {7, EV_LOAD, 1},          {8, EV_COMPUTE, 2},   {9, EV_STORE, 2},
                           {10, EV_LOCK_RELEASE, 0}, {10, EV_LANE_END, 5}};
    Run *run = replay(2, 1, RACE_MUTEX, "");
    expect_completed(run, 2, 0);
    ck_assert_uint_eq(run_steps(run), 10);
    expect_events(run, 1, b, ARRAY_SIZE(b));
    run_free(run);
}
END_TEST

/* ---- A* ------------------------------------------------------------- */

START_TEST(test_run_token_to_finish)
{
    Run *run;

    /* A* runs A to its end (6 steps for two increments); B follows */
    run = replay(2, 2, RACE_UNSAFE, "A*");
    expect_completed(run, 4, 0);
    ck_assert_uint_eq(atomic_load(&run_arena(run)->lanes[0].steps), 6);
    run_free(run);
    /* A loads 0, B* runs all of B (counter 1), A* stores 1 over it */
    run = replay(2, 1, RACE_UNSAFE, "A B* A*");
    expect_completed(run, 1, 1);
    ck_assert_uint_eq(run_steps(run), 6);
    run_free(run);
}
END_TEST

START_TEST(test_run_token_on_blocked_lane)
{
    Run *run = replay(2, 1, RACE_MUTEX, "A B*");
    ck_assert_int_eq(run_verdict(run), VERDICT_BAD_SCHEDULE);
    ck_assert_int_eq(run_bad_token(run), 2);
    ck_assert_msg(strstr(run_message(run), "'B*'") != NULL, "%s", run_message(run));
    ck_assert_msg(strstr(run_message(run), "held by A") != NULL, "%s", run_message(run));
    run_free(run);
}
END_TEST

/* ---- errors --------------------------------------------------------- */

START_TEST(test_finished_lane)
{
    Run *run = replay(2, 1, RACE_UNSAFE, "A3 A");
    ck_assert_int_eq(run_verdict(run), VERDICT_BAD_SCHEDULE);
    ck_assert_int_eq(run_bad_token(run), 2);
    ck_assert_msg(strstr(run_message(run), "lane A has finished") != NULL, "%s", run_message(run));
    ck_assert_int_eq(result(run, "final"), 1);
    run_free(run);
}
END_TEST

START_TEST(test_finished_lane_mid_count)
{
    /* A4 from A's second step: add, store, then A is done at step 3 of 4;
     * the steps already taken stay taken (counter = 1) */
    Run *run = replay(2, 1, RACE_UNSAFE, "A B A4");
    ck_assert_int_eq(run_verdict(run), VERDICT_BAD_SCHEDULE);
    ck_assert_int_eq(run_bad_token(run), 3);
    ck_assert_msg(strstr(run_message(run), "step 3 of 4") != NULL, "%s", run_message(run));
    ck_assert_msg(strstr(run_message(run), "finished") != NULL, "%s", run_message(run));
    ck_assert_int_eq(result(run, "final"), 1);
    ck_assert_uint_eq(run_steps(run), 4);
    run_free(run);
}
END_TEST

START_TEST(test_token_after_all_finished)
{
    /* every lane finished with a token left: refused like any step for a
     * finished lane (it ended the run as completed, exit 0) */
    static const char *const left[][2] = {
        {"A3 B3 A", "token 3 'A': lane A has finished"},
        {"A3 B3 B*", "token 3 'B*': lane B has finished"},
        {"A3 B3 ~A", "token 3 '~A': lane A is not asleep on a condition variable"},
        {"A3 B3 B A", "token 3 'B': lane B has finished"},
    };
    for (size_t i = 0; i < sizeof(left) / sizeof(left[0]); i++) {
        Run *run = replay(2, 1, RACE_UNSAFE, left[i][0]);
        ck_assert_int_eq(run_verdict(run), VERDICT_BAD_SCHEDULE);
        ck_assert_int_eq(run_bad_token(run), 3);
        ck_assert_msg(strstr(run_message(run), left[i][1]) != NULL, "%s: %s", left[i][0],
                      run_message(run));
        ck_assert_int_eq(result(run, "final"), 2);
        run_free(run);
    }
}
END_TEST

START_TEST(test_no_such_lane)
{
    Run *run = replay(2, 1, RACE_UNSAFE, "A B C");
    ck_assert_int_eq(run_verdict(run), VERDICT_BAD_SCHEDULE);
    ck_assert_int_eq(run_bad_token(run), 3);
    ck_assert_msg(strstr(run_message(run), "no such lane") != NULL, "%s", run_message(run));
    run_free(run);
}
END_TEST

/* ---- atomic --------------------------------------------------------- */

START_TEST(test_atomic_counts)
{
    static const Ev a[] = {{0, EV_LANE_START, 0},
                           {1, EV_ATOMIC_ADD, 1},
                           {3, EV_ATOMIC_ADD, 3},
                           {5, EV_ATOMIC_ADD, 5},
                           {5, EV_LANE_END, 3}};
    static const Ev b[] = {{0, EV_LANE_START, 0},
                           {2, EV_ATOMIC_ADD, 2},
                           {4, EV_ATOMIC_ADD, 4},
                           {6, EV_ATOMIC_ADD, 6},
                           {6, EV_LANE_END, 3}};
    Run *run = replay(2, 3, RACE_ATOMIC, "A B A B A B");
    expect_completed(run, 6, 0);
    ck_assert_uint_eq(run_steps(run), 6);
    ck_assert_uint_eq(atomic_load(&run_arena(run)->lanes[0].ops), 3);
    ck_assert_uint_eq(atomic_load(&run_arena(run)->lanes[1].ops), 3);
    expect_events(run, 0, a, ARRAY_SIZE(a));
    expect_events(run, 1, b, ARRAY_SIZE(b));
    run_free(run);
}
END_TEST

START_TEST(test_atomic_round_robin)
{
    Run *run = replay(5, 4, RACE_ATOMIC, "E2 A");
    expect_completed(run, 20, 0);
    ck_assert_uint_eq(run_steps(run), 20);
    run_free(run);
}
END_TEST

/* ---- interactive step mode ------------------------------------------ */

static int send_tok(Run *run, const char *text, IlError *err)
{
    Schedule s;
    int rc;
    ck_assert_msg(schedule_parse(text, run_nlanes(run), &s, err) == 0, "%s", err->msg);
    ck_assert_uint_eq(s.n, 1);
    il_error_clear(err);
    s.tok[0].pos = (uint32_t)run_schedule(run)->n + 1; /* as the front ends number it */
    rc = run_send(run, &s.tok[0], err);
    schedule_fini(&s);
    return rc;
}

START_TEST(test_step_send)
{
    const Arena *a;
    IlError err;
    char text[64];
    Run *run = race_start(2, 1, RACE_MUTEX, SCHED_STEP, NULL, true);

    a = run_arena(run);
    ck_assert_int_eq(send_tok(run, "A", &err), RUN_SEND_OK);
    ck_assert_uint_eq(atomic_load(&((Arena *)a)->step), 1);
    ck_assert_int_eq(obj_value(run, "m"), 0); /* A holds m */
    ck_assert_uint_eq(atomic_load(&a->lanes[1].state), LANE_BLOCKED);
    ck_assert_int_eq(atomic_load(&a->lanes[1].blocked_by), 0);
    ck_assert_uint_eq(atomic_load(&a->lanes[0].op), EV_LOAD);

    /* refused: the run goes on, nothing changed */
    ck_assert_int_eq(send_tok(run, "B", &err), RUN_SEND_REFUSED);
    ck_assert_int_eq(err.code, -IL_ESCHEDULE);
    ck_assert_msg(strstr(err.msg, "held by A") != NULL, "%s", err.msg);
    ck_assert(!run_done(run));
    ck_assert_uint_eq(atomic_load(&((Arena *)a)->step), 1);
    ck_assert_uint_eq(atomic_load(&a->lanes[0].steps), 1);
    ck_assert_uint_eq(atomic_load(&a->lanes[1].steps), 0);
    ck_assert_uint_eq(atomic_load(&a->lanes[1].state), LANE_BLOCKED);
    ck_assert_int_eq(obj_value(run, "counter"), 0);
    ck_assert_uint_eq(run_schedule(run)->n, 1);

    ck_assert_int_eq(send_tok(run, "A4", &err), RUN_SEND_OK);
    ck_assert_int_eq(obj_value(run, "counter"), 1);
    ck_assert_int_eq(obj_value(run, "m"), -1);
    ck_assert_uint_eq(atomic_load(&a->lanes[0].state), LANE_FINISHED);
    ck_assert_uint_eq(atomic_load(&a->lanes[1].state), LANE_READY);
    ck_assert_int_eq(send_tok(run, "B3", &err), RUN_SEND_OK);
    ck_assert_int_eq(atomic_load(&a->lanes[1].reg), 2);
    ck_assert_int_eq(obj_value(run, "counter"), 1);
    ck_assert_int_eq(send_tok(run, "B2", &err), RUN_SEND_FINISHED);

    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    expect_completed(run, 2, 0);
    ck_assert_uint_eq(run_steps(run), 10);
    schedule_format(run_schedule(run), text, sizeof(text));
    ck_assert_str_eq(text, "A A4 B3 B2");
    /* the run is over: a token now is refused as the controller would
     * (every lane finished); without refusal_fails (the TUI) the verdict
     * stays completed */
    ck_assert_int_eq(send_tok(run, "A", &err), RUN_SEND_REFUSED);
    ck_assert_str_eq(err.msg, "token 5 'A': lane A has finished");
    ck_assert_str_eq(run_refusal(run), "lane A has finished");
    ck_assert_int_eq(send_tok(run, "~B", &err), RUN_SEND_REFUSED);
    ck_assert_msg(strstr(err.msg, "lane B is not asleep on a condition variable") != NULL, "%s",
                  err.msg);
    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    run_free(run);
}
END_TEST

/* A step-mode race run whose refusals are its fault (the CLI's step mode). */
static Run *race_step_strict(int threads, int iterations)
{
    RunConfig cfg;
    IlError err;
    Run *run;

    run_config_init(&cfg, &race_demo);
    cfg.params[RACE_THREADS] = threads;
    cfg.params[RACE_ITERATIONS] = iterations;
    cfg.params[RACE_VARIANT] = RACE_UNSAFE;
    cfg.mode = SCHED_STEP;
    cfg.interactive = true;
    cfg.refusal_fails = true;
    cfg.timeout_s = 60;
    run = run_start(&cfg, &err);
    ck_assert_msg(run != NULL, "run_start: %s", err.msg);
    return run;
}

START_TEST(test_step_refusal_fails)
{
    IlError err;
    Run *run = race_step_strict(2, 1);

    /* A finishes, a fourth A is refused, B finishes the run: the verdict
     * names the refused token (the exit status is 3: the report agrees) */
    ck_assert_int_eq(send_tok(run, "A3", &err), RUN_SEND_OK);
    ck_assert_int_eq(send_tok(run, "A", &err), RUN_SEND_REFUSED);
    ck_assert_str_eq(err.msg, "token 2 'A': lane A has finished");
    ck_assert_int_eq(send_tok(run, "B", &err), RUN_SEND_OK);
    ck_assert_int_eq(run_send_end(run), 0);
    ck_assert_int_eq(run_wait(run), VERDICT_BAD_SCHEDULE);
    ck_assert_int_eq(run_bad_token(run), 2);
    ck_assert_msg(strstr(run_message(run), "token 2 'A': lane A has finished") != NULL, "%s",
                  run_message(run));
    ck_assert_int_eq(run_verdict_info(run)->bad_token, 2);
    ck_assert_str_eq(run_verdict_info(run)->bad_text, "A");
    ck_assert_int_eq(result(run, "final"), 2); /* the results are the completed run's */
    run_free(run);

    /* the token after the one that finished the last lane: refused after
     * the end, and the verdict changes then */
    run = race_step_strict(1, 1);
    ck_assert_int_eq(send_tok(run, "A3", &err), RUN_SEND_FINISHED);
    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    ck_assert_int_eq(send_tok(run, "A", &err), RUN_SEND_REFUSED);
    ck_assert_str_eq(err.msg, "token 2 'A': lane A has finished");
    ck_assert_int_eq(run_verdict(run), VERDICT_BAD_SCHEDULE);
    ck_assert_int_eq(run_bad_token(run), 2);
    ck_assert_msg(strstr(run_message(run), "token 2 'A': lane A has finished") != NULL, "%s",
                  run_message(run));
    run_free(run);

    /* a token the front end refused itself (a malformed line) counts too */
    run = race_step_strict(1, 1);
    run_refuse(run, 1, "A0", "a step count must be 1..1000000000");
    ck_assert_int_eq(run_send_end(run), 0);
    ck_assert_int_eq(run_wait(run), VERDICT_BAD_SCHEDULE);
    ck_assert_msg(strstr(run_message(run), "token 1 'A0': a step count") != NULL, "%s",
                  run_message(run));
    run_free(run);
}
END_TEST

START_TEST(test_step_send_end_round_robin)
{
    IlError err;
    Run *run = race_start(2, 1, RACE_UNSAFE, SCHED_STEP, NULL, true);

    ck_assert_int_eq(send_tok(run, "A", &err), RUN_SEND_OK);
    ck_assert_int_eq(send_tok(run, "B", &err), RUN_SEND_OK);
    ck_assert_int_eq(atomic_load(&run_arena(run)->lanes[1].reg), 0);
    ck_assert_int_eq(run_send_end(run), 0);
    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    /* both loaded 0 before the end: one update is lost whatever follows */
    expect_completed(run, 1, 1);
    ck_assert_uint_eq(run_steps(run), 6);
    run_free(run);
}
END_TEST

START_TEST(test_step_initial_schedule_then_send)
{
    IlError err;
    Run *run = race_start(2, 1, RACE_UNSAFE, SCHED_STEP, "A3", true);

    /* the schedule is applied first; then tokens come from run_send */
    ck_assert_int_eq(send_tok(run, "A", &err), RUN_SEND_REFUSED);
    ck_assert_msg(strstr(err.msg, "finished") != NULL, "%s", err.msg);
    ck_assert_int_eq(send_tok(run, "B3", &err), RUN_SEND_FINISHED);
    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    expect_completed(run, 2, 0);
    run_free(run);
}
END_TEST

START_TEST(test_send_needs_interactive)
{
    IlError err;
    SchedToken t = {0, TOK_STEPS, 1, 1};
    Run *run = race_start(2, 1, RACE_UNSAFE, SCHED_REPLAY, "A3 B3", false);
    ck_assert_int_lt(run_send(run, &t, &err), 0);
    run_wait(run);
    expect_completed(run, 2, 0);
    run_free(run);
}
END_TEST

/* ---- who hands a step on ------------------------------------------------ */

/*
 * In a replay the lane whose step ends grants the next step itself (or
 * goes on, when the next step is its own); a token sent with run_send()
 * is granted by the controller.  Both must grant the same steps: replay
 * text, work out which lane took each step from the events (every step
 * records an event at its step number), then send the same steps one at a
 * time and compare every event, the step count and the verdict.
 */
static void check_handoff_same(const DemoClass *demo, const int *params, const char *text)
{
    Run *first = check_run_start(demo, params, SCHED_REPLAY, text, false);
    Run *run;
    uint64_t steps;
    unsigned *who;
    IlError err;

    ck_assert_int_eq(run_wait(first), VERDICT_COMPLETED);
    steps = run_steps(first);
    ck_assert_uint_gt(steps, 0);
    who = calloc(steps + 1, sizeof(*who));
    ck_assert_ptr_nonnull(who);
    for (unsigned l = 0; l < run_nlanes(first); l++) {
        const Event *ev;
        size_t n = run_lane_events(first, l, &ev);
        for (size_t i = 0; i < n; i++) {
            if (ev[i].t > 0) {
                ck_assert_uint_le(ev[i].t, steps);
                ck_assert_msg(who[ev[i].t] == 0 || who[ev[i].t] == l + 1,
                              "step %llu recorded by two lanes", (unsigned long long)ev[i].t);
                who[ev[i].t] = l + 1;
            }
        }
    }
    run = check_run_start(demo, params, SCHED_STEP, NULL, true);
    for (uint64_t k = 1; k <= steps; k++) {
        SchedToken tok = {0, TOK_STEPS, 1, (uint32_t)k};
        int rc;
        ck_assert_msg(who[k] > 0, "step %llu recorded no event", (unsigned long long)k);
        tok.lane = (uint16_t)(who[k] - 1);
        rc = run_send(run, &tok, &err);
        ck_assert_msg(rc == (k == steps ? RUN_SEND_FINISHED : RUN_SEND_OK) ||
                          (k == steps && rc == RUN_SEND_DEADLOCK),
                      "step %llu of %llu: %d %s", (unsigned long long)k, (unsigned long long)steps,
                      rc, err.msg);
    }
    run_wait(run);
    ck_assert_int_eq(run_verdict(run), run_verdict(first));
    ck_assert_uint_eq(run_steps(run), steps);
    for (unsigned l = 0; l < run_nlanes(run); l++) {
        const Event *e1, *e2;
        size_t n1 = run_lane_events(first, l, &e1);
        size_t n2 = run_lane_events(run, l, &e2);
        ck_assert_uint_eq(n1, n2);
        for (size_t i = 0; i < n1; i++) {
            ck_assert_msg(e1[i].kind == e2[i].kind && e1[i].value == e2[i].value &&
                              e1[i].t == e2[i].t && e1[i].obj == e2[i].obj,
                          "lane %u event %zu differs", l, i);
        }
    }
    free(who);
    run_free(run);
    run_free(first);
}

START_TEST(test_handoff_same_as_controller)
{
    static const int race_threads[] = {RACE_THREADS, 3, RACE_ITERATIONS, 4, RACE_VARIANT,
                                       RACE_MUTEX,   -1};
    static const int race_procs[] = {
        RACE_THREADS, 3,          RACE_ITERATIONS,      4, RACE_VARIANT,
        RACE_UNSAFE,  RACE_LANES, RACE_LANES_PROCESSES, -1};
    static const int pc[] = {PC_PRODUCERS, 2, PC_CONSUMERS, 2,          PC_CAPACITY, 2,
                             PC_ITEMS,     6, PC_VARIANT,   PC_CONDVAR, -1};

    check_handoff_same(&race_demo, race_threads, "");
    check_handoff_same(&race_demo, race_threads, "A10 B5 C* A* B*");
    check_handoff_same(&race_demo, race_procs, "A5 B4 C2 A* B*");
    check_handoff_same(&prodcons_demo, pc, "");
    check_handoff_same(&prodcons_demo, pc, "A* C* B* D* A* C*");
}
END_TEST

/* ---- free mode: properties only ------------------------------------- */

START_TEST(test_free_mutex_exact)
{
    Run *run = race_start(4, 0, RACE_MUTEX, SCHED_FREE, NULL, false);
    run_wait(run);
    expect_completed(run, result(run, "expected"), 0);
    ck_assert_int_eq(result(run, "final"), 4 * race_demo.params[RACE_ITERATIONS].def);
    run_free(run);
}
END_TEST

START_TEST(test_free_atomic_exact)
{
    Run *run = race_start(4, 0, RACE_ATOMIC, SCHED_FREE, NULL, false);
    run_wait(run);
    expect_completed(run, 4 * race_demo.params[RACE_ITERATIONS].def, 0);
    run_free(run);
}
END_TEST

/* Four lanes, each long enough to outlast a scheduler time slice: lanes
 * that each finish within one can run one after another on a machine whose
 * cores are busy with other work, and then nothing is lost (with every
 * core free, lanes always overlap).  With 400,000 increments a lane is
 * preempted in the middle of its updates many times over, however busy
 * the machine and however fast tracing is. */
START_TEST(test_free_unsafe_loses)
{
    Run *run = race_start(4, 400000, RACE_UNSAFE, SCHED_FREE, NULL, false);
    run_wait(run);
    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    ck_assert_int_eq(result(run, "expected"), 4 * 400000);
    ck_assert_int_gt(result(run, "lost"), 0);
    ck_assert_int_eq(result(run, "final") + result(run, "lost"), result(run, "expected"));
    run_free(run);
}
END_TEST

/* Interval a lane held mutex m (free run): from its acquisition's time to
 * its release's. */
typedef struct HoldSpan {
    uint64_t from, to;
    unsigned lane;
} HoldSpan;

static int hold_span_cmp(const void *pa, const void *pb)
{
    const HoldSpan *a = pa, *b = pb;
    return a->from < b->from ? -1 : (a->from > b->from ? 1 : (int)a->lane - (int)b->lane);
}

/*
 * Event times in a free run keep the order of what happened across lanes:
 * the holds of one mutex, from each acquisition's time to its release's,
 * never overlap.  A lane whose events come densely shares a clock read
 * among a few events (sched_record), but never across a wait: an
 * acquisition that waited reads the clock after it got the lock, and a
 * release takes a time at or before the moment it let go.
 */
START_TEST(test_free_mutex_holds_in_order)
{
    enum { LANES = 4, ITERS = 20000 };
    Run *run = race_start(LANES, ITERS, RACE_MUTEX, SCHED_FREE, NULL, false);
    HoldSpan *h = calloc((size_t)LANES * ITERS, sizeof(*h));
    size_t nh = 0;

    ck_assert_ptr_nonnull(h);
    run_wait(run);
    expect_completed(run, LANES * ITERS, 0);
    for (unsigned l = 0; l < LANES; l++) {
        const Event *ev;
        size_t n = run_lane_events(run, l, &ev);
        uint64_t from = 0;
        ck_assert_uint_eq(run_lane_dropped(run, l), 0);
        for (size_t i = 0; i < n; i++) {
            if (i > 0) {
                ck_assert_uint_ge(ev[i].t, ev[i - 1].t);
            }
            if (ev[i].kind == EV_LOCK_ACQUIRE) {
                from = ev[i].t;
            } else if (ev[i].kind == EV_LOCK_RELEASE) {
                h[nh++] = (HoldSpan){from, ev[i].t, l};
            }
        }
    }
    ck_assert_uint_eq(nh, (size_t)LANES * ITERS);
    qsort(h, nh, sizeof(*h), hold_span_cmp);
    for (size_t i = 1; i < nh; i++) {
        ck_assert_msg(h[i].from >= h[i - 1].to,
                      "lane %u acquired m at %llu ns, before lane %u released it at %llu ns",
                      h[i].lane, (unsigned long long)h[i].from, h[i - 1].lane,
                      (unsigned long long)h[i - 1].to);
    }
    free(h);
    run_free(run);
}
END_TEST

static Suite *replay_suite(void)
{
    Suite *s = suite_create("replay");
    TCase *course = NULL, *det = NULL, *rr = NULL, *run_tc = NULL, *err_tc = NULL;
    TCase *atomic_tc = NULL, *step = NULL, *free_tc = NULL;

    add_tcase(s, &course, "course", test_unsafe_interleaved_loses_one, 10);
    add_tcase(s, &course, "course", test_unsafe_serial_loses_none, 10);
    add_tcase(s, &course, "course", test_mutex_refuses_blocked_lane, 10);
    add_tcase(s, &det, "determinism", test_deterministic_unsafe, 60);
    add_tcase(s, &det, "determinism", test_deterministic_mutex, 60);
    add_tcase(s, &rr, "round_robin", test_round_robin_empty_schedule, 10);
    add_tcase(s, &rr, "round_robin", test_round_robin_cursor_starts_at_a, 10);
    add_tcase(s, &rr, "round_robin", test_round_robin_skips_blocked, 10);
    add_tcase(s, &run_tc, "run_token", test_run_token_to_finish, 10);
    add_tcase(s, &run_tc, "run_token", test_run_token_on_blocked_lane, 10);
    add_tcase(s, &err_tc, "errors", test_finished_lane, 10);
    add_tcase(s, &err_tc, "errors", test_finished_lane_mid_count, 10);
    add_tcase(s, &err_tc, "errors", test_no_such_lane, 10);
    add_tcase(s, &err_tc, "errors", test_token_after_all_finished, 20);
    add_tcase(s, &atomic_tc, "atomic", test_atomic_counts, 10);
    add_tcase(s, &atomic_tc, "atomic", test_atomic_round_robin, 10);
    add_tcase(s, &step, "step", test_step_send, 20);
    add_tcase(s, &step, "step", test_step_send_end_round_robin, 20);
    add_tcase(s, &step, "step", test_step_initial_schedule_then_send, 20);
    add_tcase(s, &step, "step", test_send_needs_interactive, 20);
    add_tcase(s, &step, "step", test_step_refusal_fails, 20);
    add_tcase(s, &step, "step", test_handoff_same_as_controller, 60);
    add_tcase(s, &free_tc, "free", test_free_mutex_exact, 120);
    add_tcase(s, &free_tc, "free", test_free_atomic_exact, 120);
    add_tcase(s, &free_tc, "free", test_free_unsafe_loses, 120);
    add_tcase(s, &free_tc, "free", test_free_mutex_holds_in_order, 120);
    return s;
}

CHECK_MAIN(replay_suite)
