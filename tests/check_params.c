/*
 * check_params.c - the demo registry and key=value parameters
 * (demos/demo.h, demos/race.h).
 *
 * Every refused value must come back as -IL_EUSAGE with a one-line
 * message that names the parameter and what it allows, and must leave
 * the values it was given untouched; good values must land in the right
 * slot.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "check_common.h"
#include "demos/demo.h"
#include "demos/race.h"
#include "util/num.h"

static void set_ok(const char *arg, int idx, int64_t want)
{
    int64_t v[DEMO_MAX_PARAMS];
    IlError err;
    int rc;

    demo_params_default(&race_demo, v);
    il_error_clear(&err);
    rc = demo_param_set(&race_demo, arg, v, &err);
    ck_assert_msg(rc == 0, "'%s' refused: %s", arg, err.msg);
    ck_assert_int_eq(v[idx], want);
}

/* arg must be refused; the message must contain each of the wants. */
static void set_bad(const char *arg, const char *want1, const char *want2)
{
    int64_t v[DEMO_MAX_PARAMS], before[DEMO_MAX_PARAMS];
    IlError err;
    int rc;

    demo_params_default(&race_demo, v);
    memcpy(before, v, sizeof(v));
    il_error_clear(&err);
    rc = demo_param_set(&race_demo, arg, v, &err);
    ck_assert_msg(rc == -IL_EUSAGE, "'%s' gave %d, want -IL_EUSAGE", arg, rc);
    ck_assert_int_eq(err.code, -IL_EUSAGE);
    ck_assert_msg(strstr(err.msg, want1) != NULL, "'%s': message '%s' lacks '%s'", arg, err.msg,
                  want1);
    if (want2 != NULL) {
        ck_assert_msg(strstr(err.msg, want2) != NULL, "'%s': message '%s' lacks '%s'", arg, err.msg,
                      want2);
    }
    ck_assert_msg(strchr(err.msg, '\n') == NULL, "message is not one line: '%s'", err.msg);
    ck_assert_int_eq(memcmp(v, before, sizeof(v)), 0);
}

START_TEST(test_find)
{
    IlError err;
    ck_assert_ptr_eq(demo_find("race", &err), &race_demo);
    ck_assert_ptr_eq(demo_find("rac", &err), &race_demo); /* a unique prefix */
    ck_assert_uint_ge(demo_count(), 1);
    ck_assert_ptr_eq(demo_at(demo_count()), NULL);
    for (size_t i = 0; i < demo_count(); i++) {
        ck_assert_ptr_eq(demo_find(demo_at(i)->name, &err), demo_at(i));
    }
}
END_TEST

START_TEST(test_find_unknown)
{
    IlError err;
    il_error_clear(&err);
    ck_assert_ptr_null(demo_find("nosuchdemo", &err));
    ck_assert_int_eq(err.code, -IL_EUSAGE);
    ck_assert_msg(strstr(err.msg, "nosuchdemo") != NULL, "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "unknown") != NULL, "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "race") != NULL, "demos not listed: %s", err.msg);
    il_error_clear(&err);
    ck_assert_ptr_null(demo_find("", &err));
    ck_assert_int_eq(err.code, -IL_EUSAGE);
    ck_assert_ptr_null(demo_find("racer", &err));
}
END_TEST

START_TEST(test_defaults)
{
    int64_t v[DEMO_MAX_PARAMS];
    demo_params_default(&race_demo, v);
    ck_assert_int_eq(v[RACE_THREADS], 4);
    ck_assert_int_eq(v[RACE_ITERATIONS], race_demo.params[RACE_ITERATIONS].def);
    ck_assert_int_ge(v[RACE_ITERATIONS], 1);
    ck_assert_int_eq(v[RACE_VARIANT], RACE_UNSAFE);
    ck_assert_int_eq(demo_param_index(&race_demo, "threads"), RACE_THREADS);
    ck_assert_int_eq(demo_param_index(&race_demo, "iterations"), RACE_ITERATIONS);
    ck_assert_int_eq(demo_param_index(&race_demo, "variant"), RACE_VARIANT);
    ck_assert_int_eq(demo_param_index(&race_demo, "thread"), -1);
}
END_TEST

START_TEST(test_good_values)
{
    set_ok("threads=1", RACE_THREADS, 1);
    set_ok("threads=64", RACE_THREADS, 64);
    set_ok("threads=2", RACE_THREADS, 2);
    set_ok("iterations=1", RACE_ITERATIONS, 1);
    set_ok("iterations=10000000", RACE_ITERATIONS, RACE_MAX_ITERATIONS);
    set_ok("variant=unsafe", RACE_VARIANT, RACE_UNSAFE);
    set_ok("variant=mutex", RACE_VARIANT, RACE_MUTEX);
    set_ok("variant=atomic", RACE_VARIANT, RACE_ATOMIC);
}
END_TEST

START_TEST(test_threads_range)
{
    set_bad("threads=0", "threads", "1..64");
    set_bad("threads=65", "threads", "1..64");
    set_bad("threads=-1", "threads", "1..64");
    set_bad("threads=abc", "threads", "'abc'");
    set_bad("threads=", "threads", "1..64");
    set_bad("threads=4x", "threads", "1..64");
    set_bad("threads=99999999999999999999", "threads", "1..64");
}
END_TEST

START_TEST(test_iterations_range)
{
    char arg[64], range[64];
    snprintf(arg, sizeof(arg), "iterations=%d", RACE_MAX_ITERATIONS + 1);
    snprintf(range, sizeof(range), "1..%d", RACE_MAX_ITERATIONS);
    set_bad("iterations=0", "iterations", range);
    set_bad(arg, "iterations", range);
}
END_TEST

START_TEST(test_variant_choices)
{
    set_bad("variant=bogus", "variant", "unsafe|mutex|atomic");
    set_bad("variant=", "variant", "got ''");
    set_bad("variant=Mutex", "variant", "unsafe|mutex|atomic");
}
END_TEST

START_TEST(test_unknown_key)
{
    set_bad("colour=red", "colour", "threads, iterations, variant");
    set_bad("=4", "key=value", NULL);
}
END_TEST

START_TEST(test_missing_equals)
{
    set_bad("threads", "'threads'", "key=value");
    set_bad("4", "key=value", NULL);
}
END_TEST

START_TEST(test_range_text)
{
    char buf[128];
    demo_param_range(&race_demo.params[RACE_THREADS], buf, sizeof(buf));
    ck_assert_str_eq(buf, "1..64");
    demo_param_range(&race_demo.params[RACE_VARIANT], buf, sizeof(buf));
    ck_assert_str_eq(buf, "unsafe|mutex|atomic");
    demo_param_format(&race_demo.params[RACE_VARIANT], RACE_MUTEX, buf, sizeof(buf));
    ck_assert_str_eq(buf, "mutex");
    demo_param_format(&race_demo.params[RACE_THREADS], 12, buf, sizeof(buf));
    ck_assert_str_eq(buf, "12");
}
END_TEST

START_TEST(test_strict_numbers)
{
    /* a person means a plain decimal: not " 4", "+4", "0x4", "4k" */
    static const char *const bad[] = {"threads= 4", "threads=+4", "threads=0x4", "threads=4k",
                                      "threads=4 ", "threads=",   "threads=--4", "threads=4.0"};
    const DemoClass *race = demo_find("race", NULL);
    int64_t v[DEMO_MAX_PARAMS];
    IlError err;
    double d;
    int64_t i;

    for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
        demo_params_default(race, v);
        ck_assert_msg(demo_param_set(race, bad[k], v, &err) == -IL_EUSAGE, "'%s' accepted", bad[k]);
    }
    ck_assert_int_eq(demo_param_set(race, "threads=04", v, &err), 0);
    ck_assert_int_eq(v[0], 4);
    ck_assert(num_parse_decimal("3", 86400, &d) && d == 3);
    ck_assert(num_parse_decimal("0.25", 86400, &d) && d == 0.25);
    ck_assert(num_parse_decimal("86400", 86400, &d));
    ck_assert(!num_parse_decimal("86400.5", 86400, &d));
    ck_assert(!num_parse_decimal("0x10", 86400, &d));
    ck_assert(!num_parse_decimal("1e3", 86400, &d));
    ck_assert(!num_parse_decimal(".5", 86400, &d));
    ck_assert(!num_parse_decimal("5.", 86400, &d));
    ck_assert(!num_parse_decimal("inf", 86400, &d));
    ck_assert(!num_parse_decimal(" 3", 86400, &d));
    ck_assert(num_parse_i64("-12", -20, 20, &i) && i == -12);
    ck_assert(!num_parse_i64("99999999999999999999", INT64_MIN, INT64_MAX, &i));
}
END_TEST

START_TEST(test_duplicate_params)
{
    /* a parameter given twice is an error, not "the last one wins" */
    static const char *const twice[] = {"threads=2", "iterations=5", "threads=3"};
    static const char *const once[] = {"threads=2", "iterations=5"};
    const DemoClass *race = demo_find("race", NULL);
    int64_t v[DEMO_MAX_PARAMS], before[DEMO_MAX_PARAMS];
    IlError err;

    demo_params_default(race, v);
    memcpy(before, v, sizeof(v));
    ck_assert_int_eq(demo_params_parse(race, twice, 3, v, &err), -IL_EUSAGE);
    ck_assert_str_eq(err.msg, "threads: given twice ('threads=2', then 'threads=3')");
    ck_assert_int_eq(memcmp(v, before, sizeof(v)), 0); /* unchanged on failure */
    ck_assert_int_eq(demo_params_parse(race, once, 2, v, &err), 0);
    ck_assert_int_eq(v[0], 2);
    ck_assert_int_eq(v[1], 5);
}
END_TEST

START_TEST(test_race_lanes)
{
    int64_t v[DEMO_MAX_PARAMS];
    demo_params_default(&race_demo, v);
    v[RACE_THREADS] = 7;
    ck_assert_uint_eq(race_demo.lanes(v), 7);
    ck_assert_uint_ge(race_demo.events_per_lane(v), (uint64_t)v[RACE_ITERATIONS] * 3);
}
END_TEST

static Suite *params_suite(void)
{
    Suite *s = suite_create("params");
    TCase *reg = NULL, *good = NULL, *bad = NULL;

    add_tcase(s, &reg, "registry", test_find, 5);
    add_tcase(s, &reg, "registry", test_find_unknown, 5);
    add_tcase(s, &reg, "registry", test_defaults, 5);
    add_tcase(s, &good, "good", test_good_values, 5);
    add_tcase(s, &good, "good", test_range_text, 5);
    add_tcase(s, &good, "good", test_race_lanes, 5);
    add_tcase(s, &bad, "bad", test_threads_range, 5);
    add_tcase(s, &bad, "bad", test_iterations_range, 5);
    add_tcase(s, &bad, "bad", test_variant_choices, 5);
    add_tcase(s, &bad, "bad", test_unknown_key, 5);
    add_tcase(s, &bad, "bad", test_missing_equals, 5);
    add_tcase(s, &bad, "bad", test_strict_numbers, 5);
    add_tcase(s, &bad, "bad", test_duplicate_params, 5);
    return s;
}

CHECK_MAIN(params_suite)
