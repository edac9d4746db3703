/*
 * check_share.c - threads vs processes (demos/share.c): who sees the
 * global.
 *
 * Exact claims are replays: the same schedule loses an update with
 * threads and with shared memory, and leaves the parent at 0 with
 * processes.  Free runs are checked for properties only: processes never
 * change the parent's counter; shared memory without a lock loses updates
 * (in some run); with the process-shared mutex never.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "check_run.h"
#include "core/run.h"
#include "demos/share.h"
#include "util/grid.h"
#include "view/view.h"

static Run *share_run(int64_t variant, int workers, int iterations, SchedMode mode,
                      const char *sched)
{
    int params[] = {
        SHARE_VARIANT, (int)variant, SHARE_WORKERS, workers, SHARE_ITERATIONS, iterations, -1};
    Run *run = check_run_start(&share_demo, params, mode, sched, false);
    run_wait(run);
    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    return run;
}

/* The value of lane's last event of kind on the object called name; -1
 * when there is none. */
static int64_t last_value(const Run *run, unsigned lane, unsigned kind, const char *name)
{
    const Event *ev;
    size_t n = run_lane_events(run, lane, &ev);
    int64_t v = -1;
    for (size_t i = 0; i < n; i++) {
        if (ev[i].kind == kind && strcmp(arena_obj_name(run_arena(run), ev[i].obj), name) == 0) {
            v = ev[i].value;
        }
    }
    return v;
}

/* B and C load before either stores: with one counter, one update is lost. */
START_TEST(test_threads_share_one_counter_and_race)
{
    Run *run = share_run(SHARE_THREADS, 2, 1, SCHED_REPLAY, "B C B C B C");
    ck_assert_int_eq(check_result(run, "copies"), 1);
    ck_assert_int_eq(check_result(run, "parent"), 1);
    ck_assert_int_eq(check_result(run, "unseen"), 1);
    /* the parent is a thread of the same process as its workers */
    ck_assert_int_eq(run_arena(run)->process_lanes, 0);
    run_free(run);
}
END_TEST

/* The same schedule with processes: each stores 1 in its own copy, and
 * the parent, which never wrote, still reads 0. */
START_TEST(test_processes_copy_the_global_parent_stays_zero)
{
    Run *run = share_run(SHARE_PROCESSES, 2, 1, SCHED_REPLAY, "B C B C B C");
    RunLaneInfo a, b, c;

    ck_assert_int_eq(check_result(run, "copies"), 3);
    ck_assert_int_eq(check_result(run, "parent"), 0);
    ck_assert_int_eq(check_result(run, "unseen"), 2);
    ck_assert_int_eq(last_value(run, 1, EV_STORE, "counter"), 1);
    ck_assert_int_eq(last_value(run, 2, EV_STORE, "counter"), 1);
    ck_assert_int_eq(last_value(run, 0, EV_COMPUTE, "print"), 0);
    run_lane_info(run, 0, &a);
    run_lane_info(run, 1, &b);
    run_lane_info(run, 2, &c);
    ck_assert_int_eq(a.kind, LANE_KIND_THREAD);
    ck_assert_int_eq(b.kind, LANE_KIND_PROCESS);
    ck_assert_int_ne(b.pid, a.pid);
    ck_assert_int_ne(c.pid, b.pid);
    run_free(run);
}
END_TEST

/* Sequential steps cannot help: B runs to the end, then C starts from
 * its own copy (0), not from B's 3. */
START_TEST(test_processes_do_not_see_each_other)
{
    Run *run = share_run(SHARE_PROCESSES, 2, 3, SCHED_REPLAY, "B10 C10");
    ck_assert_int_eq(last_value(run, 2, EV_LOAD, "counter"), 2); /* its own third load */
    ck_assert_int_eq(last_value(run, 2, EV_STORE, "counter"), 3);
    ck_assert_int_eq(check_result(run, "parent"), 0);
    run_free(run);
}
END_TEST

START_TEST(test_shm_loses_the_update_across_processes)
{
    Run *run = share_run(SHARE_SHM, 2, 1, SCHED_REPLAY, "B C B C B C");
    ck_assert_int_eq(check_result(run, "copies"), 1);
    ck_assert_int_eq(check_result(run, "parent"), 1);
    ck_assert_int_eq(check_result(run, "unseen"), 1);
    ck_assert_int_eq(run_arena(run)->process_lanes, 2);
    run_free(run);
}
END_TEST

/* With the process-shared mutex C cannot load while B holds it. */
START_TEST(test_shm_lock_refuses_the_interleaving)
{
    int params[] = {SHARE_VARIANT, SHARE_SHM_LOCK, SHARE_WORKERS, 2, SHARE_ITERATIONS, 1, -1};
    Run *run = check_run_start(&share_demo, params, SCHED_REPLAY, "B C", false);
    run_wait(run);
    ck_assert_int_eq(run_verdict(run), VERDICT_BAD_SCHEDULE);
    ck_assert_msg(strstr(run_message(run), "lane C is blocked on mutex m held by B") != NULL, "%s",
                  run_message(run));
    run_free(run);
}
END_TEST

/* Free runs: whatever the timing, processes never touch the parent's copy. */
START_TEST(test_free_processes_parent_always_zero)
{
    for (int i = 0; i < 5; i++) {
        Run *run = share_run(SHARE_PROCESSES, 4, 20000, SCHED_FREE, NULL);
        ck_assert_int_eq(check_result(run, "parent"), 0);
        ck_assert_int_eq(check_result(run, "unseen"), 80000);
        /* each worker counted all of its own increments */
        for (unsigned l = 1; l <= 4; l++) {
            ck_assert_int_eq(last_value(run, l, EV_STORE, "counter"), 20000);
        }
        run_free(run);
    }
}
END_TEST

/* Free runs: shared memory without a lock loses updates (in some run of
 * a few: the race needs the two processes to overlap). */
START_TEST(test_free_shm_loses_updates)
{
    int64_t worst = 0;
    for (int i = 0; i < 20 && worst == 0; i++) {
        Run *run = share_run(SHARE_SHM, 2, 200000, SCHED_FREE, NULL);
        int64_t missing = check_result(run, "unseen");
        ck_assert_int_ge(missing, 0);
        worst = missing;
        run_free(run);
    }
    ck_assert_msg(worst > 0, "20 free runs of shm lost no update");
}
END_TEST

START_TEST(test_free_shm_lock_never_loses)
{
    for (int i = 0; i < 3; i++) {
        Run *run = share_run(SHARE_SHM_LOCK, 3, 20000, SCHED_FREE, NULL);
        ck_assert_int_eq(check_result(run, "parent"), 60000);
        ck_assert_int_eq(check_result(run, "unseen"), 0);
        run_free(run);
    }
}
END_TEST

/* The fix without sharing: the same interleaving, each process counts in
 * its own copy and sends its count back; the parent adds them. */
START_TEST(test_pipe_sends_counts_back)
{
    Run *run = share_run(SHARE_PIPE, 2, 1, SCHED_REPLAY, "B C B C B C");
    int64_t v[2];
    ck_assert_int_eq(check_result(run, "parent"), 2);
    ck_assert_int_eq(check_result(run, "unseen"), 0);
    ck_assert_int_eq(check_result(run, "copies"), 3);
    /* each worker's message carries its own count */
    ck_assert_int_eq(last_value(run, 1, EV_PIPE_WRITE, "results"), 1);
    ck_assert_int_eq(last_value(run, 2, EV_PIPE_WRITE, "results"), 1);
    v[0] = last_value(run, 0, EV_PIPE_READ, "results");
    v[1] = last_value(run, 0, EV_STORE, "counter");
    ck_assert_int_eq(v[0], 1);
    ck_assert_int_eq(v[1], 2);
    run_free(run);
}
END_TEST

/* Free runs: counts over a pipe are never lost; the hybrid's processes
 * each count T x iterations under their own lock. */
START_TEST(test_free_pipe_and_hybrid_complete)
{
    for (int i = 0; i < 3; i++) {
        Run *run = share_run(SHARE_PIPE, 4, 20000, SCHED_FREE, NULL);
        ck_assert_int_eq(check_result(run, "parent"), 80000);
        run_free(run);
    }
    {
        int params[] = {SHARE_VARIANT,
                        SHARE_HYBRID,
                        SHARE_WORKERS,
                        2,
                        SHARE_ITERATIONS,
                        500,
                        SHARE_THREADS_PER,
                        3,
                        -1};
        Run *run = check_run_start(&share_demo, params, SCHED_FREE, NULL, false);
        run_wait(run);
        ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
        ck_assert_int_eq(check_result(run, "expected"), 3000);
        ck_assert_int_eq(check_result(run, "parent"), 3000);
        ck_assert_int_gt(check_result(run, "speedup_pct"), 0);
        ck_assert_int_eq(last_value(run, 1, EV_PIPE_WRITE, "results"), 1500);
        run_free(run);
    }
}
END_TEST

/* The copies panel: a row per lane with its pid and its own value. */
START_TEST(test_copies_panel_shows_each_process)
{
    Run *run = share_run(SHARE_PROCESSES, 2, 1, SCHED_REPLAY, "B C B C B C");
    const DemoView *v = view_of(&share_demo);
    Grid *g = grid_new(44, 6);
    char want[64], row[128];
    ViewCtx ctx;
    void *st;
    RunLaneInfo li;

    ck_assert_ptr_nonnull(v->side);
    view_ctx_init(&ctx, run);
    st = v->side->new (&ctx);
    v->side->scan(st, &ctx);
    v->side->draw(st, g, (Rect){0, 0, 44, 6}, &ctx);
    grid_row_text(g, 0, row, sizeof(row));
    ck_assert_str_eq(row, "counter: a copy per process");
    for (unsigned l = 0; l < 3; l++) {
        char pid[16];
        run_lane_info(run, l, &li);
        snprintf(pid, sizeof(pid), "pid %d", (int)li.pid);
        snprintf(want, sizeof(want), "%-2s %-8s %-11s %d",
                 l == 0   ? "A"
                 : l == 1 ? "B"
                          : "C",
                 l == 0 ? "parent" : "worker", pid, l == 0 ? 0 : 1);
        grid_row_text(g, 2 + (int)l, row, sizeof(row));
        ck_assert_str_eq(row, want);
    }
    /* the parent's wait for its workers is the demo's own wait, join */
    ck_assert_int_eq(v->nwaits, 2);
    ck_assert_str_eq(v->waits[0].name, "join");
    v->side->free(st);
    grid_free(g);
    run_free(run);
}
END_TEST

Suite *share_suite(void);

Suite *share_suite(void)
{
    Suite *s = suite_create("share");
    TCase *replay = NULL, *freem = NULL, *view = NULL;

    add_tcase(s, &replay, "replay", test_threads_share_one_counter_and_race, 30);
    add_tcase(s, &replay, "replay", test_processes_copy_the_global_parent_stays_zero, 30);
    add_tcase(s, &replay, "replay", test_processes_do_not_see_each_other, 30);
    add_tcase(s, &replay, "replay", test_shm_loses_the_update_across_processes, 30);
    add_tcase(s, &replay, "replay", test_shm_lock_refuses_the_interleaving, 30);
    add_tcase(s, &freem, "free", test_free_processes_parent_always_zero, 120);
    add_tcase(s, &freem, "free", test_free_shm_loses_updates, 240);
    add_tcase(s, &freem, "free", test_free_shm_lock_never_loses, 120);
    add_tcase(s, &replay, "replay", test_pipe_sends_counts_back, 30);
    add_tcase(s, &freem, "free", test_free_pipe_and_hybrid_complete, 120);
    add_tcase(s, &view, "view", test_copies_panel_shows_each_process, 30);
    return s;
}

CHECK_MAIN(share_suite)
