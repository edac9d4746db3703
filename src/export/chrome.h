/*
 * chrome.h - a finished run as Chrome trace-event JSON (Perfetto,
 * chrome://tracing), written as a stream.
 *
 * The format is the Trace Event Format of the Chromium project ("JSON
 * Object Format": {"traceEvents": [...], "displayTimeUnit": ...,
 * "otherData": {...}}).  What a run becomes:
 *
 *   process   pid 1 is the run's sandbox (process_name: the demo and its
 *             parameters); a lane that is its own process gets its own pid
 *             (chrome_lane_pid)
 *   threads   each lane a tid (lane A = tid 1), thread_name "A", sorted by
 *             lane; tid 0 ("run") carries the verdict
 *   slices    B/E pairs: the lane's life ("lane A"), each lock held
 *             ("hold m"), each wait for a lock, a semaphore or a condition
 *             variable ("wait m", "wait sem free", "wait cond not_empty");
 *             strictly nested per thread (a lock released out of order
 *             closes and reopens the slices above it at the same time)
 *   instants  every other event (load, store, signal, ...) on its lane
 *             ("i", scope thread); the verdict, and an invariant broken,
 *             on tid 0 (scope global)
 *   flows     arrows ("s" then "f", bound to the enclosing slice) from an
 *             unlock, a semaphore post or a condition signal/broadcast to
 *             the wakeup it caused: the waiting lane's acquisition, or the
 *             woken lane's return from its condition wait.  Both ends are
 *             written when the wakeup happens (the last unlock or post
 *             before it is its cause), so an "s" may come later in the file
 *             than events of its thread with later times: the format lets
 *             events come in any order, and viewers sort them by time.
 *   counters  the demo's series variable ("C"), as a queue's depth
 *
 * Timestamps are microseconds from the lanes' start: in a free run the
 * events' own times; in a step or replay run a step is 1 ms and the events
 * of one step follow each other 1 us apart, so the order within a step
 * survives any viewer's sorting.
 *
 * The writer keeps per lane only its stack of open slices, and per object
 * the flow waiting for its wakeup: the document is never built in memory.
 *
 * Thread: the front end's main thread.
 */
#ifndef INTERLEAVE_EXPORT_CHROME_H
#define INTERLEAVE_EXPORT_CHROME_H

#include "core/compiler.h"
#include "core/run.h"
#include "util/json.h"

/*
 * Write run (finished) as a trace to sink(ctx, ...).  Returns 0, -ENOMEM,
 * or the sink's first error (a negative errno value).  Output already
 * given to the sink stays given.
 */
int chrome_write(const Run *run, JsonSink sink, void *ctx) ATTR_WARN_UNUSED_RESULT;

/* The pid lane has in the trace: 1 for thread lanes (the sandbox). */
unsigned chrome_lane_pid(const Run *run, unsigned lane);

#endif /* INTERLEAVE_EXPORT_CHROME_H */
