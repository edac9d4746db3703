/*
 * asyncio.h - the event-loop demo: coroutines on one OS thread, switching
 * only where they await (Python's asyncio).
 */
#ifndef INTERLEAVE_DEMOS_ASYNCIO_H
#define INTERLEAVE_DEMOS_ASYNCIO_H

#include "demos/demo.h"

enum { AIO_VARIANT = 0, AIO_UNIT_MS = 1, AIO_BLOCK = 2 };
enum {
    AIO_GATHER = 0,
    AIO_SEQUENTIAL = 1,
    AIO_CREATE_TASK = 2,
    AIO_WAIT_FOR = 3,
    AIO_CANCEL = 4,
    AIO_IO = 5,
    AIO_BLOCKING = 6,
    AIO_NONBLOCKING = 7,
    AIO_NVARIANTS
};
enum { AIO_BLOCK_SLEEP = 0, AIO_BLOCK_CPU = 1 };

/* Lanes: A runs the loop (the OS thread), B is main(), C.. the others. */
#define AIO_LOOP_LANE 0
#define AIO_MAIN_LANE 1

struct DemoView;
extern const struct DemoView asyncio_view; /* asyncio_view.c */

extern const DemoClass asyncio_demo;

#endif /* INTERLEAVE_DEMOS_ASYNCIO_H */
