/*
 * prodcons.h - producers and consumers around a bounded buffer.
 */
#ifndef INTERLEAVE_DEMOS_PRODCONS_H
#define INTERLEAVE_DEMOS_PRODCONS_H

#include "demos/demo.h"

enum {
    PC_PRODUCERS = 0,
    PC_CONSUMERS = 1,
    PC_CAPACITY = 2,
    PC_ITEMS = 3,
    PC_PRODUCE_US = 4,
    PC_CONSUME_US = 5,
    PC_VARIANT = 6,
    PC_JOIN = 7
};
enum { PC_CONDVAR = 0, PC_SEMAPHORE = 1, PC_IF_WAIT = 2, PC_SIGNAL_LOST = 3, PC_UNLOCKED = 4 };

#define PC_MAX_SIDE 16 /* producers, consumers: 1..16 each */
#define PC_MAX_CAPACITY 1024
#define PC_MAX_ITEMS 1000000
#define PC_MAX_WORK_US 1000000

#define PC_SENTINEL (-1) /* "no more items": one per consumer, like queue.Queue's None */
#define PC_EMPTY (-2)    /* what an empty slot holds */

/* What a lane of a prodcons run is waiting for, for the front end to tell
 * lanes blocked on a full buffer from those blocked on an empty one. */
typedef enum PcWait {
    PC_WAIT_NONE = 0,  /* not waiting (or waiting only for the mutex) */
    PC_WAIT_FULL = 1,  /* a producer (or the main lane with a sentinel) on a full buffer */
    PC_WAIT_EMPTY = 2, /* a consumer on an empty buffer */
    PC_WAIT_JOIN = 3   /* the main lane in join(), waiting for every item to be done */
} PcWait;

/*
 * What lane of a prodcons run with params waits for now, read from its
 * arena slot: asleep on a condition variable, or in a semaphore wait at
 * count 0 (free mode: inside it; step mode: pending).  The role decides
 * full or empty (one cond serves both sides in signal_lost).  Live and
 * racy in free mode, exact in step mode.  Thread: any thread.
 */
PcWait prodcons_lane_wait(const Arena *arena, const int64_t *params, unsigned lane);

extern const DemoClass prodcons_demo;

#endif /* INTERLEAVE_DEMOS_PRODCONS_H */
