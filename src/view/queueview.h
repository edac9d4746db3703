/*
 * queueview.h - a bounded buffer drawn as cells: its slots and its depth
 * over time.
 *
 * DESIGN
 * Two views of a bounded buffer (a queue demo's), both curses-free, both drawing
 * into a Grid so the TUI copies them to the screen and tests read cells:
 *
 *   slots   one row of the buffer's slots read live from the arena (a slot
 *           array, OBJ_SLOT, named "buf[0]" .. "buf[n-1]", with the head
 *           and tail variables beside it), and a row under it marking the
 *           head (h) and the tail (t), '*' where they meet (the buffer is
 *           empty or full):
 *
 *               |  3|  4|   |   |
 *                 h       t
 *
 *           Too many slots for the width: one glyph per slot, '#' filled,
 *           'S' a sentinel, '.' empty.
 *
 *   depth   a variable's value over time (the queue's count), sampled from
 *           the run's events (stores and atomic adds on it) into at most
 *           max points, drawn as columns of '#' h rows high, 0 at the
 *           bottom and vmax at the top.
 *
 *           A live front end keeps each lane's changes apart (they arrive
 *           lane by lane) and draws them with queueview_depth_lanes(),
 *           column for column under a timeline: the same t0, the same time
 *           per column, and the latest change across lanes in each
 *           column.  A value above vmax or below 0 (a broken variant) is
 *           marked '!' at the top or the bottom of its column.
 *
 * The same samples are the "series" of the JSON report.
 *
 * Thread: the front end's main thread (reads the run's logs and the live
 * arena).
 */
#ifndef INTERLEAVE_VIEW_QUEUEVIEW_H
#define INTERLEAVE_VIEW_QUEUEVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/run.h"
#include "util/grid.h"

typedef struct QueuePoint {
    uint64_t t; /* event time: ns (free) or step number */
    int64_t v;  /* the value stored, or the value after an atomic add */
} QueuePoint;

/*
 * Sample the values the shared variable named var took during run (its
 * store and atomic-add events, all lanes, in time order).  With at most
 * max changes every one is kept; with more, the run's time is cut into
 * max equal slices and each slice keeps its last change.  Writes up to max
 * points to out (caller's storage) and returns how many; 0 when var does
 * not exist or never changed (or out of memory).
 */
size_t queueview_series(const Run *run, const char *var, QueuePoint *out, size_t max);

/*
 * Draw points as a depth graph into grid at (x, y), w columns by h rows,
 * covering times 0..t_end (0 = the last point's time): column c shows the
 * value at the end of its time slice (carried forward from the last
 * change), as a bar of '#' cells v * h / vmax rows high.  Returns the rows
 * used (h, or 0 when nothing was drawn).
 */
int queueview_depth(Grid *grid, int x, int y, int w, int h, const QueuePoint *points, size_t n,
                    uint64_t t_end, int64_t vmax);

/*
 * Draw a depth graph into grid at (x, y), w columns by h rows, from the
 * changes of each lane (lanes[l]: counts[l] points of lane l, in time
 * order), column c covering the times t0 + c * per .. t0 + (c + 1) * per
 * the way a timeline's columns do (stepping: steps t0 + c * per + 1 ..
 * t0 + (c + 1) * per; free: [t0 + c * per, t0 + (c + 1) * per)).  A column
 * shows the value after the latest change up to its end, as a bar of '#'
 * v * h / vmax rows high (rounded up); columns past t_end stay blank.
 * Returns the rows used (h, or 0 when nothing was drawn).
 */
int queueview_depth_lanes(Grid *grid, int x, int y, int w, int h, const QueuePoint *const *lanes,
                          const size_t *counts, unsigned nlanes, uint64_t t0, uint64_t per,
                          uint64_t t_end, bool stepping, int64_t vmax);

/* The index of the shared variable (OBJ_VAR) named name in arena, 0 = none.
 * Thread: any thread. */
uint32_t queueview_var(const Arena *arena, const char *name);

/*
 * Draw the slot array named array ("buf") of arena at (x, y), at most w
 * columns wide: the slots on row y, the head and tail markers (variables
 * named head and tail) on row y + 1.  Empty slots hold empty_value,
 * sentinels sentinel_value.  Returns the rows used (2), or 0 when there is
 * no such array.
 */
int queueview_slots(Grid *grid, int x, int y, int w, const Arena *arena, const char *array,
                    const char *head, const char *tail, int64_t empty_value,
                    int64_t sentinel_value);

/*
 * queueview_slots, and when mark_obj is one of the slots' object indexes (the
 * slot an invariant broke on), a '!' under it instead of its h or t.
 */
int queueview_slots_mark(Grid *grid, int x, int y, int w, const Arena *arena, const char *array,
                         const char *head, const char *tail, int64_t empty_value,
                         int64_t sentinel_value, uint32_t mark_obj);

/*
 * A live front end's record of one variable's changes, lane by lane, taken
 * in incrementally as the run's events arrive, for queueview_depth_lanes().
 * Caller owns it; free with queuetrack_free() (NULL does nothing).
 * Returns NULL when out of memory.
 */
typedef struct QueueTrack QueueTrack;
QueueTrack *queuetrack_new(unsigned nlanes);
void queuetrack_free(QueueTrack *track);

/* Take in the changes of the shared variable named var from the events of
 * run that arrived since the last call. */
void queuetrack_scan(QueueTrack *track, const Run *run, const char *var);

/* queueview_depth_lanes() over what track has taken in. */
int queuetrack_draw(const QueueTrack *track, Grid *grid, int x, int y, int w, int h, uint64_t t0,
                    uint64_t per, uint64_t t_end, bool stepping, int64_t vmax);

#endif /* INTERLEAVE_VIEW_QUEUEVIEW_H */
