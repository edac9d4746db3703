/*
 * check_common.h - helpers shared by the Check test programs.
 */
#ifndef INTERLEAVE_TESTS_CHECK_COMMON_H
#define INTERLEAVE_TESTS_CHECK_COMMON_H

#include <check.h>
#include <stdlib.h>

/* Add test fn to a new or existing case with a timeout in seconds. */
static inline void add_tcase(Suite *s, TCase **tc, const char *name, const TTest *fn,
                             double timeout_s)
{
    if (*tc == NULL) {
        *tc = tcase_create(name);
        tcase_set_timeout(*tc, timeout_s);
        suite_add_tcase(s, *tc);
    }
    _tcase_add_test(*tc, fn, 0, 0, 0, 1);
}

/* A main() for one suite: runs it, returns success only if nothing failed. */
#define CHECK_MAIN(suite_fn)                                                                       \
    int main(void)                                                                                 \
    {                                                                                              \
        SRunner *sr = srunner_create(suite_fn());                                                  \
        int failed;                                                                                \
        srunner_run_all(sr, CK_ENV);                                                               \
        failed = srunner_ntests_failed(sr);                                                        \
        srunner_free(sr);                                                                          \
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;                                          \
    }

#endif /* INTERLEAVE_TESTS_CHECK_COMMON_H */
