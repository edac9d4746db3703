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

struct DemoView;
extern const struct DemoView prodcons_view; /* prodcons_view.c */

extern const DemoClass prodcons_demo;

#endif /* INTERLEAVE_DEMOS_PRODCONS_H */
