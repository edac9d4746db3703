/*
 * check_session.c - a lesson session driven as the lesson screen drives
 * it (lesson/session.h): steps lane by lane, undo, replays of typed
 * schedules, new parameters that replay the same steps, and what the
 * student is told each time.  Every run is a step run, so every state
 * asserted is exact.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_common.h"
#include "check_run.h"
#include "demos/race.h"
#include "util/strbuf.h"
#include "lesson/session.h"

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
    ck_assert_str_eq(session_message(s), "lane B is blocked: it waits to lock m, held by A");
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

static Suite *session_suite(void)
{
    Suite *s = suite_create("session");
    TCase *tc = NULL;

    add_tcase(s, &tc, "session", test_steps_build_the_lost_update, 30);
    add_tcase(s, &tc, "session", test_undo_replays_one_step_back, 30);
    add_tcase(s, &tc, "session", test_typed_schedule_and_refusal, 30);
    add_tcase(s, &tc, "session", test_new_variant_replays_the_steps, 30);
    add_tcase(s, &tc, "session", test_long_schedule_saved_and_found_by_name, 60);
    add_tcase(s, &tc, "session", test_saved_file_brings_its_parameters, 30);
    add_tcase(s, &tc, "session", test_no_demo, 30);
    return s;
}

CHECK_MAIN(session_suite)
