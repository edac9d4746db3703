/*
 * evmerge.h - the events of all lanes of a run, in time order.
 *
 * Each lane's log is in time order already (one producer, one clock); the
 * exporters want one stream across lanes, so that a release comes before
 * the acquisition it allowed.  EvMerge is a k-way merge over the lanes'
 * logs with a binary heap keyed by (time, lane): O(log lanes) per event,
 * no copy of the events, memory for one heap entry per lane.
 *
 * Ties (the same time on two lanes: the same step in step mode is one
 * lane's, so this happens in free mode only) go to the lower lane.
 *
 * Thread: the front end's main thread (it reads a Run's logs).
 */
#ifndef INTERLEAVE_EXPORT_EVMERGE_H
#define INTERLEAVE_EXPORT_EVMERGE_H

#include <stddef.h>

#include "core/compiler.h"
#include "core/run.h"

typedef struct EvMergeLane {
    const Event *ev; /* the lane's log (borrowed from the Run) */
    size_t n, pos;
} EvMergeLane;

typedef struct EvMerge {
    EvMergeLane *lanes; /* owned */
    unsigned *heap;     /* lane indices; owned */
    unsigned nheap;
    unsigned nlanes;
} EvMerge;

/* Start merging the logs of run.  Returns 0 or -ENOMEM.  The run must
 * stay alive and unchanged (finished) while merging. */
int evmerge_init(EvMerge *m, const Run *run) ATTR_WARN_UNUSED_RESULT;

/* The next event in time order, or NULL at the end.  Borrowed. */
const Event *evmerge_next(EvMerge *m);

/* Free what m holds.  NULL-safe. */
void evmerge_fini(EvMerge *m);

#endif /* INTERLEAVE_EXPORT_EVMERGE_H */
