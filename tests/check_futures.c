/*
 * check_futures.c - futures, the thread pool and thread handles
 * (prims/il_future.h) and daemon lanes (core/sched.h), through the futures
 * demo.
 *
 * Exact replays: as_completed gives the results in the order the workers
 * finished them and map in submission order, for the same schedule; a
 * daemon thread is cut off where it stands when main and the other thread
 * have ended; result() re-raises a task's error in main; join() of a
 * thread that raised returns as if nothing happened.  What step mode
 * refuses names who runs the future waited for.  Free runs: properties
 * (map's order is always the submission order, as_completed's always the
 * completion order; shutdown(wait=False) lets main end first).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check_common.h"
#include "check_run.h"
#include "core/run.h"
#include "demos/demo.h"
#include "demos/futures.h"
#include "view/view.h"

static Run *fut_start(int variant, int workers, int tasks, SchedMode mode, const char *sched,
                      bool interactive)
{
    int params[] = {FUT_P_VARIANT, variant, FUT_P_WORKERS, workers, FUT_P_TASKS, tasks, -1};
    return check_run_start(&futures_demo, params, mode, sched, interactive);
}

static Run *fut_replay(int variant, int workers, int tasks, const char *sched)
{
    Run *run = fut_start(variant, workers, tasks, SCHED_REPLAY, sched, false);
    run_wait(run);
    ck_assert_msg(run_verdict(run) == VERDICT_COMPLETED, "verdict %s: %s",
                  verdict_name(run_verdict(run)), run_message(run));
    return run;
}

/* The values of lane's events of kind, in order, into out; returns how many. */
static size_t values_of(const Run *run, unsigned lane, unsigned kind, int64_t *out, size_t max)
{
    const Event *ev;
    size_t n = run_lane_events(run, lane, &ev), k = 0;
    for (size_t i = 0; i < n && k < max; i++) {
        if (ev[i].kind == kind) {
            out[k++] = ev[i].value;
        }
    }
    return k;
}

/* ---- map and as_completed ------------------------------------------ */

/* The same steps for both: main submits three tasks; B takes task 0 and
 * C task 1; C finishes task 1 first, then B task 0; the rest round-robin. */
#define FUT_ORDER_SCHEDULE "A3 B C C2 B2"

START_TEST(test_map_keeps_submission_order)
{
    Run *run = fut_replay(FUTV_MAP, 2, 3, FUT_ORDER_SCHEDULE);
    int64_t got[8];
    size_t n = values_of(run, 0, EV_FUT_GOT, got, 8);

    ck_assert_int_eq(check_result(run, "completion"), 213);
    ck_assert_int_eq(check_result(run, "order"), 123); /* map: submission order */
    /* main's result() calls returned 0*0, 1*1, 2*2, then the two joins */
    ck_assert_uint_eq(n, 5);
    ck_assert_int_eq(got[0], 0);
    ck_assert_int_eq(got[1], 1);
    ck_assert_int_eq(got[2], 4);
    ck_assert_int_eq(check_result(run, "sum"), 5);
    run_free(run);
}
END_TEST

START_TEST(test_as_completed_keeps_completion_order)
{
    Run *run = fut_replay(FUTV_AS_COMPLETED, 2, 3, FUT_ORDER_SCHEDULE);
    int64_t got[8];
    size_t n = values_of(run, 0, EV_QUEUE_GOT, got, 8);

    ck_assert_int_eq(check_result(run, "completion"), 213);
    ck_assert_int_eq(check_result(run, "order"), 213); /* as they finished */
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(got[0], 1); /* task 1 first: C finished it first */
    ck_assert_int_eq(got[1], 0);
    ck_assert_int_eq(got[2], 2);
    run_free(run);
}
END_TEST

START_TEST(test_free_orders_hold)
{
    for (int i = 0; i < 3; i++) {
        Run *run = fut_start(FUTV_MAP, 2, 5, SCHED_FREE, NULL, false);
        run_wait(run);
        ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
        ck_assert_int_eq(check_result(run, "order"), 12345);
        ck_assert_int_eq(check_result(run, "sum"), 0 + 1 + 4 + 9 + 16);
        run_free(run);
        run = fut_start(FUTV_AS_COMPLETED, 3, 6, SCHED_FREE, NULL, false);
        run_wait(run);
        ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
        ck_assert_int_eq(check_result(run, "order"), check_result(run, "completion"));
        run_free(run);
    }
}
END_TEST

/* ---- errors ----------------------------------------------------------- */

START_TEST(test_result_reraises_in_the_caller)
{
    Run *run = fut_start(FUTV_ERROR, 2, 5, SCHED_FREE, NULL, false);
    int64_t got[8];
    size_t n;

    run_wait(run);
    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    ck_assert_int_eq(check_result(run, "raised"), 1);
    ck_assert_int_eq(check_result(run, "seen"), 1);
    n = values_of(run, 0, EV_FUT_GOT, got, 8);
    ck_assert_uint_ge(n, 5);
    ck_assert_int_eq(got[2], -EINVAL); /* task 2's ValueError, in main */
    run_free(run);
}
END_TEST

START_TEST(test_thread_error_lost_unless_the_caller_looks)
{
    Run *run = fut_replay(FUTV_THREAD_ERROR, 2, 5, "A B B B A A");
    int64_t got[4];

    ck_assert_int_eq(check_result(run, "raised"), 1);
    ck_assert_int_eq(check_result(run, "seen"), 0);
    /* join() returned 0: nothing for main to see */
    ck_assert_uint_eq(values_of(run, 0, EV_FUT_GOT, got, 4), 1);
    ck_assert_int_eq(got[0], 0);
    ck_assert_uint_eq(values_of(run, 1, EV_FUT_RAISE, got, 4), 1);
    ck_assert_int_eq(got[0], -EINVAL);
    run_free(run);

    run = fut_replay(FUTV_THREAD_ERROR_KEPT, 2, 5, "A B B B A A A");
    ck_assert_int_eq(check_result(run, "raised"), 1);
    ck_assert_int_eq(check_result(run, "seen"), 1);
    run_free(run);
}
END_TEST

/* ---- shutdown and daemons --------------------------------------------- */

START_TEST(test_shutdown_nowait_main_ends_first)
{
    Run *run = fut_start(FUTV_SHUTDOWN_NOWAIT, 2, 5, SCHED_FREE, NULL, false);
    run_wait(run);
    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    /* every task sleeps at least a unit; main ends right after shutdown */
    ck_assert_int_eq(check_result(run, "after_main"), 5);
    ck_assert_int_eq(check_result(run, "completion") > 0, 1);
    run_free(run);
}
END_TEST

START_TEST(test_daemon_cut_off_at_the_end)
{
    /* main starts both and ends (3 steps); the writer writes its 3 lines
     * and ends (4 steps); the daemon wrote 3 of its 10 by then */
    Run *run = fut_replay(FUTV_DAEMON, 2, 5, "A B C A B C A B C B");
    const Event *ev;
    size_t n = run_lane_events(run, 2, &ev);

    ck_assert_int_eq(check_result(run, "writer_lines"), 3);
    ck_assert_int_eq(check_result(run, "daemon_lines"), 3);
    ck_assert_int_eq(check_result(run, "cut_off"), 1);
    ck_assert_uint_eq(run_steps(run), 10);
    /* the daemon's row: started, three lines, no end: it was stopped */
    ck_assert_uint_gt(n, 0);
    ck_assert_int_ne(ev[n - 1].kind, EV_LANE_END);
    ck_assert_int_eq(arena_lane_state(run_arena(run), 0), LANE_FINISHED);
    ck_assert_int_eq(arena_lane_state(run_arena(run), 1), LANE_FINISHED);
    ck_assert_int_ne(arena_lane_state(run_arena(run), 2), LANE_FINISHED);
    run_free(run);

    /* free mode: the writer is joined (all its lines), the daemon is not */
    run = fut_start(FUTV_DAEMON, 2, 5, SCHED_FREE, NULL, false);
    run_wait(run);
    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    ck_assert_int_eq(check_result(run, "writer_lines"), 3);
    ck_assert_int_lt(check_result(run, "daemon_lines"), 10);
    ck_assert_int_eq(check_result(run, "cut_off"), 1);
    run_free(run);
}
END_TEST

/* ---- step mode: who a waiter waits for --------------------------------- */

START_TEST(test_result_waits_for_the_worker)
{
    Run *run = fut_start(FUTV_MAP, 1, 2, SCHED_STEP, "A2", true);
    SchedToken tok = {0, TOK_STEPS, 1, 1};
    IlError err;

    /* A submitted both; its result() of future 0 waits: nobody runs it */
    ck_assert_int_eq(run_send(run, &tok, &err), RUN_SEND_REFUSED);
    ck_assert_msg(strstr(err.msg, "lane A waits for future 0 (nobody runs it yet)") != NULL, "%s",
                  err.msg);
    tok.lane = 1;
    ck_assert_int_eq(run_send(run, &tok, &err), RUN_SEND_OK); /* B takes it */
    tok.lane = 0;
    ck_assert_int_eq(run_send(run, &tok, &err), RUN_SEND_REFUSED);
    ck_assert_msg(strstr(err.msg, "lane A waits for future 0 (B runs it)") != NULL, "%s", err.msg);
    ck_assert_str_eq(arena_lane_name(run_arena(run), 1), "ThreadPoolExecutor-0_0");
    ck_assert_str_eq(arena_lane_name(run_arena(run), 0), "MainThread");
    run_kill(run);
    run_free(run);
}
END_TEST

/* A task's time.sleep() is a wait on its worker's row, not running: every
 * worker's sleeps are EV_IO_WAIT .. EV_IO_DONE on the label the view shows
 * as "sleep"; step mode records none (its steps are the schedule's). */
START_TEST(test_free_task_sleeps_are_waits)
{
    int params[] = {
        FUT_P_VARIANT, FUTV_MAP, FUT_P_WORKERS, 2, FUT_P_TASKS, 4, FUT_P_UNIT_MS, 2, -1};
    Run *run = check_run_start(&futures_demo, params, SCHED_FREE, NULL, false);
    const DemoView *v = view_of(&futures_demo);
    const Arena *a;
    int64_t waits[8], dones[8];
    size_t nw = 0, nd = 0;

    run_wait(run);
    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    a = run_arena(run);
    for (unsigned lane = 1; lane <= 2; lane++) {
        const Event *ev;
        size_t n = run_lane_events(run, lane, &ev);
        for (size_t i = 0; i < n; i++) {
            if (ev[i].kind == EV_IO_WAIT) {
                int k = v->wait_class(a, run_config(run)->params, lane, ev[i].obj);
                ck_assert_str_eq(arena_obj_name(a, ev[i].obj), FUT_SLEEP_LABEL);
                ck_assert_int_ge(k, 0);
                ck_assert_str_eq(v->waits[k].name, "sleep");
            }
        }
        nw += values_of(run, lane, EV_IO_WAIT, waits, 8);
        nd += values_of(run, lane, EV_IO_DONE, dones, 8);
    }
    ck_assert_uint_eq(nw, 4); /* one sleep per task */
    ck_assert_uint_eq(nd, 4);
    run_free(run);
    run = fut_replay(FUTV_MAP, 2, 4, "A*");
    for (unsigned lane = 1; lane <= 2; lane++) {
        ck_assert_uint_eq(values_of(run, lane, EV_IO_WAIT, waits, 8), 0);
    }
    run_free(run);
}
END_TEST

static Suite *futures_suite(void)
{
    Suite *s = suite_create("futures");
    TCase *tc = NULL;
    add_tcase(s, &tc, "replay", test_map_keeps_submission_order, 30);
    tcase_add_test(tc, test_as_completed_keeps_completion_order);
    tcase_add_test(tc, test_thread_error_lost_unless_the_caller_looks);
    tcase_add_test(tc, test_daemon_cut_off_at_the_end);
    tcase_add_test(tc, test_result_waits_for_the_worker);
    tc = NULL;
    add_tcase(s, &tc, "free", test_free_orders_hold, 60);
    tcase_add_test(tc, test_result_reraises_in_the_caller);
    tcase_add_test(tc, test_shutdown_nowait_main_ends_first);
    tcase_add_test(tc, test_free_task_sleeps_are_waits);
    return s;
}

CHECK_MAIN(futures_suite)
