/*
 * check_prodcons.c - the producer-consumer lesson (prims/il_cond.h,
 * demos/prodcons.h, the hang and invariant verdicts of core/run.h, the
 * spurious-wakeup token of core/schedule.h, export/queueview.h).
 *
 * What the lesson promises, pinned down:
 *   - each broken variant fails in its own way under a replay schedule,
 *     at the same step with the same message every run:
 *       if_wait      B* ~B B*          (a spurious wakeup) and
 *                    B* A8 C* B*       (a second consumer first):
 *                    B takes from an empty buffer, and nothing else
 *                    breaks it: one producer and one consumer without
 *                    a spurious wakeup complete, stepped and free;
 *       signal_lost  B* C* A* B* C*    every lane asleep on cv: a hang;
 *       unlocked     A2 B2 A B         two producers fill slot 0: item 0
 *                                      lost;
 *                    A* B2 C2 B C      two consumers take item 0 twice;
 *   - condvar and semaphore keep every invariant under many seeded random
 *     schedules (a random choice among the runnable lanes, with random
 *     spurious wakeups for condvar), with and without join;
 *   - free runs of condvar and semaphore with several producers and
 *     consumers complete with every item taken exactly once, run after
 *     run; the free-mode hang of signal_lost is found, named, within
 *     200 ms of the last lane falling asleep;
 *   - condition variables: signal wakes the longest-asleep lane, a woken
 *     lane waits for the mutex, a wakeup with nobody asleep is lost;
 *   - figures: capacity >= items never blocks a producer; latencies are
 *     ordered; the depth series follows the count.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "check_run.h"
#include "core/run.h"
#include "core/waitfor.h"
#include "demos/prodcons.h"
#include "util/grid.h"
#include "view/queueview.h"
#include "view/view.h"
#include "export/report.h"

/* The wait class ("full", "empty", "join") the demo's view puts lane of
 * run in now, "none" when it is in none. */
static const char *lane_wait(const Run *run, unsigned lane)
{
    const DemoView *v = view_of(run_config(run)->demo);
    int k = view_lane_wait(v, run_arena(run), run_config(run)->params, lane);
    return k >= 0 ? v->waits[k].name : "none";
}

/* Start a prodcons run with params (index/value pairs ended by -1), in
 * mode, with schedule text (NULL = none).  Caller frees. */
static Run *start(SchedMode mode, const char *text, bool interactive, const int *params)
{
    return check_run_start(&prodcons_demo, params, mode, text, interactive);
}

static int64_t result(const Run *run, const char *name)
{
    return check_result(run, name);
}

/* Every item taken exactly once, nothing lost: the invariants of a
 * completed run, from the figures and the verdict. */
static void assert_all_taken_once(const Run *run, int64_t items, const char *what)
{
    ck_assert_msg(run_verdict(run) == VERDICT_COMPLETED, "%s: verdict %s: %s", what,
                  verdict_name(run_verdict(run)), run_message(run));
    ck_assert_msg(!arena_violated(run_arena(run)), "%s: %s", what, run_message(run));
    ck_assert_int_eq(result(run, "items"), items);
    ck_assert_int_eq(result(run, "consumed"), items);
    ck_assert_int_eq(result(run, "lost"), 0);
    ck_assert_int_eq(result(run, "duplicated"), 0);
    ck_assert_int_le(result(run, "max_depth"), result(run, "max_depth")); /* present */
}

/* ------------------------------------------------------------------ */
/* replay: each broken variant fails in its own way                    */
/* ------------------------------------------------------------------ */

#define EMPTY_TAKE "took from an empty buffer: slot 0 holds no item"

START_TEST(test_if_wait_spurious_takes_from_empty)
{
    static const int p[] = {PC_VARIANT, PC_IF_WAIT, PC_CAPACITY, 2, PC_ITEMS, 4, -1};
    for (int i = 0; i < 5; i++) {
        Run *run = start(SCHED_REPLAY, "B* ~B B*", false, p);
        ck_assert_int_eq(run_wait(run), VERDICT_INVARIANT);
        ck_assert_str_eq(
            run_message(run),
            "invariant 'depth within 0..capacity' broken at step 7 by lane B: " EMPTY_TAKE);
        ck_assert_int_eq(run_arena(run)->violation.lane, 1);
        ck_assert_int_eq(run_arena(run)->violation.t, 7);
        /* the producer never got to items 1..3: not lost; item 0 it had
         * begun to put is still in the buffer */
        ck_assert_int_eq(result(run, "lost"), 0);
        ck_assert_int_eq(result(run, "never_produced"), 3);
        ck_assert_int_eq(result(run, "in_buffer"), 1);
        run_free(run);
    }
}
END_TEST

START_TEST(test_if_wait_second_consumer_first)
{
    /* B sleeps on not_empty; A puts item 0 and signals B (8 steps); C
     * gets the lock first and takes item 0; B wakes, does not look again */
    static const int p[] = {PC_VARIANT, PC_IF_WAIT, PC_CONSUMERS, 2, PC_CAPACITY, 1, PC_ITEMS,
                            4,          -1};
    for (int i = 0; i < 5; i++) {
        Run *run = start(SCHED_REPLAY, "B* A8 C* B*", false, p);
        ck_assert_int_eq(run_wait(run), VERDICT_INVARIANT);
        ck_assert_str_eq(
            run_message(run),
            "invariant 'depth within 0..capacity' broken at step 27 by lane B: " EMPTY_TAKE);
        run_free(run);
    }
}
END_TEST

START_TEST(test_if_wait_breaks_only_the_lessons_way)
{
    /* `if` is wrong only when another lane gets there first or a wakeup is
     * spurious: one producer and one consumer, where every wakeup is a real
     * signal, take every item once.  B sleeps on the empty buffer first,
     * then A fills it and wakes B; the other way round with capacity 1, A
     * sleeps on the full buffer and B wakes it. */
    static const int p1[] = {PC_VARIANT, PC_IF_WAIT, PC_CAPACITY, 1, PC_ITEMS, 1, -1};
    static const int p2[] = {PC_VARIANT, PC_IF_WAIT, PC_CAPACITY, 1, PC_ITEMS, 6, -1};
    static const char *const scheds[] = {"B*", "A* B*", "B* A* B* A*", "A* B* A* B* A*"};
    Run *run = start(SCHED_REPLAY, "B*", false, p1);
    run_wait(run);
    assert_all_taken_once(run, 1, "if_wait items=1 capacity=1 B*");
    ck_assert_int_eq(result(run, "produced"), 1);
    ck_assert_int_eq(result(run, "never_produced"), 0);
    run_free(run);
    for (size_t i = 0; i < ARRAY_SIZE(scheds); i++) {
        run = start(SCHED_REPLAY, scheds[i], false, p2);
        run_wait(run);
        assert_all_taken_once(run, 6, scheds[i]);
        run_free(run);
    }
}
END_TEST

START_TEST(test_if_wait_names_the_lane_that_took)
{
    /* two consumers: C is woken by A's signal, but B takes the item first
     * (A* puts and signals C; B* takes it; C* wakes to an empty buffer).
     * The report names C, the lane that took from the empty buffer, at the
     * step of its take, not a stale count written back by another lane. */
    static const int p[] = {PC_VARIANT, PC_IF_WAIT, PC_CONSUMERS, 2, PC_CAPACITY, 1, PC_ITEMS,
                            4,          -1};
    Run *run = start(SCHED_REPLAY, "C* A8 B* C*", false, p);
    ck_assert_int_eq(run_wait(run), VERDICT_INVARIANT);
    ck_assert_int_eq(run_arena(run)->violation.lane, 2);
    ck_assert_str_eq(run_arena(run)->violation.invariant, "depth within 0..capacity");
    ck_assert_str_eq(run_arena(run)->violation.what, EMPTY_TAKE);
    run_free(run);
}
END_TEST

START_TEST(test_stopped_early_never_produced_is_not_lost)
{
    /* B* ~B B* stops the run at B's empty take before the producer made
     * most items: those are never produced, not lost */
    static const int p[] = {PC_VARIANT, PC_IF_WAIT, PC_ITEMS, 20, -1};
    Run *run = start(SCHED_REPLAY, "B* ~B B*", false, p);
    ck_assert_int_eq(run_wait(run), VERDICT_INVARIANT);
    ck_assert_int_eq(result(run, "items"), 20);
    ck_assert_int_eq(result(run, "lost"), 0);
    ck_assert_int_eq(result(run, "produced") + result(run, "never_produced"), 20);
    ck_assert_int_ge(result(run, "never_produced"), 19);
    run_free(run);
}
END_TEST

START_TEST(test_condvar_survives_the_same_schedules)
{
    /* the same starts with while loops: the woken lane looks again */
    static const int p1[] = {PC_VARIANT, PC_CONDVAR, PC_CAPACITY, 2, PC_ITEMS, 4, -1};
    static const int p2[] = {PC_VARIANT, PC_CONDVAR, PC_CONSUMERS, 2, PC_CAPACITY, 1, PC_ITEMS,
                             4,          -1};
    Run *run = start(SCHED_REPLAY, "B* ~B B*", false, p1);
    run_wait(run);
    assert_all_taken_once(run, 4, "condvar B* ~B B*");
    run_free(run);
    run = start(SCHED_REPLAY, "B* A8 C* B*", false, p2);
    run_wait(run);
    assert_all_taken_once(run, 4, "condvar B* A8 C* B*");
    run_free(run);
}
END_TEST

#define THREE_ASLEEP "A waits on cond cv; B waits on cond cv; C waits on cond cv"

START_TEST(test_signal_lost_hangs)
{
    /* B and C sleep on cv; A puts item 0 and wakes B, then finds the
     * buffer full and sleeps; B takes item 0 and its signal wakes C (the
     * longest asleep), not the producer; C looks, sleeps again; B finds the
     * buffer empty and sleeps: nobody is left to wake anybody */
    static const int p[] = {
        PC_VARIANT, PC_SIGNAL_LOST, PC_CONSUMERS, 2, PC_CAPACITY, 1, PC_ITEMS, 4, -1};
    for (int i = 0; i < 5; i++) {
        Run *run = start(SCHED_REPLAY, "B* C* A* B* C*", false, p);
        ck_assert_int_eq(run_wait(run), VERDICT_HANG);
        ck_assert_str_eq(run_message(run),
                         "hang at step 32: every unfinished lane waits and none can wake "
                         "another: " THREE_ASLEEP);
        ck_assert_str_eq(run_cycle(run), "");
        ck_assert_int_eq(run_schedule(run)->n, 5);
        for (unsigned l = 0; l < 3; l++) {
            ck_assert_int_eq(atomic_load(&((Arena *)run_arena(run))->lanes[l].op), EV_COND_SLEEP);
        }
        ck_assert_int_eq(result(run, "consumed"), 1);
        run_free(run);
    }
}
END_TEST

START_TEST(test_signal_lost_with_broadcast_fix_is_condvar)
{
    /* the fix (one cond per side) with the same start completes */
    static const int p[] = {PC_VARIANT, PC_CONDVAR, PC_CONSUMERS, 2, PC_CAPACITY, 1, PC_ITEMS,
                            4,          -1};
    Run *run = start(SCHED_REPLAY, "B* C* A* B*", false, p);
    run_wait(run);
    assert_all_taken_once(run, 4, "condvar B* C* A* B*");
    run_free(run);
}
END_TEST

START_TEST(test_unlocked_loses_an_item)
{
    static const int p[] = {PC_VARIANT, PC_UNLOCKED, PC_PRODUCERS, 2, PC_ITEMS, 4, -1};
    for (int i = 0; i < 5; i++) {
        Run *run = start(SCHED_REPLAY, "A2 B2 A B", false, p);
        ck_assert_int_eq(run_wait(run), VERDICT_INVARIANT);
        ck_assert_str_eq(run_message(run),
                         "invariant 'exactly once' broken at step 6 by lane B: item 0 in slot 0 "
                         "was overwritten by item 1 before anyone took it (lost)");
        run_free(run);
    }
}
END_TEST

START_TEST(test_unlocked_duplicates_an_item)
{
    static const int p[] = {PC_VARIANT, PC_UNLOCKED, PC_CONSUMERS, 2, PC_CAPACITY, 2, PC_ITEMS,
                            2,          -1};
    for (int i = 0; i < 5; i++) {
        Run *run = start(SCHED_REPLAY, "A* B2 C2 B C", false, p);
        const Event *ev;
        size_t n;
        bool seen = false;
        ck_assert_int_eq(run_wait(run), VERDICT_INVARIANT);
        ck_assert_str_eq(run_message(run),
                         "invariant 'exactly once' broken at step 19 by lane C: item 0 taken a "
                         "second time, from slot 0 (duplicated)");
        /* the violation is in C's events too, at that step */
        n = run_lane_events(run, 2, &ev);
        for (size_t k = 0; k < n; k++) {
            seen = seen || (ev[k].kind == EV_VIOLATION && ev[k].t == 19 && ev[k].value == 0);
        }
        ck_assert(seen);
        run_free(run);
    }
}
END_TEST

START_TEST(test_semaphore_keeps_producers_apart)
{
    static const int p[] = {PC_VARIANT, PC_SEMAPHORE, PC_PRODUCERS, 2, PC_ITEMS, 4, -1};
    /* both producers past sem_wait free; the mutex keeps them apart */
    Run *run = start(SCHED_REPLAY, "A B A*", false, p);
    run_wait(run);
    assert_all_taken_once(run, 4, "semaphore A B A*");
    run_free(run);
}
END_TEST

START_TEST(test_spurious_token_needs_a_sleeper)
{
    static const int p[] = {PC_VARIANT, PC_CONDVAR, -1};
    Run *run = start(SCHED_REPLAY, "A ~B", false, p);
    ck_assert_int_eq(run_wait(run), VERDICT_BAD_SCHEDULE);
    ck_assert_int_eq(run_bad_token(run), 2);
    ck_assert_str_eq(run_message(run),
                     "token 2 '~B': lane B is not asleep on a condition variable");
    run_free(run);
}
END_TEST

START_TEST(test_spurious_token_parse_and_format)
{
    Schedule s;
    IlError err;
    char text[64];

    ck_assert_int_eq(schedule_parse("B* ~b ~AB A2", 0, &s, &err), 0);
    ck_assert_int_eq(s.n, 4);
    ck_assert_int_eq(s.tok[1].kind, TOK_SPURIOUS);
    ck_assert_int_eq(s.tok[1].lane, 1);
    ck_assert_int_eq(s.tok[2].lane, 27);
    schedule_format(&s, text, sizeof(text));
    ck_assert_str_eq(text, "B* ~B ~AB A2");
    schedule_fini(&s);
    ck_assert_int_lt(schedule_parse("~B2", 0, &s, &err), 0);
    ck_assert_str_eq(err.msg, "token 1 '~B2': a spurious wakeup is '~' and a lane name (~B)");
    ck_assert_int_lt(schedule_parse("A ~", 0, &s, &err), 0);
    ck_assert_int_lt(schedule_parse("~C", 2, &s, &err), 0);
    ck_assert_str_eq(err.msg, "token 1 '~C': no such lane (this run has A..B)");
}
END_TEST

/* ------------------------------------------------------------------ */
/* condition variables, step by step                                   */
/* ------------------------------------------------------------------ */

static uint32_t lane_op(const Run *run, unsigned lane)
{
    return atomic_load(&((Arena *)run_arena(run))->lanes[lane].op);
}

static uint32_t lane_state(const Run *run, unsigned lane)
{
    return atomic_load(&((Arena *)run_arena(run))->lanes[lane].state);
}

/* The live value of the arena object called name. */
static int64_t obj_value(const Run *run, const char *name)
{
    Arena *a = (Arena *)run_arena(run);
    for (uint32_t o = 1; o < atomic_load(&a->nobjs); o++) {
        if (strcmp(arena_obj_name(a, o), name) == 0) {
            return atomic_load(&a->objs[o].value);
        }
    }
    ck_abort_msg("no object %s", name);
    return 0;
}

static int send(Run *run, const char *text, IlError *err)
{
    Schedule s;
    int rc = 0;
    ck_assert_int_eq(schedule_parse(text, 0, &s, err), 0);
    for (size_t i = 0; i < s.n && rc >= 0 && rc != RUN_SEND_REFUSED; i++) {
        rc = run_send(run, &s.tok[i], err);
    }
    schedule_fini(&s);
    return rc;
}

START_TEST(test_signal_wakes_longest_asleep)
{
    static const int p[] = {PC_VARIANT, PC_CONDVAR, PC_CONSUMERS, 3, PC_ITEMS, 6, -1};
    Run *run = start(SCHED_STEP, NULL, true, p);
    IlError err;

    /* D, then B, then C fall asleep on not_empty (3 steps each) */
    ck_assert_int_eq(send(run, "D* B* C*", &err), RUN_SEND_OK);
    ck_assert_int_eq(lane_op(run, 1), EV_COND_SLEEP);
    ck_assert_int_eq(lane_state(run, 1), LANE_BLOCKED);
    ck_assert_int_eq(obj_value(run, "not_empty"), 3); /* asleep, not yet woken */
    ck_assert_str_eq(lane_wait(run, 1), "empty");
    ck_assert_str_eq(lane_wait(run, 0), "none");
    /* an asleep lane is refused a step, and says why */
    ck_assert_int_eq(send(run, "B", &err), RUN_SEND_REFUSED);
    ck_assert_str_eq(err.msg, "token 1 'B': lane B is asleep on cond not_empty (not signalled)");
    /* A's put: lock, count, tail, slot, tail, count, signal (7 steps): the
     * signal wakes D, asleep longest; D then waits for m, held by A */
    ck_assert_int_eq(send(run, "A7", &err), RUN_SEND_OK);
    ck_assert_int_eq(lane_op(run, 3), EV_COND_WAKE);
    ck_assert_int_eq(lane_state(run, 3), LANE_BLOCKED);
    ck_assert_int_eq(atomic_load(&((Arena *)run_arena(run))->lanes[3].blocked_by), 0);
    ck_assert_int_eq(lane_op(run, 1), EV_COND_SLEEP);
    ck_assert_int_eq(lane_op(run, 2), EV_COND_SLEEP);
    ck_assert_int_eq(send(run, "D", &err), RUN_SEND_REFUSED);
    ck_assert_str_eq(err.msg, "token 1 'D': lane D was woken on cond not_empty and is blocked on "
                              "mutex m held by A");
    /* A unlocks: D is ready, takes the mutex back and returns */
    ck_assert_int_eq(send(run, "A D", &err), RUN_SEND_OK);
    ck_assert_int_eq(lane_op(run, 3), EV_LOAD); /* while n == 0: look again */
    ck_assert_int_eq(send(run, "D*", &err), RUN_SEND_OK);
    run_send_end(run);
    run_wait(run);
    assert_all_taken_once(run, 6, "after the FIFO check");
    run_free(run);
}
END_TEST

START_TEST(test_wait_records_release_and_reacquire)
{
    static const int p[] = {PC_VARIANT, PC_CONDVAR, PC_CAPACITY, 2, PC_ITEMS, 4, -1};
    Run *run = start(SCHED_REPLAY, "B* ~B B3", false, p);
    const Event *ev;
    size_t n;
    /* B: lock, load count, wait (cond_wait, unlock), [~B], cond_wake (spurious), lock */
    static const struct {
        uint16_t kind;
        uint64_t t;
        int64_t value;
    } want[] = {
        {EV_LOCK_WAIT, 0, 0},    {EV_LOCK_ACQUIRE, 1, 0}, {EV_LOAD, 2, 0},
        {EV_COND_WAIT, 3, -1},   {EV_LOCK_RELEASE, 3, 0}, {EV_COND_WAKE, 4, 1},
        {EV_LOCK_ACQUIRE, 4, 0}, {EV_LOAD, 5, 0},
    };

    run_wait(run);
    n = run_lane_events(run, 1, &ev);
    ck_assert_int_ge(n, ARRAY_SIZE(want) + 1);
    for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
        const Event *e = &ev[i + 1]; /* after the lane's start */
        ck_assert_msg(e->kind == want[i].kind && e->t == want[i].t, "event %zu: %s at %llu", i,
                      event_kind_name(e->kind), (unsigned long long)e->t);
        if (want[i].value >= 0) {
            ck_assert_int_eq(e->value, want[i].value);
        }
    }
    run_free(run);
}
END_TEST

/* ------------------------------------------------------------------ */
/* randomised schedules                                                */
/* ------------------------------------------------------------------ */

/*
 * Drive an interactive step run with a seeded random schedule: each step
 * goes to a lane picked at random among the runnable (READY) ones, so no
 * token is ever refused; with spurious = true, one time in six a lane
 * asleep on a condition variable (if any) gets a spurious wakeup instead.
 * Returns the RunSendResult that ended the run; *steps counts the tokens.
 */
static int drive_random(Run *run, unsigned seed, bool spurious, unsigned *steps)
{
    const Arena *a = run_arena(run);
    unsigned n = run_nlanes(run);
    IlError err;

    *steps = 0;
    for (;;) {
        unsigned ready[ARENA_MAX_LANES], asleep[ARENA_MAX_LANES], nready = 0, nasleep = 0;
        SchedToken tok = {0, TOK_STEPS, 1, 0};
        int rc;

        for (unsigned i = 0; i < n; i++) {
            uint32_t st = atomic_load(&((Arena *)a)->lanes[i].state);
            if (st == LANE_READY) {
                ready[nready++] = i;
            } else if (st == LANE_BLOCKED &&
                       atomic_load(&((Arena *)a)->lanes[i].op) == EV_COND_SLEEP) {
                asleep[nasleep++] = i;
            }
        }
        ck_assert_msg(nready > 0, "no runnable lane, but the run goes on");
        if (spurious && nasleep > 0 && rand_r(&seed) % 6 == 0) {
            tok.kind = TOK_SPURIOUS;
            tok.count = 0;
            tok.lane = (uint16_t)asleep[rand_r(&seed) % nasleep];
        } else {
            tok.lane = (uint16_t)ready[rand_r(&seed) % nready];
        }
        tok.pos = *steps + 1;
        rc = run_send(run, &tok, &err);
        ck_assert_msg(rc >= 0 && rc != RUN_SEND_REFUSED, "token %u: %d %s", *steps + 1, rc,
                      err.msg);
        (*steps)++;
        if (rc == RUN_SEND_FINISHED || rc == RUN_SEND_DEADLOCK) {
            run_wait(run);
            return rc;
        }
    }
}

static void random_schedules_keep_invariants(int variant, bool spurious)
{
    /* producers, consumers, capacity, items, join */
    static const int shapes[][5] = {
        {1, 1, 1, 6, 0}, {2, 2, 1, 8, 0}, {3, 2, 2, 9, 1}, {1, 3, 2, 7, 1}, {2, 3, 3, 10, 0},
    };
    for (size_t k = 0; k < ARRAY_SIZE(shapes); k++) {
        for (unsigned seed = 1; seed <= 8; seed++) {
            int p[] = {
                PC_VARIANT,  variant,      PC_PRODUCERS, shapes[k][0], PC_CONSUMERS, shapes[k][1],
                PC_CAPACITY, shapes[k][2], PC_ITEMS,     shapes[k][3], PC_JOIN,      shapes[k][4],
                -1};
            Run *run = start(SCHED_STEP, NULL, true, p);
            unsigned steps;
            char what[96];
            int rc = drive_random(run, seed * 7919u + (unsigned)k, spurious, &steps);
            snprintf(what, sizeof(what), "shape %zu seed %u (%u tokens)", k, seed, steps);
            ck_assert_msg(rc == RUN_SEND_FINISHED, "%s: %s", what, run_message(run));
            assert_all_taken_once(run, shapes[k][3], what);
            ck_assert_int_le(result(run, "max_depth"), shapes[k][2]);
            run_free(run);
        }
    }
}

START_TEST(test_random_condvar_keeps_invariants)
{
    random_schedules_keep_invariants(PC_CONDVAR, true);
}
END_TEST

START_TEST(test_random_semaphore_keeps_invariants)
{
    random_schedules_keep_invariants(PC_SEMAPHORE, false);
}
END_TEST

START_TEST(test_random_if_wait_breaks_with_spurious_wakeups)
{
    /* the broken variant is caught by the same random driver: a spurious
     * wakeup of a lane waiting on an empty buffer, and it takes nothing */
    static const int p[] = {PC_VARIANT, PC_IF_WAIT, PC_CONSUMERS, 2, PC_CAPACITY, 1, PC_ITEMS,
                            8,          -1};
    unsigned broken = 0;
    for (unsigned seed = 1; seed <= 20; seed++) {
        Run *run = start(SCHED_STEP, NULL, true, p);
        unsigned steps;
        drive_random(run, seed, true, &steps);
        if (run_verdict(run) == VERDICT_INVARIANT) {
            broken++;
        } else {
            ck_assert_msg(run_verdict(run) == VERDICT_COMPLETED || run_verdict(run) == VERDICT_HANG,
                          "seed %u: %s", seed, run_message(run));
        }
        run_free(run);
    }
    ck_assert_int_gt(broken, 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* free mode                                                           */
/* ------------------------------------------------------------------ */

START_TEST(test_free_correct_variants_complete)
{
    static const int variants[] = {PC_CONDVAR, PC_SEMAPHORE};
    for (size_t v = 0; v < ARRAY_SIZE(variants); v++) {
        for (int join = 0; join <= 1; join++) {
            for (int i = 0; i < 4; i++) {
                int p[] = {PC_VARIANT,  variants[v], PC_PRODUCERS, 3,    PC_CONSUMERS, 4,
                           PC_CAPACITY, 2,           PC_ITEMS,     4000, PC_JOIN,      join,
                           -1};
                Run *run = start(SCHED_FREE, NULL, false, p);
                char what[64];
                run_wait(run);
                snprintf(what, sizeof(what), "free %s join=%d run %d",
                         variants[v] == PC_CONDVAR ? "condvar" : "semaphore", join, i);
                assert_all_taken_once(run, 4000, what);
                ck_assert_int_le(result(run, "max_depth"), 2);
                ck_assert_int_gt(result(run, "items_per_s"), 0);
                run_free(run);
            }
        }
    }
}
END_TEST

START_TEST(test_free_if_wait_fails_only_the_lessons_way)
{
    /* free runs, properties only.  One producer and one consumer: every
     * wakeup comes from a signal, so `if` is enough and the run completes
     * (the textbooks' claim).  Two of each: when a run breaks, it is by a
     * take from an empty buffer (a consumer) or a fill of a full slot (a
     * producer), named at that lane, never by a stale count written back. */
    static const int one[] = {PC_VARIANT, PC_IF_WAIT, PC_ITEMS, 2000, -1};
    static const int two[] = {PC_VARIANT, PC_IF_WAIT, PC_PRODUCERS, 2, PC_CONSUMERS, 2, PC_CAPACITY,
                              1,          PC_ITEMS,   20000,        -1};
    for (int i = 0; i < 10; i++) {
        Run *run = start(SCHED_FREE, NULL, false, one);
        run_wait(run);
        assert_all_taken_once(run, 2000, "free if_wait, one producer, one consumer");
        run_free(run);
    }
    for (int i = 0; i < 10; i++) {
        Run *run = start(SCHED_FREE, NULL, false, two);
        int v = run_wait(run);
        if (v == VERDICT_INVARIANT) {
            const ArenaViolation *x = &run_arena(run)->violation;
            bool take = strcmp(x->what, EMPTY_TAKE) == 0;
            bool fill = strstr(x->what, "before anyone took it (lost)") != NULL;
            ck_assert_msg(take || fill, "run %d: %s", i, run_message(run));
            /* lanes A, B produce; C, D consume */
            ck_assert_msg(take ? x->lane >= 2 : x->lane < 2, "run %d: %s", i, run_message(run));
        } else {
            ck_assert_msg(v == VERDICT_COMPLETED || v == VERDICT_HANG, "run %d: %s", i,
                          run_message(run));
        }
        run_free(run);
    }
}
END_TEST

START_TEST(test_free_signal_lost_hang_found)
{
    /* with one cond and signal, four lanes on one slot lose a wakeup
     * sooner or later; the front end names every sleeper within 200 ms */
    static const int p[] = {
        PC_VARIANT, PC_SIGNAL_LOST, PC_PRODUCERS, 2, PC_CONSUMERS, 2, PC_CAPACITY,
        1,          PC_ITEMS,       200000,       -1};
    unsigned hangs = 0;
    for (int i = 0; i < 3; i++) {
        Run *run = start(SCHED_FREE, NULL, false, p);
        uint64_t latency = 0;
        int v = run_wait(run);
        if (v == VERDICT_HANG) {
            hangs++;
            ck_assert_msg(strstr(run_message(run), "hang after ") == run_message(run), "%s",
                          run_message(run));
            ck_assert_msg(strstr(run_message(run), "every unfinished lane waits and none can "
                                                   "wake another: ") != NULL,
                          "%s", run_message(run));
            for (unsigned l = 0; l < 4; l++) {
                char want[32];
                snprintf(want, sizeof(want), "%c waits on cond cv", 'A' + l);
                if (lane_state(run, l) != LANE_FINISHED) {
                    ck_assert_msg(strstr(run_message(run), want) != NULL, "%s: %s", want,
                                  run_message(run));
                }
            }
            ck_assert(run_detect_latency(run, &latency));
            ck_assert_msg(latency < 200000000u, "found %.1f ms after", (double)latency / 1e6);
        } else {
            ck_assert_msg(v == VERDICT_COMPLETED, "%s: %s", verdict_name(v), run_message(run));
        }
        run_free(run);
    }
    ck_assert_int_gt(hangs, 0);
}
END_TEST

START_TEST(test_free_capacity_changes_blocked_time)
{
    /* room for every item and the sentinel: the producer never waits on a
     * full buffer */
    static const int roomy[] = {PC_CAPACITY, 64, PC_ITEMS, 63, PC_CONSUME_US, 50, -1};
    /* one slot and a slow consumer: it waits on nearly every put */
    static const int tight[] = {PC_CAPACITY, 1, PC_ITEMS, 64, PC_CONSUME_US, 50, -1};
    Run *run = start(SCHED_FREE, NULL, false, roomy);
    run_wait(run);
    assert_all_taken_once(run, 63, "roomy");
    ck_assert_int_eq(result(run, "blocked_full"), 0);
    ck_assert_int_le(result(run, "latency_p50"), result(run, "latency_p99"));
    run_free(run);
    run = start(SCHED_FREE, NULL, false, tight);
    run_wait(run);
    assert_all_taken_once(run, 64, "tight");
    ck_assert_int_gt(result(run, "blocked_full"), 0);
    ck_assert_int_eq(result(run, "max_depth"), 1);
    run_free(run);
}
END_TEST

START_TEST(test_free_marks_and_latency_agree_with_the_events)
{
    /* a traced free run: a progress marker carries the time of the
     * operation that ended the unit (the lane's event before it), and an
     * item's latency is the time from the store that filled its slot to
     * the load that took it, as their events say */
    enum { ITEMS = 400 };
    static const int p[] = {PC_CAPACITY, 4, PC_ITEMS, ITEMS, -1};
    static uint64_t put[ITEMS], lat[ITEMS];
    Run *run = start(SCHED_FREE, NULL, false, p);
    const Arena *a;
    size_t nlat = 0, marks = 0;

    run_wait(run);
    assert_all_taken_once(run, ITEMS, "traced");
    a = run_arena(run);
    for (unsigned lane = 0; lane < 2; lane++) {
        const Event *ev;
        size_t n = run_lane_events(run, lane, &ev);
        for (size_t i = 1; i < n; i++) {
            const char *obj = arena_obj_name(a, ev[i].obj);
            if (ev[i].kind == EV_PROGRESS) {
                ck_assert_msg(ev[i].t == ev[i - 1].t,
                              "lane %u: progress at %llu ns, its unit's last %s at %llu ns", lane,
                              (unsigned long long)ev[i].t, event_kind_name(ev[i - 1].kind),
                              (unsigned long long)ev[i - 1].t);
                marks++;
            }
            if (strncmp(obj, "buf[", 4) != 0 || ev[i].value < 0 || ev[i].value >= ITEMS) {
                continue;
            }
            if (lane == 0 && ev[i].kind == EV_STORE) {
                put[ev[i].value] = ev[i].t;
            } else if (lane == 1 && ev[i].kind == EV_LOAD) {
                lat[nlat++] = ev[i].t - put[ev[i].value];
            }
        }
    }
    ck_assert_uint_eq(marks, 2 * ITEMS);
    ck_assert_uint_eq(nlat, ITEMS);
    /* nearest rank, as the report computes it */
    for (size_t i = 1; i < nlat; i++) {
        for (size_t j = i; j > 0 && lat[j - 1] > lat[j]; j--) {
            uint64_t t = lat[j];
            lat[j] = lat[j - 1];
            lat[j - 1] = t;
        }
    }
    ck_assert_int_eq(result(run, "latency_p50"), (int64_t)lat[(nlat * 50 + 99) / 100 - 1]);
    ck_assert_int_eq(result(run, "latency_p99"), (int64_t)lat[(nlat * 99 + 99) / 100 - 1]);
    run_free(run);
}
END_TEST

/* ------------------------------------------------------------------ */
/* figures and views                                                   */
/* ------------------------------------------------------------------ */

START_TEST(test_depth_series_and_views)
{
    /* step mode, 1 producer and 1 consumer, round-robin: exact */
    static const int p[] = {PC_CAPACITY, 2, PC_ITEMS, 3, -1};
    Run *run = start(SCHED_REPLAY, "A*", false, p);
    QueuePoint pts[64];
    size_t n;
    Grid *g;
    char row[128];

    run_wait(run);
    assert_all_taken_once(run, 3, "series run");
    n = queueview_series(run, "count", pts, 64);
    ck_assert_int_gt(n, 0);
    /* A* fills both slots before it sleeps: count 1, then 2 */
    ck_assert_int_eq(pts[0].v, 1);
    ck_assert_int_eq(pts[1].v, 2);
    ck_assert_int_eq(result(run, "max_depth"), 2);
    for (size_t i = 1; i < n; i++) {
        ck_assert_uint_le(pts[i - 1].t, pts[i].t);
        ck_assert_int_ge(pts[i].v, 0);
        ck_assert_int_le(pts[i].v, 2);
    }
    ck_assert_int_eq(pts[n - 1].v, 0); /* the sentinel's take empties it */
    /* sampling keeps the last change of each slice */
    ck_assert_int_eq(queueview_series(run, "count", pts, 2), 2);
    ck_assert_int_eq(queueview_series(run, "nosuch", pts, 64), 0);
    /* the slot view of the finished run: empty, head and tail together */
    g = grid_new(40, 2);
    ck_assert_int_eq(
        queueview_slots(g, 0, 0, 40, run_arena(run), "buf", "head", "tail", PC_EMPTY, PC_SENTINEL),
        2);
    grid_row_text(g, 0, row, sizeof(row));
    ck_assert_str_eq(row, "|   |   |");
    grid_row_text(g, 1, row, sizeof(row));
    ck_assert_str_eq(row, "  *"); /* 4 puts and 4 takes: head = tail = 0 */
    grid_free(g);
    run_free(run);
}
END_TEST

START_TEST(test_slot_view_while_stepping)
{
    static const int p[] = {PC_CAPACITY, 4, PC_ITEMS, 6, -1};
    Run *run = start(SCHED_STEP, NULL, true, p);
    IlError err;
    Grid *g = grid_new(40, 2);
    char row[128];

    /* two puts (8 steps each), one take (9 steps) */
    ck_assert_int_eq(send(run, "A16 B9", &err), RUN_SEND_OK);
    ck_assert_str_eq(lane_wait(run, 0), "none");
    queueview_slots(g, 0, 0, 40, run_arena(run), "buf", "head", "tail", PC_EMPTY, PC_SENTINEL);
    grid_row_text(g, 0, row, sizeof(row));
    ck_assert_str_eq(row, "|   |  1|   |   |");
    grid_row_text(g, 1, row, sizeof(row));
    ck_assert_str_eq(row, "      h   t");
    /* narrow: one glyph per slot */
    grid_clear(g);
    queueview_slots(g, 0, 0, 8, run_arena(run), "buf", "head", "tail", PC_EMPTY, PC_SENTINEL);
    grid_row_text(g, 0, row, sizeof(row));
    ck_assert_str_eq(row, ".#..");
    grid_free(g);
    run_send_end(run);
    run_wait(run);
    assert_all_taken_once(run, 6, "slot view run");
    run_free(run);
}
END_TEST

START_TEST(test_lane_wait_full_empty_join)
{
    /* capacity 1, join: C (the main lane) sleeps in join, A fills the slot
     * and sleeps on not_full, B has not started taking */
    static const int p[] = {PC_CAPACITY, 1, PC_ITEMS, 3, PC_JOIN, 1, -1};
    static const int s[] = {PC_VARIANT, PC_SEMAPHORE, PC_CAPACITY, 1, PC_ITEMS, 3, -1};
    Run *run = start(SCHED_STEP, NULL, true, p);
    IlError err;

    ck_assert_int_eq(send(run, "C* A*", &err), RUN_SEND_OK);
    ck_assert_str_eq(lane_wait(run, 0), "full");
    ck_assert_str_eq(lane_wait(run, 1), "none");
    ck_assert_str_eq(lane_wait(run, 2), "join");
    run_send_end(run);
    run_wait(run);
    assert_all_taken_once(run, 3, "join run");
    run_free(run);
    /* semaphores: B waits on used at 0, pending in step mode */
    run = start(SCHED_STEP, NULL, true, s);
    ck_assert_str_eq(lane_wait(run, 1), "empty");
    ck_assert_str_eq(lane_wait(run, 0), "none");
    run_send_end(run);
    run_wait(run);
    assert_all_taken_once(run, 3, "semaphore run");
    run_free(run);
}
END_TEST

START_TEST(test_json_report_keys)
{
    static const int p[] = {PC_VARIANT, PC_UNLOCKED, PC_PRODUCERS, 2, PC_ITEMS, 4, -1};
    Run *run = start(SCHED_REPLAY, "A2 B2 A B", false, p);
    StrBuf b;
    run_wait(run);
    strbuf_init(&b);
    report_json(&b, run);
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "\"verdict\":\"invariant\""));
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b),
                                 "\"invariant\":{\"name\":\"exactly once\",\"what\":\"item 0 in "
                                 "slot 0 was overwritten by item 1 before anyone took it "
                                 "(lost)\",\"lane\":\"B\",\"at\":6,\"unit\":\"steps\"}"));
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "\"series\":{\"var\":\"count\""));
    strbuf_fini(&b);
    run_free(run);
}
END_TEST

Suite *prodcons_suite(void);

Suite *prodcons_suite(void)
{
    Suite *s = suite_create("prodcons");
    TCase *replay = NULL, *cond = NULL, *rnd = NULL, *freem = NULL, *fig = NULL;

    add_tcase(s, &replay, "replay", test_if_wait_spurious_takes_from_empty, 30);
    add_tcase(s, &replay, "replay", test_if_wait_second_consumer_first, 30);
    add_tcase(s, &replay, "replay", test_if_wait_breaks_only_the_lessons_way, 30);
    add_tcase(s, &replay, "replay", test_if_wait_names_the_lane_that_took, 30);
    add_tcase(s, &replay, "replay", test_stopped_early_never_produced_is_not_lost, 30);
    add_tcase(s, &replay, "replay", test_condvar_survives_the_same_schedules, 30);
    add_tcase(s, &replay, "replay", test_signal_lost_hangs, 30);
    add_tcase(s, &replay, "replay", test_signal_lost_with_broadcast_fix_is_condvar, 30);
    add_tcase(s, &replay, "replay", test_unlocked_loses_an_item, 30);
    add_tcase(s, &replay, "replay", test_unlocked_duplicates_an_item, 30);
    add_tcase(s, &replay, "replay", test_semaphore_keeps_producers_apart, 30);
    add_tcase(s, &replay, "replay", test_spurious_token_needs_a_sleeper, 30);
    add_tcase(s, &replay, "replay", test_spurious_token_parse_and_format, 10);
    add_tcase(s, &cond, "cond", test_signal_wakes_longest_asleep, 30);
    add_tcase(s, &cond, "cond", test_wait_records_release_and_reacquire, 30);
    add_tcase(s, &rnd, "random", test_random_condvar_keeps_invariants, 240);
    add_tcase(s, &rnd, "random", test_random_semaphore_keeps_invariants, 240);
    add_tcase(s, &rnd, "random", test_random_if_wait_breaks_with_spurious_wakeups, 120);
    add_tcase(s, &freem, "free", test_free_correct_variants_complete, 240);
    add_tcase(s, &freem, "free", test_free_signal_lost_hang_found, 240);
    add_tcase(s, &freem, "free", test_free_if_wait_fails_only_the_lessons_way, 240);
    add_tcase(s, &freem, "free", test_free_capacity_changes_blocked_time, 60);
    add_tcase(s, &freem, "free", test_free_marks_and_latency_agree_with_the_events, 60);
    add_tcase(s, &fig, "figures", test_depth_series_and_views, 30);
    add_tcase(s, &fig, "figures", test_slot_view_while_stepping, 30);
    add_tcase(s, &fig, "figures", test_lane_wait_full_empty_join, 30);
    add_tcase(s, &fig, "figures", test_json_report_keys, 30);
    return s;
}

CHECK_MAIN(prodcons_suite)
