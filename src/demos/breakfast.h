/*
 * breakfast.h - the course's breakfast: four tasks that are mostly
 * waiting, made sequentially, with threads, and on an event loop.
 */
#ifndef INTERLEAVE_DEMOS_BREAKFAST_H
#define INTERLEAVE_DEMOS_BREAKFAST_H

#include "demos/demo.h"

enum { BF_P_VARIANT = 0, BF_P_MINUTE_MS = 1 };
enum { BF_SEQUENTIAL = 0, BF_THREADS = 1, BF_ASYNC = 2, BF_NVARIANTS };

struct DemoView;
extern const struct DemoView breakfast_view; /* breakfast_view.c */

extern const DemoClass breakfast_demo;

#endif /* INTERLEAVE_DEMOS_BREAKFAST_H */
