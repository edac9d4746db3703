/*
 * pool.h - a process pool: a parent lane and forked worker processes,
 * tasks and results over pipes (demos/pool.c).
 */
#ifndef INTERLEAVE_DEMOS_POOL_H
#define INTERLEAVE_DEMOS_POOL_H

#include "demos/demo.h"

enum {
    POOL_WORKERS = 0,
    POOL_TASKS = 1,
    POOL_USAGE = 2,
    POOL_CHUNKSIZE = 3,
    POOL_COST_US = 4,
    POOL_SPREAD = 5,
    POOL_RAISE = 6,
    POOL_CRASH = 7,
    POOL_CRASH_HOW = 8,
    POOL_VARIANT = 9,
    POOL_SPINS = 10,
};
enum { POOL_MAP = 0, POOL_AS_COMPLETED = 1, POOL_IMAP_UNORDERED = 2 };
enum { POOL_CRASH_SEGV = 0, POOL_CRASH_EXIT = 1, POOL_CRASH_KILL = 2 };
enum {
    POOL_PIPES = 0, /* concurrent.futures.ProcessPoolExecutor's way: a broken pool */
    POOL_QUEUE = 1, /* a shared queue with join(): a dead worker hangs it */
    POOL_VARIANT_COUNT
};

#define POOL_MAX_WORKERS 16
#define POOL_MAX_TASKS 100000
#define POOL_MAX_CHUNK 100

/* What happened to a task, as the view and the results tell it. */
enum {
    POOL_T_PENDING = 0,   /* not sent yet */
    POOL_T_SENT = 1,      /* in the tasks pipe, or taken by a worker */
    POOL_T_DONE = 2,      /* its result arrived */
    POOL_T_RAISED = 3,    /* it raised: the error arrived with its result */
    POOL_T_BROKEN = 4,    /* failed: the pool broke before its result came */
    POOL_T_YIELDED = 0x10 /* flag: the parent handed it to the caller (or raised it) */
};

struct DemoView;
extern const struct DemoView pool_view; /* pool_view.c */

extern const DemoClass pool_demo;

#endif /* INTERLEAVE_DEMOS_POOL_H */
