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

#include "check_common.h"
#include "core/schedule.h"

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

static Suite *schedule_suite(void)
{
    Suite *s = suite_create("schedule");
    TCase *good = NULL, *fmt = NULL, *bad = NULL;

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
    return s;
}

CHECK_MAIN(schedule_suite)
