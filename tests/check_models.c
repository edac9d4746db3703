/*
 * check_models.c - the breakfast and models demos: sequential against
 * concurrent, CPU-bound against I/O-bound, one core against all.
 *
 * Exact replays on the event loop's virtual clock (the breakfast in 7
 * minutes, three waits of 100 ms in 100 ms); free-run properties that
 * hold on any machine: waits overlap (a concurrent breakfast takes well
 * under the sum of its tasks), cores=one leaves the run one CPU, the
 * processes variant really forks a process per task.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check_common.h"
#include "check_run.h"
#include "core/run.h"
#include "demos/breakfast.h"
#include "demos/models.h"

#define MINUTE 20000000 /* ns: minute_ms=20, the default */

static Run *done_run(const DemoClass *demo, const int *params, SchedMode mode, const char *sched)
{
    Run *run = check_run_start(demo, params, mode, sched, false);
    run_wait(run);
    ck_assert_msg(run_verdict(run) == VERDICT_COMPLETED, "verdict %s: %s",
                  verdict_name(run_verdict(run)), run_message(run));
    return run;
}

START_TEST(test_breakfast_on_the_loop_replays_in_7_minutes)
{
    /* main gathers; water, toast, eggs start; the toaster is done at 2,
     * the water at 3 (the coffee brews till 7), the eggs at 5 */
    int params[] = {BF_P_VARIANT, BF_ASYNC, -1};
    Run *run = done_run(&breakfast_demo, params, SCHED_REPLAY, "B C D E D C E C B");
    ck_assert_int_eq(check_result(run, "total"), 7 * MINUTE);
    ck_assert_int_eq(check_result(run, "work"), 14 * MINUTE);
    ck_assert_uint_eq(run_steps(run), 9);
    run_free(run);
}
END_TEST

START_TEST(test_breakfast_waits_overlap)
{
    int seq[] = {BF_P_VARIANT, BF_SEQUENTIAL, -1};
    int thr[] = {BF_P_VARIANT, BF_THREADS, -1};
    int aio[] = {BF_P_VARIANT, BF_ASYNC, -1};
    Run *run = done_run(&breakfast_demo, seq, SCHED_FREE, NULL);
    ck_assert_int_ge(check_result(run, "total"), 14 * MINUTE); /* one thing at a time */
    run_free(run);
    run = done_run(&breakfast_demo, thr, SCHED_FREE, NULL);
    ck_assert_int_ge(check_result(run, "total"), 7 * MINUTE);
    ck_assert_int_lt(check_result(run, "total"), 11 * MINUTE); /* 7 minutes of 14, and slack */
    run_free(run);
    run = done_run(&breakfast_demo, aio, SCHED_FREE, NULL);
    ck_assert_int_ge(check_result(run, "total"), 7 * MINUTE);
    ck_assert_int_lt(check_result(run, "total"), 11 * MINUTE);
    run_free(run);
}
END_TEST

START_TEST(test_models_io_on_the_loop_replays)
{
    int params[] = {
        MODELS_P_VARIANT, MODELS_ASYNC, MODELS_P_WORK, MODELS_WORK_IO, MODELS_P_TASKS, 3, -1};
    Run *run = done_run(&models_demo, params, SCHED_REPLAY, "B C D E C D E B");
    ck_assert_int_eq(check_result(run, "wall_time"), 100000000); /* three waits at once */
    ck_assert_int_eq(check_result(run, "work"), 300000000);
    run_free(run);
}
END_TEST

START_TEST(test_models_io_threads_overlap)
{
    int params[] = {MODELS_P_VARIANT,
                    MODELS_THREADS_GIL,
                    MODELS_P_WORK,
                    MODELS_WORK_IO,
                    MODELS_P_SIZE_MS,
                    50,
                    -1};
    Run *run = done_run(&models_demo, params, SCHED_FREE, NULL);
    /* four waits of 50 ms, the GIL let go while waiting: about 50 ms */
    ck_assert_int_lt(check_result(run, "wall_time"), 150000000);
    ck_assert_int_gt(check_result(run, "speedup"), 1333);
    run_free(run);
}
END_TEST

START_TEST(test_models_one_core_and_processes)
{
    int one[] = {MODELS_P_VARIANT,
                 MODELS_THREADS,
                 MODELS_P_CORES,
                 MODELS_CORES_ONE,
                 MODELS_P_SIZE_MS,
                 5,
                 -1};
    int proc[] = {MODELS_P_VARIANT, MODELS_PROCESSES, MODELS_P_SIZE_MS, 5, -1};
    Run *run = done_run(&models_demo, one, SCHED_FREE, NULL);
    ck_assert_int_eq(check_result(run, "cpus"), 1);
    run_free(run);
    run = done_run(&models_demo, proc, SCHED_FREE, NULL);
    ck_assert_int_eq(check_result(run, "cpus"), sysconf(_SC_NPROCESSORS_ONLN));
    for (unsigned l = 0; l < run_nlanes(run); l++) {
        RunLaneInfo li;
        run_lane_info(run, l, &li);
        ck_assert_int_eq(li.kind, LANE_KIND_PROCESS);
        ck_assert_int_ne(li.pid, getpid());
        for (unsigned k = 0; k < l; k++) {
            RunLaneInfo lk;
            run_lane_info(run, k, &lk);
            ck_assert_int_ne(lk.pid, li.pid); /* a process of its own */
        }
    }
    run_free(run);
}
END_TEST

static Suite *models_suite(void)
{
    Suite *s = suite_create("models");
    TCase *tc = NULL;
    add_tcase(s, &tc, "replay", test_breakfast_on_the_loop_replays_in_7_minutes, 30);
    tcase_add_test(tc, test_models_io_on_the_loop_replays);
    tc = NULL;
    add_tcase(s, &tc, "free", test_breakfast_waits_overlap, 60);
    tcase_add_test(tc, test_models_io_threads_overlap);
    tcase_add_test(tc, test_models_one_core_and_processes);
    return s;
}

CHECK_MAIN(models_suite)
