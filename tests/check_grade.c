/*
 * check_grade.c - grading: the JSON writer, challenge blocks and their
 * evaluator, answers files, question checking, grading and its reports.
 *
 * The evaluator is tested on real runs driven by schedules (deterministic
 * replays), never on free runs.  Every kind of bad input (a broken
 * challenge block, a broken answers file) must come back as the right
 * "file:line: message"; every check must be able to say no.  Each test
 * that starts runs ends by proving no child process is left.
 */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_common.h"
#include "check_resources.h"
#include "grade/grade.h"
#include "lesson/answers.h"
#include "lesson/challenge.h"
#include "lesson/kv.h"
#include "lesson/lesson.h"
#include "util/json.h"

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

static char tmpdir[256];

static void tmp_setup(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "%s/grade-test.XXXXXX",
             getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static int tmp_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void tmp_teardown(void)
{
    if (tmpdir[0] != '\0') {
        nftw(tmpdir, tmp_rm, 16, FTW_DEPTH | FTW_PHYS);
        tmpdir[0] = '\0';
    }
}

static const char *tmp_write(const char *name, const char *text, size_t len)
{
    static char path[512];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

/* No child process is left: every run was reaped. */
static void assert_no_children(void)
{
    errno = 0;
    ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
    ck_assert_int_eq(errno, ECHILD);
}

static const char *srcdir(void)
{
    const char *s = getenv("top_srcdir");
    return s != NULL ? s : ".";
}

/* The problems a parse reported: "LINE: msg\n" each. */
static void collect(void *ctx, unsigned line, const char *msg)
{
    strbuf_addf(ctx, "%u: %s\n", line, msg);
}

/* Parse a challenge block (body text, first content line 2). */
static void parse_block(const char *body, LessonChallenge *ch, StrBuf *problems)
{
    strbuf_init(problems);
    ck_assert_int_eq(challenge_parse(body, 2, 1, "race", collect, problems, ch), 0);
}

/* ------------------------------------------------------------------ */
/* JSON writer                                                         */
/* ------------------------------------------------------------------ */

START_TEST(test_json_escaping)
{
    StrBuf b;
    JsonWriter w;
    const char raw[] = "q\"b\\n\n\t\x01\x1f ok \xc3\xa9 \xe2\x82\xac bad\xff\xc3 \xed\xa0\x80 end";

    strbuf_init(&b);
    json_init(&w, json_sink_strbuf, &b, 0);
    json_begin_object(&w);
    json_kv_string(&w, "s", raw);
    json_kv_string(&w, "null", NULL);
    json_kv_int(&w, "neg", -42);
    json_kv_double(&w, "d", 1.5, 3);
    json_kv_double(&w, "nan", 0.0 / 0.0, 3);
    json_key(&w, "a");
    json_begin_array(&w);
    json_bool(&w, true);
    json_uint(&w, 18446744073709551615ull);
    json_end_array(&w);
    json_end_object(&w);
    ck_assert_int_eq(json_flush(&w), 0);
    ck_assert(json_complete(&w));
    ck_assert_str_eq(strbuf_str(&b),
                     "{\"s\":\"q\\\"b\\\\n\\n\\t\\u0001\\u001f ok \xc3\xa9 \xe2\x82\xac "
                     "bad\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd end\","
                     "\"null\":null,\"neg\":-42,\"d\":1.500,\"nan\":null,"
                     "\"a\":[true,18446744073709551615]}");
    strbuf_fini(&b);
}
END_TEST

START_TEST(test_json_indent_and_big_strings)
{
    StrBuf b;
    JsonWriter w;
    char *big = malloc(3 * JSON_BUF_SIZE + 1);

    ck_assert_ptr_nonnull(big);
    memset(big, 'x', 3 * JSON_BUF_SIZE);
    big[3 * JSON_BUF_SIZE] = '\0';
    strbuf_init(&b);
    json_init(&w, json_sink_strbuf, &b, 2);
    json_begin_object(&w);
    json_kv_int(&w, "a", 1);
    json_key(&w, "b");
    json_begin_array(&w);
    json_end_array(&w);
    json_kv_string(&w, "big", big);
    json_end_object(&w);
    ck_assert_int_eq(json_flush(&w), 0);
    ck_assert_uint_eq(w.written, b.len);
    {
        const char *head = "{\n  \"a\": 1,\n  \"b\": [],\n  \"big\": \"";
        size_t hl = strlen(head);
        ck_assert_int_eq(strncmp(strbuf_str(&b), head, hl), 0);
        ck_assert_uint_eq(b.len, hl + 3 * JSON_BUF_SIZE + 3);
        ck_assert_str_eq(strbuf_str(&b) + hl + 3 * JSON_BUF_SIZE, "\"\n}");
        ck_assert_uint_eq(strspn(strbuf_str(&b) + hl, "x"), 3 * JSON_BUF_SIZE);
    }
    free(big);
    strbuf_fini(&b);
}
END_TEST

static int failing_sink(void *ctx, const char *buf, size_t len)
{
    int *calls = ctx;
    (void)buf;
    (void)len;
    (*calls)++;
    return -ENOSPC;
}

START_TEST(test_json_errors)
{
    StrBuf b;
    JsonWriter w;
    int calls = 0;

    /* misuse: a value where a key is due, a second top-level value */
    strbuf_init(&b);
    json_init(&w, json_sink_strbuf, &b, 0);
    json_begin_object(&w);
    json_int(&w, 1);
    ck_assert_int_eq(json_flush(&w), -EINVAL);
    strbuf_fini(&b);

    strbuf_init(&b);
    json_init(&w, json_sink_strbuf, &b, 0);
    json_int(&w, 1);
    json_int(&w, 2);
    ck_assert_int_eq(json_flush(&w), -EINVAL);
    strbuf_fini(&b);

    /* closing what is not open */
    strbuf_init(&b);
    json_init(&w, json_sink_strbuf, &b, 0);
    json_begin_array(&w);
    json_end_object(&w);
    ck_assert_int_eq(json_flush(&w), -EINVAL);
    ck_assert(!json_complete(&w));
    strbuf_fini(&b);

    /* too deep */
    strbuf_init(&b);
    json_init(&w, json_sink_strbuf, &b, 0);
    for (int i = 0; i <= JSON_MAX_DEPTH; i++) {
        json_begin_array(&w);
    }
    ck_assert_int_eq(json_flush(&w), -EINVAL);
    strbuf_fini(&b);

    /* a sink error sticks and nothing more is written */
    json_init(&w, failing_sink, &calls, 0);
    json_begin_array(&w);
    json_end_array(&w);
    ck_assert_int_eq(json_flush(&w), -ENOSPC);
    ck_assert_int_eq(json_flush(&w), -ENOSPC);
    ck_assert_int_eq(calls, 1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* key: value lines                                                    */
/* ------------------------------------------------------------------ */

START_TEST(test_kv_parse)
{
    static const KvKey keys[] = {{"one", false}, {"many", true}, {NULL, false}};
    KvList kv;
    StrBuf p;

    strbuf_init(&p);
    ck_assert_int_eq(kv_parse("one: a\n  b\n# comment\n\nmany: 1\nmany : 2\n  indented\n"
                              "one: again\nnokey\nwhat: x\n",
                              10, "test", keys, collect, &p, &kv),
                     0);
    ck_assert_uint_eq(kv.n, 3);
    ck_assert_str_eq(kv.e[0].value, "a b");
    ck_assert_uint_eq(kv.e[0].line, 10);
    ck_assert_str_eq(kv.e[1].value, "1");
    ck_assert_str_eq(kv.e[2].value, "2 indented");
    ck_assert_uint_eq(kv.e[2].line, 15);
    ck_assert_str_eq(strbuf_str(&p), "17: one: given twice in this test block (first at line 10)\n"
                                     "18: expected 'key: value' in test block, got 'nokey'\n"
                                     "19: unknown key 'what' in test block (keys: one, many)\n");
    kv_fini(&kv);
    strbuf_fini(&p);

    strbuf_init(&p);
    ck_assert_int_eq(kv_parse("  orphan\n", 1, "test", keys, collect, &p, &kv), 0);
    ck_assert_uint_eq(kv.n, 0);
    ck_assert_str_eq(strbuf_str(&p),
                     "1: 'orphan' is indented but continues no 'key: value' line above\n");
    kv_fini(&kv);
    strbuf_fini(&p);
}
END_TEST

/* ------------------------------------------------------------------ */
/* challenge blocks                                                    */
/* ------------------------------------------------------------------ */

START_TEST(test_challenge_parse_good)
{
    LessonChallenge ch;
    StrBuf p;

    parse_block("id: c1\ngoal: Lose one.\n  Really.\nparams: threads=3 iterations=1\n"
                "verdict: invariant\nresult: lost >= 1\nresult:final!=-2\nby: b, C\n"
                "invariant: exactly once\nsteps: < 12\nlanes: A B C\nspurious: no\n"
                "solution: A  B\n  C\nhint: h\nexplain: e\n",
                &ch, &p);
    ck_assert_str_eq(strbuf_str(&p), "");
    ck_assert_str_eq(ch.id, "c1");
    ck_assert_str_eq(ch.goal, "Lose one. Really.");
    ck_assert_str_eq(ch.demo, "race");
    ck_assert_uint_eq(ch.nparams, 2);
    ck_assert_uint_eq(ch.nlanes, 3);
    ck_assert_int_eq(ch.verdict, VERDICT_INVARIANT);
    ck_assert_uint_eq(ch.nresults, 2);
    ck_assert_str_eq(ch.results[0].name, "lost");
    ck_assert_int_eq(ch.results[0].cmp, CMP_GE);
    ck_assert_int_eq(ch.results[0].value, 1);
    ck_assert_int_eq(ch.results[1].cmp, CMP_NE);
    ck_assert_int_eq(ch.results[1].value, -2);
    ck_assert(ch.has_by);
    ck_assert(!challenge_lanes_has(&ch.by, 0));
    ck_assert(challenge_lanes_has(&ch.by, 1));
    ck_assert(challenge_lanes_has(&ch.by, 2));
    ck_assert_str_eq(ch.invariant, "exactly once");
    ck_assert(ch.has_steps);
    ck_assert_int_eq(ch.steps.cmp, CMP_LT);
    ck_assert_int_eq(ch.steps.value, 12);
    ck_assert(ch.has_lanes);
    ck_assert(!ch.spurious);
    ck_assert_str_eq(ch.solution, "A B C");
    ck_assert_uint_eq(ch.solution_line, 14);
    ck_assert_uint_eq(ch.id_line, 2);
    ck_assert_str_eq(ch.hint, "h");
    ck_assert_str_eq(ch.explain, "e");
    challenge_fini(&ch);
    strbuf_fini(&p);

    /* "steps: 6" is "at most 6" */
    parse_block("id: c2\ngoal: g\nverdict: completed\nsteps: 6\n", &ch, &p);
    ck_assert_str_eq(strbuf_str(&p), "");
    ck_assert_int_eq(ch.steps.cmp, CMP_LE);
    ck_assert(ch.spurious);
    challenge_fini(&ch);
    strbuf_fini(&p);
}
END_TEST

typedef struct BadChallenge {
    const char *body;
    const char *want; /* "LINE: start of the first message" */
} BadChallenge;

static const BadChallenge bad_challenges[] = {
    {"goal: g\nverdict: completed\n", "1: challenge without id:"},
    {"id: a b\ngoal: g\nverdict: completed\n", "2: id: 'a b' must be"},
    {"id: c\nverdict: completed\n", "1: challenge without goal:"},
    {"id: c\ngoal:\nverdict: completed\n", "3: goal: empty"},
    {"id: c\ngoal: g\n", "1: challenge without a goal for the run"},
    {"id: c\ngoal: g\nverdict: sleeping\n", "4: verdict: must be completed"},
    {"id: c\ngoal: g\nverdict: bad_schedule\n", "4: verdict: must be completed"},
    {"id: c\ngoal: g\nresult: final = 1\n", "4: result: 'final = 1' is not NAME OP NUMBER"},
    {"id: c\ngoal: g\nresult: final == one\n", "4: result: 'final == one'"},
    {"id: c\ngoal: g\nresult: == 1\n", "4: result: '== 1'"},
    {"id: c\ngoal: g\nverdict: completed\nby: A\n", "5: by: needs verdict: invariant"},
    {"id: c\ngoal: g\nverdict: deadlock\nby: A Q\n", "5: by: lane Q does not exist (lanes A..D)"},
    {"id: c\ngoal: g\nverdict: deadlock\nby: 7\n", "5: by: '7' is not a lane name"},
    {"id: c\ngoal: g\nverdict: deadlock\nby: ,\n", "5: by: give one or more lanes"},
    {"id: c\ngoal: g\nverdict: completed\ninvariant: x\n",
     "5: invariant: needs verdict: invariant"},
    {"id: c\ngoal: g\nverdict: completed\nsteps: few\n", "5: steps: 'few' is not [OP] NUMBER"},
    {"id: c\ngoal: g\nverdict: completed\nsteps: -1\n", "5: steps: '-1'"},
    {"id: c\ngoal: g\nverdict: completed\nlanes: A E\n", "5: lanes: lane E does not exist"},
    {"id: c\ngoal: g\nverdict: completed\nspurious: maybe\n", "5: spurious: must be yes or no"},
    {"id: c\ngoal: g\nverdict: completed\nsolution: A Q\n", "5: solution: "},
    {"id: c\ngoal: g\nverdict: completed\nsolution: ,\n", "5: solution: empty"},
    {"id: c\ngoal: g\nverdict: completed\nlanes: A\nsolution: A B\n",
     "6: solution: token 2 'B' moves a lane that lanes: does not allow"},
    {"id: c\ngoal: g\nverdict: completed\nspurious: no\nsolution: A ~B\n",
     "6: solution: token 2 '~B' is a spurious wakeup"},
    {"id: c\ngoal: g\nverdict: completed\ndemo: nosuch\n", "5: demo: unknown demo 'nosuch'"},
    {"id: c\ngoal: g\nverdict: completed\nparams: threads=0\n", "5: params: "},
    {"id: c\ngoal: g\nverdict: completed\ncolour: red\n", "5: unknown key 'colour'"},
    {"id: c\ngoal: g\nverdict: completed\nid: d\n", "5: id: given twice"},
};

START_TEST(test_challenge_parse_bad)
{
    const BadChallenge *c = &bad_challenges[_i];
    LessonChallenge ch;
    StrBuf p;

    parse_block(c->body, &ch, &p);
    ck_assert_msg(strncmp(strbuf_str(&p), c->want, strlen(c->want)) == 0,
                  "case %d: want '%s...', got '%s'", _i, c->want, strbuf_str(&p));
    challenge_fini(&ch);
    strbuf_fini(&p);
}
END_TEST

/* A lesson file with challenges: lint gives file:line, ids are shared
 * with questions, the page text gets a marker. */
START_TEST(test_challenge_in_lesson)
{
    const char *text =
        "# T\n\nSummary.\n\n## P\n\n"
        "```interleave-challenge\nid: q\ngoal: Lose one.\ndemo: race\nparams: threads=2 "
        "iterations=1\nverdict: completed\nresult: final == 1\nsolution: A B A B "
        "A B\n```\n\n"
        "```question\nid: q\nprompt: Why?\nanswer: 18\n```\n";
    const char *path;
    StrBuf out;
    IlError err;
    Lesson *l;

    tmp_setup();
    path = tmp_write("c.md", text, strlen(text));
    strbuf_init(&out);
    ck_assert_int_eq(lesson_lint(path, &out), 1);
    ck_assert_ptr_nonnull(strstr(strbuf_str(&out), ":18: id: 'q' is used twice (first at line 7)"));
    strbuf_fini(&out);

    /* and the other way round: the question first */
    text = "# T\n\nSummary.\n\n## P\n\n```question\nid: q\nprompt: Why?\nanswer: 18\n```\n\n"
           "```interleave-challenge\nid: q\ngoal: g\ndemo: race\nverdict: completed\n```\n";
    path = tmp_write("d.md", text, strlen(text));
    strbuf_init(&out);
    ck_assert_int_eq(lesson_lint(path, &out), 1);
    ck_assert_ptr_nonnull(strstr(strbuf_str(&out), ":14: id: 'q' is used twice (first at line 7)"));
    strbuf_fini(&out);

    text = "# T\n\nSummary.\n\n## P\n\n```interleave-challenge\nid: c\ngoal: Lose one.\n"
           "demo: race\nverdict: completed\n```\n\n```question\nid: v\nprompt: How many?\n"
           "answer:  18 \n```\n";
    path = tmp_write("e.md", text, strlen(text));
    l = lesson_load(path, &err);
    ck_assert_msg(l != NULL, "%s", err.msg);
    ck_assert_uint_eq(l->pages[0].nchallenges, 1);
    ck_assert_str_eq(l->pages[0].challenges[0].id, "c");
    ck_assert_uint_eq(l->pages[0].challenges[0].line, 7);
    ck_assert_ptr_nonnull(strstr(l->pages[0].text, "[challenge 1] Lose one."));
    ck_assert_str_eq(l->pages[0].questions[0].value, "18");
    ck_assert(question_graded(&l->pages[0].questions[0]));
    lesson_free(l);
    tmp_teardown();
}
END_TEST

/* ------------------------------------------------------------------ */
/* the evaluator, on real runs                                         */
/* ------------------------------------------------------------------ */

/* Check schedule against a challenge given as a block body. */
static int check_block(const char *body, const char *schedule, char *msg, size_t len)
{
    LessonChallenge ch;
    StrBuf p;
    int rc;
    parse_block(body, &ch, &p);
    ck_assert_msg(strbuf_str(&p)[0] == '\0', "block problems: %s", strbuf_str(&p));
    rc = challenge_check(&ch, schedule, 30, msg, len);
    challenge_fini(&ch);
    strbuf_fini(&p);
    return rc;
}

#define LOSE_ONE                                                                                   \
    "id: c\ngoal: g\nparams: threads=2 iterations=1 variant=unsafe\nverdict: completed\n"          \
    "result: final == 1\nresult: lost == 1\n"

START_TEST(test_evaluate_results)
{
    char msg[512];

    ck_assert_int_eq(check_block(LOSE_ONE, "A B A B A B", msg, sizeof(msg)), CHALLENGE_REACHED);
    ck_assert_str_eq(msg, "goal reached: the run completed at step 6 with final 1, lost 1");

    ck_assert_int_eq(check_block(LOSE_ONE, "A3 B3", msg, sizeof(msg)), CHALLENGE_MISSED);
    ck_assert_str_eq(msg, "not reached: the run completed at step 6 with final 2, lost 0 "
                          "(goal: final == 1)");

    /* round-robin after "A B" would lose the update too: it does not count */
    ck_assert_int_eq(check_block(LOSE_ONE, "A B", msg, sizeof(msg)), CHALLENGE_MISSED);
    ck_assert_str_eq(msg, "not reached: the schedule ended at step 2 with A and B still running, "
                          "before the goal was decided (A* runs a lane until it blocks or "
                          "finishes)");

    /* a result the demo does not have */
    ck_assert_int_eq(check_block("id: c\ngoal: g\nparams: threads=2 iterations=1\n"
                                 "result: fnal == 1\n",
                                 "A* B*", msg, sizeof(msg)),
                     CHALLENGE_MISSED);
    ck_assert_ptr_nonnull(strstr(msg, "it has no result 'fnal'"));

    /* malformed and empty schedules, a refused token */
    ck_assert_int_eq(check_block(LOSE_ONE, "A Q", msg, sizeof(msg)), CHALLENGE_MISSED);
    ck_assert_str_eq(msg, "not reached: malformed schedule: token 2 'Q': no such lane "
                          "(this run has A..B)");
    ck_assert_int_eq(check_block(LOSE_ONE, " , ", msg, sizeof(msg)), CHALLENGE_MISSED);
    ck_assert_str_eq(msg, "not reached: the schedule is empty");
    ck_assert_int_eq(check_block("id: c\ngoal: g\nparams: threads=2 iterations=1 variant=mutex\n"
                                 "verdict: completed\n",
                                 "A B", msg, sizeof(msg)),
                     CHALLENGE_MISSED);
    ck_assert_str_eq(msg, "not reached: the schedule was refused at token 2 'B': lane B is "
                          "blocked on mutex m held by A");
    assert_no_children();
}
END_TEST

START_TEST(test_evaluate_limits)
{
    char msg[512];

    ck_assert_int_eq(check_block(LOSE_ONE "steps: <= 5\n", "A B A B A B", msg, sizeof(msg)),
                     CHALLENGE_MISSED);
    ck_assert_str_eq(msg, "not reached: the run completed at step 6 with final 1, lost 1, in 6 "
                          "steps (goal: steps <= 5)");
    ck_assert_int_eq(check_block(LOSE_ONE "steps: == 6\n", "A B A B A B", msg, sizeof(msg)),
                     CHALLENGE_REACHED);
    ck_assert_int_eq(check_block(LOSE_ONE "lanes: A\n", "A B A B A B", msg, sizeof(msg)),
                     CHALLENGE_MISSED);
    ck_assert_str_eq(msg, "not reached: token 2 'B' moves a lane this challenge does not allow "
                          "(only A)");
    assert_no_children();
}
END_TEST

START_TEST(test_evaluate_deadlock_and_hang)
{
    const char *abba = "id: c\ngoal: g\ndemo: deadlock\nparams: variant=naive transfers=1\n"
                       "verdict: deadlock\nby: A B\n";
    const char *five = "id: c\ngoal: g\ndemo: philosophers\nparams: n=5 variant=naive\n"
                       "verdict: deadlock\nby: A E\n";
    const char *hang = "id: c\ngoal: g\ndemo: prodcons\nparams: variant=signal_lost consumers=2 "
                       "capacity=1 items=4\nverdict: hang\nby: A B C\n";
    char msg[512];

    ck_assert_int_eq(check_block(abba, "A B", msg, sizeof(msg)), CHALLENGE_REACHED);
    ck_assert_str_eq(msg, "goal reached: the run deadlocked at step 2: A holds acct1, waits "
                          "acct2; B holds acct2, waits acct1");
    /* A alone takes both locks: no deadlock, and the schedule does not end the run */
    ck_assert_int_eq(check_block(abba, "A A", msg, sizeof(msg)), CHALLENGE_MISSED);
    ck_assert_ptr_nonnull(strstr(msg, "the schedule ended at step 2"));
    ck_assert_int_eq(check_block(abba, "A* B*", msg, sizeof(msg)), CHALLENGE_MISSED);
    ck_assert_str_eq(msg, "not reached: the run completed at step 16 (goal: deadlock by A and B)");

    ck_assert_int_eq(check_block(five, "A B C D E", msg, sizeof(msg)), CHALLENGE_REACHED);
    ck_assert_int_eq(check_block(hang, "B* C* A* B* C*", msg, sizeof(msg)), CHALLENGE_REACHED);
    ck_assert_msg(strncmp(msg, "goal reached: the run hung at step ", 35) == 0, "%s", msg);
    ck_assert_ptr_nonnull(
        strstr(msg, ": A waits on cond cv; B waits on cond cv; C waits on cond cv"));
    assert_no_children();
}
END_TEST

#define IF_WAIT                                                                                    \
    "id: c\ngoal: g\ndemo: prodcons\nparams: variant=if_wait capacity=2 items=4\n"                 \
    "verdict: invariant\n"

START_TEST(test_evaluate_invariant)
{
    char msg[512];

    ck_assert_int_eq(check_block(IF_WAIT "by: B\ninvariant: depth within 0..capacity\n", "B* ~B B*",
                                 msg, sizeof(msg)),
                     CHALLENGE_REACHED);
    ck_assert_msg(
        strncmp(msg, "goal reached: invariant 'depth within 0..capacity' broke at step ", 65) == 0,
        "%s", msg);
    ck_assert_ptr_nonnull(strstr(msg, " by lane B"));
    ck_assert_int_eq(check_block(IF_WAIT "by: A\n", "B* ~B B*", msg, sizeof(msg)),
                     CHALLENGE_MISSED);
    ck_assert_ptr_nonnull(strstr(msg, "(goal: invariant by A)"));
    ck_assert_int_eq(check_block(IF_WAIT "invariant: exactly once\n", "B* ~B B*", msg, sizeof(msg)),
                     CHALLENGE_MISSED);
    ck_assert_int_eq(check_block(IF_WAIT "spurious: no\n", "B* ~B B*", msg, sizeof(msg)),
                     CHALLENGE_MISSED);
    ck_assert_str_eq(msg, "not reached: token 2 '~B' is a spurious wakeup, and this challenge "
                          "allows none");
    ck_assert_int_eq(check_block(IF_WAIT "steps: <= 5\n", "B* ~B B*", msg, sizeof(msg)),
                     CHALLENGE_MISSED);
    /* no violation within the schedule: B only goes to sleep */
    ck_assert_int_eq(check_block(IF_WAIT, "B*", msg, sizeof(msg)), CHALLENGE_MISSED);
    ck_assert_ptr_nonnull(strstr(msg, "the schedule ended at step 3"));
    assert_no_children();
}
END_TEST

/* challenge_evaluate() on runs the test drives itself: a finished replay
 * judged as if the student had chosen fewer steps, and a parked run. */
START_TEST(test_evaluate_chosen_steps_and_pending)
{
    LessonChallenge ch;
    RunConfig cfg;
    Schedule sched;
    StrBuf p;
    IlError err;
    Run *run;
    char msg[512];

    parse_block(LOSE_ONE, &ch, &p);
    ck_assert_int_eq(challenge_run_config(&ch, &cfg, 30, &err), 0);
    ck_assert_int_eq(schedule_parse("A B A B A B", 2, &sched, &err), 0);
    cfg.mode = SCHED_REPLAY;
    cfg.schedule = &sched;
    run = run_start(&cfg, &err);
    ck_assert_ptr_nonnull(run);
    run_wait(run);
    ck_assert_int_eq(challenge_evaluate(&ch, run, UINT64_MAX, msg, sizeof(msg)), CHALLENGE_REACHED);
    ck_assert_int_eq(challenge_evaluate(&ch, run, 6, msg, sizeof(msg)), CHALLENGE_REACHED);
    ck_assert_int_eq(challenge_evaluate(&ch, run, 4, msg, sizeof(msg)), CHALLENGE_MISSED);
    ck_assert_str_eq(msg, "not reached: your steps ended at step 4; after that the run completed "
                          "at step 6 with final 1, lost 1, but steps the scheduler chose do not "
                          "count");
    run_free(run);

    /* interactive: parked after "A B" */
    cfg.mode = SCHED_STEP;
    cfg.interactive = true;
    schedule_fini(&sched);
    ck_assert_int_eq(schedule_parse("A B", 2, &sched, &err), 0);
    cfg.schedule = &sched;
    run = run_start(&cfg, &err);
    ck_assert_ptr_nonnull(run);
    ck_assert(!run_done(run));
    ck_assert_int_eq(challenge_evaluate(&ch, run, UINT64_MAX, msg, sizeof(msg)), CHALLENGE_PENDING);
    ck_assert_str_eq(msg, "not yet: the run goes on at step 2");
    {
        SchedToken t = {0, TOK_STEPS, 4, 3};
        SchedToken u = {1, TOK_STEPS, 4, 4};
        ck_assert_int_ge(run_send(run, &t, &err), 0);
        ck_assert_int_ge(run_send(run, &u, &err), 0);
    }
    run_wait(run);
    ck_assert_int_eq(challenge_evaluate(&ch, run, UINT64_MAX, msg, sizeof(msg)), CHALLENGE_REACHED);
    run_free(run);
    schedule_fini(&sched);
    challenge_fini(&ch);
    strbuf_fini(&p);
    assert_no_children();
}
END_TEST

/* The shipped lessons: every challenge's solution reaches its goal, and
 * the empty-handed schedule "A" does not. */
START_TEST(test_shipped_solutions)
{
    static const char *const names[] = {"race", "deadlock", "prodcons"};
    unsigned nchallenges = 0;

    for (size_t n = 0; n < ARRAY_SIZE(names); n++) {
        char path[1024];
        IlError err;
        Lesson *l;
        snprintf(path, sizeof(path), "%s/lessons/%s.md", srcdir(), names[n]);
        l = lesson_load(path, &err);
        ck_assert_msg(l != NULL, "%s", err.msg);
        for (size_t pg = 0; pg < l->npages; pg++) {
            for (size_t c = 0; c < l->pages[pg].nchallenges; c++) {
                const LessonChallenge *ch = &l->pages[pg].challenges[c];
                char msg[512];
                ck_assert_ptr_nonnull(ch->solution);
                ck_assert_msg(challenge_check(ch, ch->solution, 30, msg, sizeof(msg)) ==
                                  CHALLENGE_REACHED,
                              "%s/%s: %s", names[n], ch->id, msg);
                ck_assert_msg(challenge_check(ch, "A", 30, msg, sizeof(msg)) == CHALLENGE_MISSED,
                              "%s/%s: 'A' reached it", names[n], ch->id);
                nchallenges++;
            }
        }
        lesson_free(l);
    }
    ck_assert_uint_ge(nchallenges, 8);
    assert_no_children();
}
END_TEST

/* ------------------------------------------------------------------ */
/* answers files                                                       */
/* ------------------------------------------------------------------ */

START_TEST(test_answers_parse_good)
{
    const char text[] = "# a comment\r\n\n[race]\r\nrace-a: 1 or  2\r\n"
                        "race-b: A B\n   A B\n  # still a comment\n    A B\n"
                        "race-empty:\n[deadlock]\nd-1: circular wait\n[race]\nrace-c: x\n";
    StrBuf p;
    int code;
    Answers *a;

    strbuf_init(&p);
    a = answers_parse(text, sizeof(text) - 1, "ans.txt", &p, &code);
    ck_assert_msg(a != NULL, "%s", strbuf_str(&p));
    ck_assert_int_eq(code, 0);
    ck_assert_uint_eq(a->n, 5);
    ck_assert_uint_eq(a->nlessons, 2);
    ck_assert_str_eq(a->lessons[0], "race");
    ck_assert_str_eq(a->lessons[1], "deadlock");
    ck_assert_str_eq(answers_find(a, "race", "race-a")->value, "1 or 2");
    ck_assert_uint_eq(answers_find(a, "race", "race-a")->line, 4);
    ck_assert_str_eq(answers_find(a, "race", "race-b")->value, "A B A B A B");
    ck_assert_str_eq(answers_find(a, "race", "race-empty")->value, "");
    ck_assert_str_eq(answers_find(a, "deadlock", "d-1")->value, "circular wait");
    ck_assert_str_eq(answers_find(a, "race", "race-c")->value, "x");
    ck_assert_ptr_null(answers_find(a, "deadlock", "race-a"));
    answers_free(a);
    strbuf_fini(&p);
}
END_TEST

typedef struct BadAnswers {
    const char *text;
    size_t len; /* 0 = strlen */
    const char *want;
} BadAnswers;

static const BadAnswers bad_answers[] = {
    {"q: 1\n", 0, "a.txt:1: 'q' comes before any [LESSON] line"},
    {"[race\nq: 1\n", 0, "a.txt:1: '[race' is not a lesson line"},
    {"[]\n", 0, "a.txt:1: []: a lesson name is"},
    {"[ra ce]\n", 0, "a.txt:1: [ra ce]: a lesson name is"},
    {"[race]\njust words\n", 0, "a.txt:2: expected 'ID: ANSWER' or '[LESSON]', got 'just words'"},
    {"[race]\nq q: 1\n", 0, "a.txt:2: 'q q' is not a question or challenge id"},
    {"[race]\n: 1\n", 0, "a.txt:2: '' is not a question or challenge id"},
    {"[race]\nq: 1\n\nq: 2\n", 0,
     "a.txt:4: 'q' is answered twice for lesson race (first at line 2)"},
    {"  A B\n", 0, "a.txt:1: 'A B' is indented but continues no"},
    {"[race]\nq: 1\0\n", 13, "a.txt:2: a NUL byte"},
};

START_TEST(test_answers_parse_bad)
{
    const BadAnswers *c = &bad_answers[_i];
    StrBuf p;
    int code;
    Answers *a;

    strbuf_init(&p);
    a = answers_parse(c->text, c->len > 0 ? c->len : strlen(c->text), "a.txt", &p, &code);
    ck_assert_ptr_null(a);
    ck_assert_int_eq(code, -IL_EPARSE);
    ck_assert_msg(strncmp(strbuf_str(&p), c->want, strlen(c->want)) == 0,
                  "case %d: want '%s...', got '%s'", _i, c->want, strbuf_str(&p));
    strbuf_fini(&p);
}
END_TEST

START_TEST(test_answers_every_problem_and_files)
{
    StrBuf p;
    int code;
    Answers *a;
    char *big;
    const char *path;
    int lines = 0;

    /* every problem is reported, one line each */
    strbuf_init(&p);
    a = answers_parse("x: 1\n[race\n[ok]\nbad\nq: 1\nq: 2\n", 30, "a.txt", &p, &code);
    ck_assert_ptr_null(a);
    for (const char *s = strbuf_str(&p); *s != '\0'; s++) {
        lines += *s == '\n';
    }
    ck_assert_int_eq(lines, 4);
    strbuf_fini(&p);

    tmp_setup();
    strbuf_init(&p);
    ck_assert_ptr_null(answers_load(tmpdir, &p, &code)); /* a directory */
    ck_assert_int_eq(code, -EISDIR);
    strbuf_fini(&p);

    big = malloc(ANSWERS_FILE_MAX + 2);
    ck_assert_ptr_nonnull(big);
    memset(big, '#', ANSWERS_FILE_MAX + 1);
    path = tmp_write("big.txt", big, ANSWERS_FILE_MAX + 1);
    strbuf_init(&p);
    ck_assert_ptr_null(answers_load(path, &p, &code));
    ck_assert_int_eq(code, -EFBIG);
    ck_assert_ptr_nonnull(
        strstr(strbuf_str(&p), "larger than the 1048576 bytes an answers file may have"));
    strbuf_fini(&p);
    /* exactly the limit is fine (all comment) */
    path = tmp_write("limit.txt", big, ANSWERS_FILE_MAX);
    strbuf_init(&p);
    a = answers_load(path, &p, &code);
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(a->n, 0);
    answers_free(a);
    strbuf_fini(&p);
    free(big);

    {
        char none[600];
        snprintf(none, sizeof(none), "%s/none.txt", tmpdir);
        strbuf_init(&p);
        ck_assert_ptr_null(answers_load(none, &p, &code));
        ck_assert_int_eq(code, -ENOENT);
        ck_assert_ptr_nonnull(strstr(strbuf_str(&p), "none.txt: No such file or directory"));
        strbuf_fini(&p);
    }
    tmp_teardown();
}
END_TEST

/* ------------------------------------------------------------------ */
/* questions                                                           */
/* ------------------------------------------------------------------ */

START_TEST(test_question_check)
{
    char c1[] = "only 2", c2[] = "1 or 2", c3[] = "0, 1 or 2";
    char v18[] = "18", vcw[] = "Circular  Wait";
    char *choices[] = {c1, c2, c3};
    LessonQuestion q = {.choices = choices, .nchoices = 3, .answer = 1};
    LessonQuestion v = {.answer = -1, .value = v18};
    LessonQuestion t = {.answer = -1, .value = vcw};
    LessonQuestion none = {.answer = -1};
    char msg[256];

    ck_assert(question_check(&q, "2", msg, sizeof(msg)));
    ck_assert(question_check(&q, " 1 OR   2 ", msg, sizeof(msg)));
    ck_assert(!question_check(&q, "1", msg, sizeof(msg)));
    ck_assert_str_eq(msg, "choice 1 is not the right one");
    ck_assert(!question_check(&q, "0, 1 or 2", msg, sizeof(msg)));
    ck_assert(!question_check(&q, "4", msg, sizeof(msg)));
    ck_assert_str_eq(msg, "'4' is not one of the choices 1..3");
    ck_assert(!question_check(&q, "2.5", msg, sizeof(msg)));
    ck_assert(!question_check(&q, "maybe", msg, sizeof(msg)));
    ck_assert_str_eq(msg, "'maybe' is not one of the choices (give its number 1..3 or its text)");
    ck_assert(!question_check(&q, "", msg, sizeof(msg)));
    ck_assert_str_eq(msg, "no answer given");
    ck_assert(!question_check(&q, NULL, msg, sizeof(msg)));

    ck_assert(question_check(&v, "18", msg, sizeof(msg)));
    ck_assert(question_check(&v, " 18.0 ", msg, sizeof(msg)));
    ck_assert(question_check(&v, "1.8e1", msg, sizeof(msg)));
    ck_assert(!question_check(&v, "17", msg, sizeof(msg)));
    ck_assert_str_eq(msg, "'17' is not the right value");
    /* a number as a word, zero to twenty, is the number */
    ck_assert(question_check(&v, "eighteen", msg, sizeof(msg)));
    ck_assert(question_check(&v, " Eighteen ", msg, sizeof(msg)));
    ck_assert(!question_check(&v, "seventeen", msg, sizeof(msg)));
    ck_assert(!question_check(&v, "eighteens", msg, sizeof(msg)));

    ck_assert(question_check(&t, "circular wait", msg, sizeof(msg)));
    ck_assert(!question_check(&t, "circularwait", msg, sizeof(msg)));
    ck_assert(!question_check(&t, "circular wait!", msg, sizeof(msg)));

    ck_assert(!question_graded(&none));
    ck_assert(!question_check(&none, "anything", msg, sizeof(msg)));
}
END_TEST

/* ------------------------------------------------------------------ */
/* grading and its reports                                             */
/* ------------------------------------------------------------------ */

typedef struct Lessons {
    Lesson **all;
    size_t n;
} Lessons;

static void load_lessons(Lessons *ls)
{
    char dir[1024];
    IlError err;
    snprintf(dir, sizeof(dir), "%s/lessons", srcdir());
    ck_assert_int_eq(lesson_list(dir, &ls->all, &ls->n, NULL, &err), 0);
    ck_assert_uint_ge(ls->n, 3);
}

static Lesson *find_lesson(const Lessons *ls, const char *id)
{
    for (size_t i = 0; i < ls->n; i++) {
        if (strcmp(ls->all[i]->id, id) == 0) {
            return ls->all[i];
        }
    }
    ck_abort_msg("no lesson %s", id);
    return NULL;
}

static const GradeItem *find_item(const GradeReport *r, const char *lesson, const char *id)
{
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(r->items[i].lesson, lesson) == 0 && strcmp(r->items[i].id, id) == 0) {
            return &r->items[i];
        }
    }
    return NULL;
}

START_TEST(test_grade_answers)
{
    const char text[] = "[race]\nrace-lose-one: A B A B A B\nrace-lose-two: A3 B3 C3\n"
                        "race-two-threads: 1 or 2\nrace-mutex-steps: 4\nrace-faster-fix: whatever\n"
                        "race-nope: 1\n[deadlock]\ndeadlock-abba: A B\n[nolesson]\nx: 1\n";
    Lessons ls;
    Lesson *race;
    const char *known[] = {"race", "deadlock", "prodcons"};
    GradeOptions opt = {5, known, 3, false};
    GradeReport r;
    const GradeItem *it;
    Answers *a;
    int code;

    load_lessons(&ls);
    race = find_lesson(&ls, "race");
    a = answers_parse(text, sizeof(text) - 1, "s.txt", NULL, &code);
    ck_assert_ptr_nonnull(a);
    ck_assert_int_eq(grade_answers(a, &race, 1, &opt, &r), 0);

    it = find_item(&r, "race", "race-lose-one");
    ck_assert_ptr_nonnull(it);
    ck_assert_int_eq(it->kind, GRADE_CHALLENGE);
    ck_assert(it->passed);
    ck_assert_uint_eq(it->line, 2);
    it = find_item(&r, "race", "race-lose-two");
    ck_assert(!it->passed);
    ck_assert_ptr_nonnull(strstr(it->message, "final 3"));
    it = find_item(&r, "race", "race-two-threads");
    ck_assert(it->passed);
    ck_assert_int_eq(it->kind, GRADE_QUESTION);
    ck_assert_ptr_nonnull(it->explain);
    it = find_item(&r, "race", "race-mutex-steps");
    ck_assert(!it->passed);
    it = find_item(&r, "race", "race-how-many");
    ck_assert(!it->passed);
    ck_assert_str_eq(it->message, "no answer given");
    ck_assert_ptr_null(it->answer);
    /* a question for thinking is not graded, and its answer is no unknown id */
    ck_assert_ptr_null(find_item(&r, "race", "race-faster-fix"));
    it = find_item(&r, "race", "race-nope");
    ck_assert_int_eq(it->kind, GRADE_UNKNOWN);
    ck_assert(!it->passed);
    ck_assert_str_eq(it->message, "lesson race has no question or challenge 'race-nope'");
    /* deadlock exists but is not graded: skipped; nolesson does not exist */
    ck_assert_ptr_null(find_item(&r, "deadlock", "deadlock-abba"));
    it = find_item(&r, "nolesson", "x");
    ck_assert_ptr_nonnull(it);
    ck_assert_str_eq(it->message, "there is no lesson 'nolesson' to answer");

    /* race: 2 challenges + 4 graded questions, 1 unknown, 1 unknown lesson */
    ck_assert_uint_eq(r.n, 8);
    ck_assert_uint_eq(r.passed, 2);
    ck_assert_int_eq(r.internal, 0);
    /* document order within the lesson: the challenges come first */
    ck_assert_str_eq(r.items[0].id, "race-lose-one");
    ck_assert_str_eq(r.items[1].id, "race-lose-two");

    grade_report_fini(&r);
    answers_free(a);
    lesson_list_free(ls.all, ls.n);
    assert_no_children();
}
END_TEST

/* A hand-made report with text that needs escaping in every format. */
static void nasty_report(GradeReport *r)
{
    static char lesson[] = "les#on", id1[] = "id\\1", id2[] = "id2";
    static char ans1[] = "<a> & \"b\" 'c' \x01\xff", msg1[] = "why\nnot <here>", p[] = "p";
    static char ans2[] = "A B", msg2[] = "goal reached", g[] = "g", because[] = "because";
    static char path[] = "x.txt";
    static GradeItem items[2];
    memset(r, 0, sizeof(*r));
    items[0] = (GradeItem){.lesson = lesson,
                           .id = id1,
                           .kind = GRADE_QUESTION,
                           .passed = false,
                           .answer = ans1,
                           .message = msg1,
                           .prompt = p,
                           .line = 3,
                           .ns = 1000};
    items[1] = (GradeItem){.lesson = lesson,
                           .id = id2,
                           .kind = GRADE_CHALLENGE,
                           .passed = true,
                           .answer = ans2,
                           .message = msg2,
                           .prompt = g,
                           .explain = because,
                           .line = 4,
                           .ns = 2000000};
    r->items = items;
    r->n = 2;
    r->passed = 1;
    r->answers_path = path;
}

START_TEST(test_report_formats)
{
    GradeReport r;
    StrBuf b;

    nasty_report(&r);
    ck_assert_ptr_nonnull(grade_format_find("tap"));
    ck_assert_ptr_null(grade_format_find("xml"));

    strbuf_init(&b);
    grade_format_find("tap")->write(&b, &r, NULL);
    ck_assert_int_eq(
        strncmp(strbuf_str(&b), "TAP version 13\n1..2\nnot ok 1 - les\\#on/id\\\\1\n", 45), 0);
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "\nok 2 - les\\#on/id2\n"));
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "  message: \"why\\nnot <here>\"\n"));
    strbuf_fini(&b);

    strbuf_init(&b);
    grade_format_find("junit")->write(&b, &r, NULL);
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "tests=\"2\" failures=\"1\""));
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "message=\"why&#10;not &lt;here&gt;\""));
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b),
                                 "answer: &lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; "
                                 "\xef\xbf\xbd\xef\xbf\xbd (line 3)"));
    ck_assert_ptr_null(strchr(strbuf_str(&b), '\x01'));
    strbuf_fini(&b);

    strbuf_init(&b);
    grade_format_find("gradescope")->write(&b, &r, "after_due_date");
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "\"score\": 1.0,"));
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "\"status\": \"failed\""));
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "\"visibility\": \"after_due_date\""));
    /* the explanation only once passed */
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "goal reached\\n\\nbecause\\n"));
    strbuf_fini(&b);

    strbuf_init(&b);
    grade_format_find("text")->write(&b, &r, NULL);
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "score 1/2: 1 passed, 1 failed\n"));
    strbuf_fini(&b);

    strbuf_init(&b);
    grade_format_find("json")->write(&b, &r, NULL);
    ck_assert_ptr_nonnull(
        strstr(strbuf_str(&b), "\"answer\": \"<a> & \\\"b\\\" 'c' \\u0001\xef\xbf\xbd\""));
    strbuf_fini(&b);

    /* nothing to grade: a TAP plan of 0 */
    r.n = 0;
    r.passed = 0;
    strbuf_init(&b);
    grade_format_find("tap")->write(&b, &r, NULL);
    ck_assert_str_eq(strbuf_str(&b), "TAP version 13\n1..0 # SKIP nothing to grade\n");
    strbuf_fini(&b);
}
END_TEST

static Suite *grade_suite(void)
{
    Suite *s = suite_create("grade");
    TCase *json = NULL, *chal = NULL, *eval = NULL, *ans = NULL, *grade = NULL;

    add_tcase(s, &json, "json", test_json_escaping, 10);
    add_tcase(s, &json, "json", test_json_indent_and_big_strings, 10);
    add_tcase(s, &json, "json", test_json_errors, 10);
    add_tcase(s, &chal, "challenge", test_kv_parse, 10);
    add_tcase(s, &chal, "challenge", test_challenge_parse_good, 10);
    tcase_add_loop_test(chal, test_challenge_parse_bad, 0, (int)ARRAY_SIZE(bad_challenges));
    add_tcase(s, &chal, "challenge", test_challenge_in_lesson, 10);
    add_tcase(s, &eval, "evaluate", test_evaluate_results, 60);
    add_tcase(s, &eval, "evaluate", test_evaluate_limits, 60);
    add_tcase(s, &eval, "evaluate", test_evaluate_deadlock_and_hang, 60);
    add_tcase(s, &eval, "evaluate", test_evaluate_invariant, 60);
    add_tcase(s, &eval, "evaluate", test_evaluate_chosen_steps_and_pending, 60);
    add_tcase(s, &eval, "evaluate", test_shipped_solutions, 120);
    add_tcase(s, &ans, "answers", test_answers_parse_good, 10);
    tcase_add_loop_test(ans, test_answers_parse_bad, 0, (int)ARRAY_SIZE(bad_answers));
    add_tcase(s, &ans, "answers", test_answers_every_problem_and_files, 10);
    add_tcase(s, &ans, "answers", test_question_check, 10);
    add_tcase(s, &grade, "grade", test_grade_answers, 60);
    add_tcase(s, &grade, "grade", test_report_formats, 10);
    return s;
}

CHECK_MAIN(grade_suite)
