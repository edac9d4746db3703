/*
 * scn_demo.h - a scenario as a demo: a DemoClass built around a program.
 *
 * DESIGN
 * The core runs any DemoClass (core/demo_class.h).  scn_demo_new() builds
 * one at run time around a parsed ScnProgram (scn.h): its params are the
 * scenario's `param` lines, its lanes the scenario's lanes (lettered A, B,
 * ... in the order declared, copies of `lane w[n]` one after the other),
 * its code the scenario's own source, and every lane runs the same
 * interpreter (scn_demo.c) over its body on a real thread of the sandbox,
 * through the instrumented primitives of src/prims/.  The program reaches
 * the sandbox as DemoClass.data (DemoCtx.data in setup, the lanes and
 * finish): the sandbox is forked after the class was built, so it has
 * the same program at the same address.
 *
 * What a step is.  Every read of a shared variable is a load (one step),
 * every write a store (one step), and the local work of an assignment
 * whose value needs an operator is a compute (one step): `x = x + 1` is
 * load, compute, store, like the race demo.  A local assignment with no
 * shared read (`r = 0`) is a compute step, so that every statement is at
 * least one step; a condition (if, while, assert) costs only its loads.
 * Each call of a primitive is its steps (il_*.h).  `pass` is one step
 * that does nothing; a `while` turn that took no step takes one at its
 * end ("loop"), so no lane can spin without the scheduler seeing it.
 *
 * Checks.  A failed `assert`, two lanes inside `critical_section:` at
 * once, a runtime error (releasing a lock the lane does not hold, an index
 * out of range, a division by zero) and an `expect` that does not hold at
 * the end each record the run's invariant violation (arena_violation),
 * which makes the verdict "invariant" with the line, the lane and the
 * step.  A failed assert or a runtime error ends its lane, as an
 * exception ends a Python thread.
 *
 * OWNERSHIP: a ScnDemo owns its program and everything the class points
 * at; free it with scn_demo_free() once no run of it exists.
 */
#ifndef INTERLEAVE_SCENARIO_SCN_DEMO_H
#define INTERLEAVE_SCENARIO_SCN_DEMO_H

#include "core/compiler.h"
#include "core/demo_class.h"
#include "core/error.h"
#include "scenario/scn.h"

typedef struct ScnDemo ScnDemo;

/*
 * Build the class around prog, which the ScnDemo then owns (also on
 * failure: it is freed).  Returns the demo, or NULL with err (-ENOMEM).
 * Thread: any thread.
 */
ScnDemo *scn_demo_new(ScnProgram *prog, IlError *err) ATTR_WARN_UNUSED_RESULT;

/* scn_load() then scn_demo_new().  Errors are scn_load()'s.  Thread: any. */
ScnDemo *scn_demo_load(const char *path, IlError *err) ATTR_WARN_UNUSED_RESULT;

/* scn_parse_at() then scn_demo_new(): the text starts at first_line of
 * path (1 for a whole file).  Thread: any. */
ScnDemo *scn_demo_parse(const char *text, size_t len, const char *path, int first_line,
                        IlError *err) ATTR_WARN_UNUSED_RESULT;

/* The class (borrowed, valid until scn_demo_free()).  Thread: any. */
const DemoClass *scn_demo_class(const ScnDemo *demo);

/* The program (borrowed).  Thread: any. */
const ScnProgram *scn_demo_program(const ScnDemo *demo);

/* The ScnDemo a class was built by, or NULL for any other class.
 * Thread: any. */
const ScnDemo *scn_demo_of(const DemoClass *cls);

/*
 * What a front end's DEMO argument names: a scenario file when name is a
 * scenario path (scn_is_path: it ends in ".scn"), loaded and built, with
 * *owned set to the ScnDemo the caller frees (scn_demo_free) once no run
 * of it is left; otherwise a compiled demo by name or unique prefix
 * (demo_find), with *owned NULL.  Returns the class, or NULL with err
 * (a parse error "file:line:column: ...", an unknown demo).  Thread: any.
 */
const DemoClass *scn_demo_find(const char *name, ScnDemo **owned, IlError *err);

/*
 * Make demo known to demo_find() as name (demo_register(): a name with a
 * '/', "puzzles/flags"), for the rest of the process.  When a program of
 * the same text was registered under that name before, demo is freed and
 * the earlier one is returned; otherwise demo itself, renamed.  Returns
 * NULL (demo freed) when out of memory.  Thread: the front end's main
 * thread.
 */
const ScnDemo *scn_demo_register(ScnDemo *demo, const char *name);

/* Free demo (NULL does nothing). */
void scn_demo_free(ScnDemo *demo);

#endif /* INTERLEAVE_SCENARIO_SCN_DEMO_H */
