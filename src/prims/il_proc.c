/*
 * il_proc.c - a parent lane's side of its child processes (see il_proc.h).
 */
#include "config.h"

#include "prims/il_proc.h"

#include "core/sched.h"

int il_proc_reap(unsigned lane)
{
    int status = 0, rc;

    sched_point(EV_REAP, 0);
    rc = sched_reap(lane, &status);
    sched_count_op();
    sched_record(EV_REAP, 0, (int64_t)lane);
    return rc < 0 ? rc : status;
}

bool il_proc_dead(unsigned lane)
{
    const Arena *a = sched_self->arena;
    return lane < a->nlanes && arena_lane_state(a, lane) == LANE_DIED;
}
