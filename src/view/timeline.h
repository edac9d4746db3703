/*
 * timeline.h - lanes' states over time, rendered into a cell grid.
 *
 * DESIGN
 * Input is each lane's events in time order (plain arrays: the front end's
 * logs, or a test's hand-made sequence).  Output is one grid row per lane,
 * each column a slice of time, plus a time axis row.
 *
 * Free mode (time in ns): a lane is running from its start, blocked from
 * lock_wait to lock and from cond_wait to cond_wake, finished after its end; each column shows the
 * state the lane spent most of that slice in.
 *
 * Step mode (time = step number): step k is one column slice; the lane
 * granted step k is running in it and shows its operation's glyph when a
 * column is one step wide; a parked lane is ready, or blocked while the
 * mutex it waits for is held by another lane, or from a condition wait to
 * its wake (asleep, and once woken until it runs); finished after its end.
 *
 * A lane also waits, blocked, on a condition variable (cond_wait to
 * cond_wake) or on a semaphore at count 0 (sem_wait to sem_acquire; in
 * step mode while the count is 0).  Given a wait_kind function
 * (timeline_render_waits), the renderer asks it what such a wait is for, and a queue's lanes
 * blocked on a full buffer, on an empty one, or in join() get their own glyphs; without it (and for
 * mutexes) they are plain blocked.
 *
 * A lane of a global interpreter lock waits from gil_wait (or gil_drop)
 * to gil_take, and is in I/O from io_begin to io_end; the wait classes say
 * which (without them, plain blocked).
 *
 * The scenario primitives wait the same way: an RLock (lock_wait to
 * rlock) and a read-write lock (rw_ask to read_lock or write_lock) as a
 * mutex, blocked in step mode while another lane holds it (a writer also
 * while readers are in); a barrier (barrier_wait to barrier_pass), an
 * event (event_wait that found it down to event_wake) and a latch
 * (latch_ask to latch_wait; in step mode while the count is above 0) as a
 * condition wait, in a wait the demo may explain.
 *
 * A lane that waits on an empty pipe (pipe_wait to pipe_read) is in a
 * wait the demo may explain, like a condition wait.  A lane process that
 * died while the run went on (EV_LANE_DIED) is marked X (✗) where it
 * died and is a zombie, 'z', until the sandbox reaps it (EV_LANE_REAPED).
 *
 * Glyphs (ASCII; styles tell the front end what to colour):
 *   running '='  ready '.'  blocked '#'  finished/not started ' '
 *   zombie 'z'  died 'X'
 *   blocked on a full buffer 'F', on an empty buffer 'E', in join 'J'
 *   (all three STYLE_BLOCKED, like '#')
 *   step-mode operations: l load, + compute, s store, f fetch_add,
 *   L lock acquired, U unlock, W condition wait, w woken (mutex taken back),
 *   ! signal, * broadcast, G GIL taken, g GIL dropped, d drop request,
 *   x switched (forced switching), o I/O completed, > pipe write,
 *   < pipe read
 */
#ifndef INTERLEAVE_VIEW_TIMELINE_H
#define INTERLEAVE_VIEW_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/event.h"
#include "util/grid.h"

struct WaitClass; /* view/view.h */

/* What explains a lane's wait on a condition variable or a semaphore (a
 * demo's wait classes, view/view.h). */
typedef struct TimelineWaits {
    const struct WaitClass *waits;
    unsigned nwaits;
    /* the class lane is in when it waits on obj, -1 = plain '#' */
    int (*wait_class)(const Arena *arena, const int64_t *params, unsigned lane, uint32_t obj);
    const Arena *arena;    /* borrowed: object names */
    const int64_t *params; /* borrowed: the run's parameters */
} TimelineWaits;

/* A mark on a lane's row at one moment (a store that overwrote another
 * lane's update): drawn over the lane's state in the column of t.  With a
 * label it marks a span instead (a task a worker ran): the label's text
 * is written over the lane's row from the column of t, in style, when it
 * fits whole between t and until (else nothing is drawn). */
typedef struct TimelineMark {
    uint64_t t; /* ns (free) or step number */
    uint16_t lane;
    char ascii;       /* '!' */
    const char *utf8; /* NULL = ascii in both */
    int style;        /* CellStyle or UiStyle */
    char label[8];    /* "12": a span's label; "" = a plain mark */
    uint64_t until;   /* a labelled span's end (exclusive in free mode, its last
                       * step in step mode); UINT64_MAX = still open */
} TimelineMark;

typedef struct TimelineInput {
    unsigned nlanes;
    const Event *const *events; /* events[lane]: that lane's events, time order */
    const size_t *counts;       /* counts[lane] */
    bool stepping;              /* time is the step number */
    uint64_t t_end;             /* end of the run (ns or steps); 0 = last event */
    const TimelineWaits *waits; /* NULL: every wait is plain blocked */
    const TimelineMark *marks;  /* drawn last, over the states (thinned out where
                                 * dense: timeline_render); NULL = none */
    size_t nmarks;
    /* or, instead of marks: lane_marks[lane] (lane_nmarks[lane] of them), each
     * lane's marks in time order, of which only those in view are looked at */
    const TimelineMark *const *lane_marks;
    const size_t *lane_nmarks;
    /* the lanes drawn, one row each: lane0 .. lane0 + nrows - 1 (nrows 0 =
     * to the last); every lane's events still count (a lane off screen
     * holding a mutex blocks one on screen) */
    unsigned lane0, nrows;
    const char *const *labels; /* labels[lane] (every lane): the row's name ("A 4242");
                                * NULL = "A" */
    /* step mode: an index of exactly these events (timeline_steps_add took
     * in counts[lane] of each lane's), kept by the caller from frame to
     * frame; NULL (or one that does not fit) = built for this call, from
     * every event */
    const struct TimelineSteps *steps;
    uint64_t *visits; /* when not NULL: += the events this call looked at (tests) */
} TimelineInput;

typedef struct TimelineView {
    uint64_t t0;   /* first time shown */
    uint64_t span; /* time shown across the columns; 0 = t0 .. end */
    int label_w;   /* columns for lane names (at least 3) */
} TimelineView;

/*
 * A step run's index for timeline_render(), which a front end keeps from
 * frame to frame and extends as the run's events come in (a lane's log
 * only grows): every lock's holds, every semaphore's, latch's, read-write
 * lock's and pipe's counts, and each lane's row walk as it stood every
 * 1024 events.  A render with it looks at the events of the steps it
 * shows (and at most 1024 before them, per lane drawn), not at every event
 * of the run to gather holds and counts and to walk each row from its
 * start.  Not shared between threads: every function below is called by
 * the one thread that owns the index (the front end's).
 */
typedef struct TimelineSteps TimelineSteps;

/* An empty index for nlanes lanes, or NULL when out of memory.  Caller
 * owns it; free with timeline_steps_free(). */
TimelineSteps *timeline_steps_new(unsigned nlanes);

/* Free ix; NULL does nothing. */
void timeline_steps_free(TimelineSteps *ix);

/*
 * Take in lane's events from where ix stopped up to n: ev is the lane's
 * whole log so far, in time order (ev[0 .. n)), waits (may be NULL) what
 * explains its waits, as the renders will get.  Returns 0, -EINVAL (no
 * such lane, or fewer events than taken in already), or -ENOMEM (ix then
 * takes nothing more, and renders build their own).
 */
int timeline_steps_add(TimelineSteps *ix, const TimelineWaits *waits, unsigned lane,
                       const Event *ev, size_t n);

/* Events ix has taken in, in all (tests). */
uint64_t timeline_steps_visits(const TimelineSteps *ix);

/* Last time in input (t_end or the latest event). */
uint64_t timeline_end(const TimelineInput *in);

/*
 * Render input into grid at (x, y): a row per lane drawn (all, or the
 * window lane0 .. lane0 + nrows - 1), then one axis row.  The marks go
 * over the states; where a row is marked in column after column, one
 * column in four shows its mark (the one with the most), so the lane's
 * states still show between them.
 * Rows past the grid are clipped.  Returns the time per column (ns or
 * steps), at least 1.
 */
uint64_t timeline_render(Grid *grid, int x, int y, int w, const TimelineInput *in,
                         const TimelineView *view);

/* Whether the arena has an object a lane can block on as the timeline
 * draws it: a mutex, a semaphore, a condition variable, an RLock, a
 * read-write lock, a barrier, a latch or an event (the only things a '#',
 * an L or a U in a legend can stand for).  Thread: any thread. */
bool timeline_has_waits(const Arena *a);

/* Whether a free-mode row needs events of kind: those that change a lane's
 * state or mark a lock (a front end that keeps only these draws the same
 * rows).  Thread: any thread. */
bool timeline_free_keeps(unsigned kind);

/* The glyph for an operation in step mode ('l' for load, ...). */
char timeline_op_glyph(unsigned kind);

/* Format a duration for an axis label: "0", "250ns", "1.5us", "12ms". */
void timeline_format_time(uint64_t t, bool stepping, char *buf, size_t len);

#endif /* INTERLEAVE_VIEW_TIMELINE_H */
