/*
 * deadlock.h - the deadlock demo: two lanes move money between two
 * accounts, each taking the two account locks in opposite order.
 */
#ifndef INTERLEAVE_DEMOS_DEADLOCK_H
#define INTERLEAVE_DEMOS_DEADLOCK_H

#include "demos/demo.h"

enum {
    DEADLOCK_VARIANT = 0,
    DEADLOCK_TRANSFERS = 1,
    DEADLOCK_HOLD_US = 2,
    DEADLOCK_TIMEOUT_MS = 3,
    DEADLOCK_LANES = 4
};
enum { DEADLOCK_NAIVE = 0, DEADLOCK_ORDERED = 1, DEADLOCK_TRYLOCK = 2, DEADLOCK_TIMEOUT = 3 };
enum { DEADLOCK_LANES_THREADS = 0, DEADLOCK_LANES_PROCESSES = 1 };

#define DEADLOCK_MAX_TRANSFERS 1000000
#define DEADLOCK_MAX_HOLD_US 100000
#define DEADLOCK_BALANCE 1000 /* each account's opening balance */

extern const DemoClass deadlock_demo;

#endif /* INTERLEAVE_DEMOS_DEADLOCK_H */
