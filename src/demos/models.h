/*
 * models.h - the same CPU-bound or I/O-bound work run sequentially, with
 * threads (with and without a global lock), with processes, on an event
 * loop; on one core or on all.
 */
#ifndef INTERLEAVE_DEMOS_MODELS_H
#define INTERLEAVE_DEMOS_MODELS_H

#include "demos/demo.h"

enum {
    MODELS_P_VARIANT = 0,
    MODELS_P_WORK = 1,
    MODELS_P_TASKS = 2,
    MODELS_P_SIZE_MS = 3,
    MODELS_P_CORES = 4
};
enum {
    MODELS_SEQUENTIAL = 0,
    MODELS_THREADS = 1,
    MODELS_THREADS_GIL = 2,
    MODELS_PROCESSES = 3,
    MODELS_ASYNC = 4,
    MODELS_NVARIANTS
};
enum { MODELS_WORK_CPU = 0, MODELS_WORK_IO = 1 };
enum { MODELS_CORES_ALL = 0, MODELS_CORES_ONE = 1 };

#define MODELS_MAX_TASKS 16

struct DemoView;
extern const struct DemoView models_view; /* models_view.c */

extern const DemoClass models_demo;

#endif /* INTERLEAVE_DEMOS_MODELS_H */
