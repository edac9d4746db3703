/*
 * demo.h - the demo interface and the registry of demos.
 *
 * A demo is a DemoClass: its parameters (with ranges, defaults and help),
 * how many lanes it runs, and three functions that run inside the sandbox:
 * setup (register shared objects in the arena, before lanes start),
 * lane_main (the body of one lane), and finish (compute the results).
 * New lessons add a DemoClass to demo_table[] in demo.c; nothing in the
 * core changes.
 */
#ifndef INTERLEAVE_DEMOS_DEMO_H
#define INTERLEAVE_DEMOS_DEMO_H

#include <stddef.h>

#include "core/demo_class.h"
#include "core/error.h"

/* Number of demos, and the demo at index i.  Thread: any thread. */
size_t demo_count(void);
const DemoClass *demo_at(size_t i);

/*
 * Find a demo by name or unique prefix.  Returns it, or NULL with err
 * saying the name is unknown or ambiguous (and listing the demos).
 * Thread: any thread.
 */
const DemoClass *demo_find(const char *name, IlError *err);

#endif /* INTERLEAVE_DEMOS_DEMO_H */
