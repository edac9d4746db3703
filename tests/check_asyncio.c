/*
 * check_asyncio.c - the event loop and its coroutines (prims/il_loop.h,
 * the coroutine executor of core/lane_exec.h, hosts and guests of
 * core/sched.h) through the asyncio demo.
 *
 * Step mode steps coroutines: a step runs one to its next await, and the
 * loop's clock is virtual, so a schedule fixes every event, every wait and
 * every late timer.  These tests pin the course's cases as exact replays:
 * gather of three coroutines in a given order, wait_for timing out (the
 * task sees the cancellation at its await, cleans up, and main gets the
 * timeout once it has finished), a blocking call holding the other
 * coroutines back; what step mode refuses and why; and, in free runs,
 * the properties that hold on every run: one OS thread, never two
 * coroutines running at once, real I/O through a pipe.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "check_run.h"
#include "core/run.h"
#include "core/sched.h"
#include "demos/asyncio.h"

#define UNIT 100000000 /* ns: unit_ms=100, the default */

static Run *aio_start(int variant, SchedMode mode, const char *sched, bool interactive)
{
    int params[] = {AIO_VARIANT, variant, -1};
    return check_run_start(&asyncio_demo, params, mode, sched, interactive);
}

static Run *aio_replay(int variant, const char *sched)
{
    Run *run = aio_start(variant, SCHED_REPLAY, sched, false);
    run_wait(run);
    ck_assert_msg(run_verdict(run) == VERDICT_COMPLETED, "verdict %s: %s",
                  verdict_name(run_verdict(run)), run_message(run));
    return run;
}

typedef struct Ev {
    uint64_t t;
    unsigned kind;
    int64_t value;
} Ev;

/* Lane's events must be exactly want[0..n). */
static void expect_events(const Run *run, unsigned lane, const Ev *want, size_t n)
{
    const Event *ev;
    size_t got = run_lane_events(run, lane, &ev);
    for (size_t i = 0; i < n && i < got; i++) {
        ck_assert_msg(
            ev[i].t == want[i].t && ev[i].kind == want[i].kind && ev[i].value == want[i].value,
            "lane %c event %zu: got t=%llu %s %lld, want t=%llu %s %lld", 'A' + lane, i,
            (unsigned long long)ev[i].t, event_kind_name(ev[i].kind), (long long)ev[i].value,
            (unsigned long long)want[i].t, event_kind_name(want[i].kind), (long long)want[i].value);
    }
    ck_assert_msg(got == n, "lane %c: %zu events, want %zu", 'A' + lane, got, n);
}

/* The step at which lane first resumed (its first turn), 0 = never. */
static uint64_t first_resume(const Run *run, unsigned lane)
{
    const Event *ev;
    size_t n = run_lane_events(run, lane, &ev);
    for (size_t i = 0; i < n; i++) {
        if (ev[i].kind == EV_CO_RESUME) {
            return ev[i].t;
        }
    }
    return 0;
}

/* ---- gather --------------------------------------------------------- */

START_TEST(test_gather_in_a_given_order)
{
    /* B gathers C, D, E (count(1..3)); the student starts them E, C, D,
     * then the loop's clock jumps from timer to timer */
    Run *run = aio_replay(AIO_GATHER, "B E C D C D E B");
    static const Ev c[] = {
        {1, EV_LANE_START, 0},                         /* created by main's gather, in step 1 */
        {1, EV_CO_READY, 0},                           /* ready for its first turn */
        {3, EV_CO_RESUME, 0},                          /* its first turn: step 3 */
        {3, EV_COMPUTE, 1},                            /* print("start", 1) */
        {3, EV_AWAIT_SLEEP, UNIT},                     /* await asyncio.sleep(1) */
        {4, EV_CO_READY, 0},                           /* its timer, the first due, on time */
        {5, EV_CO_RESUME, 0},      {5, EV_COMPUTE, 1}, /* print("end", 1) */
        {5, EV_LANE_END, 3},
    };

    expect_events(run, 2, c, ARRAY_SIZE(c));
    ck_assert_uint_eq(first_resume(run, 4), 2); /* E first */
    ck_assert_uint_eq(first_resume(run, 2), 3); /* then C */
    ck_assert_uint_eq(first_resume(run, 3), 4); /* then D */
    ck_assert_int_eq(check_result(run, "sum"), 6);
    /* three sleeps of 1, 2 and 3 units overlap: 3 units of loop time for 6
     * of waiting, nothing late */
    ck_assert_int_eq(check_result(run, "total"), 3 * UNIT);
    ck_assert_int_eq(check_result(run, "wait_sum"), 6 * UNIT);
    ck_assert_int_eq(check_result(run, "late"), 0);
    ck_assert_int_eq(check_result(run, "switches"), 8);
    ck_assert_int_eq(check_result(run, "max_ready"), 3);
    ck_assert_uint_eq(run_steps(run), 8);
    run_free(run);

    /* another order: the same figures, the other first turns */
    run = aio_replay(AIO_GATHER, "B C D E C D E B");
    ck_assert_uint_eq(first_resume(run, 2), 2);
    ck_assert_uint_eq(first_resume(run, 3), 3);
    ck_assert_uint_eq(first_resume(run, 4), 4);
    ck_assert_int_eq(check_result(run, "total"), 3 * UNIT);
    run_free(run);
}
END_TEST

START_TEST(test_sequential_takes_the_sum)
{
    Run *run = aio_replay(AIO_SEQUENTIAL, "B C C B D D B E E B");
    /* awaited one after the other: the loop's time is the sum of the waits */
    ck_assert_int_eq(check_result(run, "total"), 6 * UNIT);
    ck_assert_int_eq(check_result(run, "wait_sum"), 6 * UNIT);
    ck_assert_int_eq(check_result(run, "sum"), 6);
    run_free(run);
}
END_TEST

/* ---- wait_for and cancel ------------------------------------------ */

START_TEST(test_wait_for_times_out_and_the_task_sees_it)
{
    Run *run = aio_replay(AIO_WAIT_FOR, "B C B C B");
    static const Ev b[] = {
        {0, EV_LANE_START, 0},
        {0, EV_CO_READY, 0},
        {1, EV_CO_RESUME, 0},
        {1, EV_CO_SPAWN, 2},   /* wait_for creates slow() */
        {1, EV_AWAIT_TASK, 2}, /* ... and awaits it, with a timer */
        {2, EV_CO_READY, 0},   /* the timeout: the loop's clock jumped to 1 unit */
        {3, EV_CO_RESUME, -ETIMEDOUT},
        {3, EV_CO_CANCEL, 2},  /* wait_for cancels slow() */
        {3, EV_AWAIT_TASK, 2}, /* and waits until it has finished */
        {4, EV_CO_READY, 0},
        {5, EV_CO_RESUME, 0},
        {5, EV_COMPUTE, 1}, /* except TimeoutError: print("timeout") */
        {5, EV_LANE_END, 5},
    };
    static const Ev c[] = {
        {1, EV_LANE_START, 0},
        {1, EV_CO_READY, 0},
        {2, EV_CO_RESUME, 0},
        {2, EV_COMPUTE, 3},            /* print("start") */
        {2, EV_AWAIT_SLEEP, 3 * UNIT}, /* await asyncio.sleep(3) */
        {3, EV_CO_READY, 0},           /* woken by the cancellation, in B's step */
        {4, EV_CO_RESUME, -ECANCELED}, /* CancelledError at its await */
        {4, EV_COMPUTE, 1},            /* cleanup() */
        {4, EV_LANE_END, 3},           /* raise: it ends cancelled */
    };

    expect_events(run, 1, b, ARRAY_SIZE(b));
    expect_events(run, 2, c, ARRAY_SIZE(c));
    ck_assert_int_eq(check_result(run, "timeouts"), 1);
    ck_assert_int_eq(check_result(run, "cancelled"), 1);
    ck_assert_int_eq(check_result(run, "cleaned_up"), 1);
    ck_assert_int_eq(check_result(run, "total"), UNIT); /* the timeout, not the 3 units */
    run_free(run);
}
END_TEST

START_TEST(test_cancel_the_canceller_sees_it_finish)
{
    Run *run = aio_start(AIO_CANCEL, SCHED_FREE, NULL, false);
    run_wait(run);
    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    ck_assert_int_eq(check_result(run, "cancelled"), 1);
    ck_assert_int_eq(check_result(run, "cleaned_up"), 1);
    run_free(run);

    /* step mode: main sleeps, the worker ticks 0.4, 0.8; at 1.0 main
     * cancels the worker asleep in its third tick, and awaits it */
    run = aio_replay(AIO_CANCEL, "B C C C B C B");
    ck_assert_int_eq(check_result(run, "cancelled"), 1);
    ck_assert_int_eq(check_result(run, "cleaned_up"), 1);
    ck_assert_int_eq(check_result(run, "total"), UNIT);
    run_free(run);
}
END_TEST

/* ---- the blocking call --------------------------------------------- */

START_TEST(test_blocking_call_holds_the_others_back)
{
    /* C and D tick every unit; E sleeps half a unit, then time.sleep(2)
     * with no await: the loop's clock goes to 2.5 units in E's step, and
     * the tickers' timers, due at 1 unit, fire 1.5 units late */
    Run *run = aio_replay(AIO_BLOCKING, "B C D E E C D C D C D C D B");
    const Event *ev;
    size_t n = run_lane_events(run, 2, &ev);
    bool seen = false;

    for (size_t i = 0; i < n && !seen; i++) {
        if (ev[i].kind == EV_CO_READY && ev[i].value > 0) {
            ck_assert_uint_eq(ev[i].t, 5); /* the step of the blocking call */
            ck_assert_int_eq(ev[i].value, UNIT * 3 / 2);
            seen = true;
        }
    }
    ck_assert_msg(seen, "C's timer never fired late");
    ck_assert_int_eq(check_result(run, "block_time"), 2 * UNIT);
    ck_assert_int_eq(check_result(run, "late_max"), UNIT * 3 / 2);
    ck_assert_int_eq(check_result(run, "late"), 3 * UNIT);
    ck_assert_int_eq(check_result(run, "total"), UNIT * 11 / 2);
    run_free(run);

    /* await asyncio.sleep(2) instead: nothing late, 4 units in all */
    run = aio_replay(AIO_NONBLOCKING, "B C D E E C D C D E C D C D B");
    ck_assert_int_eq(check_result(run, "late"), 0);
    ck_assert_int_eq(check_result(run, "total"), 4 * UNIT);
    run_free(run);
}
END_TEST

/* ---- what step mode refuses ---------------------------------------- */

START_TEST(test_step_refusals)
{
    Run *run = aio_start(AIO_WAIT_FOR, SCHED_STEP, NULL, true);
    SchedToken tok = {0, TOK_STEPS, 1, 1};
    IlError err;

    ck_assert_int_eq(run_send(run, &tok, &err), RUN_SEND_REFUSED);
    ck_assert_msg(strstr(err.msg, "runs the event loop") != NULL, "%s", err.msg);
    tok.lane = 2;
    ck_assert_int_eq(run_send(run, &tok, &err), RUN_SEND_REFUSED);
    ck_assert_msg(strstr(err.msg, "has not been created yet") != NULL, "%s", err.msg);
    tok.lane = 1;
    ck_assert_int_eq(run_send(run, &tok, &err), RUN_SEND_OK);
    {
        /* the loop's lane, parked in its poll, is refused in the same words
         * by whoever asks (the lesson screen asks the arena, before it
         * sends a token) */
        char why[256];
        sched_why_blocked(run_arena(run), AIO_LOOP_LANE, why, sizeof(why));
        ck_assert_str_eq(why,
                         "lane A runs the event loop: it moves when one of its coroutines does");
    }
    tok.lane = 2;
    ck_assert_int_eq(run_send(run, &tok, &err), RUN_SEND_OK);
    /* slow() sleeps 3 units; main's timeout (1 unit) is due first */
    ck_assert_int_eq(run_send(run, &tok, &err), RUN_SEND_REFUSED);
    ck_assert_msg(strstr(err.msg, "lane C awaits sleep (its timer is not due)") != NULL, "%s",
                  err.msg);
    tok.lane = 1;
    ck_assert_int_eq(run_send(run, &tok, &err), RUN_SEND_OK);
    tok.lane = 2;
    ck_assert_int_eq(run_send(run, &tok, &err), RUN_SEND_OK);
    tok.lane = 1;
    ck_assert_int_eq(run_send(run, &tok, &err), RUN_SEND_FINISHED);
    run_wait(run);
    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    ck_assert_int_eq(check_result(run, "timeouts"), 1);
    run_free(run);
}
END_TEST

/* ---- free runs: properties ----------------------------------------- */

/*
 * One OS thread, one coroutine at a time: every lane ran on the loop's
 * thread, and the coroutines' running spans (from a resume to the next
 * await or the end) never overlap.
 */
static void expect_one_at_a_time(const Run *run)
{
    typedef struct Span {
        uint64_t from, to;
        unsigned lane;
    } Span;
    Span spans[256];
    size_t ns = 0;
    RunLaneInfo host;

    run_lane_info(run, AIO_LOOP_LANE, &host);
    ck_assert_int_gt(host.tid, 0);
    for (unsigned l = 1; l < run_nlanes(run); l++) {
        RunLaneInfo li;
        const Event *ev;
        size_t n = run_lane_events(run, l, &ev);
        bool running = false;
        uint64_t from = 0;

        run_lane_info(run, l, &li);
        ck_assert_int_eq(li.kind, LANE_KIND_COROUTINE);
        ck_assert_msg(li.tid == host.tid, "lane %c ran on thread %d, the loop on %d", 'A' + l,
                      (int)li.tid, (int)host.tid);
        for (size_t i = 0; i < n; i++) {
            unsigned k = ev[i].kind;
            if (k == EV_CO_RESUME) {
                running = true;
                from = ev[i].t;
            } else if (running &&
                       ((k >= EV_AWAIT_SLEEP && k <= EV_AWAIT_EVENT) || k == EV_LANE_END)) {
                ck_assert_uint_lt(ns, ARRAY_SIZE(spans));
                spans[ns++] = (Span){from, ev[i].t, l};
                running = false;
            }
        }
        ck_assert_msg(!running, "lane %c never gave the thread back", 'A' + l);
    }
    ck_assert_uint_gt(ns, 3);
    /* sort by start, then each must start after the one before ended */
    for (size_t i = 1; i < ns; i++) {
        for (size_t j = i; j > 0 && spans[j].from < spans[j - 1].from; j--) {
            Span s = spans[j];
            spans[j] = spans[j - 1];
            spans[j - 1] = s;
        }
    }
    for (size_t i = 1; i < ns; i++) {
        ck_assert_msg(spans[i].from >= spans[i - 1].to,
                      "lane %c ran from %llu while lane %c ran until %llu", 'A' + spans[i].lane,
                      (unsigned long long)spans[i].from, 'A' + spans[i - 1].lane,
                      (unsigned long long)spans[i - 1].to);
    }
}

START_TEST(test_free_one_thread_one_coroutine_at_a_time)
{
    static const int variants[] = {AIO_GATHER, AIO_IO, AIO_BLOCKING, AIO_CREATE_TASK};
    for (size_t v = 0; v < ARRAY_SIZE(variants); v++) {
        int params[] = {AIO_VARIANT, variants[v], AIO_UNIT_MS, 20, -1};
        Run *run = check_run_start(&asyncio_demo, params, SCHED_FREE, NULL, false);
        run_wait(run);
        ck_assert_msg(run_verdict(run) == VERDICT_COMPLETED, "variant %d: %s", variants[v],
                      run_message(run));
        expect_one_at_a_time(run);
        run_free(run);
    }
}
END_TEST

START_TEST(test_free_io_through_a_pipe)
{
    int params[] = {AIO_VARIANT, AIO_IO, AIO_UNIT_MS, 10, -1};
    Run *run = check_run_start(&asyncio_demo, params, SCHED_FREE, NULL, false);
    const Event *ev;
    size_t n;
    int awaits = 0;

    run_wait(run);
    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    ck_assert_int_eq(check_result(run, "bytes"), 3 * 7); /* "line N\n" three times */
    /* the reader awaited the pipe, and the loop waited in epoll for it */
    n = run_lane_events(run, 3, &ev);
    for (size_t i = 0; i < n; i++) {
        awaits += ev[i].kind == EV_AWAIT_IO;
    }
    ck_assert_int_ge(awaits, 3);
    run_free(run);
}
END_TEST

START_TEST(test_free_blocking_call_stalls_the_loop)
{
    /* a real time.sleep of 2 units inside a coroutine: the tickers' first
     * timers fire at least 1.5 units late, by the machine's clock */
    int params[] = {AIO_VARIANT, AIO_BLOCKING, AIO_UNIT_MS, 20, -1};
    Run *run = check_run_start(&asyncio_demo, params, SCHED_FREE, NULL, false);
    run_wait(run);
    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    ck_assert_int_ge(check_result(run, "late_max"), 30000000);
    ck_assert_int_ge(check_result(run, "total"), 110000000);
    run_free(run);
}
END_TEST

static Suite *asyncio_suite(void)
{
    Suite *s = suite_create("asyncio");
    TCase *tc = NULL;
    add_tcase(s, &tc, "replay", test_gather_in_a_given_order, 30);
    tcase_add_test(tc, test_sequential_takes_the_sum);
    tcase_add_test(tc, test_wait_for_times_out_and_the_task_sees_it);
    tcase_add_test(tc, test_cancel_the_canceller_sees_it_finish);
    tcase_add_test(tc, test_blocking_call_holds_the_others_back);
    tcase_add_test(tc, test_step_refusals);
    tc = NULL;
    add_tcase(s, &tc, "free", test_free_one_thread_one_coroutine_at_a_time, 60);
    tcase_add_test(tc, test_free_io_through_a_pipe);
    tcase_add_test(tc, test_free_blocking_call_stalls_the_loop);
    return s;
}

CHECK_MAIN(asyncio_suite)
