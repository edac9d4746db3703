/*
 * il_shared.h - instrumented shared variables, local work and atomics.
 *
 * Demo code reads like ordinary threaded code:
 *
 *     int64_t r = il_load(counter);      // read the shared counter
 *     r = il_compute(add, r + 1);        // work on the lane's own register
 *     il_store(counter, r);              // write it back
 *
 * Each call is one instrumented point: in step mode it waits for a grant,
 * then does its work, updates the lane's register and records one event.
 * Variables live in the shared arena so the front end sees their values
 * while the run goes.  Loads and stores are relaxed atomic accesses: a race
 * between them loses updates exactly as plain loads and stores do, without
 * the undefined behaviour of a C data race.
 */
#ifndef INTERLEAVE_PRIMS_IL_SHARED_H
#define INTERLEAVE_PRIMS_IL_SHARED_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"

typedef ArenaObj IlVar;

/*
 * Register a shared variable called name with value init.  Returns a
 * handle (borrowed; valid while the arena is mapped) or NULL when the arena
 * has no room.  Thread: setup only, before lanes start.
 */
IlVar *il_var_new(Arena *arena, const char *name, int64_t init);

/*
 * Register an array of n slots named "name[0]" .. "name[n-1]", each with
 * value init: consecutive arena objects of kind OBJ_SLOT, so a front end
 * can draw them as one row (a buffer).  Element i is the returned handle
 * plus i; il_load and il_store work on each.  Returns NULL (nothing
 * registered) when the arena has no room.  Thread: setup only.
 */
IlVar *il_slots_new(Arena *arena, const char *name, unsigned n, int64_t init);

/* Register a label for il_compute ("add").  Returns its object index (> 0)
 * or a negative error.  Thread: setup only. */
int il_label_new(Arena *arena, const char *name);

/* Read var into the lane's register.  One step.  Thread: lane. */
int64_t il_load(IlVar *var);

/* Write value to var.  One step.  Thread: lane. */
void il_store(IlVar *var, int64_t value);

/*
 * Write value to var, like il_store, and return the value it replaced,
 * read in the same step.  For a demo's invariant checks ("the slot a
 * producer fills must be empty"): the lane's program sees only a store.
 * In free mode the write is an atomic exchange, so two racing writers
 * each see what the other overwrote.  One step.  Thread: lane.
 */
int64_t il_store_checked(IlVar *var, int64_t value);

/*
 * The calling lane saw an invariant broken: record an EV_VIOLATION event
 * (obj, value) and the run's violation (arena_violation: invariant names
 * it, fmt says which item or slot), unless an earlier one was recorded.
 * The run's verdict becomes "invariant".  Not a step.  Returns 1 when this
 * was the run's first violation.  Thread: lane.
 */
int il_violation(uint32_t obj, int64_t value, const char *invariant, const char *fmt, ...)
    ATTR_FORMAT(printf, 4, 5);

/* True once the run recorded a violation.  Not a step.  Thread: lane. */
bool il_violated(void);

/* Local work named by label; result becomes the lane's register and is
 * returned.  One step.  Thread: lane. */
int64_t il_compute(int label, int64_t result);

/* Atomically add delta to var; returns the value before.  One step.
 * Thread: lane. */
int64_t il_atomic_fetch_add(IlVar *var, int64_t delta);

/*
 * Compare and swap: when var holds expected, write desired and return
 * true; otherwise change nothing and return false.  Sequentially
 * consistent, like il_atomic_fetch_add.  The register gets var's value
 * after the step.  One step.  Thread: lane.
 */
bool il_atomic_cas(IlVar *var, int64_t expected, int64_t desired);

/*
 * il_load and il_store with sequentially consistent ordering (a fence on
 * the store: an x86 `xchg`).  With the plain (relaxed) il_load/il_store a
 * lane's store can still sit in its core's store buffer while its next
 * load reads memory, so two lanes that each store a flag and then load
 * the other's can both read the old value (the store-buffering litmus
 * test; Sewell et al., "x86-TSO", CACM 2010).  These two never allow that.
 * Step mode cannot show the difference: one lane moves at a time, and
 * each step completes before the next begins.  One step each.
 * Thread: lane.
 */
int64_t il_load_seq(IlVar *var);
void il_store_seq(IlVar *var, int64_t value);

/* A step that does nothing (a `pass`, a loop's turn) at label.  One step.
 * Thread: lane. */
void il_pass(int label);

/* The calling lane finished one unit of the demo's work (a transfer, a
 * meal): counts toward its progress and records a progress event, at the
 * time of the lane's last event (the operation that ended the unit).  Not
 * a step.  Livelock and starvation are judged on these.  Thread: lane. */
void il_progress(void);

/*
 * The time of the calling lane's last instrumented operation, for a
 * demo's own figure taken right after it (an item's time in the queue,
 * from the store that filled its slot to the load that took it): with
 * tracing on, the time that operation's event carries, so the figure
 * agrees with the timeline and costs no clock read; otherwise the clock
 * now.  ns since the lanes' start (the step number in step mode).  Call it
 * with no unrecorded work since that operation.  Thread: lane.
 */
uint64_t il_event_time(void);

/*
 * Pause the calling lane for us microseconds in free mode (a real
 * nanosleep: the textbook `sleep` that widens a race window).  In step
 * mode it does nothing: time there is the schedule.  Not a step, no event.
 * Thread: lane.
 */
void il_pause_us(uint32_t us);

/* The current value of var, without a step or an event.  Thread: any. */
int64_t il_var_peek(const IlVar *var);

/* The object index of var.  Thread: any. */
uint32_t il_var_index(const IlVar *var);

#endif /* INTERLEAVE_PRIMS_IL_SHARED_H */
