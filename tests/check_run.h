/*
 * check_run.h - starting runs and reading their results in Check tests.
 */
#ifndef INTERLEAVE_TESTS_CHECK_RUN_H
#define INTERLEAVE_TESTS_CHECK_RUN_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/run.h"

/*
 * Start a run of demo with params (parameter index / value pairs, ended by
 * -1; NULL = defaults), in mode, with schedule text (NULL = none), and a
 * 60 s timeout.  Fails the test if it cannot start.  Caller frees the run.
 */
static inline Run *check_run_start(const DemoClass *demo, const int *params, SchedMode mode,
                                   const char *text, bool interactive)
{
    RunConfig cfg;
    Schedule sched = {NULL, 0, 0};
    IlError err;
    Run *run;

    run_config_init(&cfg, demo);
    for (int i = 0; params != NULL && params[i] >= 0; i += 2) {
        cfg.params[params[i]] = params[i + 1];
    }
    cfg.mode = mode;
    cfg.interactive = interactive;
    cfg.timeout_s = 60;
    if (text != NULL) {
        /* nlanes 0: lane names are checked by the scheduler, not here */
        ck_assert_msg(schedule_parse(text, 0, &sched, &err) == 0, "%s", err.msg);
        cfg.schedule = &sched;
    }
    run = run_start(&cfg, &err);
    ck_assert_msg(run != NULL, "run_start: %s", err.msg);
    schedule_fini(&sched);
    return run;
}

/* The result field name of a finished run; fails the test if missing. */
static inline int64_t check_result(const Run *run, const char *name)
{
    int64_t v = -12345;
    ck_assert_msg(arena_result_get(run_arena(run), name, &v), "no result '%s'", name);
    return v;
}

#endif /* INTERLEAVE_TESTS_CHECK_RUN_H */
