/*
 * check_script.c - demo scripts (lesson/script.h): every parse error names
 * its file and line; a script drives a session through a host as the
 * terminal UI and the headless runner do, with the time given by the
 * test (a pause does not count against a wait, a skip ends a wait, a key
 * ends a `key`); its step runs end the same way every time, and what
 * each command showed is reported on its line.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_common.h"
#include "core/clock.h"
#include "demos/demo.h"
#include "lesson/script.h"
#include "util/strbuf.h"

#define SEC 1000000000ull

#define SCRIPT_DIR_PREFIX "/tmp/check-script-"

/* Write text to a script file in a new directory, load it, and remove
 * both (a script is read whole when it loads).  Returns the script, or
 * NULL with err; *path_out (may be NULL) gets the path it had. */
static Script *load_text(const char *text, IlError *err, char path_out[128])
{
    char dir[64], path[128];
    Script *s;
    FILE *f;

    snprintf(dir, sizeof(dir), SCRIPT_DIR_PREFIX "XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/class.script", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    s = script_load(path, err);
    unlink(path);
    rmdir(dir);
    if (path_out != NULL) {
        memcpy(path_out, path, sizeof(path));
    }
    return s;
}

/* A host with no terminal: a demo's playground (lessons are not loaded),
 * the reports collected one per line. */
typedef struct Host {
    LessonSession *session;
    StrBuf reports;
    StrBuf said;
    bool present;
} Host;

static int h_open(void *ctx, const char *name, IlError *err)
{
    Host *h = ctx;
    const DemoClass *d = demo_find(name, err);
    if (d == NULL) {
        return -1;
    }
    session_free(h->session);
    h->session = session_new(d, name, NULL);
    return h->session != NULL ? 0 : -1;
}

static LessonSession *h_session(void *ctx)
{
    return ((Host *)ctx)->session;
}

static const Lesson *h_lesson(void *ctx)
{
    (void)ctx;
    return NULL;
}

static int h_goto_page(void *ctx, size_t page, IlError *err)
{
    (void)ctx;
    (void)page;
    (void)err;
    return 0;
}

static size_t h_page(void *ctx)
{
    (void)ctx;
    return 0;
}

static void h_present(void *ctx, bool on)
{
    ((Host *)ctx)->present = on;
}

static void h_say(void *ctx, const char *text)
{
    strbuf_addf(&((Host *)ctx)->said, "%s\n", text);
}

static void h_poll(void *ctx)
{
    Host *h = ctx;
    bool ended;
    if (h->session != NULL) {
        (void)session_tick(h->session, &ended);
    }
}

static void h_report(void *ctx, unsigned line, const char *text)
{
    strbuf_addf(&((Host *)ctx)->reports, "%u: %s\n", line, text);
}

static void host_init(Host *h, ScriptHost *sh)
{
    memset(h, 0, sizeof(*h));
    strbuf_init(&h->reports);
    strbuf_init(&h->said);
    *sh = (ScriptHost){h,      h_open,    h_session, h_lesson, h_goto_page,
                       h_page, h_present, h_say,     h_poll,   h_report};
}

static void host_fini(Host *h)
{
    session_free(h->session);
    strbuf_fini(&h->reports);
    strbuf_fini(&h->said);
}

/* Run s to its end on the real clock (its runs are step runs: they end as
 * soon as their last step is taken).  Returns the final state. */
static ScriptState run_to_end(Script *s, const ScriptHost *sh)
{
    uint64_t wake, t0 = clock_mono_ns();
    ScriptState st;

    do {
        st = script_tick(s, sh, clock_mono_ns(), &wake);
        ck_assert_uint_lt(clock_mono_ns() - t0, 20 * SEC);
    } while (st == SCRIPT_RUNNING);
    return st;
}

START_TEST(test_parse_errors_name_file_and_line)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"lesson race\nfly away\n", ":2: unknown command 'fly'"},
        {"# comment\n\nlesson\n", ":3: lesson needs an argument"},
        {"page two\n", ":1: page: 'two' is not a number"},
        {"page 0\n", ":1: page: '0' is not a number 1..1000"},
        {"run 1x\n", ":1: run: '1x' is not a number"},
        {"present maybe\n", ":1: present: on or off, got 'maybe'"},
        {"mode fast\n", ":1: mode: free or step, got 'fast'"},
        {"step\n", ":1: step needs a schedule"},
        {"step A B every soon\n", ":1: step: 'every' takes a duration"},
        {"step A ? B\n", ":1: step: "},
        {"wait\n", ":1: wait: '' is not a duration"},
        {"wait 5\n", ":1: wait: '5' is not a duration"},
        {"wait -1s\n", ":1: wait: '-1s' is not a duration"},
        {"wait verdict soon\n", ":1: wait verdict: 'soon' is not a duration"},
        {"pause now\n", ":1: pause takes no argument, got 'now'"},
        {"say hi\r\nkey 2\r\n", ":2: key takes no argument, got '2'"},
        /* found before anything runs: nothing to act on yet */
        {"say hi\npage 3\nlesson race\n", ":2: page needs a lesson open: put 'lesson NAME'"},
        {"present on\nwait 1s\nwait verdict\n", ":3: wait verdict needs a lesson open"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[128];
        IlError err;
        Script *s = load_text(cases[i].text, &err, path);
        ck_assert_msg(s == NULL, "case %zu parsed", i);
        ck_assert_msg(strncmp(err.msg, path, strlen(path)) == 0, "case %zu: '%s' lacks the path", i,
                      err.msg);
        ck_assert_msg(strstr(err.msg, cases[i].want) != NULL, "case %zu: '%s' lacks '%s'", i,
                      err.msg, cases[i].want);
    }
}
END_TEST

START_TEST(test_parse_counts_commands_not_comments)
{
    IlError err;
    Script *s = load_text("# a class\n\n  lesson race   # the race\n"
                          "wait 500ms\nwait verdict\nwait verdict 2.5s\n"
                          "step A B every 200us\n",
                          &err, NULL);
    ck_assert_msg(s != NULL, "%s", err.msg);
    ck_assert_uint_eq(script_ncommands(s), 5);
    ck_assert_uint_eq(script_line(s), 3); /* the first command's line */
    script_free(s);

    ck_assert_ptr_null(script_load("/nonexistent/x.script", &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/x.script"));
}
END_TEST

/* A step run ends the same way every time: the schedule decides. */
START_TEST(test_step_script_reports_the_verdicts)
{
    Host h;
    ScriptHost sh;
    IlError err;
    Script *s = load_text("lesson race\n"
                          "params threads=2 iterations=1\n"
                          "say one after the other\n"
                          "step A A A B B B\n"
                          "wait verdict 10s\n"
                          "step A B A B A B\n"
                          "wait verdict 10s\n",
                          &err, NULL);
    const char *r;

    ck_assert_msg(s != NULL, "%s", err.msg);
    host_init(&h, &sh);
    ck_assert_int_eq(run_to_end(s, &sh), SCRIPT_DONE);
    r = strbuf_str(&h.reports);
    ck_assert_msg(strstr(r, "1: lesson race\n") != NULL, "%s", r);
    ck_assert_msg(strstr(r, "2: params threads=2 iterations=1\n") != NULL, "%s", r);
    ck_assert_msg(strstr(r, "5: completed: counter 2 as expected, no update lost "
                            "(expected 2, final 2, lost 0)\n") != NULL,
                  "%s", r);
    ck_assert_msg(strstr(r, "7: completed: counter 1, expected 2: 1 update lost "
                            "(expected 2, final 1, lost 1)\n") != NULL,
                  "%s", r);
    ck_assert_str_eq(strbuf_str(&h.said), "one after the other\n");
    ck_assert_uint_eq(script_done(s), 7);
    script_free(s);
    host_fini(&h);
}
END_TEST

/* A paused script's wait does not count the pause. */
START_TEST(test_pause_stops_the_clock_of_a_wait)
{
    Host h;
    ScriptHost sh;
    IlError err;
    uint64_t wake;
    Script *s = load_text("say hi\nwait 2s\nsay bye\n", &err, NULL);

    ck_assert_msg(s != NULL, "%s", err.msg);
    host_init(&h, &sh);
    ck_assert_int_eq(script_tick(s, &sh, 10 * SEC, &wake), SCRIPT_RUNNING);
    ck_assert_uint_eq(wake, 12 * SEC);
    ck_assert_uint_eq(script_line(s), 2);
    script_pause(s, true);
    ck_assert_int_eq(script_tick(s, &sh, 11 * SEC, &wake), SCRIPT_PAUSED);
    ck_assert_int_eq(script_tick(s, &sh, 20 * SEC, &wake), SCRIPT_PAUSED);
    script_pause(s, false);
    /* paused 11 s .. 20 s: the wait ends at 12 + 9 = 21 s */
    ck_assert_int_eq(script_tick(s, &sh, 20 * SEC, &wake), SCRIPT_RUNNING);
    ck_assert_uint_eq(wake, 21 * SEC);
    ck_assert_int_eq(script_tick(s, &sh, 21 * SEC - 1, &wake), SCRIPT_RUNNING);
    ck_assert_int_eq(script_tick(s, &sh, 21 * SEC, &wake), SCRIPT_DONE);
    ck_assert_str_eq(strbuf_str(&h.said), "hi\nbye\n");
    script_free(s);
    host_fini(&h);
}
END_TEST

START_TEST(test_skip_and_key)
{
    Host h;
    ScriptHost sh;
    IlError err;
    uint64_t wake;
    Script *s = load_text("wait 60s\nkey\npresent on\n", &err, NULL);

    ck_assert_msg(s != NULL, "%s", err.msg);
    host_init(&h, &sh);
    ck_assert_int_eq(script_tick(s, &sh, 0, &wake), SCRIPT_RUNNING);
    ck_assert_uint_eq(wake, 60 * SEC);
    script_skip(s); /* the presenter does not want to wait */
    ck_assert_int_eq(script_tick(s, &sh, 1, &wake), SCRIPT_KEY);
    ck_assert_uint_eq(script_line(s), 2);
    ck_assert_int_eq(script_tick(s, &sh, 5 * SEC, &wake), SCRIPT_KEY); /* still waits */
    ck_assert(!h.present);
    script_key(s);
    ck_assert_int_eq(script_tick(s, &sh, 6 * SEC, &wake), SCRIPT_DONE);
    ck_assert(h.present);
    /* the skipped wait reported nothing; the others did */
    ck_assert_str_eq(strbuf_str(&h.reports), "3: present on\n");
    script_free(s);
    host_fini(&h);
}
END_TEST

/* A paced step sends one token per pace, at the times the test gives. */
START_TEST(test_paced_step)
{
    Host h;
    ScriptHost sh;
    IlError err;
    uint64_t wake;
    Script *s = load_text("lesson race\nparams threads=2 iterations=1\n"
                          "step A B A every 500ms\n",
                          &err, NULL);

    ck_assert_msg(s != NULL, "%s", err.msg);
    host_init(&h, &sh);
    ck_assert_int_eq(script_tick(s, &sh, 100 * SEC, &wake), SCRIPT_RUNNING);
    ck_assert_uint_eq(wake, 100 * SEC + SEC / 2);
    ck_assert_uint_eq(run_schedule(session_run(h.session))->n, 1); /* A at once */
    ck_assert_int_eq(script_tick(s, &sh, 100 * SEC + SEC / 4, &wake), SCRIPT_RUNNING);
    ck_assert_uint_eq(run_schedule(session_run(h.session))->n, 1); /* not yet */
    ck_assert_int_eq(script_tick(s, &sh, 100 * SEC + SEC / 2, &wake), SCRIPT_RUNNING);
    ck_assert_uint_eq(run_schedule(session_run(h.session))->n, 2);
    ck_assert_int_eq(script_tick(s, &sh, 101 * SEC, &wake), SCRIPT_DONE);
    ck_assert_uint_eq(run_schedule(session_run(h.session))->n, 3);
    ck_assert(!run_done(session_run(h.session))); /* the run waits for more steps */
    script_free(s);
    host_fini(&h);
}
END_TEST

/* A command that cannot run stops the script at its line, saying why. */
START_TEST(test_failures_stop_at_the_line)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"lesson nosuchthing\n", ":1: "},
        {"lesson race\nparams threads=0\n", ":2: "},
        {"lesson race\nparams threads=2 iterations=1\nstep A C\n", ":3: "},
        /* numbered as in the command, worded as the CLI's bad_schedule */
        {"lesson race\nparams variant=mutex threads=2 iterations=1\nstep A A B\n",
         ":3: step: token 3 'B': lane B is blocked on mutex m held by A"},
        {"lesson race\nparams threads=2 iterations=1\nstep A3 B3 A\n",
         ":3: step: token 3 'A': the run is over"},
        {"lesson race\nwait verdict 1s\n", ":2: wait verdict: no run"},
        {"lesson race\nmode step\npause\n", ":3: pause and resume work on a free run"},
        {"lesson race\nrun 1\n", ":2: run 1: page 1 has 0 run blocks"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        Host h;
        ScriptHost sh;
        IlError err;
        Script *s = load_text(cases[i].text, &err, NULL);
        ck_assert_msg(s != NULL, "case %zu: %s", i, err.msg);
        host_init(&h, &sh);
        ck_assert_int_eq(run_to_end(s, &sh), SCRIPT_FAILED);
        ck_assert_msg(strstr(script_error(s), cases[i].want) != NULL, "case %zu: '%s' lacks '%s'",
                      i, script_error(s), cases[i].want);
        ck_assert_msg(strncmp(script_error(s), SCRIPT_DIR_PREFIX, strlen(SCRIPT_DIR_PREFIX)) == 0,
                      "case %zu: '%s' does not start with the file", i, script_error(s));
        script_free(s);
        host_fini(&h);
    }
}
END_TEST

static Suite *script_suite(void)
{
    Suite *s = suite_create("script");
    TCase *tc = NULL;

    add_tcase(s, &tc, "script", test_parse_errors_name_file_and_line, 30);
    add_tcase(s, &tc, "script", test_parse_counts_commands_not_comments, 30);
    add_tcase(s, &tc, "script", test_step_script_reports_the_verdicts, 30);
    add_tcase(s, &tc, "script", test_pause_stops_the_clock_of_a_wait, 30);
    add_tcase(s, &tc, "script", test_skip_and_key, 30);
    add_tcase(s, &tc, "script", test_paced_step, 30);
    add_tcase(s, &tc, "script", test_failures_stop_at_the_line, 30);
    return s;
}

CHECK_MAIN(script_suite)
