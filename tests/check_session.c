/*
 * check_session.c - a lesson session driven as the lesson screen drives
 * it (lesson/session.h): steps lane by lane, undo, replays of typed
 * schedules, new parameters that replay the same steps, challenges judged
 * after every step, the trace export, and what the student is told each
 * time.  Then the quiz (lesson/quiz.h): the headless twin of the TUI's
 * questions.  Every run is a step run, so every state asserted is exact.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_common.h"
#include "check_run.h"
#include "demos/race.h"
#include "export/chrome.h"
#include "lesson/lesson.h"
#include "lesson/progress.h"
#include "lesson/quiz.h"
#include "lesson/session.h"
#include "ui/panel_explore.h"
#include "util/grid.h"
#include "util/json.h"
#include "util/strbuf.h"

static LessonSession *race_session(void)
{
    LessonSession *s = session_new(&race_demo, "race", NULL);
    int64_t p[DEMO_MAX_PARAMS];

    ck_assert_ptr_nonnull(s);
    memcpy(p, session_params(s), sizeof(p));
    p[RACE_THREADS] = 2;
    p[RACE_ITERATIONS] = 1;
    session_set_params(s, p); /* free mode: takes effect at the next run */
    return s;
}

/* The run has no more steps to take: wait for its end to be reported. */
static void settle(LessonSession *s)
{
    ck_assert_int_ge(session_wait(s), 0);
}

static const char *sched_text(const LessonSession *s)
{
    static char buf[256];
    schedule_format(run_schedule(session_run(s)), buf, sizeof(buf));
    return buf;
}

/* Whether the sandbox of run (whose lanes are threads) has exited and
 * waits to be reaped. */
static bool sandbox_exited_unreaped(const Run *run)
{
    RunLaneInfo li;
    char path[64], buf[512];
    const char *st;
    FILE *f;
    size_t n;

    run_lane_info(run, 0, &li);
    if (li.pid <= 0) {
        return false; /* the lane has not started yet */
    }
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)li.pid);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f); /* not reaped before the session looks */
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    st = strrchr(buf, ')'); /* the state follows the command's name */
    return st != NULL && st[1] == ' ' && st[2] == 'Z';
}

/* A free run that recorded more events than a tick takes in: its end is
 * reported at once, and the session stays live (the screen redraws) while
 * the rest comes in, a bounded number of events a tick, until every
 * recorded event is in. */
START_TEST(test_end_of_long_run_comes_in_by_ticks)
{
    LessonSession *s = session_new(&race_demo, "race", NULL);
    int64_t p[DEMO_MAX_PARAMS];
    const Run *run;
    bool ended = false;
    uint64_t total = 0, ticks = 0;

    ck_assert_ptr_nonnull(s);
    memcpy(p, session_params(s), sizeof(p));
    p[RACE_THREADS] = 4;
    p[RACE_ITERATIONS] = 50000; /* 600,008 events */
    session_set_params(s, p);
    ck_assert(session_start(s, SCHED_FREE, NULL));
    run = session_run(s);
    /* the run ends before the session looks: the sandbox (the process of
     * its thread lanes) has exited, a zombie until the tick reaps it */
    while (!sandbox_exited_unreaped(run)) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    ck_assert(session_tick(s, &ended));
    ck_assert(ended);
    ck_assert(run_done(run));
    ck_assert_uint_gt(run_events_waiting(run), 0);
    ck_assert(session_end_reported(s));
    for (unsigned l = 0; l < 4; l++) {
        total += ring_written(arena_ring((Arena *)run_arena(run), l));
    }
    ck_assert_uint_eq(total, 4 * (50000 * 3 + 2));
    while (run_events_waiting(run) > 0) {
        uint64_t before = run_events_total(run);
        ck_assert(session_tick(s, &ended)); /* live: redraw */
        ck_assert(!ended);
        ck_assert_uint_gt(run_events_total(run), before);
        ck_assert_uint_le(run_events_total(run) - before, 262144);
        ck_assert_uint_lt(++ticks, 100);
    }
    ck_assert_uint_ge(ticks, 1); /* the end tick took in at most 262144 */
    ck_assert_uint_eq(run_events_total(run), total);
    ck_assert(!session_tick(s, &ended)); /* nothing more: the screen rests */
    session_free(s);
}
END_TEST

/* The headless twin of the TUI's outcomes panel: explore, list, load one
 * outcome's shortest schedule into step mode. */
START_TEST(test_explore_outcome_loads)
{
    LessonSession *s = race_session();
    const ExploreResult *r;
    Grid *g;
    char row[200];
    bool ended;

    ck_assert(!session_explore_load(s, 0));
    ck_assert_str_eq(session_message(s), "nothing explored yet");
    ck_assert(session_explore_start(s, 2));
    while (session_exploring(s)) {
        (void)session_tick(s, &ended);
        usleep(2000);
    }
    r = session_explore_result(s);
    ck_assert_ptr_nonnull(r);
    ck_assert(r->complete);
    ck_assert_uint_eq(r->noutcomes, 2);
    ck_assert_msg(strstr(session_message(s), "explored 14 schedules (complete): 2 outcomes") !=
                      NULL,
                  "%s", session_message(s));

    /* the panel: the most frequent first (none fails), the schedules */
    g = grid_new(100, 8);
    ck_assert_uint_eq(panel_explore_draw(g, (Rect){0, 0, 100, 8}, r, 0, false, 2), 2);
    grid_row_text(g, 1, row, sizeof(row));
    ck_assert_msg(strstr(row, "> ") != NULL && strstr(row, "counter=1") != NULL &&
                      strstr(row, "A2 B3 A") != NULL,
                  "%s", row);
    grid_row_text(g, 2, row, sizeof(row));
    ck_assert_msg(strstr(row, "counter=2") != NULL && strstr(row, "A3 B3") != NULL, "%s", row);
    grid_free(g);

    /* Enter on the first: a step run that replays its schedule */
    ck_assert(session_explore_load(s, 0));
    ck_assert_int_eq(session_mode(s), SCHED_STEP);
    ck_assert_str_eq(sched_text(s), "A2 B3 A");
    settle(s);
    ck_assert_int_eq(check_result(session_run(s), "final"), 1);
    ck_assert(!session_explore_load(s, 5));
    session_free(s);
}
END_TEST

START_TEST(test_steps_build_the_lost_update)
{
    LessonSession *s = race_session();
    unsigned gen = session_generation(s);
    const char *keys = "ABABAB";

    session_toggle_mode(s);
    ck_assert_int_eq(session_mode(s), SCHED_STEP);
    ck_assert_uint_ne(session_generation(s), gen); /* a new run: views start over */
    for (const char *k = keys; *k != '\0'; k++) {
        session_step(s, (unsigned)(*k - 'A'));
    }
    settle(s);
    ck_assert(run_done(session_run(s)));
    ck_assert_str_eq(sched_text(s), "A B A B A B");
    ck_assert_int_eq(check_result(session_run(s), "final"), 1);
    /* the demo's view says it in words, as bad news */
    ck_assert_str_eq(session_message(s), "completed: counter 1, expected 2: 1 update lost");
    ck_assert_int_eq(session_tone(s), SESSION_ERROR);
    ck_assert(!session_end_good(s));
    session_free(s);
}
END_TEST

START_TEST(test_undo_replays_one_step_back)
{
    LessonSession *s = race_session();
    const Arena *a;

    session_toggle_mode(s);
    session_step(s, 0);
    session_step(s, 1);
    session_step(s, 0);
    session_undo(s);
    ck_assert_str_eq(sched_text(s), "A B");
    a = run_arena(session_run(s));
    /* A loaded 0 again and stands before its add: the state is exact */
    ck_assert_uint_eq(atomic_load(&((Arena *)a)->lanes[0].op), EV_COMPUTE);
    ck_assert_ptr_nonnull(strstr(session_message(s), "undone: the last step (A)"));
    session_free(s);
}
END_TEST

START_TEST(test_typed_schedule_and_refusal)
{
    LessonSession *s = race_session();
    int64_t p[DEMO_MAX_PARAMS];

    session_load(s, "A3 B3");
    settle(s);
    ck_assert_int_eq(check_result(session_run(s), "final"), 2);
    ck_assert(session_end_good(s));
    ck_assert_int_eq(session_tone(s), SESSION_GOOD);
    /* a blocked lane is refused, and the student is told who holds what */
    memcpy(p, session_params(s), sizeof(p));
    p[RACE_VARIANT] = RACE_MUTEX;
    session_set_params(s, p);
    session_load(s, "A");
    session_step(s, 1);
    ck_assert_int_eq(session_tone(s), SESSION_ERROR);
    ck_assert_str_eq(session_message(s), "lane B is blocked on mutex m held by A");
    session_free(s);
}
END_TEST

/* New parameters in step mode replay the same steps on them, and stop
 * where a lane cannot move, saying why without the token's prefix. */
START_TEST(test_new_variant_replays_the_steps)
{
    LessonSession *s = race_session();
    int64_t p[DEMO_MAX_PARAMS];

    session_load(s, "A B");
    ck_assert_str_eq(sched_text(s), "A B");
    memcpy(p, session_params(s), sizeof(p));
    p[RACE_VARIANT] = RACE_MUTEX;
    session_set_params(s, p);
    ck_assert_int_eq(session_mode(s), SCHED_STEP);
    ck_assert_str_eq(session_message(s),
                     "variant=mutex: A B stops at token 2: lane B is blocked on mutex m held by A");
    ck_assert_str_eq(sched_text(s), "A");
    /* the same parameters again: nothing to do */
    session_set_params(s, p);
    ck_assert_str_eq(session_message(s), "parameters unchanged");
    ck_assert_int_eq(session_tone(s), SESSION_DIM);
    session_free(s);
}
END_TEST

/* No length limit: 5000 steps are replayed, saved and found again by the
 * name the save gave them. */
START_TEST(test_long_schedule_saved_and_found_by_name)
{
    LessonSession *s = session_new(&race_demo, "race", NULL);
    int64_t p[DEMO_MAX_PARAMS];
    StrBuf text;
    char path[4096], *name;
    FILE *f;
    long size;

    ck_assert_ptr_nonnull(s);
    setenv("XDG_STATE_HOME", "/tmp/interleave-check-session", 1);
    memcpy(p, session_params(s), sizeof(p));
    p[RACE_THREADS] = 2;
    p[RACE_ITERATIONS] = 1250; /* 2 x 1250 x 3 = 7500 steps */
    session_set_params(s, p);
    strbuf_init(&text);
    for (int i = 0; i < 2500; i++) {
        strbuf_add(&text, "A B ");
    }
    session_load(s, strbuf_str(&text));
    strbuf_fini(&text);
    ck_assert_uint_eq(run_schedule(session_run(s))->n, 5000);
    session_save(s);
    ck_assert_int_eq(session_tone(s), SESSION_GOOD);
    snprintf(path, sizeof(path), "%s", session_last_file(s));
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fclose(f);
    ck_assert_int_gt(size, 10000); /* "A B " 2500 times, and a header */
    /* l with the bare name the save reported */
    name = strrchr(path, '/') + 1;
    session_load(s, name);
    ck_assert_msg(session_tone(s) == SESSION_INFO, "%s", session_message(s));
    ck_assert_uint_eq(run_schedule(session_run(s))->n, 5000);
    unlink(path);
    session_free(s);
}
END_TEST

/* A saved file carries its run: loaded into a session with other
 * parameters (a fresh lesson), it replays as it was saved. */
START_TEST(test_saved_file_brings_its_parameters)
{
    LessonSession *s = race_session();                        /* threads=2 iterations=1 */
    LessonSession *t = session_new(&race_demo, "race", NULL); /* threads=4 iterations=100000 */
    char path[4096];

    setenv("XDG_STATE_HOME", "/tmp/interleave-check-session", 1);
    session_load(s, "A B A B A B");
    session_save(s);
    ck_assert_int_eq(session_tone(s), SESSION_GOOD);
    snprintf(path, sizeof(path), "%s", session_last_file(s));
    ck_assert_int_eq(session_params(t)[RACE_THREADS], 4);
    session_load(t, strrchr(path, '/') + 1);
    ck_assert_msg(session_tone(t) == SESSION_INFO, "%s", session_message(t));
    ck_assert_int_eq(session_params(t)[RACE_THREADS], 2);
    ck_assert_int_eq(session_params(t)[RACE_ITERATIONS], 1);
    ck_assert_int_ge(session_wait(t), 0);
    ck_assert_int_eq(check_result(session_run(t), "final"), 1);
    unlink(path);
    session_free(s);
    session_free(t);
}
END_TEST

/* Lanes past Z are stepped by name in the live run (no replay). */
START_TEST(test_send_lanes_past_z)
{
    LessonSession *s = session_new(&race_demo, "race", NULL);
    int64_t p[DEMO_MAX_PARAMS];
    const Arena *a;

    memcpy(p, session_params(s), sizeof(p));
    p[RACE_THREADS] = 30; /* A .. Z, AA .. AD */
    p[RACE_ITERATIONS] = 1;
    session_set_params(s, p);
    session_toggle_mode(s);
    session_send(s, "AB AC2");
    ck_assert_msg(session_tone(s) == SESSION_INFO, "%s", session_message(s));
    a = run_arena(session_run(s));
    ck_assert_uint_eq(arena_lane_op(a, 27), EV_COMPUTE); /* AB loaded */
    ck_assert_uint_eq(arena_lane_op(a, 28), EV_STORE);   /* AC loaded and added */
    ck_assert_str_eq(sched_text(s), "AB AC2");
    session_send(s, "AE");
    ck_assert_int_eq(session_tone(s), SESSION_ERROR); /* no such lane */
    session_free(s);
}
END_TEST

START_TEST(test_no_demo)
{
    LessonSession *s = session_new(NULL, "text-only", NULL);
    ck_assert_ptr_nonnull(s);
    ck_assert(!session_start(s, SCHED_FREE, NULL));
    ck_assert_str_eq(session_message(s), "this lesson has no demo to run");
    session_load(s, "A B");
    ck_assert_int_eq(session_tone(s), SESSION_ERROR);
    ck_assert_ptr_null(session_run(s));
    session_free(s);
}
END_TEST

/* ------------------------------------------------------------------ */
/* challenges                                                          */
/* ------------------------------------------------------------------ */

static Lesson *race_lesson(void)
{
    char path[1024];
    const char *src = getenv("top_srcdir");
    IlError err;
    Lesson *l;

    snprintf(path, sizeof(path), "%s/lessons/race.md", src != NULL ? src : ".");
    l = lesson_load(path, &err);
    ck_assert_msg(l != NULL, "%s", err.msg);
    return l;
}

static const LessonChallenge *find_challenge(const Lesson *l, const char *id)
{
    for (size_t p = 0; p < l->npages; p++) {
        for (size_t i = 0; i < l->pages[p].nchallenges; i++) {
            if (strcmp(l->pages[p].challenges[i].id, id) == 0) {
                return &l->pages[p].challenges[i];
            }
        }
    }
    ck_abort_msg("no challenge %s", id);
    return NULL;
}

static Progress *empty_progress(void)
{
    IlError err;
    Progress *pr = progress_from_text("", 0, &err);
    ck_assert_msg(pr != NULL, "%s", err.msg);
    return pr;
}

/* The goal is judged after every step: pending while the run goes on,
 * reached the moment the last step ends it, and the attempt is kept. */
START_TEST(test_challenge_reached_step_by_step)
{
    Lesson *l = race_lesson();
    Progress *pr = empty_progress();
    LessonSession *s = session_new(NULL, "race", pr);
    const LessonChallenge *ch = find_challenge(l, "race-lose-one");
    const char *msg;
    ProgressItem st;

    ck_assert(session_challenge_start(s, ch, NULL));
    ck_assert_ptr_eq(session_challenge(s), ch);
    ck_assert_int_eq(session_mode(s), SCHED_STEP);
    ck_assert_uint_eq(run_nlanes(session_run(s)), 2); /* the challenge's threads=2 */
    ck_assert_int_eq(session_goal(s, &msg), CHALLENGE_PENDING);
    for (const char *k = "ABABA"; *k != '\0'; k++) {
        session_step(s, (unsigned)(*k - 'A'));
        ck_assert_int_eq(session_goal(s, &msg), CHALLENGE_PENDING);
        ck_assert_int_eq(session_tone(s), SESSION_INFO); /* "lane A took a step" */
    }
    ck_assert(!progress_item(pr, "race", "race-lose-one", &st));
    session_step(s, 1);
    settle(s);
    ck_assert_int_eq(session_goal(s, &msg), CHALLENGE_REACHED);
    ck_assert_str_eq(msg, "goal reached: the run completed at step 6 with final 1, lost 1");
    /* the run's end was reported, and the goal's line stays the message */
    ck_assert_str_eq(session_message(s), msg);
    ck_assert_int_eq(session_tone(s), SESSION_GOOD);
    ck_assert(progress_item(pr, "race", "race-lose-one", &st));
    ck_assert_uint_eq(st.attempts, 1);
    ck_assert(st.right);
    ck_assert_str_eq(st.text, "A B A B A B");
    session_free(s);
    progress_free(pr);
    lesson_free(l);
}
END_TEST

/* A typed schedule that misses says what the run did instead; a second
 * try (undo, then the right steps) is a second attempt, and solves it. */
START_TEST(test_challenge_missed_then_solved)
{
    Lesson *l = race_lesson();
    Progress *pr = empty_progress();
    LessonSession *s = session_new(NULL, "race", pr);
    const LessonChallenge *ch = find_challenge(l, "race-lose-one");
    const char *msg;
    ProgressItem st;

    ck_assert(session_challenge_start(s, ch, "A3 B3"));
    settle(s);
    ck_assert_int_eq(session_goal(s, &msg), CHALLENGE_MISSED);
    ck_assert_str_eq(msg, "not reached: the run completed at step 6 with final 2, lost 0 "
                          "(goal: final == 1)");
    ck_assert_int_eq(session_tone(s), SESSION_ERROR);
    ck_assert_ptr_nonnull(strstr(session_message(s), "u undoes the last step"));
    ck_assert(progress_item(pr, "race", "race-lose-one", &st));
    ck_assert_uint_eq(st.attempts, 1);
    ck_assert(!st.right);
    ck_assert_int_eq(st.last, PROGRESS_WRONG);
    ck_assert_str_eq(st.text, "A3 B3");
    /* undo: a fresh run, one step back, judged again */
    session_undo(s);
    ck_assert_int_eq(session_goal(s, NULL), CHALLENGE_PENDING);
    ck_assert_ptr_eq(session_challenge(s), ch);
    session_reset(s);
    ck_assert_ptr_eq(session_challenge(s), ch);
    session_load(s, "A B A B A B");
    settle(s);
    ck_assert_int_eq(session_goal(s, NULL), CHALLENGE_REACHED);
    ck_assert(progress_item(pr, "race", "race-lose-one", &st));
    ck_assert_uint_eq(st.attempts, 2);
    ck_assert(st.right);
    session_free(s);
    progress_free(pr);
    lesson_free(l);
}
END_TEST

/* Steps the scheduler takes after c are not the student's. */
START_TEST(test_challenge_handover_does_not_count)
{
    Lesson *l = race_lesson();
    LessonSession *s = session_new(NULL, "race", NULL);
    const char *msg;

    ck_assert(session_challenge_start(s, find_challenge(l, "race-lose-one"), "A B"));
    ck_assert_int_eq(session_goal(s, NULL), CHALLENGE_PENDING);
    session_continue(s);
    settle(s);
    ck_assert_int_eq(session_goal(s, &msg), CHALLENGE_MISSED);
    ck_assert_msg(strstr(msg, "your steps ended at step 2") != NULL &&
                      strstr(msg, "steps the scheduler chose do not count") != NULL,
                  "%s", msg);
    session_free(s);
    lesson_free(l);
}
END_TEST

/* Other parameters, another mode or a page's run leave the challenge. */
START_TEST(test_challenge_left)
{
    Lesson *l = race_lesson();
    LessonSession *s = session_new(NULL, "race", NULL);
    const LessonChallenge *ch = find_challenge(l, "race-lose-one");
    int64_t p[DEMO_MAX_PARAMS];

    ck_assert(session_challenge_start(s, ch, NULL));
    memcpy(p, session_params(s), sizeof(p));
    p[RACE_VARIANT] = RACE_MUTEX;
    session_set_params(s, p);
    ck_assert_ptr_null(session_challenge(s));
    ck_assert_int_eq(session_goal(s, NULL), -1);
    ck_assert_ptr_nonnull(strstr(session_message(s), "(challenge race-lose-one left"));
    ck_assert(session_challenge_start(s, ch, NULL));
    session_toggle_mode(s);
    ck_assert_ptr_null(session_challenge(s));
    /* a malformed schedule keeps the challenge, starts nothing, says why */
    ck_assert(!session_challenge_start(s, ch, "A Q"));
    ck_assert_ptr_eq(session_challenge(s), ch);
    ck_assert_int_eq(session_tone(s), SESSION_ERROR);
    ck_assert_ptr_nonnull(strstr(session_message(s), "bad schedule"));
    session_free(s);
    lesson_free(l);
}
END_TEST

/* The lesson is read again (an instructor edited it): the session keeps
 * the challenge through its new copy, without a second attempt. */
START_TEST(test_challenge_rebind_after_reload)
{
    Lesson *old = race_lesson(), *now = race_lesson();
    Progress *pr = empty_progress();
    LessonSession *s = session_new(NULL, "race", pr);
    ProgressItem st;
    const char *msg;

    ck_assert(session_challenge_start(s, find_challenge(old, "race-lose-one"), "A B A B A B"));
    settle(s);
    ck_assert_int_eq(session_goal(s, NULL), CHALLENGE_REACHED);
    session_challenge_rebind(s, find_challenge(now, "race-lose-one"));
    lesson_free(old); /* nothing may point into it now */
    ck_assert_ptr_eq(session_challenge(s), find_challenge(now, "race-lose-one"));
    ck_assert_int_eq(session_goal(s, &msg), CHALLENGE_REACHED);
    ck_assert_str_eq(msg, "goal reached: the run completed at step 6 with final 1, lost 1");
    ck_assert(progress_item(pr, "race", "race-lose-one", &st));
    ck_assert_uint_eq(st.attempts, 1);
    /* another challenge's parameters do not fit this run: left */
    session_challenge_rebind(s, find_challenge(now, "race-lose-two"));
    ck_assert_ptr_null(session_challenge(s));
    session_free(s);
    progress_free(pr);
    lesson_free(now);
}
END_TEST

/* The TUI's judge agrees with the grader's on every challenge that ships:
 * each lesson's solution, typed into a session, reaches its goal (and an
 * empty run of the same challenge does not reach it by itself). */
START_TEST(test_every_solution_reaches_its_goal_in_a_session)
{
    static const char *const names[] = {"race", "deadlock", "prodcons"};
    const char *src = getenv("top_srcdir");
    unsigned checked = 0;

    for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
        char path[1024];
        IlError err;
        Lesson *l;

        snprintf(path, sizeof(path), "%s/lessons/%s.md", src != NULL ? src : ".", names[n]);
        l = lesson_load(path, &err);
        ck_assert_msg(l != NULL, "%s", err.msg);
        for (size_t p = 0; p < l->npages; p++) {
            for (size_t i = 0; i < l->pages[p].nchallenges; i++) {
                const LessonChallenge *ch = &l->pages[p].challenges[i];
                LessonSession *s = session_new(NULL, l->id, NULL);
                const char *msg;
                int goal;

                ck_assert_ptr_nonnull(ch->solution);
                ck_assert(session_challenge_start(s, ch, NULL));
                ck_assert_int_eq(session_goal(s, NULL), CHALLENGE_PENDING);
                ck_assert(session_challenge_start(s, ch, ch->solution));
                /* the run may end after the schedule's last step: its end
                 * decides the goal; poll it (each call returns at once) */
                goal = session_goal(s, &msg);
                for (int t = 0; goal == CHALLENGE_PENDING && t < 5000; t++) {
                    bool ended;
                    (void)session_tick(s, &ended);
                    goal = session_goal(s, &msg);
                    if (goal == CHALLENGE_PENDING) {
                        usleep(2000); /* poll interval, not a wait for the result */
                    }
                }
                ck_assert_msg(goal == CHALLENGE_REACHED, "%s %s: %s", l->id, ch->id, msg);
                ck_assert_int_eq(session_tone(s), SESSION_GOOD);
                session_free(s);
                checked++;
            }
        }
        lesson_free(l);
    }
    ck_assert_uint_ge(checked, 8);
}
END_TEST

/* ------------------------------------------------------------------ */
/* the trace export                                                    */
/* ------------------------------------------------------------------ */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "r");
    char *buf;
    long n;

    ck_assert_msg(f != NULL, "%s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

START_TEST(test_export_trace)
{
    char dir[] = "/tmp/interleave-check-export.XXXXXX", want[2048], cwd[4096];
    LessonSession *s = race_session();
    StrBuf direct;
    size_t len, direct_len;
    char *text;
    const char *path;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    setenv("XDG_STATE_HOME", dir, 1);
    /* no run yet: nothing to write, and the student is told */
    ck_assert_int_eq(session_export(s), -ENOENT);
    ck_assert_int_eq(session_tone(s), SESSION_ERROR);
    session_load(s, "A B A B A B");
    settle(s);
    ck_assert_int_eq(session_export(s), 0);
    ck_assert(session_exporting(s));
    ck_assert_int_eq(session_export(s), -EBUSY); /* one at a time */
    ck_assert_int_eq(session_export_wait(s), 0);
    ck_assert(!session_exporting(s));
    ck_assert_int_eq(session_tone(s), SESSION_GOOD);
    path = session_last_export(s);
    /* named after the lesson and the time, in the state directory */
    snprintf(want, sizeof(want), "%s/interleave/traces/race-2", dir);
    ck_assert_msg(strncmp(path, want, strlen(want)) == 0, "%s", path);
    ck_assert_str_eq(path + strlen(path) - strlen("-1.json"), "-1.json");
    {
        /* private, like the progress file (traces were 0644) */
        struct stat st;
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_int_eq(st.st_mode & 0777, 0600);
    }
    ck_assert_ptr_nonnull(strstr(session_message(s), path));
    /* the same document chrome_write gives */
    text = read_all(path, &len);
    strbuf_init(&direct);
    ck_assert_int_eq(chrome_write(session_run(s), json_sink_strbuf, &direct), 0);
    ck_assert_uint_eq(len, direct.len);
    ck_assert(memcmp(text, direct.s, len) == 0);
    direct_len = direct.len;
    ck_assert(strncmp(text, "{\"traceEvents\":[", 16) == 0);
    unlink(path);
    free(text);
    strbuf_fini(&direct);

    /* no state directory: the current directory, and the message says so */
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
    ck_assert_int_eq(chdir(dir), 0);
    unsetenv("XDG_STATE_HOME");
    unsetenv("HOME");
    ck_assert_int_eq(session_export(s), 0);
    ck_assert_int_eq(session_export_wait(s), 0);
    ck_assert(strncmp(session_last_export(s), "./race-", 7) == 0);
    ck_assert_ptr_nonnull(strstr(session_message(s), "the current directory"));
    unlink(session_last_export(s));
    ck_assert_int_eq(chdir(cwd), 0);

    /* freed while a trace is being written: the trace is finished, whole,
     * and its writer reaped */
    setenv("XDG_STATE_HOME", dir, 1);
    ck_assert_int_eq(session_export(s), 0);
    ck_assert(session_exporting(s));
    session_free(s);
    {
        char cmd[512];
        FILE *ls;
        char name[1024];
        snprintf(cmd, sizeof(cmd), "ls %s/interleave/traces", dir);
        ls = popen(cmd, "r");
        ck_assert_ptr_nonnull(ls);
        ck_assert_ptr_nonnull(fgets(name, sizeof(name), ls));
        pclose(ls);
        name[strcspn(name, "\n")] = '\0';
        snprintf(want, sizeof(want), "%s/interleave/traces/%s", dir, name);
        text = read_all(want, &len);
        ck_assert_uint_eq(len, direct_len);
        ck_assert_str_eq(text + len - 2, "}\n");
        free(text);
        unlink(want);
    }
    errno = 0;
    ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
    ck_assert_int_eq(errno, ECHILD);
    snprintf(want, sizeof(want), "%s/interleave/traces", dir);
    rmdir(want);
    snprintf(want, sizeof(want), "%s/interleave", dir);
    rmdir(want);
    ck_assert_int_eq(rmdir(dir), 0); /* nothing else was left in it */
}
END_TEST

/* w then x: the trace's message follows the saved schedule's, so both
 * paths stay readable; anything else said replaces them. */
START_TEST(test_save_then_export_keeps_both)
{
    char dir[] = "/tmp/interleave-check-export.XXXXXX", sched[4096];
    LessonSession *s = session_new(&race_demo, "race", NULL);
    const char *msg, *at;

    ck_assert_ptr_nonnull(s);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    setenv("XDG_STATE_HOME", dir, 1);
    session_toggle_mode(s); /* step mode */
    session_send(s, "A B A");
    session_save(s);
    ck_assert_int_eq(session_tone(s), SESSION_GOOD);
    snprintf(sched, sizeof(sched), "%s", session_last_file(s));
    ck_assert_int_eq(session_export(s), 0);
    ck_assert_int_eq(session_export_wait(s), 0);
    msg = session_message(s);
    at = strstr(msg, "schedule saved to ");
    ck_assert_msg(at != NULL && strstr(at, sched) != NULL, "%s", msg);
    at = strstr(msg, "trace written to ");
    ck_assert_msg(at != NULL && strstr(at, session_last_export(s)) != NULL, "%s", msg);
    ck_assert(strstr(msg, "schedule saved to ") < strstr(msg, "trace written to "));
    ck_assert_int_eq(session_tone(s), SESSION_GOOD);
    /* the next file keeps the last one only: the message does not grow */
    session_save(s);
    msg = session_message(s);
    ck_assert_msg(strncmp(msg, "trace written to ", 17) == 0, "%s", msg);
    ck_assert_ptr_nonnull(strstr(msg, "; schedule saved to "));
    unlink(session_last_file(s));
    /* something else: the files' news is gone */
    session_say(s, SESSION_INFO, "lane A took a step");
    session_save(s);
    ck_assert_msg(strncmp(session_message(s), "schedule saved to ", 18) == 0, "%s",
                  session_message(s));
    unlink(session_last_file(s));
    unlink(sched);
    unlink(session_last_export(s));
    session_free(s);
}
END_TEST

/* ------------------------------------------------------------------ */
/* the quiz                                                            */
/* ------------------------------------------------------------------ */

START_TEST(test_quiz_items_in_file_order)
{
    static const char *const ids[] = {"race-lose-one",  "race-lose-two",    "race-two-threads",
                                      "race-how-many",  "race-mutex-steps", "race-zero-lost",
                                      "race-faster-fix"};
    Lesson *l = race_lesson();
    Quiz qz;

    ck_assert_int_eq(quiz_init(&qz, l, NULL), 0);
    ck_assert_uint_eq(qz.n, 7);
    for (size_t i = 0; i < qz.n; i++) {
        ck_assert_str_eq(qz.items[i].id, ids[i]);
        ck_assert_int_eq(qz.items[i].kind, i < 2 ? QUIZ_CHALLENGE : QUIZ_QUESTION);
    }
    ck_assert_uint_lt(qz.items[0].page, qz.items[2].page);
    ck_assert_uint_eq(quiz_find(&qz, "race-mutex-steps"), 4);
    ck_assert_uint_eq(quiz_find(&qz, "nope"), (size_t)-1);
    /* the first to show for a page: the first not done from there on */
    ck_assert_uint_eq(quiz_first(&qz, 0), 0);
    ck_assert_uint_eq(quiz_first(&qz, qz.items[2].page), 2);
    quiz_fini(&qz);
    lesson_free(l);
}
END_TEST

/* Every kind of answer: right and wrong choices, values, a question for
 * thinking; attempts are kept, and the lesson is done when all are. */
START_TEST(test_quiz_answers_kept_and_lesson_done)
{
    Lesson *l = race_lesson();
    Progress *pr = empty_progress(), *again;
    Quiz qz;
    QuizTally t;
    ProgressItem st;
    StrBuf text;
    IlError err;
    char msg[256];

    ck_assert_int_eq(quiz_init(&qz, l, pr), 0);
    quiz_tally(l, pr, &t);
    ck_assert_uint_eq(t.questions, 5);
    ck_assert_uint_eq(t.challenges, 2);
    ck_assert_uint_eq(t.answered + t.solved, 0);
    ck_assert(!t.done);

    /* a choice: wrong, then right; both attempts kept */
    ck_assert_int_eq(quiz_answer(&qz, 2, "1", msg, sizeof(msg)), QUIZ_WRONG);
    ck_assert_str_eq(msg, "wrong: choice 1 is not the right one");
    ck_assert(!quiz_done(&qz, 2));
    ck_assert_int_eq(quiz_answer(&qz, 2, "2", msg, sizeof(msg)), QUIZ_RIGHT);
    ck_assert_str_eq(msg, "right: choice 2");
    quiz_status(&qz, 2, &st);
    ck_assert_uint_eq(st.attempts, 2);
    ck_assert(st.right);
    ck_assert_str_eq(st.text, "2");
    ck_assert(quiz_done(&qz, 2));
    /* the text of a choice is an answer too */
    ck_assert_int_eq(quiz_answer(&qz, 3, "  18 ", msg, sizeof(msg)), QUIZ_RIGHT);
    /* a value */
    ck_assert_int_eq(quiz_answer(&qz, 4, "four", msg, sizeof(msg)), QUIZ_WRONG);
    ck_assert_str_eq(msg, "wrong: 'four' is not the right value");
    ck_assert_int_eq(quiz_answer(&qz, 4, " 5.0 ", msg, sizeof(msg)), QUIZ_RIGHT);
    quiz_status(&qz, 4, &st);
    ck_assert_str_eq(st.text, "5.0");
    /* nothing typed, or a challenge: no attempt */
    ck_assert_int_eq(quiz_answer(&qz, 5, "   ", msg, sizeof(msg)), QUIZ_REFUSED);
    ck_assert_int_eq(quiz_answer(&qz, 0, "A B A B A B", msg, sizeof(msg)), QUIZ_REFUSED);
    quiz_status(&qz, 5, &st);
    ck_assert_uint_eq(st.attempts, 0);
    ck_assert_int_eq(quiz_answer(&qz, 5, "2", msg, sizeof(msg)), QUIZ_RIGHT);
    /* a question for thinking: noted, and done */
    ck_assert_int_eq(quiz_answer(&qz, 6, "fewer  locks,\tless waiting", msg, sizeof(msg)),
                     QUIZ_NOTED);
    ck_assert(quiz_done(&qz, 6));
    quiz_tally(l, pr, &t);
    ck_assert_uint_eq(t.answered, 5);
    ck_assert_uint_eq(t.solved, 0);
    ck_assert(!t.done);
    /* the challenges, as the session keeps them */
    ck_assert_int_eq(progress_mark_try(pr, "race", "race-lose-one", PROGRESS_RIGHT, "A B A B A B"),
                     0);
    ck_assert_int_eq(
        progress_mark_try(pr, "race", "race-lose-two", PROGRESS_RIGHT, "A B C A B C A B C"), 0);
    quiz_tally(l, pr, &t);
    ck_assert(t.done);

    /* written and read again, the answers and attempts are the same */
    strbuf_init(&text);
    ck_assert_int_eq(progress_format(pr, &text), 0);
    again = progress_from_text(text.s, text.len, &err);
    ck_assert_ptr_nonnull(again);
    quiz_tally(l, again, &t);
    ck_assert(t.done);
    ck_assert(progress_item(again, "race", "race-faster-fix", &st));
    ck_assert_str_eq(st.text, "fewer locks, less waiting");
    ck_assert_int_eq(st.last, PROGRESS_NOTED);
    ck_assert(progress_item(again, "race", "race-two-threads", &st));
    ck_assert_uint_eq(st.attempts, 2);
    progress_free(again);
    strbuf_fini(&text);
    quiz_fini(&qz);
    progress_free(pr);
    lesson_free(l);
}
END_TEST

/* A refused token is numbered as in what was typed; tokens left over when
 * the run is over are refused, not sent to a new run. */
START_TEST(test_send_numbers_tokens_and_refuses_leftovers)
{
    LessonSession *s = race_session();
    int64_t p[DEMO_MAX_PARAMS];

    session_send(s, "A3 B3 A");
    ck_assert_str_eq(session_message(s), "token 3 'A': the run is over (every lane has finished)");
    ck_assert_int_eq(session_tone(s), SESSION_ERROR);
    ck_assert(session_run_over(s));
    ck_assert_str_eq(sched_text(s), "A3 B3");

    memcpy(p, session_params(s), sizeof(p));
    p[RACE_VARIANT] = RACE_MUTEX;
    session_set_params(s, p);
    session_toggle_mode(s); /* free */
    session_toggle_mode(s); /* a fresh step run */
    session_send_at(s, "B", 4);
    ck_assert_str_eq(session_message(s), "B: taken");
    session_send_at(s, "A", 5);
    ck_assert_str_eq(session_message(s), "token 5 'A': lane A is blocked on mutex m held by B");
    session_free(s);
}
END_TEST

static Suite *session_suite(void)
{
    Suite *s = suite_create("session");
    TCase *tc = NULL, *ch = NULL, *quiz = NULL;

    add_tcase(s, &tc, "session", test_steps_build_the_lost_update, 30);
    add_tcase(s, &tc, "session", test_undo_replays_one_step_back, 30);
    add_tcase(s, &tc, "session", test_typed_schedule_and_refusal, 30);
    add_tcase(s, &tc, "session", test_new_variant_replays_the_steps, 30);
    add_tcase(s, &tc, "session", test_long_schedule_saved_and_found_by_name, 60);
    add_tcase(s, &tc, "session", test_saved_file_brings_its_parameters, 30);
    add_tcase(s, &tc, "session", test_send_lanes_past_z, 30);
    add_tcase(s, &tc, "session", test_send_numbers_tokens_and_refuses_leftovers, 30);
    add_tcase(s, &tc, "session", test_no_demo, 30);
    add_tcase(s, &tc, "session", test_explore_outcome_loads, 60);
    add_tcase(s, &tc, "session", test_end_of_long_run_comes_in_by_ticks, 60);
    add_tcase(s, &ch, "challenge", test_challenge_reached_step_by_step, 30);
    add_tcase(s, &ch, "challenge", test_challenge_missed_then_solved, 30);
    add_tcase(s, &ch, "challenge", test_challenge_handover_does_not_count, 30);
    add_tcase(s, &ch, "challenge", test_challenge_left, 30);
    add_tcase(s, &ch, "challenge", test_challenge_rebind_after_reload, 30);
    add_tcase(s, &ch, "challenge", test_every_solution_reaches_its_goal_in_a_session, 60);
    add_tcase(s, &ch, "challenge", test_export_trace, 30);
    add_tcase(s, &ch, "challenge", test_save_then_export_keeps_both, 30);
    add_tcase(s, &quiz, "quiz", test_quiz_items_in_file_order, 30);
    add_tcase(s, &quiz, "quiz", test_quiz_answers_kept_and_lesson_done, 30);
    return s;
}

CHECK_MAIN(session_suite)
