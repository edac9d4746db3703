/*
 * check_scenario.c - scenario files, the new primitives and the explorer.
 *
 * The parser's messages (file:line:column and what was expected), the
 * race demo's known answers from a scenario, each primitive's step
 * semantics through replayed schedules, the explorer's known answers
 * (2 lanes x 1 increment -> {1, 2}; the deadlock demo deadlocks with one
 * preemption; the fixed variants never fail within the bound), and every
 * puzzle of lessons/puzzles.md: its challenge reachable, its fix safe.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "check_common.h"
#include "check_resources.h"
#include "check_run.h"
#include "core/explore.h"
#include "demos/demo.h"
#include "lesson/challenge.h"
#include "lesson/lesson.h"
#include "scenario/scn.h"
#include "scenario/scn_demo.h"

static char *path_in_src(const char *rel)
{
    const char *src = getenv("top_srcdir");
    static char buf[4096];
    snprintf(buf, sizeof(buf), "%s/%s", src != NULL ? src : ".", rel);
    return buf;
}

static ScnDemo *parse_ok(const char *text)
{
    IlError err;
    ScnDemo *d = scn_demo_parse(text, strlen(text), "t.scn", 1, &err);
    ck_assert_msg(d != NULL, "%s", err.msg);
    return d;
}

/* ------------------------------------------------------------------ */
/* the parser                                                           */
/* ------------------------------------------------------------------ */

static const struct {
    const char *text;
    const char *msg; /* the whole message */
} bad_inputs[] = {
    {"x = 0\n", "t.scn:1:1: expected at least one lane (lane A: ...)"},
    {"lane A:\n    x = = 1\n", "t.scn:2:9: expected a value (a number, a name, a call, or '('), "
                               "got '='"},
    {"lane A:\n\tpass\n", "t.scn:2:1: a tab in the indentation: indent with spaces"},
    {"lane A:\n    if 1:\n        pass\n      pass\n",
     "t.scn:4:7: this indentation (6 spaces) matches no enclosing block"},
    {"lane A:\n    y = x + 1\n",
     "t.scn:2:9: unknown name 'x' (not a param, a shared variable, or a local this lane "
     "assigns)"},
    {"m = Lock()\nlane A:\n    m.wait()\n",
     "t.scn:3:7: m is a Lock: its methods are acquire, release, try_acquire, got 'wait'"},
    {"lane A:\n    break\n", "t.scn:2:5: 'break' outside a loop"},
    {"x = 0\nlane A:\n    if x = 1:\n        pass\n",
     "t.scn:3:10: expected '==' to compare ('=' assigns)"},
    {"x = 0\nlane A:\n    x + 1\n", "t.scn:3:7: expected '=' or the end of the line, got '+'"},
    {"lane A:\n    pass\nlane A:\n    pass\n", "t.scn:3:6: a second lane called 'A'"},
    {"param n = 9 in 1..4\nlane A:\n    pass\n", "t.scn:1:1: the default 9 is not in 1..4"},
    {"x = 0\nx = 1\nlane A:\n    pass\n", "t.scn:2:1: 'x' is declared twice"},
    {"b = Bucket()\nlane A:\n    pass\n",
     "t.scn:1:5: unknown kind 'Bucket' (Lock, RLock, Condition, Semaphore, Barrier, "
     "CountDownLatch, Event, RWLock)"},
    {"lane A:\n    x = 'a\n", "t.scn:2:9: expected the closing ' of this string"},
    {"x = 0\nlane A:\n    x = 1 < 2 < 3\n",
     "t.scn:3:15: chained comparisons are not supported: write a < b and b < c"},
    {"a = [0, 0]\nlane A:\n    r = a\n", "t.scn:3:9: 'a' is an array: read an element, a[i]"},
    {"lane A:\n    for i in range(2)\n        pass\n", "t.scn:2:22: expected ':', got the end of "
                                                       "the line"},
    {"lane A:\n    x = 1.5\n", "t.scn:2:9: values are whole numbers, got '1.5'"},
    {"lane A:\n    pass\nexpect y == 1\n",
     "t.scn:3:8: unknown name 'y' (not a param or a shared variable)"},
    {"lane A:\n    pass\nx = 0\n", "t.scn:3:1: shared names are declared before the lanes"},
    {"x = 0\nlane A:\n    lane B:\n", "t.scn:3:5: 'lane' belongs at the top level, not inside "
                                      "a lane"},
    {"lane A:\n    x = 99999999999999999999\n", "t.scn:2:9: number too large (at most "
                                                "9223372036854775807)"},
    {"lane A:\n    pass\x01\n", "t.scn:2:9: unexpected byte 0x01"},
};

START_TEST(test_parse_errors)
{
    for (size_t i = 0; i < sizeof(bad_inputs) / sizeof(bad_inputs[0]); i++) {
        IlError err;
        ScnProgram *p = scn_parse(bad_inputs[i].text, strlen(bad_inputs[i].text), "t.scn", &err);
        ck_assert_msg(p == NULL, "input %zu parsed", i);
        ck_assert_int_eq(err.code, -IL_EPARSE);
        ck_assert_msg(strcmp(err.msg, bad_inputs[i].msg) == 0, "input %zu:\n got  %s\n want %s", i,
                      err.msg, bad_inputs[i].msg);
    }
}
END_TEST

START_TEST(test_parse_nul_and_size)
{
    IlError err;
    static char big[SCN_MAX_SOURCE + 2];
    ck_assert_ptr_null(scn_parse("lane A:\n\0", 9, "t.scn", &err));
    ck_assert_str_eq(err.msg, "t.scn: a NUL byte: not a text file");
    memset(big, '#', sizeof(big) - 1);
    ck_assert_ptr_null(scn_parse(big, sizeof(big) - 1, "t.scn", &err));
    ck_assert_msg(strstr(err.msg, "too large") != NULL, "%s", err.msg);
}
END_TEST

START_TEST(test_parse_depth_bounded)
{
    /* 5000 nested parentheses: an error, not a stack overflow */
    size_t n = 5000;
    char *t = malloc(n * 2 + 32);
    IlError err;
    size_t at = (size_t)sprintf(t, "lane A:\n    x = ");
    for (size_t i = 0; i < n; i++) {
        t[at++] = '(';
    }
    t[at++] = '1';
    for (size_t i = 0; i < n; i++) {
        t[at++] = ')';
    }
    t[at++] = '\n';
    ck_assert_ptr_null(scn_parse(t, at, "t.scn", &err));
    ck_assert_msg(strstr(err.msg, "nested too deeply") != NULL, "%s", err.msg);
    free(t);
}
END_TEST

START_TEST(test_code_steps)
{
    ScnDemo *d = parse_ok("x = 0\nm = Lock()\nf = [0, 0]\nlane A:\n    x = x + 1\n"
                          "    with m:\n        r = x\n    f[r] = 1\n    pass\n");
    const DemoClass *cls = scn_demo_class(d);

    ck_assert_ptr_null(demo_code_steps(cls, 3)); /* lane A: */
    ck_assert_str_eq(demo_code_steps(cls, 4), "load x, compute x + 1, store x");
    ck_assert_str_eq(demo_code_steps(cls, 5), "m.acquire() here, m.release() after the block");
    ck_assert_str_eq(demo_code_steps(cls, 6), "load x");
    ck_assert_str_eq(demo_code_steps(cls, 7), "store f[i]");
    ck_assert_str_eq(demo_code_steps(cls, 8), "pass (a step that does nothing)");
    ck_assert_ptr_null(demo_code_steps(cls, 99));
    ck_assert_ptr_null(demo_code_steps(demo_at(0), 0)); /* a compiled demo does not say */
    scn_demo_free(d);
}
END_TEST

START_TEST(test_parse_shape)
{
    ScnDemo *d = parse_ok("# A title line\n"
                          "param n = 3 in 1..8\n"
                          "x = 0\nflags = [0] * n\nm = Lock()\n"
                          "lane A:\n    r = x\n"
                          "lane w[n] as i:\n    flags[i] = 1\n");
    const DemoClass *cls = scn_demo_class(d);
    int64_t params[DEMO_MAX_PARAMS];
    size_t ncode;

    ck_assert_str_eq(cls->name, "t");
    ck_assert_str_eq(cls->summary, "A title line");
    ck_assert_uint_eq(cls->nparams, 1);
    ck_assert_str_eq(cls->params[0].name, "n");
    demo_params_default(cls, params);
    ck_assert_uint_eq(demo_lanes(cls, params), 4);
    params[0] = 8;
    ck_assert_uint_eq(demo_lanes(cls, params), 9);
    ck_assert_ptr_nonnull(demo_code(cls, params, &ncode));
    ck_assert_uint_eq(ncode, 9);
    ck_assert_ptr_eq(scn_demo_of(cls), d);
    ck_assert_ptr_null(scn_demo_of(demo_at(0)));
    scn_demo_free(d);
}
END_TEST

/* ------------------------------------------------------------------ */
/* runs                                                                 */
/* ------------------------------------------------------------------ */

/* Replay text on d's class with params (index/value pairs, -1 ended). */
static Run *replay(const ScnDemo *d, const int *params, const char *text)
{
    Run *run = check_run_start(scn_demo_class(d), params, SCHED_REPLAY, text, false);
    run_wait(run);
    return run;
}

START_TEST(test_race_known_answers)
{
    IlError err;
    ScnDemo *d = scn_demo_load(path_in_src("data/scenarios/counter.scn"), &err);
    const int p[] = {0, 2, 1, 1, -1}; /* threads=2 iterations=1 */
    Run *run;

    ck_assert_msg(d != NULL, "%s", err.msg);
    run = replay(d, p, "A B A B A B");
    ck_assert_int_eq(run_verdict(run), VERDICT_INVARIANT);
    ck_assert_int_eq(check_result(run, "counter"), 1);
    ck_assert_uint_eq(run_steps(run), 6);
    run_free(run);
    run = replay(d, p, "A3 B3");
    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    ck_assert_int_eq(check_result(run, "counter"), 2);
    run_free(run);
    scn_demo_free(d);
}
END_TEST

START_TEST(test_step_semantics)
{
    /* x = x + 1 is load, compute, store; r = x a load; x = 5 a store;
     * r = 0 a compute; a condition only its loads */
    ScnDemo *d = parse_ok("x = 0\nlane A:\n    x = x + 1\n    r = x\n    x = 5\n    r = 0\n"
                          "    if x == 5:\n        pass\n");
    Run *run = replay(d, NULL, "A*");
    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    /* 3 + 1 + 1 + 1 + 1 (the if's load) + 1 (pass), and the step to the end */
    ck_assert_uint_eq(run_steps(run), 8);
    ck_assert_int_eq(check_result(run, "x"), 5);
    run_free(run);
    scn_demo_free(d);
}
END_TEST

START_TEST(test_assert_and_expect)
{
    ScnDemo *d = parse_ok("x = 0\nlane A:\n    x = 1\n    assert x == 2, \"x is off\"\n"
                          "    x = 9\nexpect x == 3\n");
    Run *run = replay(d, NULL, "A*");
    const char *m = run_message(run);
    ck_assert_int_eq(run_verdict(run), VERDICT_INVARIANT);
    ck_assert_msg(strstr(m, "'x == 2' broken at step 2 by lane A: line 4: x is off (x = 1)") !=
                      NULL,
                  "%s", m);
    /* the lane stopped at the assert: x stays 1 */
    ck_assert_int_eq(check_result(run, "x"), 1);
    run_free(run);
    scn_demo_free(d);

    d = parse_ok("x = 0\nlane A:\n    x = 1\nexpect x == 3\n");
    run = replay(d, NULL, "A*");
    ck_assert_int_eq(run_verdict(run), VERDICT_INVARIANT);
    ck_assert_msg(strstr(run_message(run), "'expect x == 3' broken") != NULL, "%s",
                  run_message(run));
    ck_assert_msg(strstr(run_message(run), "x is 1") != NULL, "%s", run_message(run));
    run_free(run);
    scn_demo_free(d);
}
END_TEST

START_TEST(test_critical_section)
{
    ScnDemo *d = parse_ok("lane w[2]:\n    critical_section:\n        pass\n");
    Run *run = replay(d, NULL, "A B");
    ck_assert_int_eq(run_verdict(run), VERDICT_INVARIANT);
    ck_assert_msg(strstr(run_message(run), "lanes A and B are inside at once (line 2)") != NULL,
                  "%s", run_message(run));
    run_free(run);
    run = replay(d, NULL, "A2 B2");
    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    run_free(run);
    scn_demo_free(d);
}
END_TEST

START_TEST(test_runtime_errors)
{
    ScnDemo *d = parse_ok("m = Lock()\na = [0, 0]\nlane A:\n    m.release()\n"
                          "lane B:\n    i = 2\n    a[i] = 1\n");
    Run *run = replay(d, NULL, "A");
    ck_assert_int_eq(run_verdict(run), VERDICT_INVARIANT);
    ck_assert_msg(strstr(run_message(run), "'runtime error' broken at step 1 by lane A: line 4: "
                                           "m.release() of a lock this lane does not hold") != NULL,
                  "%s", run_message(run));
    run_free(run);
    run = replay(d, NULL, "B2");
    ck_assert_msg(strstr(run_message(run), "line 7: index 2 out of range for a (0..1)") != NULL,
                  "%s", run_message(run));
    run_free(run);
    scn_demo_free(d);
}
END_TEST

START_TEST(test_never_ends)
{
    /* no shared read, no end: the existing livelock limit stops it */
    ScnDemo *d = parse_ok("lane A:\n    while True:\n        r = 1\n");
    Run *run = check_run_start(scn_demo_class(d), NULL, SCHED_REPLAY, "A", false);
    ck_assert_int_eq(run_wait(run), VERDICT_LIVELOCK);
    run_free(run);
    scn_demo_free(d);
}
END_TEST

/* A schedule the scheduler refuses, with why. */
static void refused(const ScnDemo *d, const char *sched, const char *why)
{
    Run *run = replay(d, NULL, sched);
    ck_assert_int_eq(run_verdict(run), VERDICT_BAD_SCHEDULE);
    ck_assert_msg(strstr(run_message(run), why) != NULL, "%s: %s", sched, run_message(run));
    run_free(run);
}

START_TEST(test_primitives_block)
{
    ScnDemo *d = parse_ok("r = RLock()\nlane A:\n    with r:\n        with r:\n            pass\n"
                          "lane B:\n    r.acquire()\n");
    /* A re-enters its own RLock; B is blocked on it meanwhile */
    refused(d, "A2 B", "lane B is blocked on rlock r held by A");
    scn_demo_free(d);

    d = parse_ok("rw = RWLock()\nlane A:\n    rw.acquire_read()\n    pass\n"
                 "lane B:\n    rw.acquire_read()\n    pass\nlane C:\n    rw.acquire_write()\n");
    refused(d, "A B C", "lane C is blocked on rwlock rw (count 2)");
    scn_demo_free(d);

    d = parse_ok("b = Barrier(3)\nlane w[2]:\n    b.wait()\n");
    {
        Run *run = replay(d, NULL, "A B");
        ck_assert_int_eq(run_verdict(run), VERDICT_DEADLOCK);
        run_free(run);
    }
    scn_demo_free(d);

    d = parse_ok("l = CountDownLatch(1)\nlane A:\n    l.wait()\nlane B:\n    l.count_down()\n");
    refused(d, "A", "lane A is blocked on latch l (count 1)");
    {
        Run *run = replay(d, NULL, "B A");
        ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
        run_free(run);
    }
    scn_demo_free(d);

    /* an event: set then clear before the sleeper runs still wakes it */
    d = parse_ok("e = Event()\nlane A:\n    e.wait()\nlane B:\n    e.set()\n    e.clear()\n");
    refused(d, "A A", "lane A is blocked on event e");
    {
        Run *run = replay(d, NULL, "A B2 A");
        ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
        run_free(run);
    }
    scn_demo_free(d);

    d = parse_ok("s = Semaphore(0)\nx = 0\nlane A:\n    if s.try_acquire():\n        x = 1\n"
                 "lane B:\n    s.release()\n");
    {
        Run *run = replay(d, NULL, "A2");
        ck_assert_int_eq(check_result(run, "x"), 0);
        run_free(run);
        run = replay(d, NULL, "B A2");
        ck_assert_int_eq(check_result(run, "x"), 1);
        run_free(run);
    }
    scn_demo_free(d);
}
END_TEST

/* ------------------------------------------------------------------ */
/* the explorer                                                         */
/* ------------------------------------------------------------------ */

/* Explore demo with cfg's params; returns the finished explorer. */
static Explore *explore(ExploreConfig *cfg)
{
    IlError err;
    Explore *ex = explore_start(cfg, &err);
    ck_assert_msg(ex != NULL, "%s", err.msg);
    while (!explore_poll(ex, 100)) {
    }
    ck_assert_msg(!explore_result(ex)->failed, "%s", explore_result(ex)->error);
    return ex;
}

static const ExploreOutcome *find_outcome(const ExploreResult *r, const char *values)
{
    for (uint32_t i = 0; i < r->noutcomes; i++) {
        if (strcmp(r->outcomes[i].values, values) == 0) {
            return &r->outcomes[i];
        }
    }
    return NULL;
}

static bool any_failing(const ExploreResult *r)
{
    for (uint32_t i = 0; i < r->noutcomes; i++) {
        if (explore_outcome_failing(&r->outcomes[i])) {
            return true;
        }
    }
    return false;
}

START_TEST(test_explore_counter)
{
    IlError err;
    const DemoClass *race = demo_find("race", &err);
    ExploreConfig cfg;
    Explore *ex;
    const ExploreResult *r;
    const ExploreOutcome *one, *two;

    explore_config_init(&cfg, race);
    cfg.params[demo_param_index(race, "threads")] = 2;
    cfg.params[demo_param_index(race, "iterations")] = 1;
    ex = explore(&cfg);
    r = explore_result(ex);
    ck_assert(r->complete);
    ck_assert_uint_eq(r->noutcomes, 2);
    one = find_outcome(r, "counter=1");
    two = find_outcome(r, "counter=2");
    ck_assert_ptr_nonnull(one);
    ck_assert_ptr_nonnull(two);
    ck_assert_uint_eq(one->steps, 6);
    ck_assert_uint_eq(one->preemptions, 1);
    ck_assert_str_eq(two->schedule, "A3 B3");
    /* all C(6,3) = 20 interleavings: 14 with at most 2 preemptions */
    ck_assert_uint_eq(atomic_load(&((ExploreResult *)r)->schedules), 14);
    explore_free(ex);

    /* the shortest schedule replays to the same outcome */
    {
        const int p[] = {0, 2, 1, 1, -1};
        Run *run = check_run_start(race, p, SCHED_REPLAY, "A2 B3 A", false);
        run_wait(run);
        ck_assert_int_eq(check_result(run, "final"), 1);
        run_free(run);
    }

    cfg.params[demo_param_index(race, "variant")] = 1; /* mutex */
    ex = explore(&cfg);
    ck_assert_uint_eq(explore_result(ex)->noutcomes, 1);
    ck_assert_ptr_nonnull(find_outcome(explore_result(ex), "counter=2"));
    explore_free(ex);
}
END_TEST

START_TEST(test_explore_deadlock)
{
    IlError err;
    const DemoClass *dl = demo_find("deadlock", &err);
    ExploreConfig cfg;
    Explore *ex;
    const ExploreResult *r;
    bool found = false;

    explore_config_init(&cfg, dl);
    cfg.params[demo_param_index(dl, "transfers")] = 1;
    cfg.preemptions = 1;
    ex = explore(&cfg);
    r = explore_result(ex);
    ck_assert(r->complete);
    for (uint32_t i = 0; i < r->noutcomes; i++) {
        if (r->outcomes[i].verdict == VERDICT_DEADLOCK) {
            found = true;
            ck_assert_uint_eq(r->outcomes[i].preemptions, 1);
            ck_assert_str_eq(r->outcomes[i].schedule, "A B");
        }
    }
    ck_assert(found);
    explore_free(ex);

    /* with no preemption at all, it cannot deadlock */
    cfg.preemptions = 0;
    ex = explore(&cfg);
    ck_assert(!any_failing(explore_result(ex)));
    explore_free(ex);

    /* the fixes: no failing outcome within 2 preemptions (the retry loops
     * of trylock and timeout can go on as long as the search keeps the
     * other lane waiting: those schedules end at the step limit,
     * inconclusive, not failing) */
    for (int64_t v = 1; v <= 3; v++) {
        cfg.params[demo_param_index(dl, "variant")] = v;
        cfg.preemptions = 2;
        cfg.max_steps = 100;
        ex = explore(&cfg);
        ck_assert_msg(!any_failing(explore_result(ex)), "variant %lld", (long long)v);
        ck_assert(explore_result(ex)->complete);
        explore_free(ex);
    }
}
END_TEST

START_TEST(test_explore_step_mode_is_sc)
{
    /* store buffering: in step semantics both reads are never 0 */
    IlError err;
    ScnDemo *d = scn_demo_load(path_in_src("data/scenarios/store-buffering.scn"), &err);
    ExploreConfig cfg;
    Explore *ex;

    ck_assert_msg(d != NULL, "%s", err.msg);
    explore_config_init(&cfg, scn_demo_class(d));
    cfg.params[0] = 1; /* rounds */
    cfg.preemptions = 3;
    ex = explore(&cfg);
    ck_assert(explore_result(ex)->complete);
    ck_assert(!any_failing(explore_result(ex)));
    explore_free(ex);
    scn_demo_free(d);
}
END_TEST

/* ------------------------------------------------------------------ */
/* the puzzles                                                          */
/* ------------------------------------------------------------------ */

START_TEST(test_puzzles)
{
    IlError err;
    Lesson *l = lesson_load(path_in_src("lessons/puzzles.md"), &err);
    unsigned challenges = 0, fixes = 0;

    ck_assert_msg(l != NULL, "%s", err.msg);
    for (size_t pg = 0; pg < l->npages; pg++) {
        for (size_t c = 0; c < l->pages[pg].nchallenges; c++) {
            const LessonChallenge *ch = &l->pages[pg].challenges[c];
            char sched[EXPLORE_SCHED_MAX], msg[512], fix[128];
            const DemoClass *fd;
            ExploreConfig cfg;
            Explore *ex;

            /* the challenge: the explorer finds a witness within the bound */
            ck_assert_msg(challenge_explore(ch, 2, 60, sched, sizeof(sched), msg, sizeof(msg)) ==
                              CHALLENGE_REACHED,
                          "%s: %s", ch->id, msg);
            challenges++;
            /* its fix: no failing outcome within the bound */
            snprintf(fix, sizeof(fix), "%s-fix", ch->demo);
            fd = demo_find(fix, &err);
            ck_assert_msg(fd != NULL, "%s: %s", ch->id, err.msg);
            explore_config_init(&cfg, fd);
            cfg.timeout_s = 120;
            ex = explore(&cfg);
            ck_assert_msg(explore_result(ex)->complete, "%s: incomplete", fix);
            ck_assert_msg(!any_failing(explore_result(ex)), "%s fails: %s", fix,
                          explore_result(ex)->outcomes[0].message);
            explore_free(ex);
            fixes++;
        }
    }
    ck_assert_uint_ge(challenges, 10);
    ck_assert_uint_eq(fixes, challenges);
    lesson_free(l);
}
END_TEST

START_TEST(test_lesson_scenario_errors)
{
    static const char text[] = "# T\n\nSummary.\n\n## P\n\n```interleave-scenario s\n"
                               "lane A:\n    x = = 1\n```\n\n```interleave-scenario\nlane A:\n"
                               "    pass\n```\n";
    StrBuf out;
    strbuf_init(&out);
    ck_assert_int_eq(lesson_lint_text("l.md", text, strlen(text), &out), 2);
    ck_assert_msg(strstr(strbuf_str(&out), "l.md:9: scenario s, column 9: expected a value") !=
                      NULL,
                  "%s", strbuf_str(&out));
    ck_assert_msg(strstr(strbuf_str(&out), "l.md:12: interleave-scenario needs a name") != NULL,
                  "%s", strbuf_str(&out));
    strbuf_fini(&out);
}
END_TEST

START_TEST(test_explore_leaves_nothing)
{
    IlError err;
    const DemoClass *race = demo_find("race", &err);
    ExploreConfig cfg;
    int fds = count_fds(), shared = count_maps(true);
    Explore *ex;

    explore_config_init(&cfg, race);
    cfg.params[demo_param_index(race, "threads")] = 2;
    cfg.params[demo_param_index(race, "iterations")] = 2;
    ex = explore(&cfg);
    explore_free(ex);
    /* and one killed in the middle */
    cfg.params[demo_param_index(race, "iterations")] = 50;
    ex = explore_start(&cfg, &err);
    ck_assert_ptr_nonnull(ex);
    (void)explore_poll(ex, 20);
    explore_free(ex);
    ck_assert_int_eq(count_fds(), fds);
    ck_assert_int_eq(count_maps(true), shared);
    ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1); /* no child left, not even a zombie */
}
END_TEST

static Suite *scenario_suite(void)
{
    Suite *s = suite_create("scenario");
    TCase *parse = NULL, *run = NULL, *ex = NULL, *last = NULL;

    add_tcase(s, &parse, "parse", test_parse_errors, 10);
    add_tcase(s, &parse, "parse", test_parse_nul_and_size, 10);
    add_tcase(s, &parse, "parse", test_parse_depth_bounded, 10);
    add_tcase(s, &parse, "parse", test_parse_shape, 10);
    add_tcase(s, &parse, "parse", test_code_steps, 10);
    add_tcase(s, &parse, "parse", test_lesson_scenario_errors, 10);
    add_tcase(s, &run, "run", test_race_known_answers, 30);
    add_tcase(s, &run, "run", test_step_semantics, 30);
    add_tcase(s, &run, "run", test_assert_and_expect, 30);
    add_tcase(s, &run, "run", test_critical_section, 30);
    add_tcase(s, &run, "run", test_runtime_errors, 30);
    add_tcase(s, &run, "run", test_never_ends, 60);
    add_tcase(s, &run, "run", test_primitives_block, 60);
    add_tcase(s, &ex, "explore", test_explore_counter, 60);
    add_tcase(s, &ex, "explore", test_explore_deadlock, 60);
    add_tcase(s, &ex, "explore", test_explore_step_mode_is_sc, 60);
    add_tcase(s, &ex, "explore", test_puzzles, 600);
    add_tcase(s, &last, "resources", test_explore_leaves_nothing, 30);
    return s;
}

CHECK_MAIN(scenario_suite)
