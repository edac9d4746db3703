/*
 * queueview.h - a bounded buffer drawn as cells: its slots and its depth
 * over time.
 *
 * DESIGN
 * Two views of a queue demo (prodcons), both curses-free, both drawing
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
 * The same samples are the "series" of the JSON report.
 *
 * Thread: the front end's main thread (reads the run's logs and the live
 * arena).
 */
#ifndef INTERLEAVE_EXPORT_QUEUEVIEW_H
#define INTERLEAVE_EXPORT_QUEUEVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/run.h"
#include "export/grid.h"

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
 * Draw the slot array named array ("buf") of arena at (x, y), at most w
 * columns wide: the slots on row y, the head and tail markers (variables
 * named head and tail) on row y + 1.  Empty slots hold empty_value,
 * sentinels sentinel_value.  Returns the rows used (2), or 0 when there is
 * no such array.
 */
int queueview_slots(Grid *grid, int x, int y, int w, const Arena *arena, const char *array,
                    const char *head, const char *tail, int64_t empty_value,
                    int64_t sentinel_value);

#endif /* INTERLEAVE_EXPORT_QUEUEVIEW_H */
