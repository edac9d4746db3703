/*
 * waitfor.h - the wait-for graph of a run: who holds what, who waits for what.
 *
 * DESIGN
 * A snapshot built from the arena alone (no lock, no system call), so the
 * front end can take one while the run goes, the step controller can take
 * one while the lanes are parked, and a test can take one from a hand-made
 * arena.  Nodes are lanes and objects; edges are
 *
 *   hold   object -> lane   a mutex's owner (the arena object's value);
 *   wait   lane -> object   the blocking operation a lane is inside or has
 *                           pending (its slot's op and op_obj), when that
 *                           operation cannot proceed (sched_op_blocker()).
 *                           A lane asleep on a condition variable waits
 *                           for the cond (no lane holds it); a lane woken
 *                           on one waits for the cond's mutex.
 *
 * Each lane waits for at most one object and a mutex has at most one
 * owner, so "lane waits for lane" is a function and a deadlock is a cycle
 * of it: A waits acct2, held by B, which waits acct1, held by A.  The cycle
 * found is the one through the lowest lane, rotated to start there, so the
 * same state always gives the same description.
 *
 * In step mode the snapshot is exact.  In free mode it is a racy view of
 * live lanes; the primitives order their stores so that a stale view can
 * miss an edge but never invent one (see il_mutex.c), and the front end
 * confirms a cycle on two checks with the cycle's lanes' operation counts
 * unchanged before it calls it a deadlock (run.c).
 *
 * A stall is the other way a run stops for good: every unfinished lane
 * waits (a mutex, a semaphore at 0, a condition variable nobody is about
 * to signal) and none of them can move, with or without a cycle.  With a
 * lane asleep on a condition variable among them the run reports it as a
 * hang (run.c).
 *
 * Thread: any thread; the arena must stay mapped during a call.
 */
#ifndef INTERLEAVE_CORE_WAITFOR_H
#define INTERLEAVE_CORE_WAITFOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "util/grid.h"

typedef struct WaitFor {
    unsigned nlanes;
    uint32_t nobjs;
    int32_t owner[ARENA_MAX_OBJS];        /* mutex owner lane, -1 = free or not a mutex */
    uint32_t state[ARENA_MAX_LANES];      /* LaneState */
    uint32_t wait_obj[ARENA_MAX_LANES];   /* object the lane waits for, 0 = none (an
                                           * await: the task, timer or channel it awaits) */
    uint32_t wait_op[ARENA_MAX_LANES];    /* the blocking operation, EV_NONE = none */
    uint32_t wait_cond[ARENA_MAX_LANES];  /* woken on this cond (wait_obj is then its
                                           * mutex), 0 = none */
    int32_t wait_on[ARENA_MAX_LANES];     /* lane holding wait_obj, -1 = none,
                                           * SCHED_NO_HOLDER = no lane (semaphore) */
    uint64_t wait_since[ARENA_MAX_LANES]; /* arena time + 1 the wait began, 0 = unknown */
    uint64_t ops[ARENA_MAX_LANES];        /* each lane's operation count */
    uint64_t ops_total;                   /* sum of ops */
    uint64_t progress_total;              /* sum of the lanes' progress counts */
    unsigned ncycle;                      /* lanes in the cycle, 0 = no cycle */
    uint16_t cycle[ARENA_MAX_LANES];      /* cycle[k] waits for what cycle[k+1] holds */
    bool stalled;                         /* every started, unfinished lane waits and none can move;
                                           * no wakeup on its way (see waitfor_build) */
    bool any_cond;                        /* stalled with a lane asleep on a condition variable */
} WaitFor;

/* Take a snapshot of arena's holds and waits into wf (caller's storage)
 * and look for a cycle. */
void waitfor_build(WaitFor *wf, const Arena *arena);

/* True when wf has a cycle. */
bool waitfor_has_cycle(const WaitFor *wf);

/*
 * True when a and b have the same cycle (same lanes, waiting for the same
 * objects) and the cycle's lanes performed no operation in between: the
 * confirmation that the cycle is a deadlock and not a stale view.
 */
bool waitfor_same_cycle(const WaitFor *a, const WaitFor *b);

/*
 * Describe the cycle of wf into buf (always NUL-terminated):
 * "A holds acct1, waits acct2; B holds acct2, waits acct1".  Empty when
 * there is no cycle.  Returns the length written.
 */
size_t waitfor_describe(const WaitFor *wf, const Arena *arena, char *buf, size_t len);

/*
 * True when a and b are both stalled, in the same waits, with no lane
 * having performed an operation in between: the confirmation of a stall
 * in free mode.
 */
bool waitfor_same_stall(const WaitFor *a, const WaitFor *b);

/* The arena time at which the stall formed (the latest wait start of the
 * unfinished lanes), or 0 when unknown or not stalled. */
uint64_t waitfor_stall_formed_at(const WaitFor *wf);

/*
 * Describe what every waiting lane waits for into buf (always
 * NUL-terminated), "A waits on cond not_full; B waits m (held by A); C
 * waits used (count 0); D woken on cond not_empty, waits m (held by A)".
 * Returns the length written.
 */
size_t waitfor_describe_waits(const WaitFor *wf, const Arena *arena, char *buf, size_t len);

/* The arena time at which the cycle closed (the latest of its lanes' wait
 * starts), or 0 when unknown or no cycle. */
uint64_t waitfor_formed_at(const WaitFor *wf);

/*
 * Draw the graph into grid at (x, y), at most w columns and h rows: one
 * row per unfinished lane, "(A) =holds=> [acct1] -waits-> [acct2] (held
 * by B)", the lanes of the cycle marked '*' with their wait edges in
 * STYLE_BLOCKED, and a last row naming the cycle ("cycle: A -> acct2 ->
 * B -> acct1 -> A").  Returns the rows used.
 */
int waitfor_render(Grid *grid, int x, int y, int w, int h, const WaitFor *wf, const Arena *arena);

#endif /* INTERLEAVE_CORE_WAITFOR_H */
