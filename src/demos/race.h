/*
 * race.h - the race-condition demo: N lanes increment one shared counter.
 */
#ifndef INTERLEAVE_DEMOS_RACE_H
#define INTERLEAVE_DEMOS_RACE_H

#include "demos/demo.h"

enum { RACE_THREADS = 0, RACE_ITERATIONS = 1, RACE_VARIANT = 2, RACE_LANES = 3 };
enum { RACE_UNSAFE = 0, RACE_MUTEX = 1, RACE_ATOMIC = 2 };
enum { RACE_LANES_THREADS = 0, RACE_LANES_PROCESSES = 1 };

#define RACE_MAX_ITERATIONS 10000000

struct DemoView;
extern const struct DemoView race_view; /* race_view.c */

extern const DemoClass race_demo;

#endif /* INTERLEAVE_DEMOS_RACE_H */
