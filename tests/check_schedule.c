/*
 * check_schedule.c - unit tests of schedule strings (core/schedule.h).
 *
 * Good strings parse into the tokens they say; the canonical text of a
 * parsed schedule parses back into the same tokens; and every malformed
 * string is refused with -IL_EPARSE and a message that names the token's
 * position, so a student can find the mistake.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_common.h"
#include "core/schedfile.h"
#include "core/schedule.h"
#include "demos/demo.h"
#include "util/file.h"
#include "util/statedir.h"
#include "util/vec.h"

/* Parse text (must succeed) and check the token count. */
static void parse_ok(const char *text, unsigned nlanes, size_t n, Schedule *out)
{
    IlError err;
    int rc;

    il_error_clear(&err);
    rc = schedule_parse(text, nlanes, out, &err);
    ck_assert_msg(rc == 0, "'%s' was refused: %s", text, err.msg);
    ck_assert_uint_eq(out->n, n);
    for (size_t i = 0; i < out->n; i++) {
        ck_assert_uint_eq(out->tok[i].pos, i + 1);
    }
}

static void tok_is(const SchedToken *t, unsigned lane, unsigned kind, unsigned count)
{
    ck_assert_uint_eq(t->lane, lane);
    ck_assert_uint_eq(t->kind, kind);
    if (kind == TOK_STEPS) {
        ck_assert_uint_eq(t->count, count);
    }
}

/* Parse text (must fail with -IL_EPARSE) and check the message names the
 * token position and contains want. */
static void parse_bad(const char *text, unsigned nlanes, unsigned pos, const char *want)
{
    Schedule s = {(SchedToken *)0, 77, 77};
    IlError err;
    char tokpos[32];
    int rc;

    il_error_clear(&err);
    rc = schedule_parse(text, nlanes, &s, &err);
    ck_assert_msg(rc == -IL_EPARSE, "'%s' gave %d, want -IL_EPARSE", text, rc);
    ck_assert_int_eq(err.code, -IL_EPARSE);
    snprintf(tokpos, sizeof(tokpos), "token %u ", pos);
    ck_assert_msg(strstr(err.msg, tokpos) != NULL, "'%s': message '%s' does not name %s", text,
                  err.msg, tokpos);
    ck_assert_msg(strstr(err.msg, want) != NULL, "'%s': message '%s' does not say '%s'", text,
                  err.msg, want);
    ck_assert_msg(strchr(err.msg, '\n') == NULL, "message is not one line: '%s'", err.msg);
    /* on failure the schedule is left empty */
    ck_assert_uint_eq(s.n, 0);
    ck_assert_ptr_null(s.tok);
}

START_TEST(test_alternating)
{
    Schedule s;
    parse_ok("A B A B", 2, 4, &s);
    tok_is(&s.tok[0], 0, TOK_STEPS, 1);
    tok_is(&s.tok[1], 1, TOK_STEPS, 1);
    tok_is(&s.tok[2], 0, TOK_STEPS, 1);
    tok_is(&s.tok[3], 1, TOK_STEPS, 1);
    schedule_fini(&s);
    ck_assert_uint_eq(s.n, 0);
    ck_assert_ptr_null(s.tok);
}
END_TEST

START_TEST(test_counts)
{
    Schedule s;
    parse_ok("A3 B3", 2, 2, &s);
    tok_is(&s.tok[0], 0, TOK_STEPS, 3);
    tok_is(&s.tok[1], 1, TOK_STEPS, 3);
    schedule_fini(&s);
    parse_ok("B1000000000 A1 A01", 2, 3, &s);
    tok_is(&s.tok[0], 1, TOK_STEPS, 1000000000u);
    tok_is(&s.tok[1], 0, TOK_STEPS, 1);
    tok_is(&s.tok[2], 0, TOK_STEPS, 1);
    schedule_fini(&s);
}
END_TEST

START_TEST(test_run_token)
{
    Schedule s;
    parse_ok("A*", 2, 1, &s);
    tok_is(&s.tok[0], 0, TOK_RUN, 0);
    schedule_fini(&s);
}
END_TEST

START_TEST(test_separators)
{
    Schedule s;
    parse_ok("A,B, C ,,A\tB\nC\r\n", 3, 6, &s);
    for (size_t i = 0; i < 6; i++) {
        tok_is(&s.tok[i], (unsigned)(i % 3), TOK_STEPS, 1);
    }
    schedule_fini(&s);
}
END_TEST

START_TEST(test_lower_case)
{
    Schedule s;
    parse_ok("a b3 c* aa bl", 64, 5, &s);
    tok_is(&s.tok[0], 0, TOK_STEPS, 1);
    tok_is(&s.tok[1], 1, TOK_STEPS, 3);
    tok_is(&s.tok[2], 2, TOK_RUN, 0);
    tok_is(&s.tok[3], 26, TOK_STEPS, 1);
    tok_is(&s.tok[4], 63, TOK_STEPS, 1);
    schedule_fini(&s);
}
END_TEST

START_TEST(test_two_letter_lanes)
{
    Schedule s;
    parse_ok("AA BL Z AZ2 BA*", 64, 5, &s);
    tok_is(&s.tok[0], 26, TOK_STEPS, 1);
    tok_is(&s.tok[1], 63, TOK_STEPS, 1);
    tok_is(&s.tok[2], 25, TOK_STEPS, 1);
    tok_is(&s.tok[3], 51, TOK_STEPS, 2);
    tok_is(&s.tok[4], 52, TOK_RUN, 0);
    schedule_fini(&s);
    /* nlanes 0: any one- or two-letter name is accepted */
    parse_ok("ZZ", 0, 1, &s);
    tok_is(&s.tok[0], 26 + 25 * 26 + 25, TOK_STEPS, 1);
    schedule_fini(&s);
}
END_TEST

START_TEST(test_empty)
{
    Schedule s;
    parse_ok("", 2, 0, &s);
    schedule_fini(&s);
    parse_ok("  , ,\n", 2, 0, &s);
    schedule_fini(&s);
}
END_TEST

START_TEST(test_lane_names)
{
    static const struct {
        unsigned lane;
        const char *name;
    } cases[] = {{0, "A"},   {1, "B"},   {25, "Z"},  {26, "AA"}, {27, "AB"},
                 {51, "AZ"}, {52, "BA"}, {63, "BL"}, {127, "DX"}};
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char buf[LANE_NAME_MAX];
        lane_name(cases[i].lane, buf);
        ck_assert_str_eq(buf, cases[i].name);
        ck_assert_int_eq(lane_parse(cases[i].name, strlen(cases[i].name)), (int)cases[i].lane);
    }
    ck_assert_int_eq(lane_parse("bl", 2), 63);
    ck_assert_int_eq(lane_parse("", 0), -1);
    ck_assert_int_eq(lane_parse("ABC", 3), -1);
    ck_assert_int_eq(lane_parse("A1", 2), -1);
}
END_TEST

START_TEST(test_format_round_trip)
{
    const char *in = "a  b3,c* AA bl A1 B1000000000";
    const char *canon = "A B3 C* AA BL A B1000000000";
    char buf[128];
    Schedule s, t;

    parse_ok(in, 64, 7, &s);
    ck_assert_uint_eq(schedule_format(&s, buf, sizeof(buf)), strlen(canon));
    ck_assert_str_eq(buf, canon);
    parse_ok(buf, 64, 7, &t);
    for (size_t i = 0; i < s.n; i++) {
        ck_assert_uint_eq(t.tok[i].lane, s.tok[i].lane);
        ck_assert_uint_eq(t.tok[i].kind, s.tok[i].kind);
        ck_assert_uint_eq(t.tok[i].count, s.tok[i].count);
        ck_assert_uint_eq(t.tok[i].pos, s.tok[i].pos);
    }
    schedule_fini(&t);
    schedule_fini(&s);
}
END_TEST

START_TEST(test_format_truncates)
{
    char buf[6];
    Schedule s;
    parse_ok("A B3 C*", 3, 3, &s);
    /* like snprintf: the full length is returned, the text is cut short */
    ck_assert_uint_eq(schedule_format(&s, buf, sizeof(buf)), strlen("A B3 C*"));
    ck_assert_uint_lt(strlen(buf), sizeof(buf));
    ck_assert_int_eq(strncmp(buf, "A B3 C*", strlen(buf)), 0);
    schedule_fini(&s);
    parse_ok("", 3, 0, &s);
    ck_assert_uint_eq(schedule_format(&s, buf, sizeof(buf)), 0);
    ck_assert_str_eq(buf, "");
    schedule_fini(&s);
}
END_TEST

START_TEST(test_token_format)
{
    char buf[16];
    SchedToken t = {1, TOK_STEPS, 1, 1};
    schedule_token_format(&t, buf);
    ck_assert_str_eq(buf, "B");
    t.count = 12;
    schedule_token_format(&t, buf);
    ck_assert_str_eq(buf, "B12");
    t.kind = TOK_RUN;
    t.lane = 63;
    schedule_token_format(&t, buf);
    ck_assert_str_eq(buf, "BL*");
}
END_TEST

START_TEST(test_append)
{
    Schedule s = {NULL, 0, 0};
    for (unsigned i = 0; i < 100; i++) {
        SchedToken t = {(uint16_t)(i % 3), TOK_STEPS, i + 1, 0};
        ck_assert_int_eq(schedule_append(&s, t), 0);
    }
    ck_assert_uint_eq(s.n, 100);
    ck_assert_uint_eq(s.tok[99].pos, 100);
    ck_assert_uint_eq(s.tok[99].count, 100);
    ck_assert_uint_eq(s.tok[50].lane, 2);
    schedule_fini(&s);
}
END_TEST

START_TEST(test_bad_zero_count)
{
    parse_bad("A0", 2, 1, "1..1000000000");
    parse_bad("A B A0", 2, 3, "'A0'");
}
END_TEST

START_TEST(test_bad_digit_first)
{
    parse_bad("3A", 2, 1, "expected a lane name");
    parse_bad("A, 3A", 2, 2, "'3A'");
}
END_TEST

START_TEST(test_bad_suffix)
{
    parse_bad("A-", 2, 1, "'A-'");
    parse_bad("B A**", 2, 2, "expected a step count or '*'");
    parse_bad("A3x", 2, 1, "'A3x'");
    parse_bad("A*3", 2, 1, "'A*3'");
    parse_bad("*", 2, 1, "expected a lane name");
}
END_TEST

START_TEST(test_bad_lane)
{
    parse_bad("A B C", 2, 3, "no such lane");
    parse_bad("A C", 2, 2, "A..B");
    parse_bad("BM", 64, 1, "A..BL");
    parse_bad("ABC", 0, 1, "1 or 2 letters");
}
END_TEST

START_TEST(test_bad_count_too_big)
{
    parse_bad("A1000000001", 2, 1, "1..1000000000");
    parse_bad("A B99999999999999999999999", 2, 2, "1..1000000000");
}
END_TEST

/* ------------------------------------------------------------------ */
/* schedule files (core/schedfile.h)                                   */
/* ------------------------------------------------------------------ */

static int parse_file(const char *text, SchedFile *sf, IlError *err)
{
    return schedfile_parse(text, strlen(text), "t.sched", sf, err);
}

START_TEST(test_file_headers_and_tokens)
{
    SchedFile sf;
    Schedule sch;
    IlError err;

    ck_assert_int_eq(parse_file("# saved\ndemo: race\nparams: threads=2, iterations=1\n"
                                "A B # two\n\nA3 B*\n",
                                &sf, &err),
                     0);
    ck_assert_str_eq(sf.demo, "race");
    ck_assert_uint_eq(sf.demo_line, 2);
    ck_assert_uint_eq(sf.nparams, 2);
    ck_assert_str_eq(sf.params[0], "threads=2");
    ck_assert_str_eq(sf.params[1], "iterations=1");
    ck_assert_int_eq(schedfile_schedule(&sf, 2, &sch, &err), 0);
    ck_assert_uint_eq(sch.n, 4);
    ck_assert_uint_eq(sch.tok[2].count, 3);
    schedule_fini(&sch);
    schedfile_fini(&sf);
    /* a file of tokens alone is a schedule file too */
    ck_assert_int_eq(parse_file("A B A B A B\n", &sf, &err), 0);
    ck_assert_ptr_null(sf.demo);
    ck_assert_uint_eq(sf.nparams, 0);
    schedfile_fini(&sf);
}
END_TEST

START_TEST(test_file_errors_name_the_line)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"A B\ndemo: race\n", "t.sched:2: 'demo:' must come before the schedule (line 1)"},
        {"demo: race\ndemo: race\n", "t.sched:2: demo: given twice (first at line 1)"},
        {"params: a=1\nparams: b=2\n", "t.sched:2: params: given twice"},
        {"colour: red\n", "t.sched:1: unknown header 'colour:'"},
        {"demo:\n", "t.sched:1: demo: expected one demo name"},
        {"demo: race deadlock\n", "t.sched:1: demo: expected one demo name"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        SchedFile sf;
        IlError err;
        ck_assert_int_eq(parse_file(cases[i].text, &sf, &err), -IL_EPARSE);
        ck_assert_msg(strncmp(err.msg, cases[i].want, strlen(cases[i].want)) == 0, "case %zu: '%s'",
                      i, err.msg);
        ck_assert_ptr_null(sf.text);
    }
    {
        /* a NUL byte: not text, named at its line */
        SchedFile sf;
        IlError err;
        ck_assert_int_eq(schedfile_parse("A B\nA\0B\n", 8, "t.sched", &sf, &err), -IL_EPARSE);
        ck_assert_str_eq(err.msg, "t.sched:2: a NUL byte: not a text file");
    }
    {
        /* a bad token: its line in the file, its position in the schedule */
        SchedFile sf;
        Schedule sch;
        IlError err;
        ck_assert_int_eq(parse_file("demo: race\n# c\nA B\n\n  B A0\n", &sf, &err), 0);
        ck_assert_int_eq(schedfile_schedule(&sf, 2, &sch, &err), -IL_EPARSE);
        ck_assert_str_eq(err.msg, "t.sched:5: token 4 'A0': a step count must be 1..1000000000");
        schedfile_fini(&sf);
    }
}
END_TEST

START_TEST(test_file_no_buffer_cuts)
{
    /* a comment of 5,000 bytes and a token across byte 4096: nothing is
     * split or read as tokens (the readers used 4,095-byte pieces) */
    size_t n = 5000 + 4094 + 16;
    char *text = malloc(n + 1);
    SchedFile sf;
    Schedule sch;
    IlError err;
    size_t at = 0;

    text[at++] = '#';
    memset(text + at, 'A', 5000);
    at += 5000;
    text[at++] = '\n';
    memset(text + at, ' ', 4094);
    at += 4094;
    memcpy(text + at, "AB BA\n", 7);
    ck_assert_int_eq(schedfile_parse(text, strlen(text), "t.sched", &sf, &err), 0);
    ck_assert_int_eq(schedfile_schedule(&sf, 0, &sch, &err), 0);
    ck_assert_uint_eq(sch.n, 2);
    ck_assert_uint_eq(sch.tok[0].lane, 26 + 1); /* AB */
    schedule_fini(&sch);
    schedfile_fini(&sf);
    free(text);
}
END_TEST

START_TEST(test_file_round_trip)
{
    /* what a save writes reads back the same: demo, every parameter, every
     * token, however many */
    const DemoClass *demo = demo_find("race", NULL);
    int64_t params[DEMO_MAX_PARAMS], back[DEMO_MAX_PARAMS];
    Schedule sch = {NULL, 0, 0}, again;
    SchedFile sf;
    IlError err;
    StrBuf b;

    demo_params_default(demo, params);
    params[0] = 3;
    for (unsigned i = 0; i < 5000; i++) {
        SchedToken t = {(uint16_t)(i % 3), i % 7 == 0 ? TOK_RUN : TOK_STEPS,
                        i % 7 == 0 ? 0 : 1 + i % 4, 0};
        ck_assert_int_eq(schedule_append(&sch, t), 0);
    }
    strbuf_init(&b);
    schedfile_format(&b, "saved from a test", demo, params, &sch);
    ck_assert(!b.failed);
    ck_assert_int_eq(schedfile_parse(b.s, b.len, "saved.sched", &sf, &err), 0);
    ck_assert_str_eq(sf.demo, "race");
    demo_params_default(demo, back);
    ck_assert_int_eq(schedfile_apply_params(&sf, demo, back, &err), 0);
    ck_assert_int_eq(memcmp(back, params, sizeof(back)), 0);
    ck_assert_int_eq(schedfile_schedule(&sf, 3, &again, &err), 0);
    ck_assert_uint_eq(again.n, 5000);
    for (size_t i = 0; i < again.n; i++) {
        ck_assert_uint_eq(again.tok[i].lane, sch.tok[i].lane);
        ck_assert_uint_eq(again.tok[i].kind, sch.tok[i].kind);
        ck_assert_uint_eq(again.tok[i].count, sch.tok[i].count);
    }
    schedule_fini(&again);
    schedule_fini(&sch);
    schedfile_fini(&sf);
    strbuf_fini(&b);
}
END_TEST

static char tmpdir[256];

static int tmp_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

START_TEST(test_file_special_and_found)
{
    char path[600], cwd[600];
    SchedFile sf;
    IlError err;
    FILE *f;
    char *found;

    snprintf(tmpdir, sizeof(tmpdir), "%s/sched-test.XXXXXX",
             getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    /* not regular files: refused at once with one line */
    ck_assert_int_eq(schedfile_read(tmpdir, &sf, &err), -EISDIR);
    ck_assert_ptr_nonnull(strstr(err.msg, "is a directory, not a regular schedule file"));
    snprintf(path, sizeof(path), "%s/fifo.sched", tmpdir);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    ck_assert_int_eq(schedfile_read(path, &sf, &err), -ENODEV);
    ck_assert_ptr_nonnull(strstr(err.msg, "is a FIFO"));
    ck_assert_int_eq(schedfile_read("/dev/zero", &sf, &err), -ENODEV);
    ck_assert_ptr_nonnull(strstr(err.msg, "is a character device"));
    /* a file larger than the limit is an error, not a cut */
    snprintf(path, sizeof(path), "%s/big.sched", tmpdir);
    f = fopen(path, "w");
    fputs("A B A B A B A B\n", f);
    fclose(f);
    {
        char *text = NULL;
        size_t len = 0;
        char why[UTIL_WHY_MAX];
        ck_assert_int_eq(file_read(path, "schedule file", 8, &text, &len, why, sizeof(why)),
                         -EFBIG);
        ck_assert_ptr_nonnull(strstr(why, "larger than the 8 bytes a schedule file may have"));
        ck_assert_int_eq(file_read(path, "schedule file", 16, &text, &len, why, sizeof(why)), 0);
        ck_assert_uint_eq(len, 16);
        free(text);
    }
    /* found by name in $INTERLEAVE_SCHEDULE_DIR, with or without .sched */
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
    setenv("INTERLEAVE_SCHEDULE_DIR", tmpdir, 1);
    setenv("XDG_STATE_HOME", tmpdir, 1);
    found = schedfile_resolve("big.sched");
    ck_assert_str_eq(found, path);
    free(found);
    found = schedfile_resolve("big");
    ck_assert_str_eq(found, path);
    free(found);
    found = schedfile_resolve("no-such.sched");
    ck_assert_str_eq(found, "no-such.sched"); /* reading it then says why */
    free(found);
    unsetenv("INTERLEAVE_SCHEDULE_DIR");
    nftw(tmpdir, tmp_rm, 16, FTW_DEPTH | FTW_PHYS);
}
END_TEST

START_TEST(test_statedir)
{
    char *path = NULL, *saved = NULL, dir[600];
    char why[UTIL_WHY_MAX];
    FILE *f;
    char buf[64];
    size_t n;

    snprintf(tmpdir, sizeof(tmpdir), "%s/statedir-test.XXXXXX",
             getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    /* a relative XDG_STATE_HOME is ignored (XDG spec): HOME decides */
    setenv("XDG_STATE_HOME", "relative/state", 1);
    setenv("HOME", tmpdir, 1);
    ck_assert_int_eq(statedir_path("schedules", &path, why, sizeof(why)), 0);
    snprintf(dir, sizeof(dir), "%s/.local/state/interleave/schedules", tmpdir);
    ck_assert_str_eq(path, dir);
    free(path);
    setenv("HOME", "also/relative", 1);
    ck_assert_int_eq(statedir_path(NULL, &path, why, sizeof(why)), -ENOENT);
    ck_assert_ptr_nonnull(strstr(why, "neither XDG_STATE_HOME nor HOME"));
    setenv("XDG_STATE_HOME", tmpdir, 1);
    ck_assert_int_eq(statedir_make("schedules", &path, why, sizeof(why)), 0);
    /* new names, never overwriting */
    ck_assert_int_eq(statedir_write_new(path, "race", ".sched", "A\n", 2, &saved, why, sizeof(why)),
                     0);
    ck_assert_ptr_nonnull(strstr(saved, "/race-1.sched"));
    {
        /* private, like the progress file (saved schedules were 0644) */
        struct stat st;
        ck_assert_int_eq(stat(saved, &st), 0);
        ck_assert_int_eq(st.st_mode & 0777, 0600);
    }
    free(saved);
    ck_assert_int_eq(statedir_write_new(path, "race", ".sched", "B\n", 2, &saved, why, sizeof(why)),
                     0);
    ck_assert_ptr_nonnull(strstr(saved, "/race-2.sched"));
    /* replace atomically */
    ck_assert_int_eq(statedir_write(saved, "C C\n", 4, why, sizeof(why)), 0);
    f = fopen(saved, "r");
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    ck_assert_str_eq(buf, "C C\n");
    free(saved);
    free(path);
    nftw(tmpdir, tmp_rm, 16, FTW_DEPTH | FTW_PHYS);
}
END_TEST

START_TEST(test_vec_grow_overflow)
{
    size_t cap = 0;
    int *a = vec_grow(NULL, &cap, 3, sizeof(int));
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_ge(cap, 8);
    a[2] = 7;
    a = vec_grow(a, &cap, 100, sizeof(int));
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_ge(cap, 100);
    ck_assert_int_eq(a[2], 7);
    {
        /* a byte count that would wrap around a size_t is refused, and the
         * array stays as it was */
        size_t before = cap;
        ck_assert_ptr_null(vec_grow(a, &cap, SIZE_MAX / 2, sizeof(int)));
        ck_assert_uint_eq(cap, before);
    }
    free(a);
}
END_TEST

static Suite *schedule_suite(void)
{
    Suite *s = suite_create("schedule");
    TCase *good = NULL, *fmt = NULL, *bad = NULL, *file = NULL;

    add_tcase(s, &good, "good", test_alternating, 5);
    add_tcase(s, &good, "good", test_counts, 5);
    add_tcase(s, &good, "good", test_run_token, 5);
    add_tcase(s, &good, "good", test_separators, 5);
    add_tcase(s, &good, "good", test_lower_case, 5);
    add_tcase(s, &good, "good", test_two_letter_lanes, 5);
    add_tcase(s, &good, "good", test_empty, 5);
    add_tcase(s, &good, "good", test_lane_names, 5);
    add_tcase(s, &good, "good", test_append, 5);
    add_tcase(s, &fmt, "format", test_format_round_trip, 5);
    add_tcase(s, &fmt, "format", test_format_truncates, 5);
    add_tcase(s, &fmt, "format", test_token_format, 5);
    add_tcase(s, &bad, "bad", test_bad_zero_count, 5);
    add_tcase(s, &bad, "bad", test_bad_digit_first, 5);
    add_tcase(s, &bad, "bad", test_bad_suffix, 5);
    add_tcase(s, &bad, "bad", test_bad_lane, 5);
    add_tcase(s, &bad, "bad", test_bad_count_too_big, 5);
    add_tcase(s, &file, "file", test_file_headers_and_tokens, 5);
    add_tcase(s, &file, "file", test_file_errors_name_the_line, 5);
    add_tcase(s, &file, "file", test_file_no_buffer_cuts, 5);
    add_tcase(s, &file, "file", test_file_round_trip, 5);
    add_tcase(s, &file, "file", test_file_special_and_found, 5);
    add_tcase(s, &file, "file", test_statedir, 5);
    add_tcase(s, &file, "file", test_vec_grow_overflow, 5);
    return s;
}

CHECK_MAIN(schedule_suite)
