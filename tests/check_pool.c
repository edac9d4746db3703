/*
 * check_pool.c - the process pool (demos/pool.c) and what it stands on:
 * pipes between lanes (prims/il_pipe.h), lane deaths a demo handles, a
 * dead worker kept as a zombie until its parent reaps it.
 *
 * Exact claims are replays: map hands results out in submission order
 * although task 2 finished first; as_completed in completion order; a
 * worker that dies at a given task breaks the pool at that step, every
 * pending task fails and is named, the dead worker is a zombie until the
 * parent's reap step.  Free runs are checked for properties only, and a
 * stress case runs many crashing pools in a row and counts what is left:
 * child processes, zombies, descriptors, shared mappings.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "check_common.h"
#include "check_resources.h"
#include "check_run.h"
#include "core/run.h"
#include "demos/pool.h"
#include "export/report.h"
#include "ui/banner.h"
#include "util/strbuf.h"
#include "view/draw.h"
#include "view/view.h"

/* Run pool with params (index/value pairs ended by -1) in mode with sched. */
static Run *pool_run(const int *params, SchedMode mode, const char *sched)
{
    Run *run = check_run_start(&pool_demo, params, mode, sched, false);
    run_wait(run);
    return run;
}

/* The values of lane's events of kind on the object called name, in
 * order, into out (at most max); returns how many. */
static size_t values(const Run *run, unsigned lane, unsigned kind, const char *name, int64_t *out,
                     size_t max)
{
    const Event *ev;
    size_t n = run_lane_events(run, lane, &ev), k = 0;
    for (size_t i = 0; i < n; i++) {
        if (ev[i].kind == kind &&
            (name == NULL || strcmp(arena_obj_name(run_arena(run), ev[i].obj), name) == 0)) {
            if (k < max) {
                out[k] = ev[i].value;
            }
            k++;
        }
    }
    return k;
}

/* The time of lane's first event of kind; fails when there is none. */
static uint64_t first_at(const Run *run, unsigned lane, unsigned kind)
{
    const Event *ev;
    size_t n = run_lane_events(run, lane, &ev);
    for (size_t i = 0; i < n; i++) {
        if (ev[i].kind == kind) {
            return ev[i].t;
        }
    }
    ck_abort_msg("lane %u has no event %s", lane, event_kind_name(kind));
    return 0;
}

/* Both workers take a task; C runs task 2 and sends it back first, then
 * B runs task 1; then the parent reads both. */
#define TASK2_FIRST "A2 B C C C B B A*"

START_TEST(test_map_in_submission_order_although_task2_finished_first)
{
    int params[] = {POOL_TASKS, 2, POOL_USAGE, POOL_MAP, -1};
    Run *run = pool_run(params, SCHED_REPLAY, TASK2_FIRST);
    int64_t got[8];

    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    /* the results arrived 2, then 1 ... */
    ck_assert_uint_eq(values(run, 0, EV_PIPE_READ, "results", got, 8), 2);
    ck_assert_int_eq(got[0], 2);
    ck_assert_int_eq(got[1], 1);
    ck_assert_int_eq(check_result(run, "in_order"), 0);
    /* ... and map handed them out 1, 2 */
    ck_assert_uint_eq(values(run, 0, EV_COMPUTE, "result", got, 8), 2);
    ck_assert_int_eq(got[0], 1);
    ck_assert_int_eq(got[1], 2);
    /* C ran task 2, B task 1 */
    ck_assert_uint_eq(values(run, 2, EV_COMPUTE, "run", got, 8), 1);
    ck_assert_int_eq(got[0], 2);
    ck_assert_int_eq(check_result(run, "done"), 2);
    run_free(run);
}
END_TEST

START_TEST(test_as_completed_in_completion_order)
{
    int params[] = {POOL_TASKS, 2, POOL_USAGE, POOL_AS_COMPLETED, -1};
    Run *run = pool_run(params, SCHED_REPLAY, TASK2_FIRST);
    int64_t got[8];

    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    ck_assert_uint_eq(values(run, 0, EV_COMPUTE, "result", got, 8), 2);
    ck_assert_int_eq(got[0], 2);
    ck_assert_int_eq(got[1], 1);
    run_free(run);
}
END_TEST

/* chunksize: one message carries two tasks; each worker runs a chunk */
START_TEST(test_chunks_of_two)
{
    int params[] = {POOL_TASKS, 4, POOL_CHUNKSIZE, 2, POOL_USAGE, POOL_IMAP_UNORDERED, -1};
    Run *run = pool_run(params, SCHED_REPLAY, NULL);
    int64_t got[8];

    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    /* two chunk messages and two stop sentinels */
    ck_assert_uint_eq(values(run, 0, EV_PIPE_WRITE, "tasks", got, 8), 4);
    ck_assert_int_eq(got[0], 1);
    ck_assert_int_eq(got[1], 3);
    ck_assert_int_eq(got[2], 0);
    ck_assert_uint_eq(values(run, 1, EV_COMPUTE, "run", got, 8), 2);
    ck_assert_int_eq(got[0], 1);
    ck_assert_int_eq(got[1], 2);
    ck_assert_int_eq(check_result(run, "tasks_max_worker"), 2);
    run_free(run);
}
END_TEST

/* The worker running task 2 segfaults at step 7: the pool breaks there,
 * every task not handed out fails and is named, C is a zombie until the
 * parent reaps it, and the replay is the same every time. */
START_TEST(test_crash_breaks_the_pool_naming_pending_tasks)
{
    int params[] = {POOL_TASKS, 4, POOL_CRASH, 2, -1};
    for (int k = 0; k < 2; k++) {
        Run *run = pool_run(params, SCHED_REPLAY, "A3");
        int64_t got[16];
        RunLaneInfo li;
        StrBuf b;
        ViewCtx ctx;
        char want[256];

        ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED); /* the parent carried on */
        ck_assert_int_eq(check_result(run, "broken"), 1);
        ck_assert_int_eq(check_result(run, "broken_by"), 2);
        ck_assert_int_eq(check_result(run, "lost_tasks"), 4);
        ck_assert_int_eq(check_result(run, "done"), 0);
        /* its read of the results found the dead writer, C */
        ck_assert_uint_eq(values(run, 0, EV_PIPE_READ, "results", got, 16), 1);
        ck_assert_int_eq(got[0], -(1 + 2));
        /* every pending task failed, in order */
        ck_assert_uint_eq(values(run, 0, EV_COMPUTE, "broken", got, 16), 4);
        for (int i = 0; i < 4; i++) {
            ck_assert_int_eq(got[i], i + 1);
        }
        /* C died of SIGSEGV at step 7 running task 2 */
        run_lane_info(run, 2, &li);
        ck_assert_int_eq(li.state, LANE_DIED);
        ck_assert(li.ended && WIFSIGNALED(li.exit_status) && WTERMSIG(li.exit_status) == SIGSEGV);
        ck_assert_uint_eq(li.ended_t, 7);
        ck_assert_uint_eq(first_at(run, 2, EV_LANE_DIED), 7);
        /* a zombie until the parent's reap step */
        ck_assert(li.exited);
        ck_assert_uint_eq(li.exit_t, first_at(run, 0, EV_REAP));
        ck_assert_uint_eq(first_at(run, 2, EV_LANE_REAPED), li.exit_t);
        ck_assert_uint_gt(li.exit_t, li.ended_t + 5);
        /* the summary and the banner say it */
        view_ctx_init(&ctx, run);
        strbuf_init(&b);
        ck_assert(!view_of(&pool_demo)->summary(&ctx, &b));
        snprintf(want, sizeof(want),
                 "broken pool: worker C (pid %d) died of signal 11 (Segmentation fault) running "
                 "task 2; 4 pending tasks failed: 1, 2, 3, 4",
                 (int)li.pid);
        ck_assert_str_eq(strbuf_str(&b), want);
        strbuf_fini(&b);
        ck_assert_int_eq(banner_text(run, want, sizeof(want)), UI_BANNER);
        ck_assert_msg(strncmp(want, "BROKEN POOL at step 7: worker C", 31) == 0, "%s", want);
        ck_assert_msg(strstr(want, "; the dead worker was reaped") != NULL, "%s", want);
        run_free(run);
    }
}
END_TEST

/* exit and kill break the pool the same way, with their own status */
START_TEST(test_crash_how_exit_and_kill)
{
    int ex[] = {POOL_CRASH, 3, POOL_CRASH_HOW, POOL_CRASH_EXIT, POOL_COST_US, 100, -1};
    int kl[] = {POOL_CRASH, 3, POOL_CRASH_HOW, POOL_CRASH_KILL, POOL_COST_US, 100, -1};
    Run *run = pool_run(ex, SCHED_FREE, NULL);
    RunLaneInfo li;

    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    ck_assert_int_eq(check_result(run, "broken"), 1);
    run_lane_info(run, (unsigned)check_result(run, "broken_by"), &li);
    ck_assert(WIFEXITED(li.exit_status) && WEXITSTATUS(li.exit_status) == 3);
    ck_assert(li.exited);
    run_free(run);
    run = pool_run(kl, SCHED_FREE, NULL);
    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    run_lane_info(run, (unsigned)check_result(run, "broken_by"), &li);
    ck_assert(WIFSIGNALED(li.exit_status) && WTERMSIG(li.exit_status) == SIGKILL);
    run_free(run);
}
END_TEST

/* A task that raises: its error comes back with its result and surfaces
 * where the parent collects it. */
START_TEST(test_raise_surfaces_where_collected)
{
    int params[] = {POOL_TASKS, 4, POOL_RAISE, 3, -1};
    Run *run = pool_run(params, SCHED_REPLAY, NULL);
    int64_t got[8];

    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    ck_assert_uint_eq(values(run, 0, EV_COMPUTE, "raise", got, 8), 1);
    ck_assert_int_eq(got[0], 3);
    ck_assert_uint_eq(values(run, 0, EV_COMPUTE, "result", got, 8), 3);
    ck_assert_int_eq(check_result(run, "raised"), 1);
    ck_assert_int_eq(check_result(run, "done"), 3);
    ck_assert_int_eq(check_result(run, "broken"), 0);
    run_free(run);
}
END_TEST

/* Step mode: a worker with no task is blocked on the empty pipe, and the
 * refusal says why. */
START_TEST(test_read_of_empty_pipe_is_blocked)
{
    int params[] = {POOL_TASKS, 2, -1};
    Run *run = pool_run(params, SCHED_REPLAY, "B");
    ck_assert_int_eq(run_verdict(run), VERDICT_BAD_SCHEDULE);
    ck_assert_msg(strstr(run_message(run),
                         "lane B is blocked reading pipe tasks: it is empty and only A writes to "
                         "it") != NULL,
                  "%s", run_message(run));
    run_free(run);
}
END_TEST

/* The contrast: a queue-based pool whose worker dies leaves join()
 * waiting forever, found as a hang (step mode, and free mode for real);
 * nobody reaps the dead worker. */
START_TEST(test_queue_pool_hangs_when_a_worker_dies)
{
    int params[] = {POOL_VARIANT, POOL_QUEUE, POOL_TASKS, 4, POOL_CRASH, 2, -1};
    Run *run = pool_run(params, SCHED_REPLAY, NULL);
    RunLaneInfo li;
    int dead = -1;

    ck_assert_int_eq(run_verdict(run), VERDICT_HANG);
    ck_assert_msg(strstr(run_message(run), "A waits on cond all_done") != NULL, "%s",
                  run_message(run));
    for (unsigned l = 1; l < 3; l++) {
        run_lane_info(run, l, &li);
        dead = li.state == LANE_DIED ? (int)l : dead;
    }
    ck_assert_int_ge(dead, 1);
    run_lane_info(run, (unsigned)dead, &li);
    ck_assert(li.ended && !li.exited); /* a zombie to the end */
    run_free(run);

    params[5] = 3;
    {
        int fp[] = {POOL_VARIANT, POOL_QUEUE, POOL_TASKS, 8, POOL_CRASH, 3, POOL_COST_US, 200, -1};
        run = pool_run(fp, SCHED_FREE, NULL);
        ck_assert_int_eq(run_verdict(run), VERDICT_HANG);
        run_free(run);
    }
}
END_TEST

/* Free runs: whatever the timing, map hands out 1..N in order, the other
 * usages a permutation; every task is run once. */
START_TEST(test_free_orders)
{
    for (int usage = 0; usage < 3; usage++) {
        int params[] = {POOL_TASKS,  40, POOL_WORKERS,   3, POOL_USAGE, usage, POOL_COST_US, 50,
                        POOL_SPREAD, 4,  POOL_CHUNKSIZE, 3, -1};
        Run *run = pool_run(params, SCHED_FREE, NULL);
        int64_t got[64];
        bool seen[41] = {false};
        size_t n;

        ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
        n = values(run, 0, EV_COMPUTE, "result", got, 64);
        ck_assert_uint_eq(n, 40);
        for (size_t i = 0; i < n; i++) {
            ck_assert(got[i] >= 1 && got[i] <= 40 && !seen[got[i]]);
            seen[got[i]] = true;
            if (usage == POOL_MAP) {
                ck_assert_int_eq(got[i], (int64_t)i + 1);
            }
        }
        ck_assert_int_eq(check_result(run, "done"), 40);
        {
            int64_t total = 0;
            for (unsigned l = 1; l <= 3; l++) {
                total += (int64_t)values(run, l, EV_COMPUTE, "run", got, 64);
            }
            ck_assert_int_eq(total, 40);
        }
        run_free(run);
    }
}
END_TEST

/* Many crashing pools in a row: each a broken pool, and afterwards no
 * child process, no zombie, no descriptor and no shared mapping left. */
START_TEST(test_crash_stress_leaves_nothing)
{
    int fds = count_fds(), shared = count_maps(true);
    const char *n_env = getenv("POOL_STRESS_RUNS");
    int runs = n_env != NULL ? atoi(n_env) : 30;

    for (int i = 0; i < runs; i++) {
        int params[] = {POOL_TASKS,   6,  POOL_CRASH, 1 + i % 6, POOL_CRASH_HOW, i % 3,
                        POOL_COST_US, 20, -1};
        Run *run = pool_run(params, SCHED_FREE, NULL);
        ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
        ck_assert_msg(check_result(run, "broken") == 1, "run %d: not broken", i);
        run_free(run);
    }
    ck_assert_msg(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD,
                  "a child process is left (or a zombie)");
    ck_assert_int_eq(count_fds(), fds);
    ck_assert_int_eq(count_maps(true), shared);
}
END_TEST

/* The view: a row per process with its pid, spans labelled with task ids. */
START_TEST(test_timeline_rows_and_report)
{
    int params[] = {POOL_TASKS, 4, POOL_CRASH, 2, -1};
    Run *run = pool_run(params, SCHED_REPLAY, "A3");
    StrBuf b;
    RunLaneInfo li;
    char want[128];

    strbuf_init(&b);
    report_text(&b, run, 80);
    for (unsigned l = 0; l < 3; l++) {
        run_lane_info(run, l, &li);
        snprintf(want, sizeof(want), "\n%c %d|", 'A' + l, (int)li.pid);
        ck_assert_msg(strstr(strbuf_str(&b), want) != NULL, "%s", strbuf_str(&b));
    }
    run_lane_info(run, 2, &li);
    /* C: idle, reads task 2 at step 5, dies at 7, a zombie to step 19 */
    snprintf(want, sizeof(want), "C %d|-...<.Xzzzzzzzzzzzz\n", (int)li.pid);
    ck_assert_msg(strstr(strbuf_str(&b), want) != NULL, "%s", strbuf_str(&b));
    ck_assert_msg(strstr(strbuf_str(&b), "; reaped at step 19\n") != NULL, "%s", strbuf_str(&b));
    ck_assert_msg(strstr(strbuf_str(&b), "failed: 1, 2, 3, 4\n") != NULL, "%s", strbuf_str(&b));
    strbuf_fini(&b);
    strbuf_init(&b);
    report_json(&b, run);
    ck_assert_msg(strstr(strbuf_str(&b), "\"task\":2,\"reaped\":true,\"failed\":[1,2,3,4]") != NULL,
                  "%s", strbuf_str(&b));
    strbuf_fini(&b);
    run_free(run);
}
END_TEST

Suite *pool_suite(void);

Suite *pool_suite(void)
{
    Suite *s = suite_create("pool");
    TCase *replay = NULL, *freem = NULL, *stress = NULL, *view = NULL;

    add_tcase(s, &replay, "replay", test_map_in_submission_order_although_task2_finished_first, 30);
    add_tcase(s, &replay, "replay", test_as_completed_in_completion_order, 30);
    add_tcase(s, &replay, "replay", test_chunks_of_two, 30);
    add_tcase(s, &replay, "replay", test_crash_breaks_the_pool_naming_pending_tasks, 30);
    add_tcase(s, &replay, "replay", test_raise_surfaces_where_collected, 30);
    add_tcase(s, &replay, "replay", test_read_of_empty_pipe_is_blocked, 30);
    add_tcase(s, &replay, "replay", test_queue_pool_hangs_when_a_worker_dies, 60);
    add_tcase(s, &freem, "free", test_crash_how_exit_and_kill, 60);
    add_tcase(s, &freem, "free", test_free_orders, 120);
    add_tcase(s, &stress, "stress", test_crash_stress_leaves_nothing, 240);
    add_tcase(s, &view, "view", test_timeline_rows_and_report, 30);
    return s;
}

CHECK_MAIN(pool_suite)
