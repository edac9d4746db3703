/*
 * futures.h - the thread-pool demo: concurrent.futures and threading
 * (submit, map, as_completed, result() re-raising, shutdown, daemon
 * threads, an exception lost in a plain thread).
 */
#ifndef INTERLEAVE_DEMOS_FUTURES_H
#define INTERLEAVE_DEMOS_FUTURES_H

#include "demos/demo.h"

enum { FUT_P_VARIANT = 0, FUT_P_WORKERS = 1, FUT_P_TASKS = 2, FUT_P_UNIT_MS = 3 };
enum {
    FUTV_MAP = 0,
    FUTV_AS_COMPLETED = 1,
    FUTV_ERROR = 2,
    FUTV_SHUTDOWN_NOWAIT = 3,
    FUTV_DAEMON = 4,
    FUTV_THREAD_ERROR = 5,
    FUTV_THREAD_ERROR_KEPT = 6,
    FUTV_NVARIANTS
};

#define FUT_MAX_TASKS 9 /* results are read as digits: one per task */
#define FUT_MAX_WORKERS 8
#define FUT_DAEMON_LINES 10 /* lines the daemon thread would write */
#define FUT_WRITER_LINES 3  /* lines the non-daemon thread writes */
/* the label of a task's or a thread's time.sleep(), which the view shows as a wait */
#define FUT_SLEEP_LABEL "time.sleep"

struct DemoView;
extern const struct DemoView futures_view; /* futures_view.c */

extern const DemoClass futures_demo;

#endif /* INTERLEAVE_DEMOS_FUTURES_H */
