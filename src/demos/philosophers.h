/*
 * philosophers.h - the dining philosophers: N lanes, N forks, meals.
 */
#ifndef INTERLEAVE_DEMOS_PHILOSOPHERS_H
#define INTERLEAVE_DEMOS_PHILOSOPHERS_H

#include "demos/demo.h"

enum { PHIL_N = 0, PHIL_MEALS = 1, PHIL_VARIANT = 2, PHIL_HOLD_US = 3, PHIL_TIMEOUT_MS = 4 };
enum { PHIL_NAIVE = 0, PHIL_ORDERED = 1, PHIL_TRYLOCK = 2, PHIL_TIMEOUT = 3, PHIL_WAITER = 4 };

#define PHIL_MIN 2
#define PHIL_MAX 16
#define PHIL_MAX_MEALS 1000000
#define PHIL_MAX_HOLD_US 100000

extern const DemoClass philosophers_demo;

#endif /* INTERLEAVE_DEMOS_PHILOSOPHERS_H */
