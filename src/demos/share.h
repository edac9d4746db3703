/*
 * share.h - threads vs processes: who sees a global that every lane
 * increments (demos/share.c).
 */
#ifndef INTERLEAVE_DEMOS_SHARE_H
#define INTERLEAVE_DEMOS_SHARE_H

#include "demos/demo.h"

enum { SHARE_WORKERS = 0, SHARE_ITERATIONS = 1, SHARE_VARIANT = 2, SHARE_THREADS_PER = 3 };
enum {
    SHARE_THREADS = 0,   /* threads of one process: one global, shared (a race) */
    SHARE_PROCESSES = 1, /* forked processes: a copy of the global each */
    SHARE_SHM = 2,       /* processes, the counter in MAP_SHARED memory, no lock */
    SHARE_SHM_LOCK = 3,  /* the same with a process-shared mutex */
    SHARE_PIPE = 4,      /* processes, each sends its own count to the parent over a pipe */
    SHARE_HYBRID = 5,    /* P processes x T threads, one lock per process, counts over a pipe */
    SHARE_VARIANT_COUNT
};

#define SHARE_MAX_WORKERS 16
#define SHARE_MAX_ITERATIONS 10000000
#define SHARE_MAX_THREADS 8

struct DemoView;
extern const struct DemoView share_view; /* share_view.c */

extern const DemoClass share_demo;

#endif /* INTERLEAVE_DEMOS_SHARE_H */
