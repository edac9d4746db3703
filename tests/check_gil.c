/*
 * check_gil.c - the GIL demo: exact replays of the global lock's hand-offs
 * (a drop request and a forced switch, the counter losing an update only
 * with a switch point between its read and its write, an I/O lane that
 * must wait for the holder), the step scheduler's refusals, the GIL lane
 * under the timeline, and free-mode properties (never timings): without
 * the GIL the unprotected counter loses updates in every run and the
 * locked one never does, the new GIL hands the lock back and forth between
 * two CPU lanes, the old one wakes waiters for nothing on two cores.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_common.h"
#include "check_run.h"
#include "core/event.h"
#include "demos/gil.h"
#include "export/report.h"
#include "util/grid.h"
#include "util/strbuf.h"
#include "view/timeline.h"
#include "view/view.h"

static Run *start(SchedMode mode, const char *text, const int *params)
{
    return check_run_start(&gil_demo, params, mode, text, false);
}

/* The step (or time) of lane's n-th event of kind (0-based), -1 = none;
 * *value gets its value. */
static int64_t event_at(const Run *run, unsigned lane, unsigned kind, int n, int64_t *value)
{
    const Event *ev;
    size_t cnt = run_lane_events(run, lane, &ev);
    for (size_t i = 0; i < cnt; i++) {
        if (ev[i].kind == kind && n-- == 0) {
            if (value != NULL) {
                *value = ev[i].value;
            }
            return (int64_t)ev[i].t;
        }
    }
    return -1;
}

/* The arena index of the object called name, 0 = none. */
static uint32_t obj_index(const Run *run, const char *name)
{
    const Arena *a = run_arena(run);
    for (uint32_t o = 1; o < arena_nobjs(a); o++) {
        if (strcmp(arena_obj_name(a, o), name) == 0) {
            return o;
        }
    }
    return 0;
}

static unsigned count_events(const Run *run, unsigned lane, unsigned kind)
{
    const Event *ev;
    size_t cnt = run_lane_events(run, lane, &ev);
    unsigned n = 0;
    for (size_t i = 0; i < cnt; i++) {
        n += ev[i].kind == kind;
    }
    return n;
}

/* ------------------------------------------------------------------ */
/* replays                                                             */
/* ------------------------------------------------------------------ */

/* A takes the GIL; B's interval passes: it asks A to drop; A's next unit
 * sees the request and drops; forced switching holds A until B took it. */
START_TEST(test_replay_drop_request_forced_switch)
{
    static const int p[] = {GIL_THREADS, 2, GIL_WORK, 2, -1};
    for (int i = 0; i < 3; i++) {
        Run *run = start(SCHED_REPLAY, "A B A A B A", p);
        int64_t v;
        ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
        ck_assert_int_eq(event_at(run, 0, EV_GIL_ACQUIRE, 0, &v), 1);
        ck_assert_int_eq(v, -1); /* nobody held it before */
        ck_assert_int_eq(event_at(run, 1, EV_GIL_DROP_REQUEST, 0, &v), 2);
        ck_assert_int_eq(v, 0); /* asked of A */
        ck_assert_int_eq(event_at(run, 0, EV_COMPUTE, 0, NULL), 3);
        ck_assert_int_eq(event_at(run, 0, EV_GIL_RELEASE, 0, &v), 4);
        ck_assert_int_eq(v, GIL_WHY_DROP);
        ck_assert_int_eq(event_at(run, 1, EV_GIL_ACQUIRE, 0, &v), 5);
        ck_assert_int_eq(v, 0); /* from A */
        ck_assert_int_eq(event_at(run, 0, EV_GIL_SWITCHED, 0, &v), 6);
        ck_assert_int_eq(v, 1); /* B took it */
        ck_assert_int_ge(check_result(run, "drop_requests"), 1);
        ck_assert_int_ge(check_result(run, "forced_switches"), 1);
        ck_assert_int_ge(check_result(run, "switches"), 1);
        run_free(run);
    }
}
END_TEST

/* Without forced switching the dropper may take the GIL straight back:
 * the same schedule's sixth step is A taking it again, not a switch. */
START_TEST(test_replay_no_forced_switch_retakes)
{
    static const int p[] = {GIL_THREADS, 2, GIL_WORK, 2, GIL_FORCED, 0, -1};
    Run *run = start(SCHED_REPLAY, "A B A A A", p);
    int64_t v;
    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    ck_assert_int_eq(event_at(run, 0, EV_GIL_RELEASE, 0, &v), 4);
    ck_assert_int_eq(event_at(run, 0, EV_GIL_ACQUIRE, 1, &v), 5);
    ck_assert_int_eq(v, 0); /* A after A: no switch */
    ck_assert_int_eq(count_events(run, 0, EV_GIL_SWITCHED), 0);
    ck_assert_int_eq(check_result(run, "forced_switches"), 0);
    run_free(run);
}
END_TEST

/* Once a drop request is out, a waiter cannot move: the refusal names the
 * holder; and forced switching holds the dropper until another lane took
 * the GIL. */
START_TEST(test_refusals_name_the_holder)
{
    static const int p[] = {GIL_THREADS, 2, GIL_WORK, 2, -1};
    Run *run = start(SCHED_REPLAY, "A B B", p);
    ck_assert_int_eq(run_wait(run), VERDICT_BAD_SCHEDULE);
    ck_assert_ptr_nonnull(strstr(run_message(run), "lane B waits for the GIL held by A"));
    run_free(run);
    run = start(SCHED_REPLAY, "A B A A A", p);
    ck_assert_int_eq(run_wait(run), VERDICT_BAD_SCHEDULE);
    ck_assert_ptr_nonnull(strstr(
        run_message(run), "lane A waits until another lane takes the GIL (forced switching)"));
    run_free(run);
}
END_TEST

/* The same schedule: with a switch point between the read and the write
 * A drops the GIL holding a stale value, and B's update is overwritten;
 * without one A cannot drop before its write, and nothing is lost. */
START_TEST(test_replay_counter_loses_only_with_switch_point)
{
    for (int sp = 0; sp <= 1; sp++) {
        int p[] = {GIL_WORKLOAD,     GIL_COUNTER, GIL_THREADS, 2, GIL_WORK, 1,
                   GIL_SWITCH_POINT, sp,          -1};
        Run *run = start(SCHED_REPLAY, "A B A A A", p);
        ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
        ck_assert_int_eq(check_result(run, "expected"), 2);
        ck_assert_int_eq(check_result(run, "lost"), sp);
        ck_assert_int_eq(check_result(run, "final"), 2 - sp);
        if (sp == 1) {
            int64_t v;
            /* A read 0, dropped at the switch point before its write */
            ck_assert_int_eq(event_at(run, 0, EV_LOAD, 0, &v), 3);
            ck_assert_int_eq(v, 0);
            ck_assert_int_eq(event_at(run, 0, EV_GIL_RELEASE, 0, &v), 5);
            /* B read 0 too and stored 1; A's stale store wrote 1 again */
            ck_assert_int_ge(event_at(run, 1, EV_LOAD, 0, &v), 0);
            ck_assert_int_eq(v, 0);
            ck_assert_int_ge(event_at(run, 0, EV_STORE, 0, &v), 0);
            ck_assert_int_eq(v, 1);
            ck_assert_int_ge(event_at(run, 1, EV_STORE, 0, &v), 0);
            ck_assert_int_eq(v, 1);
        }
        run_free(run);
    }
}
END_TEST

/* Without the GIL the update is three steps any lane may split. */
START_TEST(test_replay_counter_without_gil)
{
    static const int p[] = {GIL_WORKLOAD, GIL_COUNTER, GIL_MODE, GIL_NONE, GIL_THREADS, 2,
                            GIL_WORK,     1,           -1};
    Run *run = start(SCHED_REPLAY, "A B A B A B", p);
    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    ck_assert_int_eq(check_result(run, "lost"), 1);
    ck_assert_int_eq(count_events(run, 0, EV_GIL_ACQUIRE), 0);
    run_free(run);
}
END_TEST

/* Lane B does one I/O op beside CPU lane A: back from I/O it must wait
 * for A (its interval passes, it asks, A drops at its next unit). */
START_TEST(test_replay_io_lane_waits_for_holder)
{
    static const int p[] = {GIL_WORKLOAD, GIL_MIXED, GIL_THREADS, 2, GIL_WORK, 3,
                            GIL_IO_OPS,   1,         -1};
    Run *run = start(SCHED_REPLAY, "B3 A B2 A2 B", p);
    int64_t v;
    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    ck_assert_int_eq(event_at(run, 1, EV_GIL_RELEASE, 0, &v), 3);
    ck_assert_int_eq(v, GIL_WHY_IO);
    ck_assert_int_eq(event_at(run, 1, EV_IO_BEGIN, 0, NULL), 3);
    ck_assert_int_eq(event_at(run, 0, EV_GIL_ACQUIRE, 0, NULL), 4);
    ck_assert_int_eq(event_at(run, 1, EV_IO_END, 0, NULL), 5);
    ck_assert_int_eq(event_at(run, 1, EV_GIL_DROP_REQUEST, 0, &v), 6);
    ck_assert_int_eq(v, 0);
    ck_assert_int_eq(event_at(run, 0, EV_GIL_RELEASE, 0, &v), 8);
    ck_assert_int_eq(v, GIL_WHY_DROP);
    ck_assert_int_eq(event_at(run, 1, EV_GIL_ACQUIRE, 1, NULL), 9);
    /* back from I/O at step 5, running again at step 9 */
    ck_assert_int_eq(check_result(run, "overshoot_p50"), 4);
    run_free(run);
    run = start(SCHED_REPLAY, "B3 A B3", p);
    ck_assert_int_eq(run_wait(run), VERDICT_BAD_SCHEDULE);
    ck_assert_ptr_nonnull(strstr(run_message(run), "lane B waits for the GIL held by A"));
    run_free(run);
}
END_TEST

/* The old GIL takes no drop requests: a waiter cannot move while it is
 * held, and the holder lets go every check_interval units. */
START_TEST(test_replay_old_gil_check_interval)
{
    static const int p[] = {GIL_MODE,           GIL_OLD, GIL_THREADS, 2, GIL_WORK, 4,
                            GIL_CHECK_INTERVAL, 2,       -1};
    Run *run = start(SCHED_REPLAY, "A B", p);
    int64_t v;
    ck_assert_int_eq(run_wait(run), VERDICT_BAD_SCHEDULE);
    ck_assert_ptr_nonnull(strstr(run_message(run), "lane B waits for the GIL held by A"));
    run_free(run);
    run = start(SCHED_REPLAY, "A4 B", p); /* take, two units, release: B takes */
    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    ck_assert_int_eq(event_at(run, 0, EV_GIL_RELEASE, 0, &v), 4);
    ck_assert_int_eq(v, GIL_WHY_CHECK);
    ck_assert_int_eq(event_at(run, 1, EV_GIL_ACQUIRE, 0, NULL), 5);
    ck_assert_int_eq(check_result(run, "drop_requests"), 0);
    run_free(run);
}
END_TEST

/* ------------------------------------------------------------------ */
/* the view                                                            */
/* ------------------------------------------------------------------ */

START_TEST(test_gil_lane_strip_and_waits)
{
    static const int p[] = {GIL_THREADS, 2, GIL_WORK, 2, -1};
    Run *run = start(SCHED_REPLAY, "A B A A B A", p);
    const DemoView *v = view_of(&gil_demo);
    ViewCtx ctx;
    Grid *g;
    void *self;
    const char *want = "AAAABB";
    StrBuf b;

    run_wait(run);
    view_ctx_init(&ctx, run);
    ctx.t0 = 0;
    ctx.per = 1;
    ck_assert_ptr_nonnull(v->under);
    self = v->under->new (&ctx);
    v->under->scan(self, &ctx);
    g = grid_new(40, 2);
    v->under->draw(self, g, (Rect){0, 0, 40, 2}, &ctx);
    ck_assert_int_eq(grid_at(g, 0, 0)->ch, 'G');
    ck_assert_int_eq(grid_at(g, 3, 0)->ch, '|');
    /* step 1 A takes; B holds from step 5 */
    for (int c = 0; c < 6; c++) {
        ck_assert_msg(grid_at(g, 4 + c, 0)->ch == want[c], "column %d: '%c'", c,
                      grid_at(g, 4 + c, 0)->ch);
    }
    /* the drop request at step 2 on the second row */
    ck_assert_int_eq(grid_at(g, 5, 1)->ch, 'v');
    v->under->free(self);
    grid_free(g);
    /* wait classes of the GIL object and of I/O */
    ck_assert_str_eq(
        v->waits[v->wait_class(run_arena(run), run_config(run)->params, 1, obj_index(run, "GIL"))]
            .name,
        "gil");
    ck_assert_str_eq(
        v->waits[v->wait_class(run_arena(run), run_config(run)->params, 1, obj_index(run, "io"))]
            .name,
        "io");
    ck_assert_int_eq(
        v->wait_class(run_arena(run), run_config(run)->params, 1, obj_index(run, "drop_request")),
        -1);
    strbuf_init(&b);
    ck_assert(v->summary(&ctx, &b));
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "2 threads, new GIL"));
    strbuf_fini(&b);
    run_free(run);
}
END_TEST

/* A front end that keeps only the events timeline_free_keeps() names (the
 * TUI's free-mode timeline) draws the same rows as one that keeps them
 * all: waits for the GIL and I/O included. */
START_TEST(test_free_rows_from_kept_events)
{
    static const int p[] = {GIL_WORKLOAD, GIL_MIXED, GIL_THREADS, 3,   GIL_WORK, 30000,
                            GIL_IO_OPS,   10,        GIL_IO_US,   500, -1};
    Run *run = start(SCHED_FREE, NULL, p);
    const DemoView *v = view_of(&gil_demo);
    const Event *all[3], *kept[3];
    size_t nall[3], nkept[3];
    Event *buf[3];
    Grid *g1 = grid_new(80, 5), *g2 = grid_new(80, 5);
    TimelineWaits waits;
    TimelineInput in;
    TimelineView tv = {0, 0, 3};

    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    waits = (TimelineWaits){v->waits, v->nwaits, v->wait_class, run_arena(run),
                            run_config(run)->params};
    for (unsigned l = 0; l < 3; l++) {
        nall[l] = run_lane_events(run, l, &all[l]);
        buf[l] = calloc(nall[l] + 1, sizeof(Event));
        nkept[l] = 0;
        for (size_t i = 0; i < nall[l]; i++) {
            if (timeline_free_keeps(all[l][i].kind)) {
                buf[l][nkept[l]++] = all[l][i];
            }
        }
        kept[l] = buf[l];
    }
    memset(&in, 0, sizeof(in));
    in.nlanes = 3;
    in.events = all;
    in.counts = nall;
    in.t_end = run_elapsed_ns(run);
    in.waits = &waits;
    timeline_render(g1, 0, 0, 80, &in, &tv);
    in.events = kept;
    in.counts = nkept;
    timeline_render(g2, 0, 0, 80, &in, &tv);
    for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 80; x++) {
            ck_assert_msg(grid_at(g1, x, y)->ch == grid_at(g2, x, y)->ch, "lane %d column %d", y,
                          x);
        }
    }
    /* and the rows show the GIL waits and the I/O */
    {
        int w = 0, io = 0;
        for (int x = 4; x < 80; x++) {
            w += grid_at(g1, x, 1)->ch == '~';
            io += grid_at(g1, x, 1)->ch == 'i';
        }
        ck_assert_int_gt(w + io, 0);
    }
    for (unsigned l = 0; l < 3; l++) {
        free(buf[l]);
    }
    grid_free(g1);
    grid_free(g2);
    run_free(run);
}
END_TEST

START_TEST(test_json_report_has_units)
{
    static const int p[] = {GIL_THREADS, 2, GIL_WORK, 2000, -1};
    Run *run = start(SCHED_FREE, NULL, p);
    StrBuf b;
    run_wait(run);
    strbuf_init(&b);
    report_json(&b, run);
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "\"speedup\""));
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "permille"));
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "\"slice_p50\""));
    strbuf_fini(&b);
    run_free(run);
}
END_TEST

/* ------------------------------------------------------------------ */
/* free-mode properties                                                */
/* ------------------------------------------------------------------ */

START_TEST(test_free_no_gil_counter_loses_every_run)
{
    for (int i = 0; i < 5; i++) {
        static const int p[] = {GIL_WORKLOAD, GIL_COUNTER, GIL_MODE, GIL_NONE, GIL_THREADS, 4,
                                GIL_WORK,     50000,       -1};
        Run *run = start(SCHED_FREE, NULL, p);
        ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
        ck_assert_msg(check_result(run, "lost") > 0, "run %d lost nothing", i);
        run_free(run);
    }
}
END_TEST

START_TEST(test_free_objlock_never_loses)
{
    for (int mode = GIL_OLD; mode <= GIL_NONE; mode++) {
        for (int i = 0; i < 3; i++) {
            int p[] = {GIL_WORKLOAD,    GIL_COUNTER, GIL_MODE,    mode, GIL_THREADS,      4,
                       GIL_WORK,        20000,       GIL_OBJLOCK, 1,    GIL_SWITCH_POINT, 1,
                       GIL_INTERVAL_US, 100,         -1};
            Run *run = start(SCHED_FREE, NULL, p);
            ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
            ck_assert_int_eq(check_result(run, "lost"), 0);
            ck_assert_int_eq(check_result(run, "final"), 80000);
            run_free(run);
        }
    }
}
END_TEST

/* Under the GIL without a switch point, the update cannot be split. */
START_TEST(test_free_gil_counter_without_switch_point_keeps_all)
{
    static const int p[] = {GIL_WORKLOAD, GIL_COUNTER,     GIL_THREADS, 4, GIL_WORK,
                            20000,        GIL_INTERVAL_US, 100,         -1};
    Run *run = start(SCHED_FREE, NULL, p);
    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    ck_assert_int_eq(check_result(run, "lost"), 0);
    ck_assert_int_gt(check_result(run, "switches"), 0);
    run_free(run);
}
END_TEST

/* New GIL, two CPU lanes: the lock goes back and forth, both get slices. */
START_TEST(test_free_new_gil_hands_back_and_forth)
{
    static const int p[] = {GIL_THREADS, 2, GIL_WORK, 100000, GIL_INTERVAL_US, 1000, -1};
    Run *run = start(SCHED_FREE, NULL, p);
    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    ck_assert_int_ge(count_events(run, 0, EV_GIL_ACQUIRE), 2);
    ck_assert_int_ge(count_events(run, 1, EV_GIL_ACQUIRE), 2);
    ck_assert_int_ge(check_result(run, "switches"), 2);
    ck_assert_int_ge(check_result(run, "drop_requests"), 1);
    ck_assert_int_gt(check_result(run, "slice_p50"), 0);
    run_free(run);
}
END_TEST

/* The times of a free run show the work done while the GIL is held: the
 * CPU lane's slices (each gil_take to its next gil_drop or to the lane's
 * end) add up to at least half of its work units' time, however few
 * events it recorded in between and however short its waits for the I/O
 * lane (its drop's time is not a read from before the work).  A property
 * of every run: the work happens while the GIL is held. */
START_TEST(test_free_slices_hold_the_work)
{
    static const int p[] = {GIL_THREADS, 2, GIL_WORK, 50000, GIL_WORKLOAD, GIL_MIXED, -1};
    Run *run = start(SCHED_FREE, NULL, p);
    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    int64_t unit = check_result(run, "unit");
    ck_assert_int_gt(unit, 0);
    for (unsigned lane = 0; lane < 1; lane++) { /* A: the CPU lane */
        const Event *ev;
        size_t cnt = run_lane_events(run, lane, &ev);
        uint64_t held = 0, since = 0;
        bool holding = false;
        for (size_t i = 0; i < cnt; i++) {
            if (ev[i].kind == EV_GIL_ACQUIRE) {
                holding = true;
                since = ev[i].t;
            } else if (holding && (ev[i].kind == EV_GIL_RELEASE || ev[i].kind == EV_LANE_END)) {
                holding = false;
                held += ev[i].t - since;
            }
        }
        ck_assert_msg(held >= (uint64_t)(50000 / 2) * (uint64_t)unit,
                      "lane %u held the GIL %llu ns for %d units of %lld ns", lane,
                      (unsigned long long)held, 50000, (long long)unit);
    }
    run_free(run);
}
END_TEST

/* Old GIL on two cores: a waiter woken by a release mostly finds the lock
 * taken again.  On a machine whose cores other work keeps busy the waiter
 * may seldom run while the holder does, so the property is asked of one
 * run out of ten, each with 20000 releases a lane. */
START_TEST(test_free_old_gil_futile_wakeups)
{
    static const int p[] = {GIL_MODE,           GIL_OLD, GIL_THREADS, 3, GIL_WORK, 200000,
                            GIL_CHECK_INTERVAL, 10,      -1};
    int64_t futile = 0;
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
        return; /* needs two cores */
    }
    /* a woken waiter finds the lock taken again only when it runs on
     * another core while the holder goes on; with other work on both cores
     * the hand-off is mostly clean, so up to ten runs of three lanes */
    for (int i = 0; i < 10 && futile == 0; i++) {
        Run *run = start(SCHED_FREE, NULL, p);
        ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
        futile = check_result(run, "futile_wakeups");
        ck_assert_int_eq(check_result(run, "drop_requests"), 0);
        ck_assert_int_gt(check_result(run, "switches"), 0);
        run_free(run);
    }
    ck_assert_int_gt(futile, 0);
}
END_TEST

/* Many short runs with many hand-offs: every one completes.  A lane
 * switched by forced switching but not yet back on a CPU while the others
 * finish must not look stuck in its wait to the deadlock check (the taker
 * changes its published wait, under the switch mutex). */
START_TEST(test_free_forced_switching_never_looks_stuck)
{
    for (int i = 0; i < 20; i++) {
        static const int p[] = {GIL_THREADS, 3, GIL_WORK, 3000, GIL_INTERVAL_US, 50, -1};
        Run *run = start(SCHED_FREE, NULL, p);
        ck_assert_msg(run_wait(run) == VERDICT_COMPLETED, "run %d: %s", i, run_message(run));
        run_free(run);
    }
}
END_TEST

/* The old GIL's holder lets go and takes the GIL again thousands of times
 * a second: its wait ends before it shows as the owner, so the deadlock
 * check never sees a lane waiting for a GIL it holds. */
START_TEST(test_free_old_gil_never_waits_for_itself)
{
    static const int p[] = {GIL_MODE,           GIL_OLD, GIL_THREADS, 2, GIL_WORK, 300000,
                            GIL_CHECK_INTERVAL, 5,       -1};
    for (int i = 0; i < 3; i++) {
        Run *run = start(SCHED_FREE, NULL, p);
        ck_assert_msg(run_wait(run) == VERDICT_COMPLETED, "run %d: %s", i, run_message(run));
        run_free(run);
    }
}
END_TEST

/* Send lane one step of an interactive run; returns run_send's result. */
static int step_lane(Run *run, unsigned lane, unsigned pos)
{
    SchedToken tok = {0, TOK_STEPS, 1, 0};
    IlError err;
    int rc;
    tok.lane = (uint16_t)lane;
    tok.pos = pos;
    rc = run_send(run, &tok, &err);
    ck_assert_msg(rc >= 0 && rc != RUN_SEND_REFUSED, "step %u of lane %u: %d %s", pos, lane, rc,
                  err.msg);
    return rc;
}

/* After a drop on request, the dropper waits (blocked) until another lane
 * takes the GIL; the taker ends that wait. */
START_TEST(test_taker_ends_the_switch_wait)
{
    static const int p[] = {GIL_THREADS, 2, GIL_WORK, 2, -1};
    Run *run = check_run_start(&gil_demo, p, SCHED_STEP, NULL, true);
    const Arena *a = run_arena(run);

    step_lane(run, 0, 1); /* A takes */
    step_lane(run, 1, 2); /* B: drop request */
    step_lane(run, 0, 3); /* A: a unit, sees it */
    step_lane(run, 0, 4); /* A drops: forced switching */
    ck_assert_int_eq(arena_lane_state(a, 0), LANE_BLOCKED);
    ck_assert_int_eq(arena_lane_op(a, 0), EV_GIL_SWITCH_WAIT);
    step_lane(run, 1, 5); /* B takes */
    ck_assert_int_eq(arena_lane_state(a, 0), LANE_READY);
    ck_assert_int_eq(arena_lane_op(a, 0), EV_GIL_SWITCHED);
    run_free(run);
}
END_TEST

/* Any schedule: a random runnable lane at each step, to the end. */
static int64_t random_counter_run(int mode, int split, unsigned seed)
{
    int p[] = {GIL_WORKLOAD,     GIL_COUNTER, GIL_MODE,           mode, GIL_THREADS, 3, GIL_WORK, 3,
               GIL_SWITCH_POINT, split,       GIL_CHECK_INTERVAL, 2,    -1};
    Run *run = check_run_start(&gil_demo, p, SCHED_STEP, NULL, true);
    const Arena *a = run_arena(run);
    unsigned pos = 1;
    int64_t lost;

    for (;;) {
        unsigned ready[8], n = 0;
        int rc;
        for (unsigned i = 0; i < 3; i++) {
            if (arena_lane_state(a, i) == LANE_READY) {
                ready[n++] = i;
            }
        }
        ck_assert_msg(n > 0, "no runnable lane, but the run goes on");
        rc = step_lane(run, ready[rand_r(&seed) % n], pos++);
        if (rc == RUN_SEND_FINISHED || rc == RUN_SEND_DEADLOCK) {
            break;
        }
    }
    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    lost = check_result(run, "lost");
    run_free(run);
    return lost;
}

/* Under either GIL without a switch point inside the update, no schedule
 * loses an update; with one, or without the GIL, some do. */
START_TEST(test_random_schedules_counter)
{
    int64_t split_lost = 0, none_lost = 0;
    for (unsigned seed = 1; seed <= 40; seed++) {
        ck_assert_int_eq(random_counter_run(GIL_NEW, 0, seed), 0);
        ck_assert_int_eq(random_counter_run(GIL_OLD, 0, seed), 0);
        split_lost += random_counter_run(GIL_NEW, 1, seed) > 0;
        none_lost += random_counter_run(GIL_NONE, 0, seed) > 0;
    }
    ck_assert_int_gt(split_lost, 0);
    ck_assert_int_gt(none_lost, 0);
}
END_TEST

/* Processes: one GIL each, never handed over. */
START_TEST(test_free_processes_one_gil_each)
{
    static const int p[] = {GIL_THREADS, 2, GIL_WORK, 20000, GIL_LANES, GIL_LANES_PROCESSES, -1};
    Run *run = start(SCHED_FREE, NULL, p);
    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    ck_assert_int_eq(check_result(run, "switches"), 0);
    ck_assert_int_eq(check_result(run, "drop_requests"), 0);
    ck_assert_int_eq(count_events(run, 0, EV_GIL_ACQUIRE), 1);
    ck_assert_int_eq(count_events(run, 1, EV_GIL_ACQUIRE), 1);
    run_free(run);
}
END_TEST

Suite *gil_suite(void);

Suite *gil_suite(void)
{
    Suite *s = suite_create("gil");
    TCase *replay = NULL, *view = NULL, *freem = NULL;

    add_tcase(s, &replay, "replay", test_replay_drop_request_forced_switch, 30);
    add_tcase(s, &replay, "replay", test_replay_no_forced_switch_retakes, 30);
    add_tcase(s, &replay, "replay", test_refusals_name_the_holder, 30);
    add_tcase(s, &replay, "replay", test_replay_counter_loses_only_with_switch_point, 30);
    add_tcase(s, &replay, "replay", test_replay_counter_without_gil, 30);
    add_tcase(s, &replay, "replay", test_replay_io_lane_waits_for_holder, 30);
    add_tcase(s, &replay, "replay", test_replay_old_gil_check_interval, 30);
    add_tcase(s, &replay, "replay", test_taker_ends_the_switch_wait, 30);
    add_tcase(s, &replay, "random", test_random_schedules_counter, 120);
    add_tcase(s, &view, "view", test_gil_lane_strip_and_waits, 30);
    add_tcase(s, &view, "view", test_json_report_has_units, 30);
    add_tcase(s, &view, "view", test_free_rows_from_kept_events, 60);
    add_tcase(s, &freem, "free", test_free_no_gil_counter_loses_every_run, 120);
    add_tcase(s, &freem, "free", test_free_objlock_never_loses, 120);
    add_tcase(s, &freem, "free", test_free_gil_counter_without_switch_point_keeps_all, 60);
    add_tcase(s, &freem, "free", test_free_new_gil_hands_back_and_forth, 60);
    add_tcase(s, &freem, "free", test_free_slices_hold_the_work, 60);
    add_tcase(s, &freem, "free", test_free_old_gil_futile_wakeups, 60);
    add_tcase(s, &freem, "free", test_free_processes_one_gil_each, 60);
    add_tcase(s, &freem, "free", test_free_forced_switching_never_looks_stuck, 120);
    add_tcase(s, &freem, "free", test_free_old_gil_never_waits_for_itself, 120);
    return s;
}

CHECK_MAIN(gil_suite)
