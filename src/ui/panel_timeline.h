/*
 * panel_timeline.h - the lesson screen's timeline: one row per lane, each
 * column a slice of time (free runs) or of steps (step mode), the time
 * axis, the demo's panel under the lanes on the same axis (a queue's
 * depth), and the legend (the demo's wait classes first).
 *
 * DESIGN
 * Free runs can record millions of events.  The free-mode timeline only
 * needs the events that change a lane's state or mark a lock (start, lock
 * wait, acquire, release, cond wait and wake, semaphore wait and acquire,
 * end), so the panel keeps a filtered copy of each lane's log, extended
 * incrementally by panel_timeline_scan(), and hands the renderer the part
 * from the view's start on.  A frame's cost is then bounded by the events
 * in view, not by the length of the run.
 *
 * In step mode the rows come from the run's own logs, with an index the
 * panel extends as they grow (view/timeline.h, TimelineSteps): a frame
 * walks the steps it shows, not the whole run, to know who holds what.
 *
 * The view follows the run's end unless the student scrolled back; zoom is
 * a power of two (free: the span shrinks; step mode: steps per column).
 *
 * Curses-free: it draws into a Grid.  Thread: UI thread only.
 */
#ifndef INTERLEAVE_UI_PANEL_TIMELINE_H
#define INTERLEAVE_UI_PANEL_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "core/run.h"
#include "util/grid.h"
#include "view/view.h"

typedef struct PanelTimelineLane {
    Event *ev; /* filtered copy (free mode), owned */
    size_t n, cap;
    size_t scanned; /* events of the run's log already looked at */
} PanelTimelineLane;

typedef struct PanelTimeline {
    const Run *run; /* borrowed: the run shown, NULL = none */
    bool stepping;  /* the run is a step run */
    PanelTimelineLane *lanes;
    unsigned nlanes;
    bool follow;    /* the view ends at the run's end */
    int zoom;       /* free: 0..30 (span / 2^zoom); step: -12..0 (2^-zoom steps a column) */
    uint64_t t0;    /* first time shown */
    int scroll_req; /* quarter views to scroll at the next draw (+ later, - earlier) */
    unsigned lane0; /* the first lane shown when they do not all fit */
    /* the demo's panel under the lanes, and its per-run state */
    const PanelClass *under;
    void *under_state;
    /* the demo's marks on the rows, and their scanner's state */
    const MarkSource *marks;
    void *marks_state;
    /* step mode: the index of every lane's holds, counts and row walks,
     * extended as the run's events come in (NULL: out of memory, each
     * frame builds its own) */
    TimelineSteps *steps;
    uint64_t visits; /* events the last panel_timeline_draw() looked at (tests) */
} PanelTimeline;

/* Start over for run (NULL: no run), whose demo shows under (may be NULL)
 * under its lanes and marks (may be NULL) on them.  The zoom is kept
 * unless the mode changed.  Returns 0 or -ENOMEM. */
int panel_timeline_reset(PanelTimeline *pt, const Run *run, const PanelClass *under,
                         const MarkSource *marks);

/* Free what pt holds. */
void panel_timeline_fini(PanelTimeline *pt);

/* Take in the events that arrived since the last call. */
void panel_timeline_scan(PanelTimeline *pt);

/* Zoom in (dir > 0) or out (dir < 0), within the mode's limits. */
void panel_timeline_zoom(PanelTimeline *pt, int dir);

/* Scroll by quarters of the view (< 0 back in time: stops following). */
void panel_timeline_scroll(PanelTimeline *pt, int quarters);

/* Follow the run's end again. */
void panel_timeline_follow(PanelTimeline *pt);

/* Scroll the lanes shown by n (< 0 back toward A); the draw keeps the
 * window within the run's lanes. */
void panel_timeline_scroll_lanes(PanelTimeline *pt, int n);

/* Rows the panel under the lanes wants on a screen of height rows. */
int panel_timeline_under_rows(const PanelTimeline *pt, int rows);

/* Rows panel_timeline_draw() takes for lanes rows of lanes and under_rows
 * of the under panel on a grid w columns wide: the heading, the lanes, the
 * under panel, the axis and the legend (one row, or two when it does not
 * fit in one). */
int panel_timeline_rows(const PanelTimeline *pt, int lanes, int under_rows, int w);

/*
 * Draw the timeline at row y of g, tw columns wide: a heading, lanes rows
 * of lanes, the under panel (under_rows rows), the axis and the legend
 * (across the whole grid: g->w columns, on one or two rows).
 * wf is this frame's wait-for snapshot (may be NULL); now is the run's
 * clock (run_clock_ns), which a paused run holds still at the pause, so
 * the view does not move; paused says so in the heading.
 */
void panel_timeline_draw(PanelTimeline *pt, Grid *g, int y, int lanes, int tw, int under_rows,
                         const WaitFor *wf, bool paused, uint64_t now);

#endif /* INTERLEAVE_UI_PANEL_TIMELINE_H */
