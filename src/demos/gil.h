/*
 * gil.h - the GIL demo: threads that share one global interpreter lock,
 * in CPython's old (<= 3.1) and new (3.2+) designs, and without one (PEP
 * 703), running CPU-bound, I/O-bound, mixed and counter workloads.
 */
#ifndef INTERLEAVE_DEMOS_GIL_H
#define INTERLEAVE_DEMOS_GIL_H

#include "demos/demo.h"

/* parameters, in the order of gil_demo.params */
enum {
    GIL_THREADS = 0,
    GIL_WORK = 1,
    GIL_MODE = 2,
    GIL_WORKLOAD = 3,
    GIL_INTERVAL_US = 4,
    GIL_CHECK_INTERVAL = 5,
    GIL_FORCED = 6,
    GIL_IO_US = 7,
    GIL_IO_OPS = 8,
    GIL_CORES = 9,
    GIL_LANES = 10,
    GIL_SWITCH_POINT = 11,
    GIL_OBJLOCK = 12,
    GIL_NPARAMS
};

/* gil=: which global lock */
enum { GIL_OLD = 0, GIL_NEW = 1, GIL_NONE = 2 };

/* workload= (the variants) */
enum { GIL_CPU = 0, GIL_IO = 1, GIL_MIXED = 2, GIL_COUNTER = 3 };

/* lanes=: what runs the work */
enum { GIL_LANES_THREADS = 0, GIL_LANES_PROCESSES = 1, GIL_LANES_SEQUENTIAL = 2 };

/* why a lane dropped the GIL (the value of its EV_GIL_RELEASE event) */
enum { GIL_WHY_DROP = 1, GIL_WHY_IO = 2, GIL_WHY_CHECK = 3, GIL_WHY_END = 4 };

#define GIL_MAX_WORK 100000000
#define GIL_MAX_IO_OPS 1000000

struct DemoView;
extern const struct DemoView gil_view; /* gil_view.c */

extern const DemoClass gil_demo;

#endif /* INTERLEAVE_DEMOS_GIL_H */
