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

/*
 * Add a class built at run time (a scenario embedded in a lesson,
 * scenario/scn_demo.h) to the names demo_find() knows, after the compiled
 * demos; its name holds a '/' ("puzzles/flags") so it never shadows one.
 * A class registered under a name taken before replaces it for later
 * look-ups (the earlier class stays valid: runs may still use it).  The
 * caller keeps cls alive for the rest of the process.  Returns 0, or
 * -ENOMEM, or -EINVAL for a name without '/'.
 * Thread: the front end's main thread.
 */
int demo_register(const DemoClass *cls);

/*
 * demo_find(), but a name without '/' is first looked up as
 * "scope/name" among the registered classes (a lesson's own scenarios,
 * scope being the lesson's id).  scope may be NULL.  Thread: any thread.
 */
const DemoClass *demo_find_scoped(const char *scope, const char *name, IlError *err);

#endif /* INTERLEAVE_DEMOS_DEMO_H */
