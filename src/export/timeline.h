/*
 * timeline.h - lanes' states over time, rendered into a cell grid.
 *
 * DESIGN
 * Input is each lane's events in time order (plain arrays: the front end's
 * logs, or a test's hand-made sequence).  Output is one grid row per lane,
 * each column a slice of time, plus a time axis row.
 *
 * Free mode (time in ns): a lane is running from its start, blocked from
 * lock_wait to lock and from cond_wait to cond_wake, finished after its end; each column shows the state
 * the lane spent most of that slice in.
 *
 * Step mode (time = step number): step k is one column slice; the lane
 * granted step k is running in it and shows its operation's glyph when a
 * column is one step wide; a parked lane is ready, or blocked while the
 * mutex it waits for is held by another lane, or from a condition wait to
 * its wake (asleep, and once woken until it runs); finished after its end.
 *
 * Glyphs (ASCII; styles tell the front end what to colour):
 *   running '='  ready '.'  blocked '#'  finished/not started ' '
 *   step-mode operations: l load, + compute, s store, f fetch_add,
 *   L lock acquired, U unlock, W condition wait, w woken (mutex taken back),
 *   ! signal, * broadcast
 */
#ifndef INTERLEAVE_EXPORT_TIMELINE_H
#define INTERLEAVE_EXPORT_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "export/grid.h"

typedef struct TimelineInput {
    unsigned nlanes;
    const Event *const *events; /* events[lane]: that lane's events, time order */
    const size_t *counts;       /* counts[lane] */
    bool stepping;              /* time is the step number */
    uint64_t t_end;             /* end of the run (ns or steps); 0 = last event */
} TimelineInput;

typedef struct TimelineView {
    uint64_t t0;     /* first time shown */
    uint64_t span;   /* time shown across the columns; 0 = t0 .. end */
    int label_w;     /* columns for lane names (at least 3) */
} TimelineView;

/* Last time in input (t_end or the latest event). */
uint64_t timeline_end(const TimelineInput *in);

/*
 * Render input into grid at (x, y): nlanes rows of lanes, then one axis row.
 * Rows past the grid are clipped.  Returns the time per column (ns or
 * steps), at least 1.
 */
uint64_t timeline_render(Grid *grid, int x, int y, int w, const TimelineInput *in,
                         const TimelineView *view);

/* The glyph for an operation in step mode ('l' for load, ...). */
char timeline_op_glyph(unsigned kind);

/* Format a duration for an axis label: "0", "250ns", "1.5us", "12ms". */
void timeline_format_time(uint64_t t, bool stepping, char *buf, size_t len);

#endif /* INTERLEAVE_EXPORT_TIMELINE_H */
