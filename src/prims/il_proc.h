/*
 * il_proc.h - what a parent lane does with its child processes.
 *
 * The lane processes of a run are children of the sandbox, so a lane that
 * is a thread of the sandbox (a pool's parent) is their parent in the
 * Unix sense, and only it can wait for them.  A lane process whose death
 * the demo handles (DemoClass.lane_death_handled) stays a zombie after it
 * died, its exit status kept by the kernel, until its parent reaps it
 * with il_proc_reap() (waitpid), or until the run ends: the time between
 * is its zombie time, drawn on its row.
 */
#ifndef INTERLEAVE_PRIMS_IL_PROC_H
#define INTERLEAVE_PRIMS_IL_PROC_H

#include <stdbool.h>

/*
 * Reap lane's dead process, like waitpid(): one step (EV_REAP, never
 * blocked).  Returns its waitpid() status (>= 0); -EAGAIN when lane's
 * process has not ended; -EPERM when the caller is not a thread of the sandbox (a lane
 * process is a sibling, not the parent); -ECHILD when lane is not a
 * process.  Thread: lane.
 */
int il_proc_reap(unsigned lane);

/* True when lane's process has died (its slot is LANE_DIED).  No step.
 * Thread: lane. */
bool il_proc_dead(unsigned lane);

#endif /* INTERLEAVE_PRIMS_IL_PROC_H */
